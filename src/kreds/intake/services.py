"""Writes for applications: submitting, editing, withdrawing, and the intake talk.

Every function checks its rules again (the forms check them first), writes inside one
transaction and records the change in the audit log, where values are masked.
"""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kreds.audit.services import changes_between, record_change, snapshot
from kreds.intake.keep_apart import email_hash, email_hashes
from kreds.intake.models import OPEN_STATUSES, Application, ApplicationStatus, IntakeOutcome
from kreds.meetings.slots import clean_slots
from kreds.organizations.models import Municipality, Organization, Topic
from kreds.people.models import Gender
from kreds.placement.offers import free_offered_place
from kreds.privacy.models import Consent, Purpose
from kreds.privacy.services import give_consent, on_withdrawal, withdraw_consent

NOTE_MAX_LENGTH = 500
# Whoever is still before the intake talk may have one planned or its outcome recorded.
BEFORE_TALK = (ApplicationStatus.RECEIVED, ApplicationStatus.TALK_PLANNED)
OUTCOME_STATUS = {
    IntakeOutcome.FITS: ApplicationStatus.WAITING,
    IntakeOutcome.REFERRED: ApplicationStatus.REFERRED,
    IntakeOutcome.DECLINED: ApplicationStatus.DECLINED,
}


# Checks shared with the forms


def age_this_year(birth_year: int, *, today: dt.date | None = None) -> int:
    """The age a person born in `birth_year` reaches this year."""
    return (today or timezone.localdate()).year - birth_year


def is_old_enough(organization: Organization, birth_year: int) -> bool:
    minimum = organization.minimum_age
    return minimum is None or age_this_year(birth_year) >= minimum


def too_young_message(organization: Organization) -> str:
    """Why the application cannot be taken, and where to turn instead."""
    contact = organization.contact_email
    if organization.contact_phone:
        contact = _("%(email)s or %(phone)s") % {
            "email": organization.contact_email,
            "phone": organization.contact_phone,
        }
    return _(
        "The groups at %(organization)s are for people aged %(age)s and over, so we "
        "cannot take your application here. You are welcome to contact us at "
        "%(contact)s: we will gladly help you find somewhere that suits you."
    ) % {"organization": organization.name, "age": organization.minimum_age, "contact": contact}


def has_open_application(*, organization: Organization, person, topic: Topic | None) -> bool:
    """Whether the person already waits for this topic (or a mixed group) here."""
    return Application.objects.filter(
        organization=organization, person=person, topic=topic, status__in=OPEN_STATUSES
    ).exists()


ALREADY_APPLIED = gettext_lazy(
    "You have already applied for a group about this. You can follow it on your page."
)


def _check_choices(*, organization: Organization, topic: Topic | None, municipality) -> None:
    """A topic and a municipality chosen in a form must be this organization's, in use."""
    errors = {}
    if topic is None and not organization.offers_mixed_groups:
        errors["topic"] = _("Please choose a topic.")
    if topic is not None and (topic.organization_id != organization.pk or not topic.is_active):
        errors["topic"] = _("Please choose one of the topics offered.")
    if (
        not isinstance(municipality, Municipality)
        or municipality.organization_id != organization.pk
        or not municipality.is_active
    ):
        errors["municipality"] = _("Please choose one of the municipalities offered.")
    if errors:
        raise ValidationError(errors)


def _check_person_fields(data: Mapping[str, Any]) -> None:
    """Birth year, gender and note as the form promises them."""
    errors = {}
    birth_year = data.get("birth_year")
    if not isinstance(birth_year, int) or not 1900 <= birth_year <= timezone.localdate().year:
        errors["birth_year"] = _("Please give the year you were born, for example 1975.")
    if (data.get("gender") or "") not in ("", *Gender.values):
        errors["gender"] = _("Please choose one of the options.")
    if len(data.get("note") or "") > NOTE_MAX_LENGTH:
        errors["note"] = _("Please keep the note to at most 500 characters.")
    if errors:
        raise ValidationError(errors)


# The applicant's own actions


@transaction.atomic
def submit_application(
    *, organization: Organization, person, data: Mapping[str, Any], language: str
) -> Application:
    """Record the person's consent and their application, together or not at all.

    `data`: topic (Topic or None for a mixed group), birth_year, municipality,
    availability (slot ids), gender, keep_apart (email addresses), note, is_member and
    consent (must be True). Side effects: one Consent row, one Application row, one
    audit event.
    """
    if data.get("consent") is not True:
        raise ValidationError(_("Without your consent we cannot keep your application."))
    topic, municipality = data.get("topic"), data.get("municipality")
    _check_choices(organization=organization, topic=topic, municipality=municipality)
    _check_person_fields(data)
    if not is_old_enough(organization, data["birth_year"]):
        raise ValidationError({"birth_year": too_young_message(organization)})
    if has_open_application(organization=organization, person=person, topic=topic):
        raise ValidationError({"topic": ALREADY_APPLIED})
    consent = give_consent(
        person=person, organization=organization, purpose=Purpose.TOPIC, language=language
    )
    application = Application.objects.create(
        organization=organization,
        person=person,
        topic=topic,
        birth_year=data["birth_year"],
        municipality=municipality,
        availability=clean_slots(data.get("availability")),
        gender=data.get("gender") or "",
        keep_apart_hashes=email_hashes(data.get("keep_apart") or []),
        email_hash=email_hash(person.email),
        note=(data.get("note") or "").strip(),
        is_member=data.get("is_member") if organization.membership_required else None,
        consent=consent,
    )
    record_change(
        organization=organization,
        actor=person,
        action="application.submitted",
        obj=application,
        changes={name: (None, value) for name, value in snapshot(application).items()},
    )
    return application


