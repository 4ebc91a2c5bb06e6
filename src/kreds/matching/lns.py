"""Large-neighbourhood search: free a few venues or pieces, re-solve them exactly.

A *neighbourhood* is a set of clusters whose groups are taken out of the
current plan; every other group stays fixed and keeps its rooms, starters and
members. CP-SAT then solves the freed clusters against what is left, starting
from the groups just removed (so it can only match or beat them), and the
result replaces them when it is at least as good. Plans stay feasible at
every step.

Two kinds of neighbourhood alternate, venues and pieces (or blocks):

* venues: a random venue and its nearest neighbours, every cluster held there
  (groups of different topics may trade rooms and starters);
* pieces: a random piece (one topic and band in one area) and pieces that
  compete with it for rooms or starters;
* blocks, where there are no pieces small enough to re-solve whole (a
  national organisation, whose pieces span regions): the groups of one topic
  and band at the venues nearest a random cluster, in every slot, and then
  groups of other kinds held in the same rooms. This lets one kind of group
  move people between venues and times, which venue neighbourhoods cannot;
  on the national instance it raised the 120 s plan from 6.26M to 6.68M.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict

import numpy as np

from .cpmodel import PlannedGroup, Resources, solve_clusters
from .explain import group_value
from .prepare import Prepared


def _value(prep: Prepared, groups: list[PlannedGroup]) -> float:
    return sum(group_value(prep, g) for g in groups)


# A block neighbourhood takes up to this many times the target in groups of one
# kind, then rivals for their rooms up to half the target more. Measured on the
# national instance (120 s): factors 1.2, 2 and 3 gave 6.57M, 6.68M and 6.40M.
BLOCK_FACTOR = 2


class Neighbourhoods:
    """Draws cluster sets of about ``target`` model variables."""

    def __init__(
        self, prep: Prepared, cluster_ids: list[int], pieces: list[list[int]], target: int
    ) -> None:
        self.prep = prep
        self.target = target
        self.by_venue: dict[int, list[int]] = defaultdict(list)
        for ci in cluster_ids:
            self.by_venue[prep.clusters[ci].venue].append(ci)
        self.venues = sorted(self.by_venue)
        inst = prep.instance
        lat = np.radians([inst.venues[v].lat for v in self.venues])
        lon = np.radians([inst.venues[v].lon for v in self.venues])
        x = np.column_stack([lat, lon * np.cos(lat.mean())])
        # Venues ordered by distance from each venue (planar approximation).
        self.nearest = np.argsort(((x[:, None, :] - x[None, :, :]) ** 2).sum(axis=2), axis=1)
        self.position = {v: n for n, v in enumerate(self.venues)}
        self.block_target = BLOCK_FACTOR * target
        self.pieces = pieces
        self.cluster_ids = list(cluster_ids)
        self.size = {ci: _cluster_size(prep, ci) for ci in cluster_ids}
        self.by_key_venue: dict[tuple, dict[int, list[int]]] = defaultdict(
            lambda: defaultdict(list)
        )
        self.by_room: dict[tuple[int, str], list[int]] = defaultdict(list)
        for ci in cluster_ids:
            c = prep.clusters[ci]
            self.by_key_venue[c.key][c.venue].append(ci)
            self.by_room[(c.venue, c.slot)].append(ci)
        owners: dict[tuple, set[int]] = defaultdict(set)
        for n, piece in enumerate(pieces):
            for ci in piece:
                c = prep.clusters[ci]
                owners[("r", c.venue, c.slot)].add(n)
                for s in c.starters:
                    owners[("s", s)].add(n)
        self.rivals: list[set[int]] = [set() for _ in pieces]
        for group in owners.values():
            for n in group:
                self.rivals[n] |= group - {n}

    def venue_set(self, rng: random.Random) -> list[int]:
        seed = rng.randrange(len(self.venues))
        chosen: list[int] = []
        total = 0
        for k in self.nearest[seed]:
            clusters = self.by_venue[self.venues[int(k)]]
            if chosen and total + sum(self.size[ci] for ci in clusters) > self.target:
                break
            chosen.extend(clusters)
            total += sum(self.size[ci] for ci in clusters)
        return chosen

    def kinds(self) -> list:
        """The neighbourhoods drawn in turn: venues, and pieces where pieces are
        small enough to re-solve whole, otherwise one kind of group in an area."""
        return [self.venue_set, self.piece_set if self.pieces else self.block_set]

    def block_set(self, rng: random.Random) -> list[int]:
        """One topic and age band around a random cluster (every slot, the nearest
        venues first), then groups of other kinds competing for the same rooms."""
        seed = self.prep.clusters[rng.choice(self.cluster_ids)]
        venues = self.by_key_venue[seed.key]
        chosen: list[int] = []
        total = 0
        for k in self.nearest[self.position[seed.venue]]:
            clusters = venues.get(self.venues[int(k)], [])
            extra = sum(self.size[ci] for ci in clusters)
            if chosen and total + extra > self.block_target:
                break
            chosen.extend(clusters)
            total += extra
        own = set(chosen)
        rooms = sorted({(self.prep.clusters[ci].venue, self.prep.clusters[ci].slot) for ci in own})
        rivals = [ci for room in rooms for ci in self.by_room[room] if ci not in own]
        rng.shuffle(rivals)
        for ci in rivals:
            if total + self.size[ci] <= self.block_target + self.target // 2:
                chosen.append(ci)
                total += self.size[ci]
        return chosen

    def piece_set(self, rng: random.Random) -> list[int]:
        if not self.pieces:
            return []
        n = rng.randrange(len(self.pieces))
        picked = [n]
        total = sum(self.size.get(ci, 0) for ci in self.pieces[n])
        rivals = sorted(self.rivals[n])
        rng.shuffle(rivals)
        for m in rivals:
            extra = sum(self.size.get(ci, 0) for ci in self.pieces[m])
            if total + extra > self.target:
                continue
            picked.append(m)
            total += extra
        return [ci for m in picked for ci in self.pieces[m] if ci in self.size]


def _cluster_size(prep: Prepared, ci: int) -> int:
    c = prep.clusters[ci]
    copies = max(1, min(c.rooms, len(c.members) // prep.instance.config.min_size))
    return copies * (len(c.members) + len(c.starters))


def improve(
    prep: Prepared,
    plan: list[PlannedGroup],
    hoods: Neighbourhoods,
    base: Resources,
    deadline: float,
    workers: int,
    step_seconds: float = 2.0,
    seed: int = 1,
    solve_prep: Prepared | None = None,
) -> tuple[list[PlannedGroup], int]:
    """Improve ``plan`` until the deadline; returns the best plan and the moves made.

    ``base`` holds the resources before any group of ``plan`` is committed.
    ``solve_prep`` may be a pruned copy of ``prep`` (same cluster indices,
    fewer members) to keep the sub-models small.
    """
    rng = random.Random(seed)
    current = list(plan)
    value = _value(prep, current)
    moves = 0
    kinds = hoods.kinds()
    turn = 0
    while time.monotonic() + 0.5 < deadline:
        chosen = kinds[turn % len(kinds)](rng)
        turn += 1
        if not chosen:
            continue
        inside_ids = set(chosen)
        inside = [g for g in current if g.cluster in inside_ids]
        outside = [g for g in current if g.cluster not in inside_ids]
        free = base.copy()
        free.commit(prep, outside)
        limit = min(step_seconds, deadline - time.monotonic())
        result = solve_clusters(solve_prep or prep, chosen, free, limit, inside, workers)
        if not free.fits(prep, result.groups):
            continue  # cannot happen with a correct model; never risk a broken plan
        new_value = _value(prep, result.groups) - _value(prep, inside)
        if new_value >= -1e-9:
            if new_value > 1e-9:
                moves += 1
            current = outside + result.groups
            value += new_value
    return current, moves
