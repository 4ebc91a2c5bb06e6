"""Two-step login (allauth.mfa): encrypted secrets, and whether a session used a second factor.

Coordinators and admins must have a second factor (an authenticator app or a passkey) and
must have used it in the current session before they see a staff page; see
`kreds.core.auth.StaffMfaMiddleware`. Everyone else may turn it on.

"Used in this session" reads the log allauth keeps in the session
(`account_authentication_methods`): a login with a code or a passkey, a re-authentication
with one, or setting one up (which proves possession too, see `on_authenticator_added`)
each leave a record with method "mfa".
"""

from allauth.account.authentication import (
    AUTHENTICATION_METHODS_SESSION_KEY,
    get_authentication_records,
)
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa import signals
from allauth.mfa.adapter import DefaultMFAAdapter, get_adapter
from allauth.mfa.models import Authenticator
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import reverse

from kreds.core import crypto

SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
# Where a staff person was going when they were asked to set up two-step login.
NEXT_SESSION_KEY = "kreds_mfa_next"
# Associated data of every MFA secret: a ciphertext copied elsewhere does not decrypt.
SECRET_AAD = b"allauth.mfa.Authenticator.data"
CIPHERTEXT_PREFIX = crypto.VERSION + ":"


class MFAAdapter(DefaultMFAAdapter):
    """allauth's MFA adapter, with secrets encrypted by the field keys (AES-256-GCM)."""

    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text.encode("utf-8"), aad=SECRET_AAD)

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith(CIPHERTEXT_PREFIX):
            # Written before encryption was turned on; re-encrypted by rotate_mfa_secrets().
            return encrypted_text
        return crypto.decrypt(encrypted_text, aad=SECRET_AAD).decode("utf-8")


def has_second_factor(user) -> bool:
    """Whether the person has an authenticator app or a passkey (recovery codes alone: no)."""
    return get_adapter().is_mfa_enabled(user, types=list(SECOND_FACTORS))


def used_second_factor(request: HttpRequest) -> bool:
    """Whether this session was authenticated with a second factor."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def reauthentication_url(request: HttpRequest) -> str:
    """allauth's page that asks for a code or a passkey (not the password)."""
    from allauth.account.adapter import get_adapter as get_account_adapter

    for method in get_account_adapter().get_reauthentication_methods(request.user):
        if method["id"].startswith("mfa_reauthenticate"):
            return method["url"]
    return reverse("security:overview")


def rotate_mfa_secrets() -> int:
    """Re-encrypt every stored MFA secret under the newest field key. Returns how many.

    Plain secrets stored before encryption was turned on are encrypted too.
    """
    count = 0
    for authenticator in Authenticator.objects.exclude(type=Authenticator.Type.WEBAUTHN):
        data = dict(authenticator.data)
        changed = False
        for name in ("secret", "seed"):
            if isinstance(data.get(name), str) and not _is_current(data[name]):
                data[name] = _reencrypt(data[name])
                changed = True
        if isinstance(data.get("migrated_codes"), list):
            codes = [_reencrypt(code) for code in data["migrated_codes"]]
            changed |= codes != data["migrated_codes"]
            data["migrated_codes"] = codes
        if changed:
            authenticator.data = data
            authenticator.save(update_fields=["data"])
            count += 1
    return count


def _is_current(value: str) -> bool:
    return value.startswith(CIPHERTEXT_PREFIX) and crypto.is_current(value)


def _reencrypt(value: str) -> str:
    if _is_current(value):
        return value
    adapter = MFAAdapter()
    return adapter.encrypt(adapter.decrypt(value))


@receiver(signals.authenticator_added)
def on_authenticator_added(sender, request, user, authenticator, **kwargs) -> None:
    """Setting up an app or a passkey proves possession: the session counts as two-step."""
    if authenticator.type in SECOND_FACTORS and request is not None:
        record_authentication(
            request, user, "mfa", id=authenticator.pk, type=authenticator.type, setup=True
        )


@receiver(signals.authenticator_removed)
def on_authenticator_removed(sender, request, user, authenticator, **kwargs) -> None:
    """With no second factor left, the session no longer counts as two-step."""
    if request is None or has_second_factor(user):
        return
    records = get_authentication_records(request, user)
    kept = [record for record in records if record.get("method") != "mfa"]
    if kept != records:
        request.session[AUTHENTICATION_METHODS_SESSION_KEY] = kept
