"""The organization's audit log, for its administrators."""

from django.shortcuts import render

from kreds.audit import queries
from kreds.audit.forms import AuditFilterForm
from kreds.core.access import admin_required


@admin_required
def event_list(request, org):
    organization = request.organization
    form = AuditFilterForm(request.GET, actions=queries.actions_for(organization))
    filters = form.filters()
    page = queries.events_for(organization, **filters, page=request.GET.get("page"))
    context = {
        "filter_form": form,
        "page": page,
        "events": page.object_list,
        "is_filtered": any(filters.values()),
    }
    return render(request, "audit/list.html", context)
