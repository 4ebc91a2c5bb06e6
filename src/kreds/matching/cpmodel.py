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

from .constraints import add_age_span, add_hint, add_keep_apart, add_lone_gender
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

    def copy(self) -> Resources:
        return Resources(
            dict(self.room_left),
            list(self.starter_left),
            [set(b) for b in self.starter_busy],
            set(self.placed),
        )

    def commit(self, prep: Prepared, groups: list[PlannedGroup]) -> None:
        for g in groups:
            c = prep.clusters[g.cluster]
            self.room_left[(c.venue, c.slot)] -= 1
            for s in g.starters:
                self.starter_left[s] -= 1
                self.starter_busy[s].add(c.slot)
            self.placed.update(g.members)
            for i in g.members:  # a person's other applications are placed with them
                self.placed.update(prep.siblings.get(i, ()))

    def fits(self, prep: Prepared, groups: list[PlannedGroup]) -> bool:
        rooms: dict[tuple[int, str], int] = defaultdict(int)
        starter_use: dict[int, int] = defaultdict(int)
        starter_slots: set[tuple[int, str]] = set()
        people: set[int] = set()
        for g in groups:
            c = prep.clusters[g.cluster]
            rooms[(c.venue, c.slot)] += 1
            if any(i in self.placed for i in g.members):
                return False
            persons = {prep.person_of(i) for i in g.members}
            if len(persons) < len(g.members) or people & persons:
                return False
            people |= persons
            for s in g.starters:
                starter_use[s] += 1
                if c.slot in self.starter_busy[s] or (s, c.slot) in starter_slots:
                    return False
                starter_slots.add((s, c.slot))
        if any(self.room_left.get(key, 0) < n for key, n in rooms.items()):
            return False
        return all(self.starter_left[s] >= n for s, n in starter_use.items())


@dataclass
class Prices:
    """Lagrangian prices (scaled) charged per group in a room and per starter use."""

    room: dict[tuple[int, str], int] = field(default_factory=dict)
    starter: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Cut:
    """A valid inequality: the clusters' scaled value, minus their groups' room and
    starter prices, is at most ``bound`` (a Lagrangian bound of a relaxation)."""

    clusters: tuple[int, ...]
    bound: int
    prices: Prices = field(default_factory=lambda: Prices())


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


@dataclass
class _ClusterVars:
    values: list = field(default_factory=list)  # literals with their exact-value coefficient
    coeffs: list[int] = field(default_factory=list)
    ys: list = field(default_factory=list)
    zs: list[tuple[int, object]] = field(default_factory=list)

    def expression(self, prices: Prices, room: tuple[int, str]) -> tuple[list, list[int]]:
        """Value of the cluster's groups minus what their rooms and starters cost."""
        lits, coeffs = list(self.values), list(self.coeffs)
        room_price = prices.room.get(room, 0)
        if room_price:
            lits.extend(self.ys)
            coeffs.extend([-room_price] * len(self.ys))
        for s, z in self.zs:
            if prices.starter.get(s, 0):
                lits.append(z)
                coeffs.append(-prices.starter[s])
        return lits, coeffs


