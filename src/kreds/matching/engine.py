"""Solve an instance: decompose, run CP-SAT on each part, assemble and explain.

Decomposition
-------------
Clusters are linked when they share an applicant, a starter or a room
(venue and slot). Each connected *component* is independent of the others, so
components are solved separately and their objectives and bounds add up.

A component small enough is solved as one exact CP-SAT model. A large one (a
national organisation is usually one big component, tied together by starters
and rooms) is split further into *pieces*: clusters linked only by shared
applicants, so each piece belongs to one topic and age band and one region.

1. Relaxation: every piece is solved as if it had all rooms and starters to
   itself. Dropping the coupling can only help, so the sum of the pieces'
   CP-SAT bounds is a valid upper bound for the whole component.
2. Coupling: pieces are committed one by one against the rooms and starters
   still free. A piece whose relaxed plan still fits is taken as is; otherwise
   it is solved again with what is left, starting from its relaxed plan.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from .cpmodel import SCALE, PlannedGroup, Resources, SubResult, solve_clusters
from .explain import build_solution
from .model import Instance
from .prepare import Prepared, prepare
from .solution import Solution

# A component with at most this many applicant-group variables is solved whole.
JOINT_LIMIT = 6000
# Share of a decomposed component's time spent on the relaxation.
RELAXATION_SHARE = 0.6


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
    """Hands out the remaining time in proportion to the work remaining."""

    def __init__(self, seconds: float, work: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.work = max(work, 1.0)

    def take(self, work: float) -> float:
        left = max(0.0, self.deadline - time.monotonic())
        share = left * work / self.work
        self.work = max(self.work - work, 1.0)
        return max(0.05, share)


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
    # Budget: a decomposed component needs its relaxation and coupling time.
    budget = _Budget(time_limit - (time.monotonic() - started) - 0.5, float(sum(sizes)))
    chosen: list[PlannedGroup] = []
    bound_scaled = 0
    optimal = True
    stats = {
        "clusters": len(prep.clusters),
        "components": len(comps),
        "decomposed": 0,
        "pieces": 0,
        "resolved": 0,
    }

    def report(phase: str, done: int, total: int) -> None:
        if progress is not None:
            progress(
                ProgressEvent(
                    phase, done, total, time.monotonic() - started, 0.0, bound_scaled / SCALE
                )
            )

    report("prepare", 0, len(comps))
    order = sorted(range(len(comps)), key=lambda n: sizes[n])
    for done, n in enumerate(order, start=1):
        comp, size = comps[n], sizes[n]
        if size <= JOINT_LIMIT:
            result = solve_clusters(prep, comp, res, budget.take(size), workers=workers)
            res.commit(prep, result.groups)
            chosen.extend(result.groups)
            bound_scaled += result.bound
            optimal = optimal and result.optimal
        else:
            stats["decomposed"] += 1
            groups, bound, exact, n_pieces, n_resolved = _solve_decomposed(
                prep, comp, res, budget.take(size), workers, report
            )
            chosen.extend(groups)
            bound_scaled += bound
            optimal = optimal and exact
            stats["pieces"] += n_pieces
            stats["resolved"] += n_resolved
        report("solve", done, len(comps))
    solution = build_solution(
        prep, chosen, bound_scaled / SCALE, optimal, time.monotonic() - started
    )
    solution.stats.update(stats)
    if progress is not None:
        progress(
            ProgressEvent(
                "done", len(comps), len(comps), solution.seconds, solution.objective, solution.bound
            )
        )
    return solution


def _solve_decomposed(
    prep: Prepared,
    comp: list[int],
    res: Resources,
    seconds: float,
    workers: int,
    report: Callable[[str, int, int], None],
) -> tuple[list[PlannedGroup], int, bool, int, int]:
    pieces = components(prep, comp, coupled=False)
    sizes = [model_size(prep, p) for p in pieces]
    relax_budget = _Budget(seconds * RELAXATION_SHARE, float(sum(sizes)))
    relaxed: list[SubResult] = []
    fresh = Resources.fresh(prep)
    for done, (piece, size) in enumerate(zip(pieces, sizes, strict=True), start=1):
        relaxed.append(solve_clusters(prep, piece, fresh, relax_budget.take(size), workers=workers))
        if done % 25 == 0:
            report("relax", done, len(pieces))
    bound = sum(r.bound for r in relaxed)
    exact = all(r.optimal for r in relaxed)

    # Commit the most valuable pieces first; they keep their relaxed plan if it fits.
    order = sorted(range(len(pieces)), key=lambda n: -relaxed[n].objective)
    pending = [n for n in order if not res.fits(prep, relaxed[n].groups)]
    couple_budget = _Budget(
        relax_budget.deadline - time.monotonic() + seconds * (1 - RELAXATION_SHARE),
        sum(sizes[n] for n in pending) or 1.0,
    )
    chosen: list[PlannedGroup] = []
    resolved = 0
    for done, n in enumerate(order, start=1):
        plan = relaxed[n]
        if not res.fits(prep, plan.groups):
            plan = solve_clusters(
                prep, pieces[n], res, couple_budget.take(sizes[n]), plan.groups, workers
            )
            resolved += 1
            exact = False
        res.commit(prep, plan.groups)
        chosen.extend(plan.groups)
        if done % 25 == 0:
            report("couple", done, len(pieces))
    return chosen, bound, exact, len(pieces), resolved
