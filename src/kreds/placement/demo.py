"""Demo data for forming groups: every demo starter gets a capacity, so "Propose groups" works."""

from kreds.organizations.models import Municipality, Organization, RoleKind, Topic
from kreds.placement.models import StarterCapacity

DEMO_SLOTS = ["mon-evening", "tue-afternoon", "tue-evening", "wed-evening", "thu-evening"]


def give_starters_capacity(organization: Organization) -> int:
    """One group at a time, all topics, weekday evenings, from the person's municipality.

    Where the organization runs mixed groups, the starters can start them too.

    The municipality is the organization's Municipality of that name when it exists (the
    person's own, else the first in use). Returns how many capacities were created.
    """
    topics = list(Topic.objects.filter(organization=organization, is_active=True))
    municipalities = {m.name: m for m in Municipality.objects.filter(organization=organization)}
    fallback = next(iter(municipalities.values()), None)
    starters = organization.roles.filter(kind=RoleKind.STARTER).select_related("person")
    created = 0
    for role in starters:
        capacity, new = StarterCapacity.objects.get_or_create(
            organization=organization,
            person=role.person,
            defaults={
                "municipality": municipalities.get(role.person.municipality, fallback),
                "slots": DEMO_SLOTS,
                "max_groups": 1,
                "starts_mixed_groups": organization.offers_mixed_groups,
            },
        )
        if new:
            capacity.topics.set(topics)
            created += 1
    return created
