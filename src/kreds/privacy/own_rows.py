"""Exporters and erasers for Kreds' own models holding a person's data.

Each model has `export_*` (the person's rows as plain dicts), `erase_*` (delete them,
returning how many) and, where staff may read the rows, `owned_*` (the person's rows, so
reads of them in the audit log can be shown to the person). privacy/registry.py wires
them into `SECTIONS`.

Allow-listed scopes_disabled(): every query filters on the person itself.
"""

from allauth.account.models import EmailAddress
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from kreds.audit.models import SignInEvent
from kreds.audit.sign_in_events import sign_in_email_hash
from kreds.groups.models import (
    ConfidentialityDeclaration,
    Group,
    GroupMembership,
    GroupStatus,
    MembershipRole,
)
from kreds.intake.models import Application
from kreds.meetings.slots import slot_label
from kreds.organizations.models import Role
from kreds.people.models import Person
from kreds.placement.models import MatchingRun, Offer, OfferStatus, StarterCapacity
from kreds.privacy.models import Consent
from kreds.privacy.rows import Row, delete_rows, text
from kreds.privacy.texts import text_for

# --- people.Person -------------------------------------------------------------------------


def export_account(person: Person) -> list[Row]:
    return [
        {
            "email": person.email,
            "display_name": person.display_name,
            "birth_year": person.birth_year,
            "gender": text(person.get_gender_display()) if person.gender else "",
            "municipality": person.municipality,
            "phone": person.phone,
            "language": text(person.get_preferred_language_display()),
            "date_joined": person.date_joined,
            "last_login": person.last_login,
        }
    ]


def erase_account(person: Person) -> int:
    return delete_rows(Person.objects.filter(pk=person.pk), "people.Person")


# --- Roles, group memberships, applications, consents --------------------------------------


def export_roles(person: Person) -> list[Row]:
    with scopes_disabled():  # allow-listed: rows filtered on the person
        roles = Role.objects.filter(person=person).select_related("organization")
        return [
            {
                "organization": role.organization.name,
                "role": text(role.get_kind_display()),
                "since": role.created_at,
            }
            for role in roles.order_by("organization__name", "kind")
        ]


def owned_roles(person: Person):
    with scopes_disabled():  # allow-listed: rows filtered on the person
        return Role.objects.filter(person=person)


def erase_roles(person: Person) -> int:
    return delete_rows(Role.objects.filter(person=person), "organizations.Role")


def export_memberships(person: Person) -> list[Row]:
    """The person's own memberships: the group, never the other members."""
    with scopes_disabled():  # allow-listed: rows filtered on the person
        memberships = GroupMembership.objects.filter(person=person).select_related(
            "group__organization", "group__topic"
        )
        return [
            {
                "organization": membership.group.organization.name,
                "group": membership.group.name,
                "topic": membership.group.topic_label,
                "role": text(membership.get_role_display()),
                "joined_on": membership.joined_on,
                "left_on": membership.left_on,
            }
            for membership in memberships.order_by("joined_on", "id")
        ]


def export_declarations(person: Person) -> list[Row]:
    with scopes_disabled():  # allow-listed: rows filtered on the person
        declarations = ConfidentialityDeclaration.objects.filter(
            membership__person=person
        ).select_related("membership__group")
        return [
            {
                "group": declaration.membership.group.name,
                "text_version": declaration.text_version,
                "signed_at": declaration.signed_at,
            }
            for declaration in declarations.order_by("signed_at", "id")
        ]


def erase_declarations(person: Person) -> int:
    return delete_rows(
        ConfidentialityDeclaration.objects.filter(membership__person=person),
        "groups.ConfidentialityDeclaration",
    )


def owned_memberships(person: Person):
    with scopes_disabled():  # allow-listed: rows filtered on the person
        return GroupMembership.objects.filter(person=person)


def erase_memberships(person: Person) -> int:
    """A place the person held in a group still forming goes to the next person in line."""
    from kreds.placement.offers import offer_next_in_line  # placement imports privacy

    with scopes_disabled():  # allow-listed: rows filtered on the person
        places = GroupMembership.objects.filter(
            person=person, role=MembershipRole.PARTICIPANT, left_on__isnull=True
        )
        forming = list(
            Group.objects.select_for_update()
            .filter(
                pk__in=places.values("group_id"),
                status__in=[GroupStatus.FORMING, GroupStatus.STARTING],
            )
            .order_by("pk")
        )
        count = delete_rows(GroupMembership.objects.filter(person=person), "groups.GroupMembership")
        for group in forming:
            offer_next_in_line(group=group, by=None)
    return count


