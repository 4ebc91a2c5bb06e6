"""Writes about venues. `by` (the person acting) and `request_id` go to the audit log."""

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from kreds.audit.services import record_saved, stored_snapshot
from kreds.meetings.models import Venue
from kreds.organizations.models import Organization
from kreds.organizations.services import assign

VENUE_FIELDS = (
    "name",
    "kind",
    "address",
    "postal_code",
    "municipality",
    "accessibility_notes",
    "latitude",
    "longitude",
    "is_active",
)


@transaction.atomic
def create_venue(
    *, organization: Organization, data: Mapping[str, Any], by, request_id: str = ""
) -> Venue:
    """Add a room the organization's groups can meet in. Saves one Venue and one audit event."""
    venue = Venue(organization=organization)
    assign(venue, data, VENUE_FIELDS)
    venue.save()
    record_saved(
        organization=organization,
        actor=by,
        action="venue.created",
        obj=venue,
        before={},
        fields=VENUE_FIELDS,
        request_id=request_id,
    )
    return venue


@transaction.atomic
def update_venue(*, venue: Venue, data: Mapping[str, Any], by, request_id: str = "") -> Venue:
    """Change a venue's details; audited when something changed."""
    before = stored_snapshot(venue, VENUE_FIELDS)
    assign(venue, data, VENUE_FIELDS)
    venue.save()
    record_saved(
        organization=venue.organization,
        actor=by,
        action="venue.updated",
        obj=venue,
        before=before,
        fields=VENUE_FIELDS,
        request_id=request_id,
    )
    return venue
