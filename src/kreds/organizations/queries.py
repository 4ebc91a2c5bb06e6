"""Reads about organizations and roles, always narrowed to what a person may see."""

from django.db.models import Count, Q, QuerySet
from django_scopes import scopes_disabled

from kreds.organizations.models import AgeBand, Organization, Role, RoleKind, Topic

STAFF_ROLES = (RoleKind.COORDINATOR, RoleKind.ADMIN)


def person_organizations(person) -> QuerySet[Organization]:
    """Organizations where the person holds a role, belongs to a group or gave a consent
    (every application rests on one). One query when evaluated.

    Allow-listed scopes_disabled(): this query builds the scope itself, from the
    person's own rows only.
    """
    from kreds.groups.models import GroupMembership
    from kreds.privacy.models import Consent

    with scopes_disabled():
        roles = Role.objects.filter(person=person).values("organization_id")
        groups = GroupMembership.objects.filter(person=person).values("group__organization_id")
        consents = Consent.objects.filter(person=person).values("organization_id")
        return Organization.objects.filter(Q(id__in=roles) | Q(id__in=groups) | Q(id__in=consents))


def role_kinds(person, organization: Organization) -> set[str]:
    """The roles a person holds in one organization, read once per request."""
    if person is None or not person.is_authenticated:
        return set()
    # Cached on the person object, which lives for one request: the next request reads afresh.
    cache = person.__dict__.setdefault("_kreds_role_kinds", {})
    if organization.pk not in cache:
        cache[organization.pk] = set(
            Role.objects.filter(organization=organization, person=person).values_list(
                "kind", flat=True
            )
        )
    return cache[organization.pk]


def active_topics(organization: Organization) -> QuerySet[Topic]:
    return Topic.objects.filter(organization=organization, is_active=True)


def topics(organization: Organization) -> QuerySet[Topic]:
    return Topic.objects.filter(organization=organization)


def age_bands(organization: Organization) -> QuerySet[AgeBand]:
    return AgeBand.objects.filter(organization=organization)


def people_with_roles(organization: Organization) -> list[dict]:
    """Each person with a role here, with all their roles, sorted by name."""
    rows = (
        Role.objects.filter(organization=organization)
        .select_related("person")
        .order_by("person__display_name", "person_id", "kind")
    )
    people: dict[int, dict] = {}
    for role in rows:
        entry = people.setdefault(
            role.person_id, {"person": role.person, "roles": [], "role_rows": []}
        )
        entry["roles"].append(role.get_kind_display())
        entry["role_rows"].append(role)
    return list(people.values())


def person_with_role(organization: Organization, pk: int):
    """The person `pk` if they hold a role here, else None (elsewhere or nowhere: the same)."""
    from kreds.people.models import Person

    return Person.objects.filter(pk=pk, roles__organization=organization).distinct().first()


def role_organizations(person) -> list[dict]:
    """Organizations where the person holds a role, each with the roles held.

    Allow-listed scopes_disabled(): reads only the person's own role rows.
    """
    with scopes_disabled():
        rows = (
            Role.objects.filter(person=person)
            .select_related("organization")
            .order_by("organization__name", "kind")
        )
        result: dict[int, dict] = {}
        for role in rows:
            entry = result.setdefault(
                role.organization_id,
                {"organization": role.organization, "roles": [], "can_manage": False},
            )
            entry["roles"].append(role.get_kind_display())
            entry["can_manage"] |= role.kind in STAFF_ROLES
    return list(result.values())


def topics_with_group_counts(organization: Organization) -> QuerySet[Topic]:
    """Every topic of the organization, each with `group_count`, in their set order."""
    return Topic.objects.filter(organization=organization).annotate(group_count=Count("groups"))


def age_bands_with_group_counts(organization: Organization) -> QuerySet[AgeBand]:
    """Every age band of the organization, each with `group_count`, youngest first."""
    return AgeBand.objects.filter(organization=organization).annotate(group_count=Count("groups"))


def people_with_roles_count(organization: Organization) -> int:
    return Role.objects.filter(organization=organization).values("person_id").distinct().count()


def holds_staff_role(person) -> bool:
    """Whether the person is coordinator or admin anywhere (they see personal data).

    Allow-listed scopes_disabled(): reads only the person's own role rows.
    """
    with scopes_disabled():
        return Role.objects.filter(person=person, kind__in=STAFF_ROLES).exists()
