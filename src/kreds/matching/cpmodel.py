"""The CP-SAT model for a set of clusters, given the rooms and starters still free.

Variables, for every cluster c and copy k < copies(c) (a venue may host more
than one group of a kind in a slot):
  y[c,k]    the group is formed
  x[a,c,k]  applicant a is a member (only for the cluster's members)
  z[s,c,k]  starter s starts it (only for the cluster's starters)
  lone[c,k,g]  the group has exactly one member of gender g and someone of
               another known gender (penalised)

The objective is integer: each coefficient is scaled by SCALE and rounded so
that the scaled objective of any solution is >= SCALE * its exact objective.
CP-SAT's bound divided by SCALE is therefore a valid upper bound of the exact
objective.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .prepare import Cluster, Prepared

SCALE = 100


@dataclass(frozen=True)
class PlannedGroup:
    cluster: int
    members: tuple[int, ...]
    starters: tuple[int, ...]


@dataclass
class Resources:
    """Rooms and starters not yet taken, and applicants already placed."""

    room_left: dict[tuple[int, str], int]
    starter_left: list[int]
    starter_busy: list[set[str]]
    placed: set[int] = field(default_factory=set)

    @classmethod
    def fresh(cls, prep: Prepared) -> Resources:
        rooms = {(c.venue, c.slot): c.rooms for c in prep.clusters}
        starters = prep.instance.starters
        return cls(rooms, [s.max_groups for s in starters], [set() for _ in starters])

    def commit(self, prep: Prepared, groups: list[PlannedGroup]) -> None:
        for g in groups:
            c = prep.clusters[g.cluster]
            self.room_left[(c.venue, c.slot)] -= 1
            for s in g.starters:
                self.starter_left[s] -= 1
                self.starter_busy[s].add(c.slot)
            self.placed.update(g.members)

    def fits(self, prep: Prepared, groups: list[PlannedGroup]) -> bool:
        rooms: dict[tuple[int, str], int] = defaultdict(int)
        starter_use: dict[int, int] = defaultdict(int)
        starter_slots: set[tuple[int, str]] = set()
        for g in groups:
            c = prep.clusters[g.cluster]
            rooms[(c.venue, c.slot)] += 1
            if any(i in self.placed for i in g.members):
                return False
            for s in g.starters:
                starter_use[s] += 1
                if c.slot in self.starter_busy[s] or (s, c.slot) in starter_slots:
                    return False
                starter_slots.add((s, c.slot))
        if any(self.room_left.get(key, 0) < n for key, n in rooms.items()):
            return False
        return all(self.starter_left[s] >= n for s, n in starter_use.items())


@dataclass
class SubResult:
    groups: list[PlannedGroup]
    objective: int  # scaled
    bound: int  # scaled
    optimal: bool


def _copies(
    prep: Prepared, c: Cluster, res: Resources, members: list[int], starters: list[int]
) -> int:
    cfg = prep.instance.config
    n = min(res.room_left.get((c.venue, c.slot), 0), len(members) // cfg.min_size)
    if cfg.starters_min > 0:
        n = min(n, len(starters) // cfg.starters_min)
    return max(0, n)


def solve_clusters(
    prep: Prepared,
    cluster_ids: list[int],
    res: Resources,
    time_limit: float,
    hint: list[PlannedGroup] | None = None,
    workers: int = 2,
) -> SubResult:
    """Solve the groups of the given clusters exactly (up to the time limit)."""
    inst = prep.instance
    cfg, w = inst.config, inst.config.weights
    model = cp_model.CpModel()
    obj_vars: list = []
    obj_coeffs: list[int] = []
    by_applicant: dict[int, list] = defaultdict(list)
    by_starter: dict[int, list] = defaultdict(list)
    by_starter_slot: dict[tuple[int, str], list] = defaultdict(list)
    by_room: dict[tuple[int, str], list] = defaultdict(list)
    groups: list[tuple[int, object, dict[int, object], dict[int, object]]] = []
    penalty = math.floor(w.lone_gender * SCALE)

    for ci in cluster_ids:
        c = prep.clusters[ci]
        members = [i for i in c.members if i not in res.placed]
        starters = [
            s for s in c.starters if res.starter_left[s] > 0 and c.slot not in res.starter_busy[s]
        ]
        copies = _copies(prep, c, res, members, starters)
        previous_y = None
        for k in range(copies):
            y = model.new_bool_var(f"y{ci}_{k}")
            if previous_y is not None:
                model.add_implication(y, previous_y)  # symmetry: copies open in order
            previous_y = y
            by_room[(c.venue, c.slot)].append(y)
            xs: dict[int, object] = {}
            for pos, i in enumerate(members):
                if pos < k:  # symmetry: copy k's lowest member has position >= k
                    continue
                x = model.new_bool_var(f"x{i}_{ci}_{k}")
                model.add_implication(x, y)
                xs[i] = x
                by_applicant[i].append(x)
                obj_vars.append(x)
                obj_coeffs.append(math.ceil(prep.value(i, c.venue) * SCALE))
            size = sum(xs.values())
            model.add(size >= cfg.min_size * y)
            model.add(size <= cfg.max_size * y)
            zs: dict[int, object] = {}
            if cfg.starters_min > 0 or cfg.starters_max > 0:
                for s in starters:
                    z = model.new_bool_var(f"z{s}_{ci}_{k}")
                    model.add_implication(z, y)
                    zs[s] = z
                    by_starter[s].append(z)
                    by_starter_slot[(s, c.slot)].append(z)
                # Using exactly starters_min starters loses nothing and saves starters.
                model.add(sum(zs.values()) == cfg.starters_min * y)
            _add_keep_apart(model, prep, xs)
            _add_age_span(model, prep, xs, ci, k)
            for lone in _add_lone_gender(model, prep, xs):
                obj_vars.append(lone)
                obj_coeffs.append(-penalty)
            groups.append((ci, y, xs, zs))

    for xs in by_applicant.values():
        model.add_at_most_one(xs)
    for s, zs in by_starter.items():
        model.add(sum(zs) <= res.starter_left[s])
    for zs in by_starter_slot.values():
        model.add_at_most_one(zs)
    for key, ys in by_room.items():
        model.add(sum(ys) <= res.room_left.get(key, 0))
    if not groups:
        return SubResult([], 0, 0, True)
    model.maximize(cp_model.LinearExpr.weighted_sum(obj_vars, obj_coeffs))
    if hint:
        _add_hint(model, groups, hint)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_limit)
    solver.parameters.num_workers = workers
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        # No solution in time: fall back to the trivial bound (every variable at 1).
        return SubResult([], 0, sum(c for c in obj_coeffs if c > 0), False)
    planned: list[PlannedGroup] = []
    for ci, y, xs, zs in groups:
        if solver.boolean_value(y):
            chosen = tuple(i for i, x in xs.items() if solver.boolean_value(x))
            starters_on = tuple(s for s, z in zs.items() if solver.boolean_value(z))
            planned.append(PlannedGroup(ci, chosen, starters_on))
    return SubResult(
        planned,
        round(solver.objective_value),
        math.floor(solver.best_objective_bound + 1e-6),
        status == cp_model.OPTIMAL,
    )


def _add_keep_apart(model: cp_model.CpModel, prep: Prepared, xs: dict[int, object]) -> None:
    if not prep.keep_apart:
        return
    for i, j in prep.keep_apart:
        if i in xs and j in xs:
            model.add_bool_or([xs[i].Not(), xs[j].Not()])


def _add_age_span(
    model: cp_model.CpModel, prep: Prepared, xs: dict[int, object], ci: int, k: int
) -> None:
    span = prep.instance.config.max_age_span
    if span is None or not xs:
        return
    ages = {i: prep.instance.applicants[i].age for i in xs}
    low, high = min(ages.values()), max(ages.values())
    if high - low <= span:
        return
    lo = model.new_int_var(low, high, f"age{ci}_{k}")
    for i, x in xs.items():
        model.add(lo <= ages[i]).only_enforce_if(x)
        model.add(lo >= ages[i] - span).only_enforce_if(x)


def _add_lone_gender(model: cp_model.CpModel, prep: Prepared, xs: dict[int, object]) -> list:
    """Penalty literals: gender g has exactly one member and another known gender is present."""
    if prep.instance.config.weights.lone_gender == 0:
        return []
    by_gender: dict[str, list] = defaultdict(list)
    for i, x in xs.items():
        gender = prep.instance.applicants[i].gender
        if gender is not None:
            by_gender[gender].append(x)
    if len(by_gender) < 2:
        return []
    present = {}
    for g, lits in by_gender.items():
        p = model.new_bool_var("")
        for x in lits:
            model.add_implication(x, p)
        present[g] = p
    lones = []
    for g, lits in by_gender.items():
        lone = model.new_bool_var("")
        many = model.new_bool_var("")
        model.add(sum(lits) >= 2 * many)
        for h, other in present.items():
            if h != g:
                # present[g] and present[h] and not many -> lone
                model.add_bool_or([present[g].Not(), other.Not(), many, lone])
        lones.append(lone)
    return lones


def _add_hint(model: cp_model.CpModel, groups: list, hint: list[PlannedGroup]) -> None:
    wanted: dict[int, list[PlannedGroup]] = defaultdict(list)
    for g in sorted(hint, key=lambda g: min(g.members)):
        wanted[g.cluster].append(g)
    used: dict[int, int] = defaultdict(int)
    for ci, y, xs, zs in groups:
        pick = None
        if used[ci] < len(wanted[ci]):
            candidate = wanted[ci][used[ci]]
            if all(i in xs for i in candidate.members):
                pick = candidate
                used[ci] += 1
        model.add_hint(y, pick is not None)
        for i, x in xs.items():
            model.add_hint(x, pick is not None and i in pick.members)
        for s, z in zs.items():
            model.add_hint(z, pick is not None and s in pick.starters)
