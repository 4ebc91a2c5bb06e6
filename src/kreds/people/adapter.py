"""How allauth talks to Kreds: emails go out in the person's own language."""

from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        user = context.get("user")
        language = getattr(user, "preferred_language", None) or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)

    def send_password_reset_mail(self, user, email, context):
        """Sends the reset link, and records the request among the person's sign-in events.

        Only for an address with an account: allauth mails unknown addresses a note instead.
        """
        from kreds.audit.models import SignInKind
        from kreds.audit.sign_in_events import record_sign_in

        super().send_password_reset_mail(user, email, context)
        record_sign_in(
            kind=SignInKind.PASSWORD_RESET_REQUESTED,
            person=user,
            method="email",
            request=getattr(self, "request", None),
        )
