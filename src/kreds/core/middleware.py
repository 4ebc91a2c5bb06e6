"""Response headers that protect personal data."""

import logging

logger = logging.getLogger(__name__)


class NoStoreForAuthenticatedMiddleware:
    """Pages shown to a logged-in person may hold personal data: never cache them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response.headers["Cache-Control"] = "no-store"
        return response


class AccessPolicyMiddleware:
    """Enforces `kreds.core.policy.ACCESS_POLICY` before any view runs. Fails closed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.contrib.auth.views import redirect_to_login
        from django.http import Http404

        from kreds.core.policy import PERMISSION_FOR, Access, access_for

        access = access_for(request.resolver_match.view_name)
        if access is None:
            logger.error(
                "URL name missing from the access policy: %s", request.resolver_match.view_name
            )
            raise Http404
        if access in (Access.PUBLIC, Access.ACCOUNTS, Access.SUPERUSER):
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        permission = PERMISSION_FOR.get(access)
        if permission is None:
            return None
        organization = getattr(request, "organization", None)
        if organization is None or not request.user.has_perm(permission, organization):
            raise Http404
        return None
