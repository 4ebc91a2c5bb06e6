"""Build the engine's instance (docs/matching.md) from an organization's waiting list.

Ids in the instance: applicants are application ids, starters person ids, venues venue
ids, topics topic ids and age bands age band ids, all as strings. Nothing else about a
person leaves the database: no names, no notes.

Who is in it:
- applications with status "waiting". Applications open to a mixed group (no topic) go
  in under the reserved topic id MIXED_TOPIC, but only where the organization runs mixed
  groups (`offers_mixed_groups`); otherwise they are left out and counted on the proposal
  page (`mixed_waiting`). The engine treats MIXED_TOPIC like any topic (one topic per
  group), so a mixed group holds only people open to a mixed group, and becomes a Group
  without a topic when accepted;
- applications whose age falls in none of the organization's age bands are left out too;
- starters with a StarterCapacity, the starter role, a municipality and at least one
  group left after the groups they already help start (not ended); their topics, plus
  MIXED_TOPIC when they can start mixed groups and the organization runs them;
- active venues with a position, with the slots in which a room is still free.

Distances use the applicant's municipality and the venue's position. The travel limit is
the organization's `max_travel_km`.

One person, one place: a person's applications for different topics share the `person`
field, so the engine places at most one of them in a run, and an application leaves out
the weekly times at which its person already meets a group of the organization (as a
member or a starter) or holds an open offer of a place.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from kreds.groups.models import GroupMembership, GroupStatus, MembershipRole
from kreds.intake.models import Application, ApplicationStatus
from kreds.meetings.models import Venue
from kreds.meetings.slots import SLOT_IDS, clean_slots
from kreds.organizations.models import AgeBand, Organization, RoleKind
from kreds.placement.models import StarterCapacity

MIXED_TOPIC = "mixed"  # never a topic's primary key, which is a number
DEFAULT_WEIGHTS = {"placed": 1000, "wait_day": 1, "travel_km": 5, "lone_gender": 200}
NOT_ENDED = Q(status__in=[GroupStatus.FORMING, GroupStatus.STARTING, GroupStatus.RUNNING])
NOT_ENDED_GROUP = Q(
    group__status__in=[GroupStatus.FORMING, GroupStatus.STARTING, GroupStatus.RUNNING]
)


@dataclass(frozen=True)
class BuiltInstance:
    data: dict
    mixed_waiting: int
    without_age_band: int


def topic_key(topic_id: int | None) -> str:
    """The instance's topic id for an application's or group's topic (None: mixed)."""
    return MIXED_TOPIC if topic_id is None else str(topic_id)


def topic_id_of(key: str) -> int | None:
    """The topic's primary key for an instance topic id; None for a mixed group."""
    return None if key == MIXED_TOPIC else int(key)


def build_instance(organization: Organization, *, now: dt.datetime | None = None) -> BuiltInstance:
    """The instance for the organization's waiting list as it is now."""
    now = now or timezone.now()
    bands = list(AgeBand.objects.filter(organization=organization))
    waiting = list(waiting_applications(organization))
    applicants = []
    without_band = 0
    pairs = keep_apart_map(organization)
    taken = times_taken(organization)
    mixed = 0
    for application in waiting:
        if application.topic_id is None and not organization.offers_mixed_groups:
            mixed += 1
            continue
        row = applicant_row(
            application,
            bands,
            now=now,
            keep_apart=pairs,
            taken=taken.get(application.person_id, set()),
        )
        if row is None:
            without_band += 1
            continue
        applicants.append(row)
    data = {
        "config": config_for(organization),
        "slots": list(SLOT_IDS),
        "venues": venue_rows(organization),
        "applicants": applicants,
        "starters": starter_rows(organization),
    }
    return BuiltInstance(data=data, mixed_waiting=mixed, without_age_band=without_band)


def waiting_applications(organization: Organization):
    return (
        Application.objects.filter(organization=organization, status=ApplicationStatus.WAITING)
        .select_related("municipality")
        .order_by("waiting_since", "id")
    )


def config_for(organization: Organization) -> dict:
    return {
        "min_size": organization.group_min_size,
        "max_size": organization.group_max_size,
        "starters_min": organization.starters_min,
        "starters_max": organization.starters_max,
        "max_travel_km": float(organization.max_travel_km),
        "max_age_span": organization.max_age_span,
        "weights": dict(getattr(settings, "KREDS_MATCHING_WEIGHTS", DEFAULT_WEIGHTS)),
    }


def age_of(birth_year: int, *, now: dt.datetime) -> int:
    """Age reached this calendar year: all the birth year tells."""
    return timezone.localdate(now).year - birth_year


def band_for(age: int, bands: Iterable[AgeBand]) -> AgeBand | None:
    for band in bands:
        if band.min_age <= age and (band.max_age is None or age <= band.max_age):
            return band
    return None


def applicant_row(
    application: Application,
    bands,
    *,
    now: dt.datetime,
    keep_apart: dict[int, set[int]],
    taken: set[str] = frozenset(),
) -> dict | None:
    age = age_of(application.birth_year, now=now)
    band = band_for(age, bands)
    if band is None:
        return None
    since = application.waiting_since or application.created_at
    municipality = application.municipality
    return {
        "id": str(application.pk),
        "topic": topic_key(application.topic_id),
        "age": age,
        "age_band": str(band.pk),
        "gender": application.gender or None,
        "lat": float(municipality.latitude),
        "lon": float(municipality.longitude),
        "slots": [s for s in clean_slots(application.availability) if s not in taken],
        "waiting_days": max((now - since).days, 0),
        "keep_apart": sorted(str(other) for other in keep_apart.get(application.pk, ())),
        "person": str(application.person_id),
    }


