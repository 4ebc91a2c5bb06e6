"""Rate limits for Kreds' own forms, counted in the shared cache like allauth's.

    if not ratelimit.allow(request, "intake"):
        return ratelimit.refuse(request)

The rates live in `ACCOUNT_RATE_LIMITS` (settings.py), e.g. `"intake": "20/h/ip,5/h/user"`.
A limit cools off by itself: there is no permanent lock-out.
"""

from allauth.core import ratelimit as allauth_ratelimit
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def allow(request: HttpRequest, action: str) -> bool:
    """Count one attempt at `action`; False when the person or address has done too many."""
    user = request.user if request.user.is_authenticated else None
    return allauth_ratelimit.consume(request, action=action, user=user)


def refuse(request: HttpRequest) -> HttpResponse:
    """The translated "please wait a little" page, with status 429."""
    return render(request, "core/error.html", {"status": 429}, status=429)
