"""What kind of data every field of Kreds holds, why, for how long, and who sees it.

Every concrete field (and many-to-many field) of every model in the project's own apps
has a data class in `FIELDS`, keyed "app_label.Model.field". Every model holding personal
data has an entry in `MODELS` with its purpose, legal basis, audience and retention rule.
`tests/core/test_data_classes.py` fails on a field or model left out, so a new field is
classified when it is written. `manage.py privacy_record` renders both tables as
docs/privacy.md, the record of processing (GDPR Art. 30).

Data classes:
- none: says nothing about a person on its own: ids, timestamps, settings, flags of the
  technical admin, an organization's facts, a group's facts.
- personal: identifies or describes a person: name, email, phone, birth year, roles.
- special: reveals health or life situation (GDPR Art. 9). Being in a grief group says
  someone lost a person; being in an illness group says someone is ill. Membership of
  a group is therefore special category, whatever the topic.
- financial: payments and membership fees a person paid (none yet).

The audit log masks every value whose class is not "none" (`masks`), and a field missing
from the table counts as personal, so forgetting one fails closed.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.apps import apps
from django.db import models


class DataClass(StrEnum):
    NONE = "none"
    PERSONAL = "personal"
    SPECIAL = "special"
    FINANCIAL = "financial"


@dataclass(frozen=True)
class Retention:
    """How long rows are kept: `rule` for code (a later deletion job), `text` for people."""

    rule: str
    text: str


@dataclass(frozen=True)
class Processing:
    purpose: str
    subjects: str
    legal_basis: str
    audience: str
    retention: Retention


UNTIL_ACCOUNT_ERASED = Retention(
    "until_account_erased",
    "Until the person erases their account on their page (kreds.privacy.services.erase_person).",
)
UNTIL_ROLE_REMOVED = Retention(
    "until_role_removed",
    "Until the role is removed or the account erased, whichever comes first.",
)
AFTER_GROUP_ENDS = Retention(
    "group.ended_on+organization.retention_days",
    "Until organization.retention_days (default 365) after the group ends, or earlier "
    "when the person erases their account.",
)
WHILE_ORGANIZATION_ACTIVE = Retention(
    "while_organization_active",
    "While the organization uses Kreds; replaced when the contact person changes.",
)
ORGANIZATION_RECORD = Retention(
    "organization_record;actor_pseudonymised_on_erasure",
    "Kept as the organization's record while it uses Kreds; rows are never changed or "
    "deleted by the application. When a person is erased, their name in the log is "
    "replaced by a pseudonym (kreds.audit.services.pseudonymise_actor).",
)

N = DataClass.NONE
P = DataClass.PERSONAL
S = DataClass.SPECIAL

# Every concrete and many-to-many field of every model in kreds.* apps.
FIELDS: dict[str, DataClass] = {
    # organizations.Organization: the tenant's own facts, except its contact person.
    "organizations.Organization.id": N,
    "organizations.Organization.created_at": N,
    "organizations.Organization.updated_at": N,
    "organizations.Organization.name": N,
    "organizations.Organization.slug": N,
    "organizations.Organization.country": N,
    "organizations.Organization.languages": N,
    "organizations.Organization.time_zone": N,
    "organizations.Organization.introduction": N,
    "organizations.Organization.daily_leader_name": P,  # a named employee
    "organizations.Organization.contact_email": P,  # often the daily leader's own address
    "organizations.Organization.contact_phone": P,  # often the daily leader's own phone
    "organizations.Organization.address": N,
    "organizations.Organization.website": N,
    "organizations.Organization.membership_required": N,
    "organizations.Organization.annual_fee": N,  # the price, not anyone's payment
    "organizations.Organization.currency": N,
    "organizations.Organization.minimum_age": N,
    "organizations.Organization.group_min_size": N,
    "organizations.Organization.group_max_size": N,
    "organizations.Organization.starters_min": N,
    "organizations.Organization.starters_max": N,
    "organizations.Organization.offers_mixed_groups": N,
    "organizations.Organization.retention_days": N,
    "organizations.Organization.offer_days": N,
    "organizations.Organization.max_travel_km": N,
    "organizations.Organization.max_age_span": N,
    # organizations.Role: who works or volunteers for the organization.
    "organizations.Role.id": N,
    "organizations.Role.created_at": N,
    "organizations.Role.updated_at": N,
    "organizations.Role.organization": N,
    "organizations.Role.person": P,
    "organizations.Role.kind": P,
    # organizations.Topic and AgeBand: the organization's offer, about nobody.
    "organizations.Topic.id": N,
    "organizations.Topic.created_at": N,
    "organizations.Topic.updated_at": N,
    "organizations.Topic.organization": N,
    "organizations.Topic.name": N,
    "organizations.Topic.description": N,
    "organizations.Topic.is_active": N,
    "organizations.Topic.position": N,
    "organizations.AgeBand.id": N,
    "organizations.AgeBand.created_at": N,
    "organizations.AgeBand.updated_at": N,
    "organizations.AgeBand.organization": N,
    "organizations.AgeBand.kind": N,
    "organizations.AgeBand.name": N,
    "organizations.AgeBand.min_age": N,
    "organizations.AgeBand.max_age": N,
    # people.Person: the account.
    "people.Person.id": N,
    "people.Person.password": P,  # an Argon2id hash, never shown
    "people.Person.last_login": P,
    "people.Person.is_superuser": N,
    "people.Person.email": P,
    "people.Person.display_name": P,
    "people.Person.birth_year": P,
    "people.Person.gender": P,
    "people.Person.municipality": P,
    "people.Person.phone": P,
    "people.Person.preferred_language": P,
    "people.Person.is_active": N,
    "people.Person.is_staff": N,
    "people.Person.date_joined": P,
    "people.Person.groups": N,  # Django admin permission groups, not self-help groups
    "people.Person.user_permissions": N,
    # groups.Group: the circle itself. Its topic is special only once linked to a person.
    "groups.Group.id": N,
    "groups.Group.created_at": N,
    "groups.Group.updated_at": N,
    "groups.Group.organization": N,
    "groups.Group.name": N,
    "groups.Group.topic": N,
    "groups.Group.age_band": N,
    "groups.Group.status": N,
    "groups.Group.is_open_for_newcomers": N,
    "groups.Group.min_size": N,
    "groups.Group.max_size": N,
    "groups.Group.cadence": N,
    "groups.Group.is_self_organized": N,
    "groups.Group.venue": N,
    "groups.Group.meeting_slot": N,
    "groups.Group.public_description": N,
    "groups.Group.started_on": N,
    "groups.Group.ended_on": N,
    # groups.GroupMembership: who is in which group reveals their life situation.
    "groups.GroupMembership.id": N,
    "groups.GroupMembership.created_at": N,
    "groups.GroupMembership.updated_at": N,
    "groups.GroupMembership.group": S,
    "groups.GroupMembership.person": S,
    "groups.GroupMembership.role": S,
    "groups.GroupMembership.joined_on": S,
    "groups.GroupMembership.left_on": S,
    # groups.ConfidentialityDeclaration: signing one says the person is in the group.
    "groups.ConfidentialityDeclaration.id": N,
    "groups.ConfidentialityDeclaration.membership": S,
    "groups.ConfidentialityDeclaration.text_version": N,
    "groups.ConfidentialityDeclaration.signed_at": S,
    # meetings.Venue and Meeting: rooms and times of a group, about nobody in particular.
    "meetings.Venue.id": N,
    "meetings.Venue.created_at": N,
    "meetings.Venue.updated_at": N,
    "meetings.Venue.organization": N,
    "meetings.Venue.name": N,
    "meetings.Venue.kind": N,
    "meetings.Venue.address": N,
    "meetings.Venue.postal_code": N,
    "meetings.Venue.municipality": N,
    "meetings.Venue.accessibility_notes": N,
    "meetings.Venue.latitude": N,
    "meetings.Venue.longitude": N,
    "meetings.Venue.is_active": N,
    "meetings.Venue.slots": N,
    "meetings.Venue.rooms": N,
    "meetings.Meeting.id": N,
    "meetings.Meeting.created_at": N,
    "meetings.Meeting.updated_at": N,
    "meetings.Meeting.group": N,
    "meetings.Meeting.starts_at": N,
    "meetings.Meeting.duration_minutes": N,
    "meetings.Meeting.venue": N,
    "meetings.Meeting.status": N,
    # organizations.Municipality: the area an organization serves, about nobody.
    "organizations.Municipality.id": N,
    "organizations.Municipality.created_at": N,
    "organizations.Municipality.updated_at": N,
    "organizations.Municipality.organization": N,
    "organizations.Municipality.name": N,
    "organizations.Municipality.latitude": N,
    "organizations.Municipality.longitude": N,
    "organizations.Municipality.is_active": N,
    # privacy.Consent: that a person agreed to a purpose; for the topic purpose the
    # consent itself says the person applied for a group, so it is special.
    "privacy.Consent.id": N,
    "privacy.Consent.organization": N,
    "privacy.Consent.person": S,
    "privacy.Consent.purpose": N,
    "privacy.Consent.text_version": N,
    "privacy.Consent.language": N,
    "privacy.Consent.given_at": N,
    "privacy.Consent.withdrawn_at": N,
    # intake.Application: a wish for a group reveals the person's life situation.
    "intake.Application.id": N,
    "intake.Application.created_at": N,
    "intake.Application.updated_at": N,
    "intake.Application.row_key": N,
    "intake.Application.organization": N,
    "intake.Application.person": S,
    "intake.Application.topic": S,
    "intake.Application.birth_year": P,
    "intake.Application.municipality": P,
    "intake.Application.availability": P,
    "intake.Application.gender": P,
    "intake.Application.keep_apart_hashes": P,
    "intake.Application.email_hash": P,  # keyed hash of the applicant's own email
    "intake.Application.note": S,  # encrypted at rest
    "intake.Application.is_member": P,
    "intake.Application.consent": S,
    "intake.Application.status": S,
    "intake.Application.intake_talk_on": S,
    "intake.Application.intake_outcome": S,
    "intake.Application.waiting_since": S,
    # placement.StarterCapacity: what a volunteer starter can take on. The topics a starter
    # helps with often come from their own life, so they are treated as special.
    "placement.StarterCapacity.id": N,
    "placement.StarterCapacity.created_at": N,
    "placement.StarterCapacity.updated_at": N,
    "placement.StarterCapacity.organization": N,
    "placement.StarterCapacity.person": P,
    "placement.StarterCapacity.topics": S,
    "placement.StarterCapacity.municipality": P,
    "placement.StarterCapacity.slots": P,
    "placement.StarterCapacity.max_groups": P,
    "placement.StarterCapacity.starts_mixed_groups": P,
    # placement.MatchingRun: an engine run. Its proposal links application ids to topics.
    "placement.MatchingRun.id": N,
    "placement.MatchingRun.created_at": N,
    "placement.MatchingRun.updated_at": N,
    "placement.MatchingRun.organization": N,
    "placement.MatchingRun.started_by": P,
    "placement.MatchingRun.status": N,
    "placement.MatchingRun.phase": N,
    "placement.MatchingRun.percent": N,
    "placement.MatchingRun.time_limit": N,
    "placement.MatchingRun.solution": S,
    "placement.MatchingRun.proposal": S,
    "placement.MatchingRun.error": N,
    "placement.MatchingRun.finished_at": N,
    # placement.Offer: a place offered in a group says what the applicant waits for.
    "placement.Offer.id": N,
    "placement.Offer.created_at": N,
    "placement.Offer.updated_at": N,
    "placement.Offer.organization": N,
    "placement.Offer.application": S,
    "placement.Offer.group": S,
    "placement.Offer.status": S,
    "placement.Offer.expires_at": S,
    "placement.Offer.responded_at": S,
    # audit.AuditEvent: who did what. Values in `changes` are already masked.
    "audit.AuditEvent.id": N,
    "audit.AuditEvent.organization": N,
    "audit.AuditEvent.actor": P,
    "audit.AuditEvent.actor_label": P,
    "audit.AuditEvent.action": N,
    "audit.AuditEvent.object_type": N,
    "audit.AuditEvent.object_id": P,  # may point at a person
    "audit.AuditEvent.object_label": N,  # only filled for objects without personal data
    "audit.AuditEvent.changes": P,
    "audit.AuditEvent.request_id": N,
    "audit.AuditEvent.created_at": N,
    # audit.SignInEvent: a person's logins, failed or refused logins, logouts (ASVS 16.3.1).
    "audit.SignInEvent.id": N,
    "audit.SignInEvent.person": P,
    "audit.SignInEvent.email_hash": P,  # keyed hash of an address without an account
    "audit.SignInEvent.kind": P,  # says what the person did, and when
    "audit.SignInEvent.method": P,  # says which second factors the person has
    "audit.SignInEvent.request_id": N,
    "audit.SignInEvent.created_at": N,
}

# Every model with at least one field that is not "none".
MODELS: dict[str, Processing] = {
    "organizations.Organization": Processing(
        purpose="Show people whom to contact at the organization.",
        subjects="The organization's daily leader.",
        legal_basis="Art. 6(1)(f) legitimate interest: people need a contact.",
        audience="Everyone: shown on the organization's public pages.",
        retention=WHILE_ORGANIZATION_ACTIVE,
    ),
    "organizations.Role": Processing(
        purpose="Give coordinators, administrators and starters access to their work.",
        subjects="Employees and volunteers of the organization.",
        legal_basis="Art. 6(1)(b) the employment or volunteer agreement.",
        audience="The person; the organization's coordinators and administrators.",
        retention=UNTIL_ROLE_REMOVED,
    ),
    "people.Person": Processing(
        purpose="The account: log in, be contacted about one's groups, choose a language.",
        subjects="Everyone with an account: applicants, participants, volunteers, staff.",
        legal_basis="Art. 6(1)(b) providing the service the person signed up for.",
        audience=(
            "The person; coordinators and administrators of organizations where the person "
            "holds a role or a group membership; the installation's technical admins."
        ),
        retention=UNTIL_ACCOUNT_ERASED,
    ),
    "groups.GroupMembership": Processing(
        purpose="Know who belongs to which group, to form, run and contact the group.",
        subjects="Participants and starters.",
        legal_basis="Art. 9(2)(a) explicit consent, with Art. 6(1)(a).",
        audience=(
            "The person; the organization's coordinators and administrators; the other "
            "members once they have signed the group's confidentiality declaration."
        ),
        retention=AFTER_GROUP_ENDS,
    ),
    "groups.ConfidentialityDeclaration": Processing(
        purpose=(
            "Prove that a member promised to keep what is said in the group inside it, "
            "before they see the other members' names."
        ),
        subjects="Participants and starters.",
        legal_basis="Art. 9(2)(a) explicit consent (the membership's), with Art. 6(1)(b).",
        audience="The person; the organization's coordinators and administrators.",
        retention=AFTER_GROUP_ENDS,
    ),
    "privacy.Consent": Processing(
        purpose="Prove what a person agreed to, in which words and when; stop at withdrawal.",
        subjects="Applicants and participants.",
        legal_basis="Art. 7(1) demonstrating consent; Art. 6(1)(c).",
        audience="The person; the organization's coordinators and administrators.",
        retention=Retention(
            "until_account_erased;withdrawn_at+organization.retention_days",
            "While in force, until the person erases their account. A withdrawn consent is "
            "kept as proof for organization.retention_days, then deleted by the daily "
            "retention run.",
        ),
    ),
    "intake.Application": Processing(
        purpose="Place the person in a fitting group: topic, age, place and times.",
        subjects="Applicants.",
        legal_basis="Art. 9(2)(a) explicit consent (privacy.Consent), with Art. 6(1)(a).",
        audience="The person; the organization's coordinators and administrators.",
        retention=Retention(
            "application_closed+organization.retention_days",
            "While the application is open; removed at once when the person withdraws it "
            "or erases the account, and otherwise organization.retention_days after it "
            "was closed (placed, referred or declined).",
        ),
    ),
    "placement.StarterCapacity": Processing(
        purpose="Propose groups only with a starter who can help with the topic, time and place.",
        subjects="Volunteer starters.",
        legal_basis=(
            "Art. 6(1)(b) the volunteer agreement. The topics may reveal the starter's own "
            "experience, so Art. 9(2)(a) explicit consent applies to them (not yet recorded "
            "in Kreds: open)."
        ),
        audience="The starter; the organization's coordinators and administrators.",
        retention=UNTIL_ROLE_REMOVED,
    ),
    "placement.MatchingRun": Processing(
        purpose="Propose groups from the waiting list for a coordinator to check and accept.",
        subjects="Applicants on the waiting list and starters (as ids); the coordinator.",
        legal_basis="Art. 9(2)(a) explicit consent of the applicants (privacy.Consent).",
        audience="The organization's coordinators and administrators.",
        retention=Retention(
            "matching_run.created_at+90_days",
            "A proposal is working material: it is deleted 90 days after the run by the daily "
            "retention run (manage.py apply_retention). It holds ids only, no names or free text.",
        ),
    ),
    "placement.Offer": Processing(
        purpose="Offer an applicant a place in a forming group and record their answer.",
        subjects="Applicants.",
        legal_basis="Art. 9(2)(a) explicit consent (privacy.Consent), with Art. 6(1)(a).",
        audience="The person; the organization's coordinators and administrators.",
        retention=Retention(
            "application_closed+organization.retention_days",
            "As the application it belongs to: deleted with it.",
        ),
    ),
    "audit.AuditEvent": Processing(
        purpose="Account for who changed what and who read special-category data.",
        subjects="Everyone who acts in Kreds or whose data is read.",
        legal_basis=(
            "Art. 6(1)(c) and (f): accountability and security of processing (Art. 5(2), Art. 32)."
        ),
        audience="The organization's administrators (masked values only).",
        retention=ORGANIZATION_RECORD,
    ),
    "audit.SignInEvent": Processing(
        purpose=(
            "Security of the accounts: show a person where and when their account was used, "
            "and let technical admins find attacks (failed logins, guessed addresses)."
        ),
        subjects=("Everyone who logs in, or whose address is typed at the login or reset page."),
        legal_basis="Art. 6(1)(f) legitimate interest and Art. 32 security of processing.",
        audience="The person (their own rows); the installation's technical admins.",
        retention=Retention(
            "sign_in_event.created_at+90_days",
            "90 days, then deleted by the daily retention run (manage.py apply_retention); "
            "all of a person's rows when the account is erased. A failed or refused login, or "
            "a reset, for an address without an account keeps a keyed hash of the address, "
            "never the address.",
        ),
    ),
}

# Tables of libraries that hold personal data: not classified field by field, but part of
# the record all the same.
LIBRARY_TABLES: dict[str, str] = {
    "account.EmailAddress (django-allauth)": (
        "A person's email addresses and whether they are verified. Until the account is erased."
    ),
    "mfa.Authenticator (django-allauth)": (
        "Two-step login: authenticator-app secrets and recovery-code seeds (encrypted with "
        "the field keys) and passkeys' public keys. Until removed or the account is erased."
    ),
    "usersessions.UserSession (django-allauth)": (
        "Each login session's start, last use (updated at most every 5 minutes), internet "
        "address and browser name, shown only to the person so they can end sessions they do "
        "not recognise. Rows of ended sessions are removed daily "
        "(kreds.core.auth.purge_ended_user_sessions) and all of them with the account."
    ),
    "sessions.Session (Django)": (
        "Login sessions: at most 12 hours, 30 idle minutes for staff. Expired rows are "
        "removed by the daily `manage.py apply_retention`; all of a person's sessions "
        "end when the account is erased."
    ),
    "admin.LogEntry (Django)": (
        "Changes made in the technical admin, with the object's name. Entries by or about a "
        "person are deleted when the account is erased; otherwise no retention rule yet (open)."
    ),
    "django_tasks_db.DBTaskResult (django-tasks)": (
        "Background jobs and their arguments (ids, never free text). Results are deleted "
        "30 days after the job finished (`manage.py apply_retention`)."
    ),
}


# --- Reading the registry ------------------------------------------------------------------


def field_key(model: type[models.Model], field_name: str) -> str:
    return f"{model._meta.app_label}.{model._meta.object_name}.{field_name}"


def model_key(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.object_name}"


def data_class(model: type[models.Model], field_name: str) -> DataClass | None:
    return FIELDS.get(field_key(model, field_name))


def masks(model: type[models.Model], field_name: str) -> bool:
    """True unless the field is known to say nothing about a person."""
    return data_class(model, field_name) != DataClass.NONE


def holds_personal_data(model: type[models.Model]) -> bool:
    return model_key(model) in MODELS


def project_models() -> list[type[models.Model]]:
    """The models of Kreds' own apps (kreds.*), in a stable order."""
    found = [
        model
        for model in apps.get_models()
        if model._meta.app_config.name.startswith("kreds.") and not model._meta.proxy
    ]
    return sorted(found, key=model_key)


def classified_field_names(model: type[models.Model]) -> list[str]:
    meta = model._meta
    return [field.name for field in (*meta.concrete_fields, *meta.many_to_many)]


def unclassified_fields() -> list[str]:
    return [
        field_key(model, name)
        for model in project_models()
        for name in classified_field_names(model)
        if field_key(model, name) not in FIELDS
    ]


def models_without_retention() -> list[str]:
    """Models with a field that is not "none" but no entry in MODELS."""
    personal = {key.rsplit(".", 1)[0] for key, value in FIELDS.items() if value != DataClass.NONE}
    return sorted(key for key in personal if key not in MODELS)


def stale_entries() -> list[str]:
    """Registry entries naming a field that no installed model has."""
    installed = {app.label for app in apps.get_app_configs()}
    present = {
        field_key(model, name)
        for model in project_models()
        for name in classified_field_names(model)
    }
    return sorted(key for key in FIELDS if key.split(".", 1)[0] in installed and key not in present)
