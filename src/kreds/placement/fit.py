"""Does one applicant fit one group? The engine's hard rules, checked for a single person.

Used when a coordinator moves someone into a proposed group, when a proposed group is
accepted and when a freed place goes to the next person on the waiting list. Sizes, rooms
and starters are checked by the services that change them. `meeting_at` tells who already
meets a group at a weekly time: nobody holds two places at the same time of the week.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from kreds.groups.models import Group
from kreds.intake.models import Application
from kreds.meetings.models import Venue
from kreds.organizations.models import AgeBand, Organization
from kreds.placement.instance import age_of, times_taken

EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Place:
    """What a group offers: its topic (None: mixed group), age band, weekly slot and venue.

    `max_km` is the organization's travel limit, `max_age_span` its largest age
    difference in a group (None: no limit).
    """

    topic_id: int | None
    age_band: AgeBand
    slot: str
    venue: Venue | None
    max_km: float
    max_age_span: int | None = None


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), as the engine computes it."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def distance_km(municipality, venue: Venue | None) -> float | None:
    """From a municipality's point to a venue, or None when either has no position."""
    if municipality is None or venue is None or venue.latitude is None:
        return None
    return km_between(
        float(municipality.latitude),
        float(municipality.longitude),
        float(venue.latitude),
        float(venue.longitude),
    )


def misfit(
    application: Application,
    place: Place,
    *,
    members: Iterable[int],
    keep_apart: dict[int, set[int]],
    now: dt.datetime,
    birth_years: Iterable[int] = (),
) -> str | None:
    """Why the applicant cannot join the group, in plain words; None when they fit.

    `members` are the application ids already in the group (for keep-apart), and
    `birth_years` their years of birth (for the organization's largest age difference).
    """
    if application.topic_id != place.topic_id:
        if place.topic_id is None:
            return _("This person is waiting for a group on one topic, not a mixed group.")
        if application.topic_id is None:
            return _("This person is waiting for a mixed group, not a group on one topic.")
        return _("This person is waiting for a group on another topic.")
    age = age_of(application.birth_year, now=now)
    band = place.age_band
    if age < band.min_age or (band.max_age is not None and age > band.max_age):
        return _("This person's age is outside the group's age band.")
    years = [application.birth_year, *birth_years]
    if place.max_age_span is not None and max(years) - min(years) > place.max_age_span:
        return _(
            "This person's age is too far from the others' in the group: at most "
            "%(span)s years apart."
        ) % {"span": place.max_age_span}
    if place.slot not in (application.availability or []):
        return _("This person cannot meet at the group's weekly time.")
    km = distance_km(application.municipality, place.venue)
    if km is None or km > place.max_km:
        return _("The venue is too far from where this person lives.")
    if keep_apart.get(application.pk, set()) & set(members):
        return _(
            "Someone involved asked not to be in a group with a person in this one. "
            "Choose another group."
        )
    return None


def meeting_at(
    organization: Organization,
    slot: str,
    person_ids: Iterable[int],
    *,
    with_offers: bool = False,
    except_group: Group | None = None,
) -> set[int]:
    """Of `person_ids`, who already meets a group of the organization at weekly time `slot`
    (or, `with_offers`, holds an open offer of a place in one); see `times_taken`."""
    ids = set(person_ids)
    if not slot or not ids:
        return set()
    taken = times_taken(
        organization, person_ids=ids, with_offers=with_offers, except_group=except_group
    )
    return {person_id for person_id, slots in taken.items() if slot in slots}
