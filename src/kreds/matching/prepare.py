"""Pre-processing: who can meet where and when.

A *cluster* is a (topic, age band, venue, slot) combination. Its members are
the applicants of that topic and band who can make the slot, live within
``max_travel_km`` of the venue and have enough peers of similar age there; its
starters are the starters who list the topic, can make the slot and live
within reach. Clusters that can never hold a group (too few members, too few
starters, no room) are pruned here, before any model is built, and every
applicant left without a cluster gets a static reason.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from .geo import distance_matrix_km
from .model import Instance
from .solution import (
    REASON_AGE_SPAN,
    REASON_NO_COMMON_TIME,
    REASON_NO_PEERS_NEARBY,
    REASON_NO_STARTER_FREE,
)

# Distances are compared with a hair of slack so that an independent checker
# computing the same haversine never disagrees on a borderline case.
DISTANCE_SLACK_KM = 1e-6


@dataclass
class Cluster:
    index: int
    topic: str
    age_band: str
    venue: int
    slot: str
    members: list[int]  # applicant indices, ascending
    starters: list[int]  # starter indices, ascending
    rooms: int  # groups_per_slot of the venue

    @property
    def key(self) -> tuple[str, str]:
        return (self.topic, self.age_band)


@dataclass
class Prepared:
    instance: Instance
    clusters: list[Cluster]
    applicant_clusters: list[list[int]]  # applicant index -> cluster indices
    applicant_km: dict[tuple[int, int], float]  # (applicant, venue) -> km, within reach
    starter_km: dict[tuple[int, int], float]  # (starter, venue) -> km, within reach
    keep_apart: set[tuple[int, int]]  # (i, j) with i < j
    static_reasons: dict[int, tuple[str, str]] = field(default_factory=dict)
    # Applicant index -> the other applications of the same person (only where there are).
    siblings: dict[int, tuple[int, ...]] = field(default_factory=dict)

    def person_of(self, applicant: int) -> int:
        """One index per person: the smallest of their applications' indices."""
        others = self.siblings.get(applicant)
        return min(applicant, *others) if others else applicant

    def value(self, applicant: int, venue: int) -> float:
        """Exact objective contribution of placing an applicant at a venue."""
        w = self.instance.config.weights
        a = self.instance.applicants[applicant]
        km = self.applicant_km[(applicant, venue)]
        return w.placed + w.wait_day * a.waiting_days - w.travel_km * km


def _within_reach(
    lats: np.ndarray, lons: np.ndarray, vlats: np.ndarray, vlons: np.ndarray, limit: float
) -> dict[tuple[int, int], float]:
    reach: dict[tuple[int, int], float] = {}
    if len(lats) == 0 or len(vlats) == 0:
        return reach
    chunk = 2000  # keeps the dense matrix small on national instances
    for start in range(0, len(lats), chunk):
        dist = distance_matrix_km(
            lats[start : start + chunk], lons[start : start + chunk], vlats, vlons
        )
        rows, cols = np.nonzero(dist <= limit - DISTANCE_SLACK_KM)
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
            reach[(start + r, c)] = float(dist[r, c])
    return reach


def _age_feasible(ages: list[int], span: int | None, min_size: int) -> list[bool]:
    """For each age, whether some window of width ``span`` holding it has min_size people."""
    if span is None:
        return [len(ages) >= min_size] * len(ages)
    ordered = sorted(ages)
    ok_starts = [
        ordered[i]
        for i in range(len(ordered) - min_size + 1)
        if ordered[i + min_size - 1] - ordered[i] <= span
    ]
    return [any(lo <= age <= lo + span for lo in ok_starts) for age in ages]