def times_taken(
    organization: Organization,
    *,
    person_ids: Iterable[int] | None = None,
    with_offers: bool = True,
    except_group=None,
) -> dict[int, set[str]]:
    """Person id -> weekly slots in which they already meet a group not ended (member or
    starter, not left) or, `with_offers`, hold an open offer of a place in one.

    Narrowed to `person_ids` when given; the group `except_group` is left out. Two queries.
    """
    from kreds.placement.models import Offer, OfferStatus

    members = GroupMembership.objects.filter(
        NOT_ENDED_GROUP, group__organization=organization, left_on__isnull=True
    )
    offers = Offer.objects.filter(
        NOT_ENDED_GROUP, group__organization=organization, status=OfferStatus.OFFERED
    )
    if person_ids is not None:
        members = members.filter(person_id__in=person_ids)
        offers = offers.filter(application__person_id__in=person_ids)
    if except_group is not None:
        members = members.exclude(group=except_group)
        offers = offers.exclude(group=except_group)
    rows = list(members.values_list("person_id", "group__meeting_slot"))
    if with_offers:
        rows += offers.values_list("application__person_id", "group__meeting_slot")
    taken: dict[int, set[str]] = {}
    for person_id, slot in rows:
        if slot:
            taken.setdefault(person_id, set()).add(slot)
    return taken


def booked_slots(organization: Organization) -> Counter:
    """(venue id, slot) -> groups not ended that meet there then."""
    from kreds.groups.models import Group

    rows = (
        Group.objects.filter(NOT_ENDED, organization=organization, venue__isnull=False)
        .exclude(meeting_slot="")
        .values_list("venue_id", "meeting_slot")
    )
    return Counter(rows)


def venue_rows(organization: Organization) -> list[dict]:
    """Active venues with a position; only slots with a free room, and the rooms left.

    The engine knows one room count per venue, so a venue gets the smallest number of
    free rooms over its free slots: it may under-use a room, never overbook one.
    """
    booked = booked_slots(organization)
    rows = []
    venues = Venue.objects.filter(
        organization=organization,
        is_active=True,
        latitude__isnull=False,
        longitude__isnull=False,
    ).order_by("id")
    for venue in venues:
        free = {slot: venue.rooms - booked[(venue.pk, slot)] for slot in clean_slots(venue.slots)}
        free = {slot: rooms for slot, rooms in free.items() if rooms > 0}
        if not free:
            continue
        rows.append(
            {
                "id": str(venue.pk),
                "lat": float(venue.latitude),
                "lon": float(venue.longitude),
                "slots": list(free),
                "groups_per_slot": min(free.values()),
            }
        )
    return rows


def starter_rows(organization: Organization) -> list[dict]:
    """Starters with capacity left; slots they already meet a group in are taken out."""
    busy = _starter_load(organization)
    capacities = (
        StarterCapacity.objects.filter(
            organization=organization,
            municipality__isnull=False,
            person__roles__organization=organization,
            person__roles__kind=RoleKind.STARTER,
        )
        .select_related("municipality")
        .prefetch_related("topics")
        .order_by("person_id")
        .distinct()
    )
    rows = []
    for capacity in capacities:
        count, slots_taken = busy.get(capacity.person_id, (0, set()))
        left = capacity.max_groups - count
        topics = sorted(str(topic.pk) for topic in capacity.topics.all())
        if capacity.starts_mixed_groups and organization.offers_mixed_groups:
            topics.append(MIXED_TOPIC)
        if left <= 0 or not topics:
            continue
        rows.append(
            {
                "id": str(capacity.person_id),
                "topics": topics,
                "lat": float(capacity.municipality.latitude),
                "lon": float(capacity.municipality.longitude),
                "slots": [s for s in clean_slots(capacity.slots) if s not in slots_taken],
                "max_groups": left,
            }
        )
    return rows


def _starter_load(organization: Organization) -> dict[int, tuple[int, set[str]]]:
    rows = GroupMembership.objects.filter(
        group__organization=organization,
        group__status__in=[GroupStatus.FORMING, GroupStatus.STARTING, GroupStatus.RUNNING],
        role=MembershipRole.STARTER,
        left_on__isnull=True,
    ).values_list("person_id", "group__meeting_slot")
    load: dict[int, tuple[int, set[str]]] = {}
    for person_id, slot in rows:
        count, slots = load.get(person_id, (0, set()))
        load[person_id] = (count + 1, slots | ({slot} if slot else set()))
    return load


def keep_apart_map(organization: Organization) -> dict[int, set[int]]:
    """Application id -> application ids it must not share a group with (symmetric).

    Reads `kreds.intake.queries.keep_apart_pairs(organization)`, an iterable of
    (application id, application id) pairs matched from the keyed hashes. Until the intake
    app provides it, no pairs are known.
    """
    from kreds.intake import queries

    pairs_of = getattr(queries, "keep_apart_pairs", None)
    found: dict[int, set[int]] = {}
    if pairs_of is None:
        return found
    for first, second in pairs_of(organization):
        found.setdefault(int(first), set()).add(int(second))
        found.setdefault(int(second), set()).add(int(first))
    return found
