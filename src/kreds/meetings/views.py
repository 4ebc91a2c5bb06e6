"""The coordinator's pages for venues: the rooms groups meet in.

AccessPolicyMiddleware already guards every page; the decorators are a second line.
"""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kreds.audit.services import request_id_of
from kreds.core.access import staff_required
from kreds.core.forms import posted, save_form
from kreds.meetings import services
from kreds.meetings.forms import VenueForm
from kreds.meetings.models import Venue
from kreds.meetings.queries import venues_with_group_counts


def venue_for_staff(request, pk: int) -> Venue:
    """One of this organization's venues, or 404 whether it is missing or someone else's."""
    return get_object_or_404(Venue, organization=request.organization, pk=pk)


@staff_required
def venue_list(request, org):
    venues = venues_with_group_counts(request.organization)
    return render(request, "meetings/venue_list.html", {"venues": venues})


@staff_required
def venue_create(request, org):
    organization = request.organization
    form = VenueForm(posted(request), organization=organization)
    saved = save_form(
        request,
        form,
        lambda data: services.create_venue(
            organization=organization, data=data, by=request.user, request_id=request_id_of(request)
        ),
        _("The venue is added."),
    )
    if saved is not None:
        return redirect("meetings:venue_list", org=organization.slug)
    return render(request, "meetings/venue_form.html", {"form": form})


@staff_required
def venue_edit(request, org, pk):
    venue = venue_for_staff(request, pk)
    heading = venue.name
    form = VenueForm(posted(request), instance=venue, organization=request.organization)
    saved = save_form(
        request,
        form,
        lambda data: services.update_venue(
            venue=venue, data=data, by=request.user, request_id=request_id_of(request)
        ),
        _("The venue is saved."),
    )
    if saved is not None:
        return redirect("meetings:venue_list", org=request.organization.slug)
    return render(request, "meetings/venue_form.html", {"form": form, "heading": heading})
