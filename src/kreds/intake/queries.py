"""Reads for applications and the waiting list, always narrowed to one organization or person.

Every list here costs a fixed number of queries, however many applications there are.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from kreds.intake.keep_apart import email_hash
from kreds.intake.models import OPEN_STATUSES, Application, ApplicationStatus
from kreds.organizations.models import AgeBand, Municipality, Organization, Topic

# Stages of the coordinator's lists: before the intake talk, and on the waiting list.
STAGES = {
    "new": (ApplicationStatus.RECEIVED, ApplicationStatus.TALK_PLANNED),
    "waiting": (ApplicationStatus.WAITING,),
}
MIXED = "mixed"  # the topic filter's value for "open to a group across topics"


def active_municipalities(organization: Organization) -> QuerySet[Municipality]:
    return Municipality.objects.filter(organization=organization, is_active=True)


def municipalities_with_counts(organization: Organization) -> QuerySet[Municipality]:
    """Every municipality of the organization with `application_count`, by name."""
    return Municipality.objects.filter(organization=organization).annotate(
        application_count=Count("applications")
    )


def matching_municipality(organization: Organization, name: str) -> Municipality | None:
    """The organization's municipality in use with this name (any case), for pre-filling."""
    if not name.strip():
        return None
    return active_municipalities(organization).filter(name__iexact=name.strip()).first()


# The applicant's own view


def person_applications(person) -> list[Application]:
    """The person's applications in every organization, newest first.

    Each waiting application carries `others_waiting`: how many other people wait for
    the same topic (or a mixed group) in the same organization. Each carries
    `answer_time_passed`: it is offered a place whose answer deadline has passed, though
    the offer is not expired yet. Two queries in all.
    Runs in the scope of the person's own organizations (my page's scope includes every
    organization the person gave a consent to, so every one they applied to).
    """
    late_offer = Application.objects.filter(
        pk=OuterRef("pk"),
        status=ApplicationStatus.OFFERED,
        offers__status="offered",  # placement's OfferStatus.OFFERED
        offers__expires_at__lte=timezone.now(),
    )
    applications = list(
        Application.objects.filter(person=person)
        .select_related("organization", "topic", "municipality")
        .annotate(answer_time_passed=Exists(late_offer))
        .order_by("-created_at", "-id")
    )
    waiting = [a for a in applications if a.status == ApplicationStatus.WAITING]
    counts = _waiting_counts(waiting) if waiting else {}
    for application in waiting:
        key = (application.organization_id, application.topic_id)
        application.others_waiting = max(counts.get(key, 0) - 1, 0)
    return applications


def _waiting_counts(applications: list[Application]) -> dict[tuple[int, int | None], int]:
    wanted = {(a.organization_id, a.topic_id) for a in applications}
    condition = reduce(
        or_,
        (
            Q(organization_id=org_id, topic_id=topic_id)
            if topic_id is not None
            else Q(organization_id=org_id, topic__isnull=True)
            for org_id, topic_id in wanted
        ),
    )
    rows = (
        Application.objects.filter(condition, status=ApplicationStatus.WAITING)
        .values("organization_id", "topic_id")
        .annotate(count=Count("id"))
        .order_by()
    )
    return {(row["organization_id"], row["topic_id"]): row["count"] for row in rows}


def application_for_person(person, organization: Organization, pk: int) -> Application | None:
    return (
        Application.objects.filter(organization=organization, person=person, pk=pk)
        .select_related("organization", "topic", "municipality")
        .first()
    )


def applications_in_organization(person, organization: Organization) -> QuerySet[Application]:
    return Application.objects.filter(organization=organization, person=person).select_related(
        "topic"
    )


# The coordinator's lists


@dataclass(frozen=True)
class Filters:
    stage: str = "waiting"
    topic: Topic | None = None
    mixed: bool = False
    age_band: AgeBand | None = None
    municipality: Municipality | None = None
    waited_days: int | None = None


