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
   still free, then improved by large-neighbourhood search (lns.py).
3. Lagrangian bound (bound.py) over topic blocks: pieces of one topic merged,
   shared rooms and starters priced (only on components small enough for it
   to finish rounds; larger ones keep the LP bound and search instead).
4. More neighbourhood search with the time left.

Very large components (a national organisation) skip the exact relaxations:
a constructive plan is improved by neighbourhood search while a child
process computes an LP bound with HiGHS (lpbound.py). The reported bound is
the smallest valid one; docs/matching.md has the proofs.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from .bound import lagrangian_bound, topic_blocks
from .colgen import DualJob
from .construct import construct
from .cpmodel import SCALE, PlannedGroup, Prices, Resources, SubResult, solve_clusters
from .explain import build_solution, group_value
from .lns import Neighbourhoods, improve
from .lpbound import LpJob
from .model import Instance
from .prepare import Prepared, prepare
from .roombound import build as build_rooms
from .solution import Solution

# A coupled model with at most this many applicant/starter-group variables is
# solved whole; bigger components are solved region by region.
JOINT_LIMIT = 6000
# Above this size a component is too big for exact relaxations within the time
# limit: candidates are pruned to each applicant's nearest venues and regions
# are solved in turn; the bound is then the per-applicant bound.
LARGE_LIMIT = 40000
NEAREST_VENUES = 20
# Shares of a component's time: the relaxation (of the whole), then the
# search (of what is left), then the Lagrangian bound (of what is left).
RELAXATION_SHARE = 0.1
LNS_SHARE = 0.25
LAGRANGIAN_SHARE = 0.85
# Neighbourhoods of about this many model variables are re-solved exactly.
LNS_TARGET = 400
# Pieces of one topic are merged into blocks of at most this size for the
# Lagrangian bound; the blocks' unpriced solve gets this share of its time.
BLOCK_LIMIT = 400
# Components above this size skip the Lagrangian bound: their pieces (thousands of
# variables) are not closed by CP-SAT in seconds, and a region of 1,167 applicants
# (25k variables) finished one round in 600 s.
LAGRANGIAN_LIMIT = 4000
BLOCK_BASE_SHARE = 0.15
LARGE_LNS_TARGET = 500
# CP-SAT's limit per neighbourhood there: many short moves beat fewer long ones
# (national, 120 s: 0.1, 0.25, 0.5, 1, 2 and 4 s gave 6.72M, 6.76M, 6.72M,
# 6.66M, 6.61-6.68M and 6.48M).
LARGE_STEP_SECONDS = 0.25
# Share of a component's time the child computing LP prices (colgen.py) may take.
DUAL_SHARE = 0.2
# Below this many seconds for it, the child is not started (its start-up alone takes ~1 s).
DUAL_MIN_SECONDS = 2.0
# The LP child must finish this many seconds before the deadline.
LP_MARGIN_SECONDS = 4.0
# Share of its time a very large component spends before its result is assembled.
LARGE_TIME_SHARE = 0.9


