"""allauth's "forgot password" form, recording requests for unknown addresses too.

A request for an address with an account is recorded when its mail goes out
(`AccountAdapter.send_password_reset_mail`). For an address without one, allauth answers
the same way (ACCOUNT_PREVENT_ENUMERATION) and nothing names a person, so the event keeps
only a keyed hash of the address: repeated requests for one address can be seen, the
address cannot be read. Kept apart from kreds.people.forms, which allauth's forms import.
"""

from allauth.account.forms import ResetPasswordForm

from kreds.audit.models import SignInKind
from kreds.audit.sign_in_events import record_sign_in, sign_in_email_hash


class RecordedResetPasswordForm(ResetPasswordForm):
    def save(self, request, **kwargs) -> str:
        email = super().save(request, **kwargs)
        if not self.users:
            record_sign_in(
                kind=SignInKind.PASSWORD_RESET_REQUESTED,
                email_hash=sign_in_email_hash(email),
                method="email",
                request=request,
            )
        return email