def export_applications(person: Person) -> list[Row]:
    """The person's applications, with their own note decrypted for their own eyes."""
    with scopes_disabled():  # allow-listed: rows filtered on the person
        applications = Application.objects.filter(person=person).select_related(
            "organization", "topic", "municipality"
        )
        return [
            {
                "organization": application.organization.name,
                "topic": text(application.topic.name) if application.topic else _("mixed group"),
                "birth_year": application.birth_year,
                "municipality": application.municipality.name,
                "availability": [str(slot_label(slot)) for slot in application.availability],
                "gender": text(application.get_gender_display()) if application.gender else "",
                "people_to_keep_apart_from": len(application.keep_apart_hashes),
                "note": application.note,
                "is_member": application.is_member,
                "status": text(application.get_status_display()),
                "intake_talk_on": application.intake_talk_on,
                "intake_outcome": (
                    text(application.get_intake_outcome_display())
                    if application.intake_outcome
                    else ""
                ),
                "waiting_since": application.waiting_since,
                "created_at": application.created_at,
            }
            for application in applications.order_by("created_at", "id")
        ]


def owned_applications(person: Person):
    with scopes_disabled():  # allow-listed: rows filtered on the person
        return Application.objects.filter(person=person)


def erase_applications(person: Person) -> int:
    return delete_rows(Application.objects.filter(person=person), "intake.Application")


def export_starter_capacity(person: Person) -> list[Row]:
    with scopes_disabled():  # allow-listed: rows filtered on the person
        capacities = (
            StarterCapacity.objects.filter(person=person)
            .select_related("organization", "municipality")
            .prefetch_related("topics")
        )
        return [
            {
                "organization": capacity.organization.name,
                "topics": [text(topic.name) for topic in capacity.topics.all()],
                "municipality": capacity.municipality.name if capacity.municipality else "",
                "availability": [str(slot_label(slot)) for slot in capacity.slots],
                "max_groups": capacity.max_groups,
            }
            for capacity in capacities.order_by("organization__name")
        ]


def owned_starter_capacity(person: Person):
    with scopes_disabled():  # allow-listed: rows filtered on the person
        return StarterCapacity.objects.filter(person=person)


def erase_starter_capacity(person: Person) -> int:
    return delete_rows(StarterCapacity.objects.filter(person=person), "placement.StarterCapacity")


def export_offers(person: Person) -> list[Row]:
    with scopes_disabled():  # allow-listed: rows filtered on the person
        offers = Offer.objects.filter(application__person=person).select_related(
            "organization", "group"
        )
        return [
            {
                "organization": offer.organization.name,
                "group": offer.group.name,
                "status": text(offer.get_status_display()),
                "expires_at": offer.expires_at,
                "responded_at": offer.responded_at,
            }
            for offer in offers.order_by("created_at", "id")
        ]


def owned_offers(person: Person):
    with scopes_disabled():  # allow-listed: rows filtered on the person
        return Offer.objects.filter(application__person=person)


def erase_offers(person: Person) -> int:
    """Each open offer's place goes to the next person in line first, as when declined."""
    from kreds.placement.offers import free_offered_place  # placement imports privacy

    with scopes_disabled():  # allow-listed: rows filtered on the person
        offered = Application.objects.filter(
            person=person, offers__status=OfferStatus.OFFERED
        ).distinct()
        for application in offered:
            free_offered_place(application=application, by=None)
    return delete_rows(Offer.objects.filter(application__person=person), "placement.Offer")


def unlink_matching_runs(person: Person) -> int:
    with scopes_disabled():  # allow-listed: rows filtered on the person
        return MatchingRun.objects.filter(started_by=person).update(started_by=None)


def person_consents(person: Person):
    """The person's consents in every organization, newest first."""
    with scopes_disabled():  # allow-listed: rows filtered on the person
        return list(
            Consent.objects.filter(person=person)
            .select_related("organization")
            .order_by("-given_at", "-id")
        )


def export_consents(person: Person) -> list[Row]:
    rows = []
    for consent in person_consents(person):
        words = text_for(consent.purpose, consent.text_version)
        rows.append(
            {
                "organization": consent.organization.name,
                "purpose": text(consent.get_purpose_display()),
                "text_version": consent.text_version,
                "text": text(words.text) if words else "",
                "language": text(consent.get_language_display()),
                "given_at": consent.given_at,
                "withdrawn_at": consent.withdrawn_at,
            }
        )
    return rows


def owned_consents(person: Person):
    with scopes_disabled():  # allow-listed: rows filtered on the person
        return Consent.objects.filter(person=person)


def erase_consents(person: Person) -> int:
    return delete_rows(Consent.objects.filter(person=person), "privacy.Consent")


def export_sign_in_events(person: Person) -> list[Row]:
    return [
        {
            "when": event.created_at,
            "what": text(event.get_kind_display()),
            "method": event.method_label,
        }
        for event in SignInEvent.objects.filter(person=person).order_by("-created_at", "-id")
    ]


def erase_sign_in_events(person: Person) -> int:
    """The person's sign-in events, and failed logins with one of their addresses typed
    before the address had an account (kept as a keyed hash)."""
    addresses = {
        person.email,
        *EmailAddress.objects.filter(user=person).values_list("email", flat=True),
    }
    hashes = [sign_in_email_hash(address) for address in addresses if address]
    return delete_rows(
        SignInEvent.objects.filter(person=person)
        | SignInEvent.objects.filter(person__isnull=True, email_hash__in=hashes),
        "audit.SignInEvent",
    )
