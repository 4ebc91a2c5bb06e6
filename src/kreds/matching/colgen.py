"""The room Lagrangian's prices found by column generation (offline bound).

roombound.py proves ``L(lam, mu, nu)`` is an upper bound on every feasible
plan for *any* prices >= 0, and searches prices by subgradient steps. This
module finds better prices faster with a restricted master LP (Dantzig-Wolfe):

    max  sum_g value_g x_g
    s.t. sum_{g holds i} x_g <= 1                 per applicant
         sum_{g started by s} x_g <= max_groups_s  per starter
         sum_{g by s at slot} x_g <= 1             per starter and slot
         sum_{g in room} x_g <= groups_per_slot    per room
         0 <= x_g <= 1

over a growing set of single groups ``g`` (one window's best members and its
cluster's cheapest starters at the current prices). HiGHS's interior point
method solves it; its row duals, clipped to >= 0, are the next prices. Each
round adds, per room, the few groups whose reduced value beats the room's
dual. The bound reported is never the master's value: it is roombound's
``L`` evaluated at the (smoothed) prices, which is valid for any prices, so
an unconverged master or an inaccurate dual only weakens it. At convergence
``L`` meets the master's value, the Dantzig-Wolfe bound of the room
decomposition.

Prices are smoothed (Wentges): the next prices are ``alpha`` times the best
prices so far plus ``1 - alpha`` times the master's duals, which keeps the
duals from jumping between extreme points.

Imports highspy, so it must not share a process with OR-Tools (see
``kreds.matching``); ``python -m kreds.matching bound --method colgen`` runs
it without loading OR-Tools.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

import numpy as np

from .roombound import RoomData, RoomRelaxation

# New columns per room and round: the best few windows, not all of them.
COLUMNS_PER_ROOM = 4
SMOOTHING = 0.5
# Stop when the bound is within this share of the master's value.
TOLERANCE = 1e-4


@dataclass
class ColumnGeneration:
    bound: float  # proven (exact units)
    master: float  # the last restricted master's value (not a bound)
    rounds: int
    columns: int
    # The master's last duals (exact units) on rooms and starters, keyed like the
    # instance: (venue, slot) and starter index. Prices for bound.py's search.
    room_duals: dict[tuple[int, str], float]
    starter_duals: dict[int, float]


class _Master:
    """The restricted master LP in HiGHS, with rows for applicants, starters,
    (starter, slot) pairs and rooms, in that order."""

    def __init__(self, d: RoomData) -> None:
        import highspy

        self.h = _quiet(highspy.Highs)
        self.h.setOptionValue("threads", 1)
        self.h.setOptionValue("presolve", "off")
        self.h.setOptionValue("solver", "ipm")
        self.h.setOptionValue("run_crossover", "off")
        upper = np.concatenate(
            [
                np.ones(d.applicants),
                d.max_groups.astype(float),
                np.ones(d.pairs),
                d.room_capacity.astype(float),
            ]
        )
        none = np.array([], dtype=np.int32)
        lower = np.full(len(upper), -highspy.kHighsInf)
        self.h.addRows(len(upper), lower, upper, 0, none, none, np.array([], dtype=float))
        self.starter_row = d.applicants
        self.pair_row = self.starter_row + len(d.max_groups)
        self.room_row = self.pair_row + d.pairs
        self.columns = 0

    def add(
        self, room: int, members: np.ndarray, starters: np.ndarray, pairs: np.ndarray, value: float
    ) -> None:
        rows = np.concatenate(
            [members, self.starter_row + starters, self.pair_row + pairs, [self.room_row + room]]
        ).astype(np.int32)
        rows, counts = np.unique(rows, return_counts=True)
        self.h.addCol(-value, 0.0, 1.0, len(rows), rows, counts.astype(float))
        self.columns += 1

    def solve(self) -> tuple[float, tuple[np.ndarray, ...]]:
        self.h.run()
        duals = np.maximum(-np.asarray(self.h.getSolution().row_dual), 0.0)
        value = -self.h.getInfo().objective_function_value
        return value, (
            duals[: self.starter_row],
            duals[self.starter_row : self.pair_row],
            duals[self.pair_row : self.room_row],
            duals[self.room_row :],
        )


def _quiet(make):
    """HiGHS prints a banner on stdout when created, before any option can stop it;
    the command line prints its JSON there."""
    sys.stdout.flush()
    saved, devnull = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    try:
        made = make()
        made.setOptionValue("output_flag", False)
        return made
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def _new_columns(relax: RoomRelaxation, prices: tuple[np.ndarray, ...]) -> list[tuple]:
    """Single groups whose reduced value beats their room's price."""
    d = relax.d
    lam, mu, nu, rho = prices
    reduced = d.entry_value - lam[d.entry_app]
    order = np.lexsort((-reduced, d.entry_window))
    prefix = np.concatenate([[0.0], np.cumsum(reduced[order])])
    cost, chosen = relax._starter_cost(mu, nu)
    start = relax.start[:-1]
    best = np.full(relax.windows, -np.inf)
    size = np.zeros(relax.windows, dtype=np.int64)
    for m in range(d.min_size, d.max_size + 1):
        ok = relax.size >= m
        value = np.where(ok, prefix[np.where(ok, start + m, start)] - prefix[start], -np.inf)
        better = value > best
        best = np.where(better, value, best)
        size = np.where(better, m, size)
    gain = best - cost[d.window_cluster] - rho[d.window_room]
    found = np.nonzero(gain > 1e-6)[0]
    if len(found) == 0:
        return []
    rooms = d.window_room[found]
    ranked = np.lexsort((-gain[found], rooms))
    found, rooms = found[ranked], rooms[ranked]
    first = np.concatenate([[True], rooms[1:] != rooms[:-1]])
    rank = np.arange(len(found)) - np.maximum.accumulate(np.where(first, np.arange(len(found)), 0))
    columns = []
    for w in found[rank < COLUMNS_PER_ROOM].tolist():
        s = relax.start[w]
        picked = order[s : s + int(size[w])]
        c = int(d.window_cluster[w])
        rows = np.nonzero(chosen[relax.cs_start[c] : relax.cs_start[c + 1]])[0] + relax.cs_start[c]
        columns.append(
            (
                int(d.window_room[w]),
                d.entry_app[picked],
                d.cs_starter[rows],
                d.cs_pair[rows],
                float(d.entry_value[picked].sum()),
            )
        )
    return columns


