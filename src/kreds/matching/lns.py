"""Large-neighbourhood search: free a few venues or pieces, re-solve them exactly.

A *neighbourhood* is a set of clusters whose groups are taken out of the
current plan; every other group stays fixed and keeps its rooms, starters and
members. CP-SAT then solves the freed clusters against what is left, starting
from the groups just removed (so it can only match or beat them), and the
result replaces them when it is at least as good. Plans stay feasible at
every step.

Two kinds of neighbourhood alternate:

* venues: a random venue and its nearest neighbours, every cluster held there
  (groups of different topics may trade rooms and starters);
* pieces: a random piece (one topic and band in one area) and pieces that
  compete with it for rooms or starters.
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
        self.pieces = pieces
        self.size = {ci: _cluster_size(prep, ci) for ci in cluster_ids}
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
    use_pieces = False
    while time.monotonic() + 0.5 < deadline:
        chosen = hoods.piece_set(rng) if use_pieces else hoods.venue_set(rng)
        use_pieces = not use_pieces and bool(hoods.pieces)
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
