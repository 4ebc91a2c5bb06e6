"""Every authentication operation, successful or not, as a `SignInEvent` (ASVS 16.3.1).

Django's and allauth's signals say what happened: a login (with the methods it used), a
failed login, a logout, a second step confirmed or refused, a re-authentication, a
password reset asked for and done, and an attempt refused by a rate limit (from
`AccountAdapter.pre_authenticate` and the 429 page, `kreds.core.views.too_many_requests`).
A reset asked for an address without an account is recorded too
(`kreds.people.password_reset`). The rows hold the person (when the address belongs
to an account), the kind of event, the method, the proxy's request id and the time;
never a password, a code or a typed address. A failed login for an address that has no
account keeps only `sign_in_email_hash` of it, so repeated attempts at one address can be
seen without storing it. Nothing is written to Python's logs.

The person sees their own rows on /me/security/ and in "My data"; technical admins see
all of them read-only in Django's admin. They expire after SIGN_IN_EVENT_DAYS
(kreds.privacy.retention). Connected in AuditConfig.ready().
"""

from allauth.account import signals as account
from allauth.account.authentication import get_authentication_records
from allauth.mfa import signals as mfa
from django.contrib.auth import get_user_model
from django.contrib.auth import signals as auth

from kreds.audit.models import SignInEvent, SignInKind
from kreds.audit.services import request_id_of
from kreds.core.crypto import keyed_email_hash

SIGN_IN_EVENT_DAYS = 90
EMAIL_HASH_SALT = "kreds.audit.sign_in"
# Where a failed login's typed address is among the (already cleansed) credentials.
LOGIN_KEYS = ("email", "username", "login")
# Forms whose refusal by a rate limit (429) is recorded: URL name -> (method, address field).
RATE_LIMITED_FORMS = {
    "account_login": ("password", "login"),
    "account_reset_password": ("email", "email"),
}


def sign_in_email_hash(email: str) -> str:
    """The keyed hash of an address (trimmed, lower-case): HMAC-SHA256 from SECRET_KEY, hex."""
    return keyed_email_hash(email, EMAIL_HASH_SALT)


def record_sign_in(
    *,
    kind: str,
    person=None,
    email_hash: str = "",
    method: str = "",
    request=None,
    request_id: str = "",
) -> SignInEvent:
    """Store one authentication operation. Side effects: one SignInEvent row."""
    return SignInEvent.objects.create(
        person=person if person is not None and person.pk is not None else None,
        email_hash=email_hash,
        kind=kind,
        method=method[:32],
        request_id=request_id_of(request) if request is not None else request_id,
    )


def person_or_hash(typed: str) -> tuple:
    """(the account with this address, "") or (None, keyed hash of it) for an unknown one."""
    typed = typed.strip()
    if not typed:
        return None, ""
    person = get_user_model().objects.filter(email__iexact=typed).first()
    return (person, "") if person is not None else (None, sign_in_email_hash(typed))


def record_for_address(*, kind: str, typed: str, method: str, request=None) -> SignInEvent:
    """One event for an address someone typed: the person's, or only a hash of it."""
    person, email_hash = person_or_hash(typed)
    return record_sign_in(
        kind=kind, person=person, email_hash=email_hash, method=method, request=request
    )


def record_rate_limited(request) -> SignInEvent | None:
    """A login or reset form that allauth refused with 429: one event, if it was one."""
    match = getattr(request, "resolver_match", None)
    form = RATE_LIMITED_FORMS.get(match.url_name if match is not None else "")
    if request.method != "POST" or form is None:
        return None
    method, field = form
    return record_for_address(
        kind=SignInKind.RATE_LIMITED,
        typed=str(request.POST.get(field, "")),
        method=method,
        request=request,
    )


def login_method(request, user) -> str:
    """How the login now completed was made, from allauth's record: "password+totp"."""
    if request is None or not hasattr(request, "session"):
        return ""
    names = []
    for record in get_authentication_records(request, user):
        name = record.get("type") if record.get("method") == "mfa" else record.get("method")
        if name and name not in names:
            names.append(str(name))
    return "+".join(names)


# --- Receivers -----------------------------------------------------------------------------


def on_logged_in(sender, request, user, **kwargs) -> None:
    record_sign_in(
        kind=SignInKind.LOGIN, person=user, method=login_method(request, user), request=request
    )


def on_logged_out(sender, request, user, **kwargs) -> None:
    # Erasing an account deletes the person first and logs out after: nothing to record.
    if user is not None and get_user_model().objects.filter(pk=user.pk).exists():
        record_sign_in(kind=SignInKind.LOGOUT, person=user, request=request)


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    """A wrong password: at login (known account or not) or when confirming it is you."""
    current = getattr(request, "user", None)
    if current is not None and current.is_authenticated:
        record_sign_in(
            kind=SignInKind.REAUTHENTICATION_FAILED,
            person=current,
            method="password",
            request=request,
        )
        return
    record_for_address(
        kind=SignInKind.LOGIN_FAILED,
        typed=typed_login(credentials),
        method="password",
        request=request,
    )


def typed_login(credentials) -> str:
    """The address typed at a login, from allauth's or Django's credentials."""
    return next((str(credentials[key]) for key in LOGIN_KEYS if credentials.get(key)), "")


def on_step_completed(sender, request, user, method, **kwargs) -> None:
    """Only re-authentication: a login's steps are summed up by `on_logged_in`."""
    if kwargs.get("reauthenticated"):
        how = kwargs.get("type") if method == "mfa" else method
        record_sign_in(
            kind=SignInKind.REAUTHENTICATED, person=user, method=how or "", request=request
        )


def on_authenticator_used(sender, request, user, authenticator, **kwargs) -> None:
    if not kwargs.get("reauthenticated"):  # re-authentication: see on_step_completed
        record_sign_in(
            kind=SignInKind.MFA_SUCCEEDED, person=user, method=authenticator.type, request=request
        )


def on_mfa_failed(sender, request, user, authenticator, **kwargs) -> None:
    kind = SignInKind.REAUTHENTICATION_FAILED if kwargs.get("reauthentication") else None
    record_sign_in(
        kind=kind or SignInKind.MFA_FAILED,
        person=user,
        method=authenticator.type,
        request=request,
    )


def on_password_reset(sender, request, user, **kwargs) -> None:
    record_sign_in(kind=SignInKind.PASSWORD_RESET, person=user, method="email", request=request)


RECEIVERS = (
    (auth.user_logged_in, on_logged_in),
    (auth.user_logged_out, on_logged_out),
    (auth.user_login_failed, on_login_failed),
    (account.authentication_step_completed, on_step_completed),
    (account.password_reset, on_password_reset),
    (mfa.authenticator_used, on_authenticator_used),
    (mfa.authentication_failed, on_mfa_failed),
)


def connect() -> None:
    for signal, receiver in RECEIVERS:
        signal.connect(receiver, dispatch_uid=f"kreds.audit.sign_in.{receiver.__name__}")
