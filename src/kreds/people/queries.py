"""Reads about one person, for their own eyes."""

from django.db.models import QuerySet

from kreds.audit.models import SignInEvent
from kreds.groups.models import GroupMembership

RECENT_SIGN_INS = 15


def current_memberships(person) -> QuerySet[GroupMembership]:
    """The groups a person belongs to now, across their organizations."""
    return (
        GroupMembership.objects.filter(person=person, left_on__isnull=True)
        .select_related("group__organization", "group__topic", "group__venue", "group__age_band")
        .order_by("group__organization__name", "group__name")
    )


def recent_sign_ins(person, limit: int = RECENT_SIGN_INS) -> list[SignInEvent]:
    """The person's latest logins, failed logins, logouts and second steps, newest first."""
    return list(SignInEvent.objects.filter(person=person).order_by("-created_at", "-id")[:limit])
