"""Solve an instance: decompose, run CP-SAT on each part, assemble and explain.

Decomposition
-------------
Clusters are linked when they share an applicant, a starter or a room
(venue and slot). Each connected *component* is independent of the others, so
components are solved separately and their objectives and bounds add up.

Within a component, clusters linked only by shared applicants form *pieces*
(one topic and age band in one area). For each component:

1. Relaxation: every piece is solved by CP-SAT as if it had all rooms and
   starters to itself. Dropping the coupling can only help, so the sum of the
   pieces' bounds is a valid upper bound.
2. First plan: pieces are committed one by one against the rooms and starters
   still free; a piece whose relaxed plan no longer fits is solved again.
3. Lagrangian bound (bound.py): contested rooms and starters get prices, the
   pieces are re-solved, and the best bound is kept. Each piece's priced bound
   is a valid cut for the coupled model.
4. Coupled solve: the component (or, when too big, each geographic region of
   it in turn) is solved as one CP-SAT model with those cuts, starting from
   the first plan. The better plan is kept.

The reported bound is the smallest valid one: the Lagrangian bound, or CP-SAT's
own bound on the whole coupled component when that is smaller.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from .bound import lagrangian_bound
from .construct import construct
from .cpmodel import SCALE, Cut, PlannedGroup, Resources, SubResult, solve_clusters
from .explain import build_solution, group_value
from .model import Instance
from .prepare import Prepared, prepare
from .solution import Solution

# A coupled model with at most this many applicant/starter-group variables is
# solved whole; bigger components are solved region by region.
JOINT_LIMIT = 6000
# Above this size a component is too big for exact relaxations within the time
# limit: candidates are pruned to each applicant's nearest venues and regions
# are solved in turn; the bound is then the per-applicant bound.
LARGE_LIMIT = 40000
NEAREST_VENUES = 4
# Shares of a component's time for the relaxation and the Lagrangian bound.
RELAXATION_SHARE = 0.15
LAGRANGIAN_SHARE = 0.3


@dataclass(frozen=True)
class ProgressEvent:
    phase: str  # "prepare", "solve", "relax", "couple", "done"
    done: int
    total: int
    seconds: float
    objective: float
    bound: float


ProgressCallback = Callable[[ProgressEvent], None]


class _UnionFind:
    def __init__(self, items: list[int]) -> None:
        self.parent = {i: i for i in items}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        self.parent[self.find(i)] = self.find(j)


def components(prep: Prepared, cluster_ids: list[int], coupled: bool) -> list[list[int]]:
    """Connected groups of clusters (through applicants; also starters and rooms if coupled)."""
    uf = _UnionFind(cluster_ids)
    wanted = set(cluster_ids)
    first: dict[tuple, int] = {}

    def link(key: tuple, ci: int) -> None:
        if key in first:
            uf.union(ci, first[key])
        else:
            first[key] = ci

    for ci in cluster_ids:
        c = prep.clusters[ci]
        for i in c.members:
            link(("a", i), ci)
        if coupled:
            link(("r", c.venue, c.slot), ci)
            for s in c.starters:
                link(("s", s), ci)
    parts: dict[int, list[int]] = {}
    for ci in sorted(wanted):
        parts.setdefault(uf.find(ci), []).append(ci)
    return list(parts.values())


def model_size(prep: Prepared, cluster_ids: list[int]) -> int:
    cfg = prep.instance.config
    total = 0
    for ci in cluster_ids:
        c = prep.clusters[ci]
        copies = max(1, min(c.rooms, len(c.members) // cfg.min_size))
        total += copies * (len(c.members) + len(c.starters))
    return total


class _Budget:
    """Hands out the time left before a deadline in proportion to the work left."""

    def __init__(self, seconds: float, work: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.work = max(work, 1.0)

    def take(self, work: float) -> float:
        left = max(0.0, self.deadline - time.monotonic())
        share = left * min(1.0, work / self.work)
        self.work = max(self.work - work, 1.0)
        return max(0.05, share)


@dataclass
class _Outcome:
    groups: list[PlannedGroup]
    bound: int  # scaled
    optimal: bool
    pieces: int = 1
    lagrangian_rounds: int = 0


def solve(
    instance: Instance,
    time_limit: float = 60.0,
    progress: ProgressCallback | None = None,
    workers: int = 2,
) -> Solution:
    """Propose groups for an instance. See docs/matching.md."""
    started = time.monotonic()
    problems = instance.problems()
    if problems:
        raise ValueError("; ".join(problems))
    prep = prepare(instance)
    res = Resources.fresh(prep)
    comps = components(prep, list(range(len(prep.clusters))), coupled=True)
    sizes = [model_size(prep, comp) for comp in comps]
    budget = _Budget(time_limit - (time.monotonic() - started) - 0.3, float(sum(sizes)))
    chosen: list[PlannedGroup] = []
    bound_scaled = 0
    optimal = True
    stats = {"clusters": len(prep.clusters), "components": len(comps), "pieces": 0}
    stats["lagrangian_rounds"] = 0

    def report(phase: str, done: int, total: int) -> None:
        if progress is not None:
            elapsed = time.monotonic() - started
            progress(ProgressEvent(phase, done, total, elapsed, 0.0, bound_scaled / SCALE))

    report("prepare", 0, len(comps))
    for done, n in enumerate(sorted(range(len(comps)), key=lambda n: sizes[n]), start=1):
        outcome = _solve_component(prep, comps[n], res, budget.take(sizes[n]), workers, report)
        res.commit(prep, outcome.groups)
        chosen.extend(outcome.groups)
        bound_scaled += outcome.bound
        optimal = optimal and outcome.optimal
        stats["pieces"] += outcome.pieces
        stats["lagrangian_rounds"] = max(stats["lagrangian_rounds"], outcome.lagrangian_rounds)
        report("solve", done, len(comps))
    elapsed = time.monotonic() - started
    solution = build_solution(prep, chosen, bound_scaled / SCALE, optimal, elapsed)
    solution.stats.update(stats)
    if progress is not None:
        progress(
            ProgressEvent(
                "done", len(comps), len(comps), solution.seconds, solution.objective, solution.bound
            )
        )
    return solution


def _value(prep: Prepared, groups: list[PlannedGroup]) -> float:
    return sum(group_value(prep, g) for g in groups)


def _solve_component(
    prep: Prepared,
    comp: list[int],
    res: Resources,
    seconds: float,
    workers: int,
    report: Callable[[str, int, int], None],
) -> _Outcome:
    deadline = time.monotonic() + seconds
    size = model_size(prep, comp)
    if size > LARGE_LIMIT:
        return _solve_large(prep, comp, res, seconds, workers)
    pieces = components(prep, comp, coupled=False)
    if len(pieces) == 1 and size <= JOINT_LIMIT:
        result = solve_clusters(prep, comp, res, seconds, workers=workers)
        return _Outcome(result.groups, result.bound, result.optimal)

    # 1. Relaxation: each piece with all rooms and starters to itself.
    sizes = [model_size(prep, p) for p in pieces]
    fresh = Resources.fresh(prep)
    relax = _Budget(seconds * RELAXATION_SHARE, float(sum(sizes)))
    base: list[SubResult] = []
    for done, (piece, piece_size) in enumerate(zip(pieces, sizes, strict=True), start=1):
        base.append(solve_clusters(prep, piece, fresh, relax.take(piece_size), workers=workers))
        if done % 50 == 0:
            report("relax", done, len(pieces))
    relaxed_bound = sum(r.bound for r in base)

    # 2. A first feasible plan, piece by piece.
    first = _commit_pieces(prep, pieces, base, res.copy(), workers, relax.deadline + seconds * 0.1)
    first_value = _value(prep, first)

    # 3. Lagrangian bound.
    lagr_seconds = min(seconds * LAGRANGIAN_SHARE, deadline - time.monotonic())
    lagr = lagrangian_bound(prep, pieces, base, round(first_value * SCALE), lagr_seconds, workers)
    bound = min(relaxed_bound, lagr.bound)
    cuts = lagr.cuts(pieces, base)
    report("bound", len(pieces), len(pieces))

    # 4. Coupled solve with the cuts, starting from the first plan.
    left = deadline - time.monotonic()
    if size <= JOINT_LIMIT:
        joint = solve_clusters(prep, comp, res, left, hint=first, workers=workers, cuts=cuts)
        bound = min(bound, joint.bound)
        best = joint.groups if _value(prep, joint.groups) >= first_value else first
    else:
        regional = _solve_regions(prep, comp, res.copy(), left, first, cuts, workers)
        best = regional if _value(prep, regional) >= first_value else first
    optimal = round(_value(prep, best) * SCALE) >= bound
    return _Outcome(best, max(bound, 0), optimal, len(pieces), lagr.rounds)


def _commit_pieces(
    prep: Prepared,
    pieces: list[list[int]],
    relaxed: list[SubResult],
    res: Resources,
    workers: int,
    deadline: float,
) -> list[PlannedGroup]:
    """Most valuable pieces first; a piece keeps its relaxed plan if it still fits."""
    order = sorted(range(len(pieces)), key=lambda n: -relaxed[n].objective)
    pending = [n for n in order if not res.fits(prep, relaxed[n].groups)]
    budget = _Budget(deadline - time.monotonic(), float(len(pending) or 1))
    chosen: list[PlannedGroup] = []
    for n in order:
        plan = relaxed[n].groups
        if not res.fits(prep, plan):
            plan = solve_clusters(prep, pieces[n], res, budget.take(1.0), plan, workers).groups
        res.commit(prep, plan)
        chosen.extend(plan)
    return chosen


def _regions(prep: Prepared, comp: list[int], count: int) -> list[list[int]]:
    """Split a component's clusters into ``count`` regions by k-means on venue positions."""
    venues = sorted({prep.clusters[ci].venue for ci in comp})
    inst = prep.instance
    lat = np.array([inst.venues[v].lat for v in venues])
    lon = np.array([inst.venues[v].lon for v in venues]) * np.cos(np.radians(lat.mean()))
    points = np.column_stack([lat, lon])
    count = max(1, min(count, len(venues)))
    order = np.argsort(lat + lon)
    centres = points[order[np.linspace(0, len(venues) - 1, count).astype(int)]]
    for _ in range(20):
        labels = np.argmin(((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2), axis=1)
        for k in range(count):
            if np.any(labels == k):
                centres[k] = points[labels == k].mean(axis=0)
    region_of = {v: int(label) for v, label in zip(venues, labels, strict=True)}
    regions: dict[int, list[int]] = {}
    for ci in comp:
        regions.setdefault(region_of[prep.clusters[ci].venue], []).append(ci)
    return list(regions.values())


def _solve_regions(
    prep: Prepared,
    comp: list[int],
    res: Resources,
    seconds: float,
    first: list[PlannedGroup],
    cuts: list[Cut],
    workers: int,
) -> list[PlannedGroup]:
    """Solve the coupled model region by region against the resources still free."""
    count = -(-model_size(prep, comp) // JOINT_LIMIT)
    regions = _regions(prep, comp, count)
    sizes = [model_size(prep, r) for r in regions]
    budget = _Budget(seconds, float(sum(sizes)))
    chosen: list[PlannedGroup] = []
    for region, size in zip(regions, sizes, strict=True):
        inside = set(region)
        hint = [g for g in first if g.cluster in inside]
        result = solve_clusters(prep, region, res, budget.take(size), hint, workers, cuts=cuts)
        res.commit(prep, result.groups)
        chosen.extend(result.groups)
    return chosen


def applicant_bound(prep: Prepared, comp: list[int]) -> int:
    """Scaled sum over the component's applicants of their best possible value."""
    best: dict[int, int] = {}
    for ci in comp:
        c = prep.clusters[ci]
        for i in c.members:
            value = math.ceil(prep.value(i, c.venue) * SCALE)
            best[i] = max(best.get(i, 0), value)
    return sum(best.values())


def pruned(prep: Prepared, comp: list[int], nearest: int, keep_clusters: set[int]) -> Prepared:
    """A copy where each applicant keeps only clusters at their nearest venues,
    and every cluster in ``keep_clusters`` keeps all its members.

    Cluster indices are unchanged (pruned clusters just lose members), so plans
    made on the copy are valid plans for the original.
    """
    keep: dict[int, set[int]] = {}
    for ci in comp:
        for i in prep.clusters[ci].members:
            keep.setdefault(i, set()).add(prep.clusters[ci].venue)
    for i, venues in keep.items():
        keep[i] = set(sorted(venues, key=lambda v: prep.applicant_km[(i, v)])[:nearest])
    clusters = list(prep.clusters)
    min_size = prep.instance.config.min_size
    for ci in comp:
        c = clusters[ci]
        if ci in keep_clusters:
            continue
        members = [i for i in c.members if c.venue in keep[i]]
        clusters[ci] = replace(c, members=members if len(members) >= min_size else [])
    return replace(prep, clusters=clusters)


def _solve_large(
    prep: Prepared, comp: list[int], res: Resources, seconds: float, workers: int
) -> _Outcome:
    deadline = time.monotonic() + 0.9 * seconds  # model building is not in CP-SAT's limit
    start = construct(prep, comp, res.copy())
    small = pruned(prep, comp, NEAREST_VENUES, {g.cluster for g in start})
    live = [ci for ci in comp if small.clusters[ci].members]
    count = -(-model_size(small, live) // JOINT_LIMIT)
    regions = _regions(small, live, count)
    sizes = [model_size(small, r) for r in regions]
    budget = _Budget(deadline - time.monotonic(), float(sum(sizes)))
    # Large-neighbourhood search: re-solve one region with everything else fixed.
    current = list(start)
    for region, size in zip(regions, sizes, strict=True):
        inside_ids = set(region)
        inside = [g for g in current if g.cluster in inside_ids]
        outside = [g for g in current if g.cluster not in inside_ids]
        free = res.copy()
        free.commit(prep, outside)
        result = solve_clusters(small, region, free, budget.take(size), inside, workers)
        if _value(prep, result.groups) > _value(prep, inside):
            current = outside + result.groups
    chosen = current
    return _Outcome(chosen, applicant_bound(prep, comp), False, 0, 0)
