"""Reads about groups for the coordinator area, always narrowed to one organization."""

from django.db.models import Count, Q, QuerySet

from kreds.groups.models import (
    ConfidentialityDeclaration,
    Group,
    GroupMembership,
    GroupStatus,
    MembershipRole,
)
from kreds.organizations.models import Organization, Topic

CURRENT_PARTICIPANTS = Q(
    memberships__left_on__isnull=True, memberships__role=MembershipRole.PARTICIPANT
)
CURRENT_STARTERS = Q(memberships__left_on__isnull=True, memberships__role=MembershipRole.STARTER)


def groups_for_staff(
    organization: Organization,
    *,
    status: str | None = None,
    topic: Topic | None = None,
    mixed: bool = False,
) -> QuerySet[Group]:
    """The organization's groups with what a list needs, optionally filtered.

    `mixed` keeps only the groups across topics (those with no topic).
    Each group carries `participant_count` and `starter_count` (current members only).
    """
    groups = (
        Group.objects.filter(organization=organization)
        .select_related("organization", "topic", "age_band", "venue")
        .annotate(
            participant_count=Count("memberships", filter=CURRENT_PARTICIPANTS, distinct=True),
            starter_count=Count("memberships", filter=CURRENT_STARTERS, distinct=True),
        )
    )
    if status:
        groups = groups.filter(status=status)
    if topic is not None:
        groups = groups.filter(topic=topic)
    if mixed:
        groups = groups.filter(topic__isnull=True)
    return groups


def forming_groups(organization: Organization) -> QuerySet[Group]:
    """Groups still gathering people: the ones a coordinator keeps an eye on."""
    return groups_for_staff(organization, status=GroupStatus.FORMING)


def status_counts(organization: Organization) -> list[dict]:
    """For each status, in lifecycle order: its label and how many groups have it."""
    rows = (
        Group.objects.filter(organization=organization)
        .order_by()
        .values("status")
        .annotate(count=Count("id"))
    )
    counts = {row["status"]: row["count"] for row in rows}
    return [
        {"status": status, "label": status.label, "count": counts.get(status.value, 0)}
        for status in GroupStatus
    ]


def current_memberships(group: Group) -> QuerySet[GroupMembership]:
    """Who is in the group now, starters and participants, with their names."""
    return (
        GroupMembership.objects.filter(group=group, left_on__isnull=True)
        .select_related("person")
        .order_by("role", "person__display_name", "id")
    )


def visible_member_names(group: Group, viewer) -> list[str]:
    """The names of the group's current members, as far as `viewer` may see them.

    Coordinators and admins of the group's organization see every name. A member sees
    them once they have signed the confidentiality declaration for their current
    membership; a member who has not signed, a former member and anyone else see none.
    Roles, memberships and signatures are read afresh on every call, so removing a role
    or ending a membership takes effect on the next request. Membership is special
    category data: a page showing these names to someone calls `record_read`.
    """
    if viewer is None or not viewer.is_authenticated:
        return []
    if not (
        viewer.has_perm("organizations.manage", group.organization)
        or _has_signed_declaration(group, viewer)
    ):
        return []
    return [membership.person.display_name for membership in current_memberships(group)]


def _has_signed_declaration(group: Group, person) -> bool:
    return ConfidentialityDeclaration.objects.filter(
        membership__group=group,
        membership__person=person,
        membership__left_on__isnull=True,
    ).exists()