def column_generation(
    data: RoomData, seconds: float, smoothing: float = SMOOTHING
) -> ColumnGeneration:
    """The smallest L found within ``seconds`` (exact units)."""
    deadline = time.monotonic() + seconds
    relax = RoomRelaxation(data)
    lam, mu, nu = relax.initial_prices()  # L here is the per-applicant bound
    rooms = relax.rooms
    center = (lam, mu, nu, np.zeros(rooms))
    bound = relax.evaluate(lam, mu, nu).bound
    master = _Master(data)
    duals = (np.zeros(data.applicants), np.zeros(len(mu)), np.zeros(len(nu)), np.zeros(rooms))
    value, rounds = 0.0, 0
    while time.monotonic() < deadline:
        rounds += 1
        if rounds == 1:
            trial = duals
        else:
            trial = tuple(
                smoothing * c + (1 - smoothing) * x for c, x in zip(center, duals, strict=True)
            )
        found = relax.evaluate(*trial[:3]).bound
        if found < bound:
            bound, center = found, trial
        if bound - value <= TOLERANCE * abs(bound):
            break
        columns = _new_columns(relax, trial) or _new_columns(relax, duals)
        if not columns:
            break  # the master's duals price every group out: L meets the master
        for column in columns:
            master.add(*column)
        value, duals = master.solve()
    # The master's last duals are prices too.
    bound = min(bound, relax.evaluate(*duals[:3]).bound)
    rooms_dual = {data.room_keys[r]: float(p) for r, p in enumerate(duals[3]) if p > 0}
    starters_dual = {data.starter_ids[s]: float(p) for s, p in enumerate(duals[1]) if p > 0}
    return ColumnGeneration(bound, value, rounds, master.columns, rooms_dual, starters_dual)


class DualJob:
    """``column_generation`` in a child process (highspy cannot share the engine's
    process with OR-Tools). ``result`` returns None when the child failed or
    did not finish in time: its prices only speed up a search, never decide a
    plan, so the engine simply goes on without them."""

    def __init__(self, data: RoomData, seconds: float) -> None:
        from .lpbound import child_process, python_executable

        self.deadline = time.monotonic() + seconds
        self._dir = tempfile.TemporaryDirectory(prefix="kreds-colgen-")
        self._process = None
        if len(data.entry_value) == 0 or not python_executable():
            return
        with open(os.path.join(self._dir.name, "in.pickle"), "wb") as handle:
            pickle.dump((data, max(0.2, seconds - 1.0)), handle)  # less its start-up
        self._process = child_process("kreds.matching.colgen", self._dir.name)

    def result(self) -> ColumnGeneration | None:
        try:
            if self._process is None:
                return None
            try:
                self._process.wait(timeout=max(0.1, self.deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
                return None
            try:
                with open(os.path.join(self._dir.name, "out.pickle"), "rb") as handle:
                    found = pickle.load(handle)  # noqa: S301 - written by our own child
            except (OSError, EOFError, pickle.UnpicklingError):
                return None
            return found if isinstance(found, ColumnGeneration) else None
        finally:
            self._dir.cleanup()


def _child(directory: str) -> None:
    # Run as __main__: take the function from the module under its own name, so the
    # pickled result's class is kreds.matching.colgen.ColumnGeneration for the parent.
    from kreds.matching.colgen import column_generation as run

    with open(os.path.join(directory, "in.pickle"), "rb") as handle:
        data, seconds = pickle.load(handle)  # noqa: S301 - written by our parent
    found = run(data, seconds)
    with open(os.path.join(directory, "out.pickle.part"), "wb") as handle:
        pickle.dump(found, handle)
    os.replace(os.path.join(directory, "out.pickle.part"), os.path.join(directory, "out.pickle"))


if __name__ == "__main__":
    _child(sys.argv[1])
