"""Role management for an organization's administrators: give a role, remove a role,
log a person with a role out everywhere.

All ask for the password (or a second factor) again first: a role opens personal data.
"""

from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kreds.audit.services import request_id_of
from kreds.core import ratelimit
from kreds.core.access import admin_required
from kreds.core.auth import reauthentication_required
from kreds.core.forms import posted
from kreds.organizations import role_services
from kreds.organizations.models import Role, RoleKind
from kreds.organizations.queries import person_with_role
from kreds.organizations.role_forms import GrantRoleForm


def role_for_admin(request, pk: int) -> Role:
    """One of this organization's roles, or 404 whether it is missing or someone else's."""
    return get_object_or_404(
        Role.objects.select_related("person"), organization=request.organization, pk=pk
    )


@admin_required
@reauthentication_required
def role_grant(request, org):
    organization = request.organization
    form = GrantRoleForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if not ratelimit.allow(request, "grant_role"):
            return ratelimit.refuse(request)
        try:
            role = role_services.grant_role(
                organization=organization,
                email=form.cleaned_data["email"],
                kind=form.cleaned_data["kind"],
                by=request.user,
                request_id=request_id_of(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s is now %(role)s.")
                % {"name": role.person.display_name, "role": role.get_kind_display()},
            )
            return redirect("organizations:people_list", org=organization.slug)
    return render(request, "organizations/role_grant.html", {"form": form})


@admin_required
def role_remove(request, org, pk):
    # The role first: another organization's role is 404 before anything else is asked.
    return _confirm_role_removal(request, role_for_admin(request, pk))


@reauthentication_required
def _confirm_role_removal(request, role: Role):
    error = None
    if request.method == "POST":
        try:
            role_services.remove_role(role=role, by=request.user, request_id=request_id_of(request))
        except ValidationError as refused:
            error = refused.messages[0]
        else:
            messages.success(
                request,
                _("%(name)s is no longer %(role)s.")
                % {"name": role.person.display_name, "role": role.get_kind_display()},
            )
            if role.person_id == request.user.pk and role.kind == RoleKind.ADMIN:
                return redirect("people:my_page")  # the people page is for admins only
            return redirect("organizations:people_list", org=request.organization.slug)
    return render(request, "organizations/role_remove.html", {"role": role, "error": error})


@admin_required
def person_end_sessions(request, org, pk):
    # The person first: someone without a role here is 404 before anything else is asked.
    person = person_with_role(request.organization, pk)
    if person is None:
        raise Http404
    return _confirm_end_sessions(request, person)


@reauthentication_required
def _confirm_end_sessions(request, person):
    """GET asks to confirm; only a POST logs the person out everywhere."""
    if request.method == "POST":
        role_services.end_sessions(
            organization=request.organization,
            person=person,
            by=request.user,
            request_id=request_id_of(request),
        )
        if person.pk == request.user.pk:
            logout(request)  # their own session is gone too
            return redirect("account_login")
        messages.success(
            request,
            _("%(name)s is logged out on every device.") % {"name": person.display_name},
        )
        return redirect("organizations:people_list", org=request.organization.slug)
    return render(request, "organizations/person_end_sessions.html", {"person": person})
