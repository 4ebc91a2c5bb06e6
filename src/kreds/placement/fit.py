"""Does one applicant fit one group? The engine's hard rules, checked for a single person.

Used when a coordinator moves someone into a proposed group and when a freed place goes
to the next person on the waiting list. Sizes, rooms and starters are checked by the
services that change them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from kreds.intake.models import Application
from kreds.meetings.models import Venue
from kreds.organizations.models import AgeBand
from kreds.placement.instance import age_of

EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Place:
    """What a group offers: its topic (None: mixed group), age band, weekly slot and venue.

    `max_km` is the organization's travel limit.
    """

    topic_id: int | None
    age_band: AgeBand
    slot: str
    venue: Venue | None
    max_km: float


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
) -> str | None:
    """Why the applicant cannot join the group, in plain words; None when they fit."""
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
