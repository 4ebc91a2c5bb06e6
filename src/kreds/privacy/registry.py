"""Everything Kreds holds about a person, model by model: how to show it and how to erase it.

Each `Section` names one model holding personal data, with
- `export(person)`: the person's rows as plain dicts (the "My data" page and download);
- `erase(person)`: removes the person from that model and returns how many rows it touched;
- `erasure`: what erasing means for the model (deleted, unlinked, kept with a pseudonym,
  or not linked to accounts at all), shown on the "Erase my account" page;
- `owned(person)`: the person's rows, so reads of them in the audit log can be shown to
  the person.

A new model with personal data gets its `export_*`/`erase_*` pair in privacy/own_rows.py
(library tables: privacy/library_rows.py) and its section here. `erase_person`
(privacy/services.py) runs the erasers in the order of `SECTIONS`: rows that others
protect go first, the person's own row last. tests/privacy/test_registry.py fails when
a model in `kreds.core.data_classes.MODELS`, or any model with a link to a person, has no
section.

All reads are the person's own rows across their organizations. Allow-listed
scopes_disabled(): every query filters on the person (or their rows) itself.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from django.apps import apps
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from kreds.audit.models import READ_SPECIAL, AuditEvent
from kreds.people.models import Person
from kreds.privacy import library_rows as lib
from kreds.privacy import own_rows as own
from kreds.privacy.rows import Row, text


class Erasure(StrEnum):
    """What erasing an account does to a model's rows."""

    DELETE = "delete"
    # Kept, because the row is the organization's own work, with the link to the person
    # removed (who started a group proposal).
    UNLINK = "unlink"
    # Kept, because the organization must keep them (its audit log, and later its
    # bookkeeping), with the person's name and link replaced by a pseudonym.
    KEEP_PSEUDONYMISED = "keep_pseudonymised"
    # Personal data of people who need no account (an organization's contact person):
    # nothing to erase for an account holder; the organization's admins change it.
    NOT_LINKED = "not_linked"


@dataclass(frozen=True)
class Section:
    key: str
    model: str  # "app_label.ModelName", as in kreds.core.data_classes
    title: Promise
    erasure: Erasure
    on_erasure: Promise
    erase: Callable[[Person], int]
    export: Callable[[Person], list[Row]] | None = None
    columns: tuple[tuple[str, Promise], ...] = field(default=())
    owned: Callable[[Person], QuerySet] | None = None


# --- Who has read the person's special-category data ---------------------------------------


def special_reads(person: Person) -> list[AuditEvent]:
    """Audit events recording that someone was shown special-category data of the person.

    A read is the person's when its object is one of their rows now (their account, roles,
    memberships, applications, offers, consents). Reads of rows already deleted, and
    reads of objects about many people at once (a group's offers, a group proposal),
    cannot be attributed: the log stores the object's type and id, not whose it was.
    One query.
    """
    condition = Q()
    with scopes_disabled():
        for section in SECTIONS:
            if section.owned is None:
                continue
            ids = section.owned(person).annotate(id_text=Cast("pk", CharField()))
            label = apps.get_model(section.model)._meta.label_lower
            condition |= Q(object_type=label, object_id__in=ids.values("id_text"))
        return list(
            AuditEvent.objects.filter(condition, action=READ_SPECIAL)
            .select_related("organization")
            .order_by("-created_at", "-id")
        )


def export_reads(person: Person) -> list[Row]:
    return [
        {
            "when": event.created_at,
            "organization": event.organization.name if event.organization else "",
            "who": event.actor_label,
            "what": text(event.object_type_name),
            "fields": [text(name) for name in event.fields_read],
        }
        for event in special_reads(person)
    ]


# --- The registry, in erasure order --------------------------------------------------------