@transaction.atomic
def update_application(*, application: Application, data: Mapping[str, Any], by) -> Application:
    """The applicant changes when they can meet and where they live. One audit event."""
    organization = application.organization
    municipality = data.get("municipality", application.municipality)
    _check_choices(organization=organization, topic=application.topic, municipality=municipality)
    before = snapshot(application)
    application.municipality = municipality
    if "availability" in data:
        application.availability = clean_slots(data["availability"])
    application.save(update_fields=["municipality", "availability", "updated_at"])
    _record(application, by, "application.updated", before)
    return application


@transaction.atomic
def withdraw_application(*, application: Application, by, base_url: str = "") -> None:
    """Delete this one application; the person's other applications stay.

    The consent it rests on is withdrawn too, unless another application of theirs rests
    on the same consent. An open offer of a place is closed first and the place goes to
    the next person in line (`base_url` for the link in that person's email). Locks: the
    consent, then the group, the offer and the application. Side effects: the
    application's DELETE (with its offers), audit events, and the consent's withdrawal.
    """
    consent = Consent.objects.select_for_update().get(pk=application.consent_id)
    _remove(application, by=by, base_url=base_url)
    rest = Application.objects.filter(organization_id=consent.organization_id, consent=consent)
    if not rest.exists():
        withdraw_consent(consent=consent, by=by)


@on_withdrawal(Purpose.TOPIC)
def remove_applications(consent: Consent, *, by) -> None:
    """Delete the applications that rest on the withdrawn consent, and only those.

    Each open offer of a place among them goes to the next person in line first.
    Side effects: one audit event per deleted application, DELETE of the rows.
    """
    applications = Application.objects.filter(
        organization_id=consent.organization_id, consent=consent
    ).order_by("pk")
    for application in applications:
        _remove(application, by=by)


def _remove(application: Application, *, by, base_url: str = "") -> None:
    """Free the application's offered place, then delete it with one audit event."""
    locked = free_offered_place(application=application, by=by, base_url=base_url)
    if locked is None:
        return
    record_change(
        organization=locked.organization,
        actor=by,
        action="application.withdrawn",
        obj=locked,
        changes={name: (value, None) for name, value in snapshot(locked).items()},
    )
    locked.delete()


# The coordinator's intake talk


@transaction.atomic
def plan_intake_talk(*, application: Application, on: dt.date, by) -> Application:
    """Set the date of the intake talk; the application shows "intake talk planned"."""
    application = _locked(application)
    if application.status not in BEFORE_TALK:
        raise ValidationError(_("The intake talk for this application is already done."))
    before = snapshot(application)
    application.intake_talk_on = on
    application.status = ApplicationStatus.TALK_PLANNED
    application.save(update_fields=["intake_talk_on", "status", "updated_at"])
    _record(application, by, "application.talk_planned", before)
    return application


@transaction.atomic
def record_intake_outcome(
    *, application: Application, outcome: str, by, now: dt.datetime | None = None
) -> Application:
    """Record how the intake talk ended: fits (onto the waiting list), referred or declined.

    A talk with no planned date is dated today. Side effects: the application's status,
    outcome and, for "fits", `waiting_since`; one audit event.
    """
    application = _locked(application)
    if outcome not in OUTCOME_STATUS:
        raise ValidationError({"outcome": _("Please choose how the talk ended.")})
    if application.status not in BEFORE_TALK:
        raise ValidationError(_("The intake talk for this application is already done."))
    now = now or timezone.now()
    before = snapshot(application)
    application.intake_outcome = outcome
    application.status = OUTCOME_STATUS[outcome]
    application.intake_talk_on = application.intake_talk_on or timezone.localdate(now)
    if outcome == IntakeOutcome.FITS:
        application.waiting_since = now
    application.save(
        update_fields=["intake_outcome", "status", "intake_talk_on", "waiting_since", "updated_at"]
    )
    _record(application, by, "application.talk_recorded", before)
    return application


def _locked(application: Application) -> Application:
    """The application read afresh under a row lock, so two coordinators never race."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("organization", "topic", "municipality")
        .get(pk=application.pk, organization_id=application.organization_id)
    )


def _record(application: Application, by, action: str, before: dict) -> None:
    record_change(
        organization=application.organization,
        actor=by,
        action=action,
        obj=application,
        changes=changes_between(before, snapshot(application)),
    )
