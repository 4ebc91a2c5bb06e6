"""Sign-in security: a person's two-step login, sessions, email and password, in one place.

Coordinators and admins are sent here by `kreds.core.auth.StaffMfaMiddleware` when they
have no second factor yet; the page tells them why, and where they were going.
"""

from allauth.mfa.models import Authenticator
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from kreds.audit.sign_in_events import SIGN_IN_EVENT_DAYS
from kreds.organizations.queries import holds_staff_role
from kreds.people import mfa
from kreds.people.queries import recent_sign_ins


@login_required
def overview(request):
    types = set(
        Authenticator.objects.filter(user_id=request.user.pk).values_list("type", flat=True)
    )
    has_second_factor = bool(types & set(mfa.SECOND_FACTORS))
    context = {
        "has_totp": Authenticator.Type.TOTP in types,
        "has_passkey": Authenticator.Type.WEBAUTHN in types,
        "has_recovery_codes": Authenticator.Type.RECOVERY_CODES in types,
        "has_second_factor": has_second_factor,
        "is_staff_person": holds_staff_role(request.user),
        "sign_ins": recent_sign_ins(request.user),
        "sign_in_days": SIGN_IN_EVENT_DAYS,
        "continue_to": request.session.get(mfa.NEXT_SESSION_KEY)
        if has_second_factor and mfa.used_second_factor(request)
        else None,
    }
    return render(request, "people/security.html", context)
