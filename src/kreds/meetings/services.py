"""Writes about venues. `by` is the person acting, passed on for the audit log."""

from collections.abc import Mapping
from typing import Any

from django.db import transaction

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
def create_venue(*, organization: Organization, data: Mapping[str, Any], by) -> Venue:
    """Add a room the organization's groups can meet in. Saves one Venue row."""
    venue = Venue(organization=organization)
    assign(venue, data, VENUE_FIELDS)
    venue.save()
    return venue


@transaction.atomic
def update_venue(*, venue: Venue, data: Mapping[str, Any], by) -> Venue:
    """Change a venue's details."""
    assign(venue, data, VENUE_FIELDS)
    venue.save()
    return venue