def solve_clusters(
    prep: Prepared,
    cluster_ids: list[int],
    res: Resources,
    time_limit: float,
    hint: list[PlannedGroup] | None = None,
    workers: int = 2,
    prices: Prices | None = None,
    cuts: list[Cut] | None = None,
) -> SubResult:
    """Solve the groups of the given clusters exactly (up to the time limit).

    With ``prices`` the objective is the Lagrangian one (value minus prices).
    """
    cfg = prep.instance.config
    penalty = math.floor(cfg.weights.lone_gender * SCALE)
    prices = prices or Prices()
    model = cp_model.CpModel()
    per_cluster: dict[int, _ClusterVars] = {}
    by_applicant: dict[int, list] = defaultdict(list)
    by_starter: dict[int, list] = defaultdict(list)
    by_starter_slot: dict[tuple[int, str], list] = defaultdict(list)
    by_room: dict[tuple[int, str], list] = defaultdict(list)
    groups: list[tuple[int, object, dict[int, object], dict[int, object]]] = []

    for ci in cluster_ids:
        c = prep.clusters[ci]
        members = [i for i in c.members if i not in res.placed]
        starters = [
            s for s in c.starters if res.starter_left[s] > 0 and c.slot not in res.starter_busy[s]
        ]
        copies = _copies(prep, c, res, members, starters)
        if copies == 0:
            continue
        cv = per_cluster[ci] = _ClusterVars()
        values = {i: math.ceil(prep.value(i, c.venue) * SCALE) for i in members}
        for k in range(copies):
            y = model.new_bool_var(f"y{ci}_{k}")
            if cv.ys:
                model.add_implication(y, cv.ys[-1])  # symmetry: copies open in order
            cv.ys.append(y)
            by_room[(c.venue, c.slot)].append(y)
            xs: dict[int, object] = {}
            for pos, i in enumerate(members):
                if pos < k:  # symmetry: copy k's lowest member has position >= k
                    continue
                x = model.new_bool_var(f"x{i}_{ci}_{k}")
                model.add_implication(x, y)
                xs[i] = x
                by_applicant[prep.person_of(i)].append(x)  # one place per person
                cv.values.append(x)
                cv.coeffs.append(values[i])
            size = sum(xs.values())
            model.add(size >= cfg.min_size * y)
            model.add(size <= cfg.max_size * y)
            zs: dict[int, object] = {}
            if cfg.starters_min > 0:
                for s in starters:
                    z = model.new_bool_var(f"z{s}_{ci}_{k}")
                    model.add_implication(z, y)
                    zs[s] = z
                    cv.zs.append((s, z))
                    by_starter[s].append(z)
                    by_starter_slot[(s, c.slot)].append(z)
                # Using exactly starters_min starters loses nothing and saves starters.
                model.add(sum(zs.values()) == cfg.starters_min * y)
            add_keep_apart(model, prep, xs)
            add_age_span(model, prep, xs, ci, k)
            for lone in add_lone_gender(model, prep, xs):
                cv.values.append(lone)
                cv.coeffs.append(-penalty)
            groups.append((ci, y, xs, zs))
    if not groups:
        return SubResult([], 0, 0, True)

    for xs in by_applicant.values():
        model.add_at_most_one(xs)
    for s, zs in by_starter.items():
        if len(zs) > res.starter_left[s]:
            model.add(sum(zs) <= res.starter_left[s])
    for zs in by_starter_slot.values():
        model.add_at_most_one(zs)
    for key, ys in by_room.items():
        if len(ys) > res.room_left.get(key, 0):
            model.add(sum(ys) <= res.room_left.get(key, 0))
    for cut in cuts or ():
        lits: list = []
        coeffs: list[int] = []
        for ci in cut.clusters:
            if ci in per_cluster:
                c = prep.clusters[ci]
                more_lits, more_coeffs = per_cluster[ci].expression(cut.prices, (c.venue, c.slot))
                lits.extend(more_lits)
                coeffs.extend(more_coeffs)
        if lits:
            model.add(cp_model.LinearExpr.weighted_sum(lits, coeffs) <= cut.bound)
    obj_lits: list = []
    obj_coeffs: list[int] = []
    for ci, cv in per_cluster.items():
        c = prep.clusters[ci]
        more_lits, more_coeffs = cv.expression(prices, (c.venue, c.slot))
        obj_lits.extend(more_lits)
        obj_coeffs.extend(more_coeffs)
    model.maximize(cp_model.LinearExpr.weighted_sum(obj_lits, obj_coeffs))
    if hint:
        add_hint(model, groups, hint)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_limit)
    solver.parameters.num_workers = workers
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        # No solution in time: fall back to the trivial bound (every literal at its best).
        return SubResult([], 0, sum(k for k in obj_coeffs if k > 0), False)
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