def applications_for_staff(
    organization: Organization, filters: Filters, *, now: dt.datetime | None = None
) -> QuerySet[Application]:
    """The organization's applications at one stage, who has waited longest first.

    Each carries `since`: when the wait began (on the waiting list, or when it arrived).
    """
    now = now or timezone.now()
    applications = (
        Application.objects.filter(organization=organization, status__in=STAGES[filters.stage])
        .select_related("person", "topic", "municipality")
        .annotate(since=Coalesce(F("waiting_since"), F("created_at")))
        .order_by("since", "id")
    )
    if filters.mixed:
        applications = applications.filter(topic__isnull=True)
    elif filters.topic is not None:
        applications = applications.filter(topic=filters.topic)
    if filters.age_band is not None:
        applications = applications.filter(
            birth_year_range(filters.age_band, year=timezone.localdate(now).year)
        )
    if filters.municipality is not None:
        applications = applications.filter(municipality=filters.municipality)
    if filters.waited_days:
        applications = applications.filter(since__lte=now - dt.timedelta(days=filters.waited_days))
    return applications


def birth_year_range(age_band: AgeBand, *, year: int) -> Q:
    """Birth years of people who reach an age within the band this year."""
    condition = Q(birth_year__lte=year - age_band.min_age)
    if age_band.max_age is not None:
        condition &= Q(birth_year__gte=year - age_band.max_age)
    return condition


def band_for(birth_year: int, age_bands: list[AgeBand], *, year: int) -> AgeBand | None:
    """The first age band the age reached this year falls in, or None."""
    age = year - birth_year
    for band in age_bands:
        if band.min_age <= age and (band.max_age is None or age <= band.max_age):
            return band
    return None


@dataclass
class CountRow:
    topic: Topic | None  # None: open to a group across topics
    cells: list[int] = field(default_factory=list)
    outside: int = 0  # ages no band covers
    total: int = 0


def counts_by_topic_and_age_band(
    organization: Organization, stage: str, age_bands: list[AgeBand], *, year: int
) -> list[CountRow]:
    """How many applications each topic has at a stage, per age band. Two queries."""
    rows = (
        Application.objects.filter(organization=organization, status__in=STAGES[stage])
        .values("topic_id", "birth_year")
        .annotate(count=Count("id"))
        .order_by()
    )
    counts: dict[int | None, Counter] = defaultdict(Counter)
    for row in rows:
        band = band_for(row["birth_year"], age_bands, year=year)
        counts[row["topic_id"]][band.pk if band else None] += row["count"]
    topics = Topic.objects.filter(organization=organization, pk__in=[k for k in counts if k])
    result = [_count_row(topic, counts[topic.pk], age_bands) for topic in topics]
    if None in counts:
        result.append(_count_row(None, counts[None], age_bands))
    return result


def _count_row(topic: Topic | None, counter: Counter, age_bands: list[AgeBand]) -> CountRow:
    return CountRow(
        topic=topic,
        cells=[counter[band.pk] for band in age_bands],
        outside=counter[None],
        total=sum(counter.values()),
    )


def application_for_staff(organization: Organization, pk: int) -> Application | None:
    return (
        Application.objects.filter(organization=organization, pk=pk)
        .select_related("person", "topic", "municipality", "organization")
        .first()
    )


# Keeping people apart


def keep_apart_pairs(organization: Organization) -> set[tuple[int, int]]:
    """Pairs of application ids (smaller id first) that must not share a group.

    Open applications and placed ones count: someone already placed in a group must not
    get as fellow member a person who asked to be kept apart from them. A pair is made when one applicant listed an email whose keyed hash is the other
    applicant's own email hash. The hashes are compared here and never shown.
    """
    rows = list(
        Application.objects.filter(
            organization=organization, status__in=[*OPEN_STATUSES, ApplicationStatus.PLACED]
        ).values("id", "person_id", "email_hash", "keep_apart_hashes", "person__email")
    )
    by_hash: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for row in rows:
        # The address given when applying, and today's (the person may have changed it).
        for own in {row["email_hash"], email_hash(row["person__email"])} - {""}:
            by_hash[own].add((row["id"], row["person_id"]))
    pairs = set()
    for row in rows:
        for wanted in row["keep_apart_hashes"] or []:
            for other_id, other_person in by_hash.get(wanted, ()):
                if other_person != row["person_id"]:
                    pairs.add((min(row["id"], other_id), max(row["id"], other_id)))
    return pairs