def prepare(instance: Instance) -> Prepared:
    cfg = instance.config
    apps, venues, starters = instance.applicants, instance.venues, instance.starters
    index_of = {a.id: i for i, a in enumerate(apps)}

    def coords(items: tuple) -> tuple[np.ndarray, np.ndarray]:
        return (
            np.array([x.lat for x in items], dtype=float),
            np.array([x.lon for x in items], dtype=float),
        )

    alat, alon = coords(apps)
    vlat, vlon = coords(venues)
    slat, slon = coords(starters)
    applicant_km = _within_reach(alat, alon, vlat, vlon, cfg.max_travel_km)
    starter_km = _within_reach(slat, slon, vlat, vlon, cfg.max_travel_km)

    keep_apart: set[tuple[int, int]] = set()
    for i, a in enumerate(apps):
        for other in a.keep_apart:
            j = index_of.get(other)
            if j is not None and j != i:
                keep_apart.add((min(i, j), max(i, j)))

    by_person: dict[str, list[int]] = defaultdict(list)
    for i, a in enumerate(apps):
        if a.person is not None:
            by_person[a.person].append(i)
    siblings = {
        i: tuple(j for j in same if j != i)
        for same in by_person.values()
        if len(same) > 1
        for i in same
    }

    venue_slots = [set(v.slots) for v in venues]
    app_venues: dict[int, list[int]] = defaultdict(list)
    for i, v in applicant_km:
        app_venues[i].append(v)
    starter_venues: dict[int, list[int]] = defaultdict(list)
    for s, v in starter_km:
        starter_venues[s].append(v)

    # Raw clusters: everyone of a class who can reach the venue and make the slot.
    raw: dict[tuple[str, str, int, str], list[int]] = defaultdict(list)
    near: dict[tuple[str, str, int], list[int]] = defaultdict(list)
    for i, a in enumerate(apps):
        for v in app_venues[i]:
            near[(a.topic, a.age_band, v)].append(i)
            for slot in set(a.slots) & venue_slots[v]:
                if venues[v].groups_per_slot > 0:
                    raw[(a.topic, a.age_band, v, slot)].append(i)
    starter_pool: dict[tuple[str, int, str], list[int]] = defaultdict(list)
    for s, st in enumerate(starters):
        for v in starter_venues[s]:
            for slot in set(st.slots) & venue_slots[v]:
                for topic in st.topics:
                    starter_pool[(topic, v, slot)].append(s)

    clusters: list[Cluster] = []
    applicant_clusters: list[list[int]] = [[] for _ in apps]
    # Per applicant: the furthest stage reached, to explain exclusions.
    has_time = [False] * len(apps)
    has_age = [False] * len(apps)
    for key in sorted(raw):
        topic, band, v, slot = key
        members = sorted(raw[key])
        if len(members) < cfg.min_size:
            continue
        for i in members:
            has_time[i] = True
        ok = _age_feasible([apps[i].age for i in members], cfg.max_age_span, cfg.min_size)
        members = [i for i, good in zip(members, ok, strict=True) if good]
        if len(members) < cfg.min_size:
            continue
        for i in members:
            has_age[i] = True
        pool = sorted(set(starter_pool.get((topic, v, slot), ())))
        if len(pool) < cfg.starters_min:
            continue
        cluster = Cluster(
            len(clusters), topic, band, v, slot, members, pool, venues[v].groups_per_slot
        )
        clusters.append(cluster)
        for i in members:
            applicant_clusters[i].append(cluster.index)

    static: dict[int, tuple[str, str]] = {}
    for i, a in enumerate(apps):
        if applicant_clusters[i]:
            continue
        if not app_venues[i]:
            static[i] = (
                REASON_NO_PEERS_NEARBY,
                f"No venue lies within {cfg.max_travel_km:g} km.",
            )
        elif max(len(near[(a.topic, a.age_band, v)]) for v in app_venues[i]) < cfg.min_size:
            static[i] = (
                REASON_NO_PEERS_NEARBY,
                f"Fewer than {cfg.min_size - 1} others with the topic '{a.topic}' and age band "
                f"{a.age_band} live within reach of a shared venue.",
            )
        elif not has_time[i]:
            static[i] = (
                REASON_NO_COMMON_TIME,
                f"Others with the same topic live nearby, but fewer than {cfg.min_size} "
                "share a time that a venue offers.",
            )
        elif not has_age[i]:
            static[i] = (
                REASON_AGE_SPAN,
                f"Peers share a time and place, but fewer than {cfg.min_size} are within "
                f"{cfg.max_age_span} years of age of each other.",
            )
        else:
            static[i] = (
                REASON_NO_STARTER_FREE,
                "A group could meet, but no starter for this topic can make that time and place.",
            )
    return Prepared(
        instance,
        clusters,
        applicant_clusters,
        applicant_km,
        starter_km,
        keep_apart,
        static,
        siblings,
    )
