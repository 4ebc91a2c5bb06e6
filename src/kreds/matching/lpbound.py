"""A proven upper bound from a linear relaxation solved with HiGHS.

The relaxation works on *windows*: a cluster (topic, band, venue, slot) split
into the maximal sets of its members whose ages fit within ``max_age_span``
(every group lies inside one of them). Variables, all continuous:

  a[i,w] in [0,1]   share of applicant i in window w
  g[w] in [0,rooms] number of groups formed in window w
  u[s,c] in [0,1]   share of starter s starting groups in cluster c

Rows (every one holds for the counts of any feasible plan, with each group
mapped to one window containing it):

  sum_w a[i,w] <= 1                   an applicant joins one group
  a[i,w] <= g[w]                      only members of formed groups count
  min_size g[w] <= sum_i a[i,w] <= max_size g[w]
  sum_{w at venue, slot} g[w] <= groups_per_slot
  starters_min sum_{w in c} g[w] <= sum_s u[s,c]
  sum_c u[s,c] <= max_groups[s];  sum_{c at slot} u[s,c] <= 1

The objective counts each member's exact value and drops the lone-gender
penalty and keep-apart rule (both only lower the true objective), so the LP
optimum bounds every feasible plan. The bound is not taken from HiGHS's
objective: for the duals y >= 0 it returns (after clipping to the right
sign), weak duality gives, for every x in the box,

    c x <= y b + sum_j max(0, c_j - (A^T y)_j) * upper_j,

which is recomputed here in float64 with a safety margin. Any y >= 0 makes
this valid, so numerical error or a time limit can only weaken the bound.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import tempfile
import time
from array import array
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .prepare import Prepared


@dataclass
class LpBound:
    bound: float  # exact units (not scaled)
    lp_value: float  # HiGHS's reported optimum, for diagnostics
    status: str
    columns: int
    rows: int


def windows(prep: Prepared, cluster_index: int) -> list[list[int]]:
    """Maximal member sets of a cluster whose ages fit within the span."""
    cfg = prep.instance.config
    c = prep.clusters[cluster_index]
    apps = prep.instance.applicants
    members = sorted(c.members, key=lambda i: apps[i].age)
    ages = [apps[i].age for i in members]
    span = cfg.max_age_span
    if span is None or ages[-1] - ages[0] <= span:
        return [members]
    found: list[tuple[int, int]] = []
    end = 0
    for start in range(len(members)):
        if start > 0 and ages[start] == ages[start - 1]:
            continue
        while end < len(members) and ages[end] - ages[start] <= span:
            end += 1
        if end - start >= cfg.min_size and (not found or end > found[-1][1]):
            found.append((start, end))
    return [members[lo:hi] for lo, hi in found]


class _Builder:
    """Collects an LP ``max c x, A x <= b, 0 <= x <= upper`` column by column."""

    def __init__(self) -> None:
        # Compact typed arrays: a national LP has millions of entries.
        self.cost = array("d")
        self.upper = array("d")
        self.rows = array("q")
        self.cols = array("q")
        self.vals = array("d")
        self.rhs = array("d")
        self.applicant = array("q")  # per column: applicant of an a column, else -1
        self.starter = array("q")  # per column: starter of a u column, else -1

    def column(self, cost: float, upper: float, applicant: int = -1, starter: int = -1) -> int:
        self.cost.append(cost)
        self.upper.append(upper)
        self.applicant.append(applicant)
        self.starter.append(starter)
        return len(self.cost) - 1

    def row(self, rhs: float) -> int:
        self.rhs.append(rhs)
        return len(self.rhs) - 1

    def entry(self, row: int, col: int, value: float) -> None:
        self.rows.append(row)
        self.cols.append(col)
        self.vals.append(value)


def _build(prep: Prepared, cluster_ids: list[int], link: bool = True) -> _Builder:
    cfg = prep.instance.config
    lp = _Builder()
    applicant_row: dict[int, int] = {}
    starter_row: dict[int, int] = {}
    starter_slot_row: dict[tuple[int, str], int] = {}
    room_row: dict[tuple[int, str], int] = {}
    starters = prep.instance.starters
    for ci in cluster_ids:
        c = prep.clusters[ci]
        room = (c.venue, c.slot)
        if room not in room_row:
            room_row[room] = lp.row(float(c.rooms))
        cover = lp.row(0.0) if cfg.starters_min > 0 else -1  # min g - sum u <= 0
        for members in windows(prep, ci):
            g = lp.column(0.0, float(min(c.rooms, len(members) // cfg.min_size)))
            lp.entry(room_row[room], g, 1.0)
            if cover >= 0:
                lp.entry(cover, g, float(cfg.starters_min))
            most = lp.row(0.0)  # sum a - max_size g <= 0
            least = lp.row(0.0)  # min_size g - sum a <= 0
            lp.entry(most, g, -float(cfg.max_size))
            lp.entry(least, g, float(cfg.min_size))
            for i in members:
                a = lp.column(prep.value(i, c.venue), 1.0, applicant=i)
                if i not in applicant_row:
                    applicant_row[i] = lp.row(1.0)
                lp.entry(applicant_row[i], a, 1.0)
                if link:
                    row = lp.row(0.0)  # a - g <= 0
                    lp.entry(row, a, 1.0)
                    lp.entry(row, g, -1.0)
                lp.entry(most, a, 1.0)
                lp.entry(least, a, -1.0)
        if cover < 0:
            continue
        # u[s,c]: groups of the whole cluster that starter s starts (one slot: at most 1).
        for s in c.starters:
            u = lp.column(0.0, 1.0, starter=s)
            lp.entry(cover, u, -1.0)
            if s not in starter_row:
                starter_row[s] = lp.row(float(starters[s].max_groups))
            lp.entry(starter_row[s], u, 1.0)
            key = (s, c.slot)
            if key not in starter_slot_row:
                starter_slot_row[key] = lp.row(1.0)
            lp.entry(starter_slot_row[key], u, 1.0)
    return lp


def child_process(module: str, directory: str) -> subprocess.Popen:
    """``python -m module directory`` with this package importable, output discarded."""
    package_root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
    return subprocess.Popen(  # noqa: S603 - fixed argv, no shell
        [sys.executable, "-m", module, directory],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def python_executable() -> bool:
    """Whether ``sys.executable`` is a Python interpreter (not, say, an app server)."""
    return bool(sys.executable) and "python" in os.path.basename(sys.executable).lower()


def _trivial(lp: _Builder) -> float:
    """Each applicant at their best value: bounds the LP at zero prices."""
    apps = np.frombuffer(lp.applicant, dtype=np.int64)
    cost = np.frombuffer(lp.cost, dtype=float)
    mask = apps >= 0
    if not mask.any():
        return 0.0
    best = np.zeros(int(apps.max()) + 1)
    np.maximum.at(best, apps[mask], np.maximum(cost[mask], 0.0))
    return float(best.sum()) + 1e-3


class LpJob:
    """The window relaxation, split into regions, solved by HiGHS in a child process.

    ``regions`` partitions the clusters (by venue). Each region's LP keeps its
    own copy of every applicant and starter row, which is valid; the copies of
    an applicant (or starter) that appears in several regions are tied by a
    Lagrangian price ``lam >= 0`` on the original row. For any prices,

        bound = sum_i lam_i * 1 + sum_s mu_s * max_groups_s
                + sum_regions (weak-duality bound of the region LP with
                               a-costs lowered by lam_i and u-costs by mu_s),

    is a valid upper bound (see docs/matching.md); the child process
    (lpsolve.py) improves the prices by subgradient steps and returns the
    smallest bound it computed. A single region needs no prices.

    ``start`` (the constructor) returns at once; ``result`` waits.
    """

    def __init__(
        self,
        prep: Prepared,
        regions: list[list[int]],
        seconds: float,
        target: float,
        threads: int = 1,
        link: bool = True,
    ) -> None:
        self.seconds = seconds
        self._deadline = time.monotonic() + max(1.0, seconds)
        self._dir = tempfile.TemporaryDirectory(prefix="kreds-lp-")
        self._process: subprocess.Popen | None = None
        built = [_build(prep, region, link) for region in regions]
        app_count = np.zeros(len(prep.instance.applicants), dtype=np.int64)
        starter_count = np.zeros(len(prep.instance.starters), dtype=np.int64)
        for lp in built:
            apps = np.frombuffer(lp.applicant, dtype=np.int64)
            app_count[np.unique(apps[apps >= 0])] += 1
            sts = np.frombuffer(lp.starter, dtype=np.int64)
            starter_count[np.unique(sts[sts >= 0])] += 1
        self.columns = sum(len(lp.cost) for lp in built)
        self.rows = sum(len(lp.rhs) for lp in built)
        if self.columns == 0 or not python_executable():
            return
        for n, lp in enumerate(built):
            apps = np.frombuffer(lp.applicant, dtype=np.int64)
            sts = np.frombuffer(lp.starter, dtype=np.int64)
            np.savez(
                os.path.join(self._dir.name, f"region{n}.npz"),
                cost=np.frombuffer(lp.cost, dtype=float),
                upper=np.frombuffer(lp.upper, dtype=float),
                rhs=np.frombuffer(lp.rhs, dtype=float),
                rows=np.frombuffer(lp.rows, dtype=np.int64),
                cols=np.frombuffer(lp.cols, dtype=np.int64),
                vals=np.frombuffer(lp.vals, dtype=float),
                # Only shared applicants and starters are priced.
                applicant=np.where((apps >= 0) & (app_count[np.maximum(apps, 0)] > 1), apps, -1),
                starter=np.where((sts >= 0) & (starter_count[np.maximum(sts, 0)] > 1), sts, -1),
                trivial=np.array(_trivial(lp)),
            )
        np.savez(
            os.path.join(self._dir.name, "meta.npz"),
            regions=np.array(len(built)),
            applicants=np.array(len(app_count)),
            max_groups=np.array([s.max_groups for s in prep.instance.starters], dtype=float),
            seconds=np.array(max(1.0, seconds)),
            deadline=np.array(time.monotonic() + max(1.0, seconds)),
            threads=np.array(threads),
            target=np.array(target),
        )
        del built
        self._process = child_process("kreds.matching.lpsolve", self._dir.name)

    def result(self) -> LpBound | None:
        """Wait for the child; None when it failed (no bound then)."""
        if self._process is None:
            self._dir.cleanup()
            return LpBound(0.0, 0.0, "empty", 0, 0) if self.columns == 0 else None
        try:
            self._process.wait(timeout=max(1.0, self._deadline - time.monotonic()) + 3.0)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        try:
            with np.load(os.path.join(self._dir.name, "out.npz")) as data:
                bound, value = float(data["bound"]), float(data["value"])
                status = str(data["status"])
        except (OSError, KeyError, ValueError):
            return None
        finally:
            self._dir.cleanup()
        if not math.isfinite(bound):
            return None
        return LpBound(bound, value, status, self.columns, self.rows)
