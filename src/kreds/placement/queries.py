"""Reads for forming groups, narrowed to one organization (or one person's own offers)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django_scopes import scope

from kreds.intake.models import Application, ApplicationStatus
from kreds.meetings.models import Venue
from kreds.meetings.slots import slot_label
from kreds.organizations.models import AgeBand, Organization, RoleKind, Topic
from kreds.people.models import Person
from kreds.placement.fit import distance_km
from kreds.placement.instance import age_of, topic_id_of
from kreds.placement.models import MatchingRun, Offer, OfferStatus, StarterCapacity
from kreds.placement.proposal import reason_text

RECENT_RUNS = 10


def recent_runs(organization: Organization) -> QuerySet[MatchingRun]:
    return MatchingRun.objects.filter(organization=organization).select_related("started_by")[
        :RECENT_RUNS
    ]


def waiting_counts(organization: Organization) -> dict[str, int]:
    """How many wait with a topic, how many for a mixed group, and starters with capacity.

    `mixed_starters`: starters with capacity who can start mixed groups.
    """
    counts = Application.objects.filter(
        organization=organization, status=ApplicationStatus.WAITING
    ).aggregate(
        with_topic=Count("id", filter=Q(topic__isnull=False)),
        mixed=Count("id", filter=Q(topic__isnull=True)),
    )
    capacities = StarterCapacity.objects.filter(organization=organization, max_groups__gt=0)
    counts |= capacities.aggregate(
        starters=Count("id"), mixed_starters=Count("id", filter=Q(starts_mixed_groups=True))
    )
    return counts


def starters_with_capacity(organization: Organization) -> list[Person]:
    """The organization's starters, each with `capacity` (StarterCapacity or None)."""
    people = list(
        Person.objects.filter(
            roles__organization=organization, roles__kind=RoleKind.STARTER
        ).distinct()
    )
    capacities = {
        capacity.person_id: capacity
        for capacity in StarterCapacity.objects.filter(organization=organization)
        .select_related("municipality")
        .prefetch_related("topics")
    }
    for person in people:
        person.capacity = capacities.get(person.pk)
    return people


@dataclass
class MemberRow:
    application: Application
    km: float | None
    age: int


@dataclass
class GroupRow:
    key: str
    number: int
    topic: Topic | None
    age_band: AgeBand | None
    slot: str
    slot_label: str
    venue: Venue | None
    group_id: int | None
    is_mixed: bool = False
    members: list[MemberRow] = field(default_factory=list)
    starters: list[tuple[Person, float | None]] = field(default_factory=list)


@dataclass
class ProposalView:
    groups: list[GroupRow]
    left_out: list[tuple[Application, str]]
    mixed_waiting: int
    without_age_band: int

    @property
    def has_open_groups(self) -> bool:
        return any(group.group_id is None for group in self.groups)


def proposal_view(run: MatchingRun) -> ProposalView:
    """Everything the proposal page shows, in a fixed number of queries."""
    organization = run.organization
    proposal = run.proposal or {"groups": [], "unassigned": []}
    ids = {int(m) for g in proposal["groups"] for m in g["members"]}
    ids |= {int(item["id"]) for item in proposal["unassigned"]}
    applications = Application.objects.filter(organization=organization, pk__in=ids)
    applications = {a.pk: a for a in applications.select_related("person", "municipality")}
    venues = {v.pk: v for v in Venue.objects.filter(organization=organization)}
    topics = {t.pk: t for t in Topic.objects.filter(organization=organization)}
    bands = {b.pk: b for b in AgeBand.objects.filter(organization=organization)}
    starter_ids = {int(s) for g in proposal["groups"] for s in g["starters"]}
    capacities = {
        c.person_id: c
        for c in StarterCapacity.objects.filter(
            organization=organization, person_id__in=starter_ids
        ).select_related("person", "municipality")
    }
    now = timezone.now()
    groups = []
    for number, data in enumerate(proposal["groups"], start=1):
        venue = venues.get(int(data["venue"]))
        topic_id = topic_id_of(data["topic"])
        is_mixed = topic_id is None
        row = GroupRow(
            key=data["key"],
            number=number,
            topic=None if is_mixed else topics.get(topic_id),
            is_mixed=is_mixed,
            age_band=bands.get(int(data["age_band"])),
            slot=data["slot"],
            slot_label=slot_label(data["slot"]),
            venue=venue,
            group_id=data["group_id"],
        )
        for member in data["members"]:
            application = applications.get(int(member))
            if application is not None:
                row.members.append(
                    MemberRow(
                        application=application,
                        km=distance_km(application.municipality, venue),
                        age=age_of(application.birth_year, now=now),
                    )
                )
        for starter in data["starters"]:
            capacity = capacities.get(int(starter))
            if capacity is not None:
                row.starters.append((capacity.person, distance_km(capacity.municipality, venue)))
        groups.append(row)
    left_out = [
        (applications[int(item["id"])], reason_text(item["reason"]))
        for item in proposal["unassigned"]
        if int(item["id"]) in applications
    ]
    return ProposalView(
        groups=groups,
        left_out=left_out,
        mixed_waiting=proposal.get("mixed_waiting", 0),
        without_age_band=proposal.get("without_age_band", 0),
    )


def group_offers(group) -> QuerySet[Offer]:
    return (
        Offer.objects.filter(group=group)
        .select_related("application__person")
        .order_by("created_at", "id")
    )


def open_offers_for_person(person) -> list[Offer]:
    """The person's own offers still waiting for an answer, in every organization.

    Runs in a scope of the organizations the person has applied to (for "my page").
    """
    organizations = list(Organization.objects.filter(applications__person=person).distinct())
    with scope(organization=organizations):
        return list(
            Offer.objects.filter(
                application__person=person,
                status=OfferStatus.OFFERED,
                expires_at__gt=timezone.now(),
            )
            .select_related("organization", "group__topic", "group__venue", "group__age_band")
            .order_by("expires_at", "id")
        )


def person_offers(person, organization: Organization) -> QuerySet[Offer]:
    return (
        Offer.objects.filter(organization=organization, application__person=person)
        .select_related("group__topic", "group__venue")
        .order_by("-created_at", "-id")
    )
