"""Giving and withdrawing consent.

Apps whose processing rests on a consent register what must stop when it is withdrawn:

    from kreds.privacy.services import on_withdrawal

    @on_withdrawal(Purpose.TOPIC)
    def _remove_applications(consent, *, by):
        ...

(registered from the app's `AppConfig.ready()`). `withdraw_consent` runs every handler
in the same transaction, so the processing stops at once.
"""

from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from kreds.privacy.models import Consent
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
    for handler in _handlers.get(consent.purpose, []):
        handler(consent, by=by)
    return consent