SECTIONS: list[Section] = [
    Section(
        key="account",
        model="people.Person",
        title=_("My account"),
        erasure=Erasure.DELETE,
        on_erasure=_("Your account: name, email, phone, municipality, birth year, language."),
        export=own.export_account,
        erase=own.erase_account,
        owned=lambda person: Person.objects.filter(pk=person.pk),
        columns=(
            ("email", _("Email")),
            ("display_name", _("Name")),
            ("birth_year", _("Birth year")),
            ("gender", _("Gender")),
            ("municipality", _("Municipality")),
            ("phone", _("Phone")),
            ("language", _("Language")),
            ("date_joined", _("Account created")),
            ("last_login", _("Last login")),
        ),
    ),
    # Before the email addresses: the eraser hashes them to find failed logins.
    Section(
        key="sign_in_events",
        model="audit.SignInEvent",
        title=_("My logins"),
        erasure=Erasure.DELETE,
        on_erasure=_("The record of your logins, failed logins and logouts."),
        export=own.export_sign_in_events,
        erase=own.erase_sign_in_events,
        columns=(("when", _("When")), ("what", _("What")), ("method", _("How"))),
    ),
    Section(
        key="email_addresses",
        model="account.EmailAddress",
        title=_("My email addresses"),
        erasure=Erasure.DELETE,
        on_erasure=_("Your email addresses."),
        export=lib.export_email_addresses,
        erase=lib.erase_email_addresses,
        columns=(("email", _("Email")), ("verified", _("Verified")), ("primary", _("Primary"))),
    ),
    Section(
        key="roles",
        model="organizations.Role",
        title=_("My roles"),
        erasure=Erasure.DELETE,
        on_erasure=_("Your roles as coordinator, administrator or starter."),
        export=own.export_roles,
        erase=own.erase_roles,
        owned=own.owned_roles,
        columns=(("organization", _("Organization")), ("role", _("Role")), ("since", _("Since"))),
    ),
    Section(
        key="group_memberships",
        model="groups.GroupMembership",
        title=_("My groups"),
        erasure=Erasure.DELETE,
        on_erasure=_("Which groups you are or were in."),
        export=own.export_memberships,
        erase=own.erase_memberships,
        owned=own.owned_memberships,
        columns=(
            ("organization", _("Organization")),
            ("group", _("Group")),
            ("topic", _("Topic")),
            ("role", _("My role")),
            ("joined_on", _("Joined")),
            ("left_on", _("Left")),
        ),
    ),
    Section(
        key="confidentiality_declarations",
        model="groups.ConfidentialityDeclaration",
        title=_("My confidentiality declarations"),
        erasure=Erasure.DELETE,
        on_erasure=_("The confidentiality declarations you signed."),
        export=own.export_declarations,
        erase=own.erase_declarations,
        columns=(
            ("group", _("Group")),
            ("text_version", _("Text version")),
            ("signed_at", _("Signed")),
        ),
    ),
    Section(
        key="starter_capacity",
        model="placement.StarterCapacity",
        title=_("What I can take on as a starter"),
        erasure=Erasure.DELETE,
        on_erasure=_("What you told the organization you can take on as a starter."),
        export=own.export_starter_capacity,
        erase=own.erase_starter_capacity,
        owned=own.owned_starter_capacity,
        columns=(
            ("organization", _("Organization")),
            ("topics", _("Topics")),
            ("municipality", _("Municipality")),
            ("availability", _("When I can meet")),
            ("max_groups", _("Groups at a time")),
        ),
    ),
    Section(
        key="group_proposals",
        model="placement.MatchingRun",
        title=_("Group proposals I started"),
        erasure=Erasure.UNLINK,
        on_erasure=_("Group proposals you started stay with the organization, without your name."),
        erase=own.unlink_matching_runs,
    ),
    Section(
        key="offers",
        model="placement.Offer",
        title=_("Places offered to me"),
        erasure=Erasure.DELETE,
        on_erasure=_("The places in groups you were offered, and your answers."),
        export=own.export_offers,
        erase=own.erase_offers,
        owned=own.owned_offers,
        columns=(
            ("organization", _("Organization")),
            ("group", _("Group")),
            ("status", _("Status")),
            ("expires_at", _("Answer by")),
            ("responded_at", _("Answered")),
        ),
    ),
    Section(
        key="applications",
        model="intake.Application",
        title=_("My applications"),
        erasure=Erasure.DELETE,
        on_erasure=_("Your applications for a group, with your note to the coordinator."),
        export=own.export_applications,
        erase=own.erase_applications,
        owned=own.owned_applications,
        columns=(
            ("organization", _("Organization")),
            ("topic", _("Topic")),
            ("birth_year", _("Birth year")),
            ("municipality", _("Municipality")),
            ("availability", _("When I can meet")),
            ("gender", _("Gender")),
            ("people_to_keep_apart_from", _("People to keep apart from")),
            ("note", _("My note to the coordinator")),
            ("is_member", _("Member of the organization")),
            ("status", _("Status")),
            ("intake_talk_on", _("Intake talk")),
            ("intake_outcome", _("Outcome of the intake talk")),
            ("waiting_since", _("On the waiting list since")),
            ("created_at", _("Sent")),
        ),
    ),
    Section(
        key="consents",
        model="privacy.Consent",
        title=_("My consents"),
        erasure=Erasure.DELETE,
        on_erasure=_("Your consents and when you gave or withdrew them."),
        export=own.export_consents,
        erase=own.erase_consents,
        owned=own.owned_consents,
        columns=(
            ("organization", _("Organization")),
            ("purpose", _("Purpose")),
            ("text_version", _("Text version")),
            ("text", _("The text I agreed to")),
            ("language", _("Language")),
            ("given_at", _("Given")),
            ("withdrawn_at", _("Withdrawn")),
        ),
    ),
    Section(
        key="two_step_login",
        model="mfa.Authenticator",
        title=_("My two-step login"),
        erasure=Erasure.DELETE,
        on_erasure=_("Your two-step login devices and recovery codes."),
        export=lib.export_authenticators,
        erase=lib.erase_authenticators,
        columns=(
            ("type", _("Kind")),
            ("created_at", _("Added")),
            ("last_used_at", _("Last used")),
        ),
    ),
    Section(
        key="sessions",
        model="sessions.Session",
        title=_("Where I am logged in"),
        erasure=Erasure.DELETE,
        on_erasure=_("Your login sessions: you are logged out everywhere."),
        export=lib.export_sessions,
        erase=lib.erase_sessions,
        columns=(("started_at", _("Logged in")), ("expires_at", _("Ends at the latest"))),
    ),
    Section(
        key="special_reads",
        model="audit.AuditEvent",
        title=_("Who has looked at my information"),
        erasure=Erasure.KEEP_PSEUDONYMISED,
        on_erasure=_(
            "The organization's audit log keeps what was done, but your name in it is "
            "replaced by a code that cannot be traced back to you."
        ),
        export=export_reads,
        erase=lib.erase_audit,
        columns=(
            ("when", _("When")),
            ("organization", _("Organization")),
            ("who", _("Who")),
            ("what", _("What")),
            ("fields", _("Which information")),
        ),
    ),
    # Payment records (planned): Erasure.KEEP_PSEUDONYMISED, kept for the bookkeeping
    # period with the person's link replaced by a pseudonym, exactly as the audit log.
    Section(
        key="admin_log",
        model="admin.LogEntry",
        title=_("Technical admin log"),
        erasure=Erasure.DELETE,
        on_erasure=_("Entries about your account in the technical administrators' log."),
        erase=lib.erase_admin_log,
    ),
    Section(
        key="organization_contacts",
        model="organizations.Organization",
        title=_("Organization contact details"),
        erasure=Erasure.NOT_LINKED,
        on_erasure=_(
            "An organization's contact person and phone are part of the organization's "
            "public page, not of any account; its administrators change them."
        ),
        erase=lib.erase_nothing,
    ),
]


def _usersessions_section() -> Section | None:
    """allauth's user sessions, when the project installs them."""
    if not apps.is_installed("allauth.usersessions"):
        return None
    return Section(
        key="user_sessions",
        model="usersessions.UserSession",
        title=_("My devices"),
        erasure=Erasure.DELETE,
        on_erasure=_("The list of devices you logged in from."),
        export=lib.export_user_sessions,
        erase=lib.erase_user_sessions,
        columns=(
            ("device", _("Browser")),
            ("ip", _("Internet address")),
            ("created_at", _("Logged in")),
            ("last_seen_at", _("Last seen")),
        ),
    )


if (_extra := _usersessions_section()) is not None:
    SECTIONS.insert(SECTIONS.index(next(s for s in SECTIONS if s.key == "sessions")), _extra)

# The person's own row goes last: everything pointing at it is gone by then.
SECTIONS.append(SECTIONS.pop(0))

EXPORTED: list[Section] = sorted(
    (section for section in SECTIONS if section.export is not None),
    key=lambda section: section.key != "account",
)
