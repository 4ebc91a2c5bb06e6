"""Session rules for everyone and, stricter, for staff."""

import time

from django.contrib.auth import logout
from django.shortcuts import redirect

from kreds.organizations.queries import holds_staff_role

STAFF_IDLE_SECONDS = 30 * 60
ABSOLUTE_SECONDS = 12 * 60 * 60
SESSION_STARTED = "kreds_session_started"
SESSION_SEEN = "kreds_session_seen"


class SessionTimeoutMiddleware:
    """Ends a session after 12 hours in all, and after 30 idle minutes for staff.

    Staff are coordinators and admins of any organization: they see personal data.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault(SESSION_STARTED, now)
            seen = request.session.setdefault(SESSION_SEEN, now)
            idle_limit = STAFF_IDLE_SECONDS if holds_staff_role(user) else ABSOLUTE_SECONDS
            if now - started > ABSOLUTE_SECONDS or now - seen > idle_limit:
                logout(request)
                return redirect(f"{request.path_info}")
            if now - seen >= 60:  # one session write a minute is enough to measure idleness
                request.session[SESSION_SEEN] = now
        return self.get_response(request)


class ClearSiteDataOnLogoutMiddleware:
    """After logging out, the browser forgets cached pages, cookies and storage."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        was_authenticated = (
            getattr(request, "user", None) is not None and request.user.is_authenticated
        )
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if (
            was_authenticated
            and request.method == "POST"
            and match is not None
            and match.view_name == "account_logout"
        ):
            response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
        return response
