"""View guards. Anything a person may not see answers 404, whether it exists or not."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404


def staff_required(view):
    """Coordinators and admins of the organization in the URL; anonymous people log in first."""
    return _role_required(view, "organizations.manage")


def admin_required(view):
    """Admins of the organization in the URL."""
    return _role_required(view, "organizations.administer")


def _role_required(view, permission: str):
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.organization is None or not request.user.has_perm(
            permission, request.organization
        ):
            raise Http404
        return view(request, *args, **kwargs)

    return guarded