@dataclass(frozen=True)
class ProgressEvent:
    phase: str  # "prepare", "relax", "bound", "solve", "done"
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
    """Connected groups of clusters (through applicants; if coupled, also through starters,
    rooms and a person's applications for other topics)."""
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
            for i in c.members:
                link(("a", prep.person_of(i)), ci)
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
    moves: int = 0


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
    stats["lns_moves"] = 0

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
        stats["lns_moves"] += outcome.moves
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
    # Room and starter prices from the LP of the room decomposition, computed in a
    # child process while the pieces are solved: where the Lagrangian search starts.
    # (Not worth a child process's start-up when the component has little time.)
    dual_seconds = DUAL_SHARE * seconds
    duals = None
    if dual_seconds >= DUAL_MIN_SECONDS:
        duals = DualJob(build_rooms(prep, comp), dual_seconds)

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

    # 2. A first feasible plan, piece by piece, then large-neighbourhood search.
    first = _commit_pieces(prep, pieces, base, res.copy(), workers, relax.deadline + seconds * 0.05)
    hoods = Neighbourhoods(prep, comp, pieces, LNS_TARGET)
    lns_end = time.monotonic() + LNS_SHARE * max(0.0, deadline - time.monotonic())
    best, moves = improve(prep, first, hoods, res, lns_end, workers)
    report("solve", 0, len(pieces))

    # 3. The Lagrangian bound over topic blocks, its steps sized by the plan found so far,
    # starting from the LP's prices when the child process found them.
    target = round(_value(prep, best) * SCALE)
    lp = duals.result() if duals is not None else None
    start = None
    if lp is not None:
        relaxed_bound = min(relaxed_bound, math.ceil(lp.bound * SCALE))
        start = Prices(
            {room: round(p * SCALE) for room, p in lp.room_duals.items()},
            {s: round(p * SCALE) for s, p in lp.starter_duals.items()},
        )
    # Above LAGRANGIAN_LIMIT it would not finish a round: the LP bound stands and
    # the time goes to the search.
    lagr_bound, rounds = relaxed_bound, 0
    if size <= LAGRANGIAN_LIMIT:
        bound_end = time.monotonic() + LAGRANGIAN_SHARE * max(0.0, deadline - time.monotonic())
        lagr_bound, rounds = _block_bound(prep, pieces, base, target, bound_end, workers, start)
    bound = min(relaxed_bound, lagr_bound)
    report("bound", len(pieces), len(pieces))

    # 4. More search with the time left: larger neighbourhoods, another random stream.
    wide = Neighbourhoods(prep, comp, pieces, 2 * LNS_TARGET)
    best, more = improve(prep, best, wide, res, deadline, workers, seed=2)
    optimal = round(_value(prep, best) * SCALE) >= bound
    return _Outcome(best, max(bound, 0), optimal, len(pieces), rounds, moves + more)


def _block_bound(
    prep: Prepared,
    pieces: list[list[int]],
    base: list[SubResult],
    target: int,
    deadline: float,
    workers: int,
    start: Prices | None = None,
) -> tuple[int, int]:
    """Scaled Lagrangian bound over topic blocks, and its number of rounds."""
    fresh = Resources.fresh(prep)
    blocks = topic_blocks(prep, pieces, BLOCK_LIMIT)
    block_base = base
    if len(blocks) < len(pieces):
        block_sizes = [model_size(prep, b) for b in blocks]
        share = BLOCK_BASE_SHARE * max(0.0, deadline - time.monotonic())
        block_budget = _Budget(share, float(sum(block_sizes)))
        block_base = [
            solve_clusters(prep, b, fresh, block_budget.take(n), workers=workers)
            for b, n in zip(blocks, block_sizes, strict=True)
        ]
    seconds = max(0.0, deadline - time.monotonic())
    lagr = lagrangian_bound(prep, blocks, block_base, target, seconds, workers, start)
    return min(sum(r.bound for r in block_base), lagr.bound), lagr.rounds


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
    """Constructive plan and neighbourhood search; the bound from the LP (lpbound.py),
    solved by HiGHS in a child process on one core while the search runs."""
    # Model building is not in CP-SAT's limit, and explaining 10,000 people takes time.
    deadline = time.monotonic() + LARGE_TIME_SHARE * seconds
    start = construct(prep, comp, res.copy())
    pieces = components(prep, comp, coupled=False)
    lp_seconds = deadline - time.monotonic() - LP_MARGIN_SECONDS
    job = LpJob(prep, pieces, lp_seconds, _value(prep, start)) if lp_seconds > 1 else None
    small = pruned(prep, comp, NEAREST_VENUES, {g.cluster for g in start})
    live = [ci for ci in comp if small.clusters[ci].members]
    hoods = Neighbourhoods(small, live, [], LARGE_LNS_TARGET)
    search_workers = 1 if job is not None and workers <= 2 else workers
    best, moves = improve(
        prep, start, hoods, res, deadline, search_workers, LARGE_STEP_SECONDS, solve_prep=small
    )
    bound = applicant_bound(prep, comp)
    lp = job.result() if job is not None else None
    if lp is not None and lp.columns:
        bound = min(bound, math.ceil(lp.bound * SCALE))
    return _Outcome(best, bound, False, len(pieces), 0, moves)
