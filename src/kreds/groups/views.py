"""The coordinator's pages for groups: list with filters, create, detail and edit.

AccessPolicyMiddleware already guards every page; the decorators are a second line.
"""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kreds.audit.services import audit_context, record_reads, request_id_of
from kreds.core.access import staff_required
from kreds.core.forms import posted, save_form
from kreds.groups import queries, services
from kreds.groups.forms import GroupFilterForm, GroupForm
from kreds.groups.models import Group, MembershipRole
from kreds.meetings.queries import upcoming_meetings


def group_for_staff(request, pk: int) -> Group:
    """One of this organization's groups, or 404 whether it is missing or someone else's."""
    return get_object_or_404(
        Group.objects.select_related("organization", "topic", "age_band", "venue"),
        organization=request.organization,
        pk=pk,
    )


@staff_required
def manage_list(request, org):
    filter_form = GroupFilterForm(request.GET, organization=request.organization)
    filters = filter_form.filters()
    groups = queries.groups_for_staff(request.organization, **filters)
    context = {
        "groups": groups,
        "filter_form": filter_form,
        "is_filtered": any(filters.values()),
    }
    return render(request, "groups/manage_list.html", context)


@staff_required
def manage_create(request, org):
    organization = request.organization
    form = GroupForm(posted(request), organization=organization)
    saved = save_form(
        request,
        form,
        lambda data: services.create_group(
            organization=organization, data=data, by=request.user, request_id=request_id_of(request)
        ),
        _("The group is created."),
    )
    if saved is not None:
        return redirect(saved.urls.manage)
    return render(request, "groups/manage_form.html", {"form": form})


@staff_required
def manage_detail(request, org, pk):
    group = group_for_staff(request, pk)
    memberships = list(queries.current_memberships(group))
    # Who is in a group is special-category data: staff seeing it is recorded per person.
    record_reads(**audit_context(request), objs=memberships, fields=["group", "person"])
    context = {
        "group": group,
        "starters": [m for m in memberships if m.role == MembershipRole.STARTER],
        "participants": [m for m in memberships if m.role == MembershipRole.PARTICIPANT],
        "meetings": upcoming_meetings(group),
    }
    return render(request, "groups/manage_detail.html", context)


@staff_required
def manage_edit(request, org, pk):
    group = group_for_staff(request, pk)
    heading = group.name
    form = GroupForm(posted(request), instance=group, organization=request.organization)
    saved = save_form(
        request,
        form,
        lambda data: services.update_group(
            group=group, data=data, by=request.user, request_id=request_id_of(request)
        ),
        _("The group is saved."),
    )
    if saved is not None:
        return redirect(group.urls.manage)
    return render(
        request, "groups/manage_form.html", {"form": form, "heading": heading, "group": group}
    )
