"""allauth's sign-up form, answering a taken address in the same time as a new one.

With ACCOUNT_PREVENT_ENUMERATION allauth answers a taken address like a new one and mails
the owner. But a new account costs one password hash (Argon2id, about 100 ms) and a taken
address none, so the time of the answer would tell. Here the taken case hashes too.
Kept apart from kreds.people.forms, which allauth's own forms module imports.
"""

import secrets

from allauth.account.forms import SignupForm
from django.contrib.auth.hashers import make_password


class TimingSafeSignupForm(SignupForm):
    def try_save(self, request):
        if self.account_already_exists:
            password = self.cleaned_data.get("password1") or secrets.token_urlsafe(16)
            make_password(password)  # the cost of a new account's hash; the result is unused
        return super().try_save(request)
