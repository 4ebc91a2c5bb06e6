"""Giving and withdrawing consent; erasing a person's account.

Apps whose processing rests on a consent register what must stop when it is withdrawn:

    from kreds.privacy.services import on_withdrawal

    @on_withdrawal(Purpose.TOPIC)
    def _remove_applications(consent, *, by):
        ...

(registered from the app's `AppConfig.ready()`). `withdraw_consent` runs every handler
in the same transaction, so the processing stops at once.

`erase_person` removes a person from every model in the registry (privacy/registry.py).
"""

from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from kreds.audit.services import record_change
from kreds.groups.models import GroupMembership
from kreds.intake.models import Application
from kreds.organizations.models import Organization, Role
from kreds.privacy.models import Consent
from kreds.privacy.registry import SECTIONS
from kreds.privacy.texts import CURRENT

WithdrawalHandler = Callable[..., None]
_handlers: dict[str, list[WithdrawalHandler]] = {}


def on_withdrawal(purpose: str) -> Callable[[WithdrawalHandler], WithdrawalHandler]:
    def register(handler: WithdrawalHandler) -> WithdrawalHandler:
        if handler not in _handlers.setdefault(purpose, []):
            _handlers[purpose].append(handler)
        return handler

    return register


def give_consent(*, person, organization, purpose: str, language: str) -> Consent:
    """Record that `person` agreed to the current text for `purpose`, in `language`."""
    text = CURRENT[purpose]
    return Consent.objects.create(
        person=person,
        organization=organization,
        purpose=purpose,
        text_version=text.version,
        language=language,
    )


@transaction.atomic
def withdraw_consent(*, consent: Consent, by, at: datetime | None = None) -> Consent:
    """Withdraw the consent and stop everything that rested on it, in one transaction."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_at is not None:
        return consent
    consent.withdrawn_at = at or timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    record_change(
        organization=consent.organization,
        actor=by,
        action="consent.withdrawn",
        obj=consent,
        changes={"withdrawn_at": (None, consent.withdrawn_at)},
    )
    for handler in _handlers.get(consent.purpose, []):
        handler(consent, by=by)
    return consent


@transaction.atomic
def erase_person(*, person, by) -> dict[str, int]:
    """Erase `person`'s account: every section of the registry, in its order.

    Rows are deleted, except the audit log, which keeps its events with the person's name
    and link replaced by a pseudonym. The person's own row is deleted last; the email
    address is free to sign up again. Returns the number of rows touched per section.
    Side effects: one "person.erased" audit event per organization the person had rows
    in and one without an organization (recorded before the pseudonym replaces the
    name, so they are pseudonymised too when the person erases themselves); deletes of
    every personal row; the person's sessions end.
    """
    for organization in [None, *_organizations_of(person)]:
        record_change(
            organization=organization,
            actor=by,
            action="person.erased",
            obj=person,
            changes={"id": (person.pk, None)},
        )
    return {section.key: section.erase(person) for section in SECTIONS}


def _organizations_of(person) -> list[Organization]:
    """Organizations where the person has any row. Allow-listed scopes_disabled(): own rows."""
    with scopes_disabled():
        ids = set()
        for model in (Role, Consent, Application):
            ids |= set(model.objects.filter(person=person).values_list("organization", flat=True))
        ids |= set(
            GroupMembership.objects.filter(person=person).values_list(
                "group__organization", flat=True
            )
        )
        return list(Organization.objects.filter(pk__in=ids).order_by("pk"))
