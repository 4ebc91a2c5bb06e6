"""Reading the audit log, always one organization at a time."""

import datetime as dt
import zoneinfo

from django.core.paginator import Page, Paginator

from kreds.audit.models import AuditEvent
from kreds.organizations.models import Organization

PER_PAGE = 50


def events_for(
    organization: Organization,
    *,
    action: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    actor=None,
    object_type: str | None = None,
    page: int | str | None = 1,
    per_page: int = PER_PAGE,
) -> Page:
    """One page of the organization's events, newest first.

    `since` and `until` are whole days in the organization's time zone, both included.
    A page number out of range or nonsense gives the nearest page. Two queries.
    """
    events = AuditEvent.objects.filter(organization=organization)
    if action:
        events = events.filter(action=action)
    if actor is not None:
        events = events.filter(actor=actor)
    if object_type:
        events = events.filter(object_type=object_type)
    zone = zoneinfo.ZoneInfo(organization.time_zone)
    if since:
        events = events.filter(created_at__gte=_start_of(since, zone))
    if until and until < dt.date.max:
        events = events.filter(created_at__lt=_start_of(until + dt.timedelta(days=1), zone))
    return Paginator(events.order_by("-created_at", "-id"), per_page).get_page(page)


def actions_for(organization: Organization) -> list[str]:
    """The actions that occur in the organization's log, for the filter."""
    return list(
        AuditEvent.objects.filter(organization=organization)
        .order_by("action")
        .values_list("action", flat=True)
        .distinct()
    )


def _start_of(day: dt.date, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=zone)
