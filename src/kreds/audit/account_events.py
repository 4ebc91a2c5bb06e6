"""Changes to a person's account made through allauth go to the audit log too.

Sign-up, password and email changes and second factors are changes of state that
happen in allauth's views, not in a Kreds service, so they are recorded from allauth's
signals. The event names the person and the kind of change, never a value (no address,
no secret). It belongs to no organization: the person's own data export shows it.
Connected in AuditConfig.ready().
"""

from allauth.account import signals as account
from allauth.mfa import signals as mfa

from kreds.audit.services import record_change, request_id_of

ACTIONS = {
    account.user_signed_up: "account.signed_up",
    account.password_set: "account.password_set",
    account.password_changed: "account.password_changed",
    account.password_reset: "account.password_reset",
    account.email_added: "account.email_added",
    account.email_removed: "account.email_removed",
    account.email_changed: "account.email_changed",
    account.email_confirmed: "account.email_confirmed",
    mfa.authenticator_added: "account.second_factor_added",
    mfa.authenticator_removed: "account.second_factor_removed",
    mfa.authenticator_reset: "account.recovery_codes_renewed",
}


def record_account_event(sender, signal, request=None, user=None, **kwargs) -> None:
    if user is None:  # email_confirmed names the address only
        address = kwargs.get("email_address")
        user = getattr(address, "user", None)
    if user is None or user.pk is None:
        return
    record_change(
        organization=None,
        actor=user,
        action=ACTIONS[signal],
        obj=user,
        changes={},
        request_id=request_id_of(request) if request is not None else "",
    )


def connect() -> None:
    for signal in ACTIONS:
        signal.connect(record_account_event, dispatch_uid=f"kreds.audit.{ACTIONS[signal]}")
