"""Session rules for everyone and, stricter, for staff: timeouts, two-step login, activity."""

import time
from functools import wraps

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.internal.flows.reauthentication import did_recently_reauthenticate
from allauth.usersessions import app_settings as usersessions_settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from kreds.core.policy import Access, access_for
from kreds.organizations.queries import holds_staff_role
from kreds.people import mfa  # also connects the MFA signal receivers

STAFF_IDLE_SECONDS = 30 * 60
ACTIVITY_SECONDS = 5 * 60
ABSOLUTE_SECONDS = 12 * 60 * 60
SESSION_STARTED = "kreds_session_started"
SESSION_SEEN = "kreds_session_seen"
SESSION_TRACKED = "kreds_session_tracked"
# The technical admin shows every personal row, so superusers need the second step too.
STAFF_LEVELS = (Access.STAFF, Access.ORG_ADMIN, Access.SUPERUSER)


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


class StaffMfaMiddleware:
    """Staff pages need a session that used a second factor (an app code or a passkey).

    Runs after AccessPolicyMiddleware, so it only sees people who may open the page.
    Without an authenticator they are sent to set one up (security:overview explains why);
    with one, allauth asks for a code or a passkey and then resumes the request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        level = access_for(request.resolver_match.view_name)
        if level not in STAFF_LEVELS:
            return None
        if level == Access.SUPERUSER and not request.user.is_superuser:
            return None  # the technical admin sends everyone else to its own login
        if not request.user.is_authenticated or mfa.used_second_factor(request):
            request.session.pop(mfa.NEXT_SESSION_KEY, None)
            return None
        if not mfa.has_second_factor(request.user):
            request.session[mfa.NEXT_SESSION_KEY] = request.get_full_path()
            return _redirect(request, reverse("security:overview"))
        messages.info(
            request,
            _(
                "Coordination pages need the second step of your login: the code your "
                "authenticator app shows now, or your passkey."
            ),
        )
        return _redirect(request, None)


def _redirect(request, url: str | None):
    """To `url`, or to the second-step page and back; htmx requests get HX-Redirect.

    Never allauth's suspend_request: it would replay a POST after the second step outside
    the organization's middleware and scope. The person comes back to the page instead.
    """
    if url is None:
        back = request.get_full_path() if request.method == "GET" else request.path
        response = redirect(f"{mfa.reauthentication_url(request)}?{urlencode({'next': back})}")
    else:
        response = redirect(url)
    if request.headers.get("HX-Request"):
        htmx = HttpResponse(status=204)
        htmx["HX-Redirect"] = response["Location"]
        return htmx
    return response


class UserSessionActivityMiddleware:
    """Keeps "last seen" of the person's session list (allauth.usersessions) up to date.

    allauth's own middleware writes on every request; this one at most every 5 minutes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            usersessions_settings.TRACK_ACTIVITY
            and user is not None
            and user.is_authenticated
            and request.session.session_key
        ):
            now = int(time.time())
            if now - request.session.get(SESSION_TRACKED, 0) >= ACTIVITY_SECONDS:
                from allauth.usersessions.models import UserSession

                UserSession.objects.create_from_request(request)
                request.session[SESSION_TRACKED] = now
        return self.get_response(request)


def reauthentication_required(view):
    """Ask for the password (or a second factor) again unless given in the last 5 minutes.

    allauth's own decorator replays a POST after the confirmation, outside the
    organization's URL, middleware and scope; this one never replays. A GET comes back
    to the same page; a POST comes back to the empty form with a note to send it again.
    """

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if did_recently_reauthenticate(request):
            return view(request, *args, **kwargs)
        if request.method == "GET":
            next_path = request.get_full_path()
        else:
            next_path = request.path
            messages.info(request, _("Please confirm it is you, then send the form again."))
        methods = get_account_adapter().get_reauthentication_methods(request.user)
        url = methods[0]["url"] if methods else reverse("account_login")
        return redirect(f"{url}?{urlencode({'next': next_path})}")

    return guarded


def purge_ended_user_sessions() -> int:
    """Delete session-list rows (IP address, browser) whose login session has ended.

    allauth removes them only when the person opens the list; run daily with retention.
    """
    from allauth.usersessions.models import UserSession

    purged = 0
    for user_session in UserSession.objects.all().iterator():
        purged += user_session.purge()
    return purged
