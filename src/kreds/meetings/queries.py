"""Reads about venues and meetings, always narrowed to one organization."""

from django.db.models import Count, QuerySet
from django.utils import timezone

from kreds.meetings.models import Meeting, Venue
from kreds.organizations.models import Organization


def venues_with_group_counts(organization: Organization) -> QuerySet[Venue]:
    """Every venue of the organization, each with `group_count` (groups that usually meet there)."""
    return Venue.objects.filter(organization=organization).annotate(group_count=Count("groups"))


def venues_count(organization: Organization) -> int:
    return Venue.objects.filter(organization=organization).count()


def upcoming_meetings(group, *, limit: int = 10) -> QuerySet[Meeting]:
    """The group's next meetings, soonest first, cancelled ones included so staff see them."""
    return (
        Meeting.objects.filter(group=group, starts_at__gte=timezone.now())
        .select_related("venue")
        .order_by("starts_at")[:limit]
    )
