"""Reads about one person, for their own eyes."""

from django.db.models import QuerySet

from kreds.groups.models import GroupMembership


def current_memberships(person) -> QuerySet[GroupMembership]:
    """The groups a person belongs to now, across their organizations."""
    return (
        GroupMembership.objects.filter(person=person, left_on__isnull=True)
        .select_related("group__organization", "group__topic", "group__venue", "group__age_band")
        .order_by("group__organization__name", "group__name")
    )
