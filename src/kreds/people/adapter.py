"""How allauth talks to Kreds: emails in the person's own language, refusals recorded."""

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        user = context.get("user")
        language = getattr(user, "preferred_language", None) or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)

    def pre_authenticate(self, request, **credentials):
        """allauth's check of failed logins per address; a refusal is a sign-in event too."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            from kreds.audit.models import SignInKind
            from kreds.audit.sign_in_events import record_for_address, typed_login

            record_for_address(
                kind=SignInKind.RATE_LIMITED,
                typed=typed_login(credentials),
                method="password",
                request=request,
            )
            raise

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
