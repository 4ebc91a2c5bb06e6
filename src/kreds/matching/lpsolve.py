"""Child process for the LP bound: ``python -m kreds.matching.lpsolve DIR``.

DIR holds ``meta.npz`` and one ``region<n>.npz`` per region, each an LP
``max c x, A x <= b, 0 <= x <= upper`` (see lpbound.py) with, per column, the
shared applicant or starter it belongs to (-1 if none). Writes ``out.npz``
with the best bound. It runs apart from the engine because highspy and
OR-Tools ship clashing copies of HiGHS; it imports only numpy and highspy.

Lagrangian scheme: with prices lam (shared applicants) and mu (shared
starters), region r's LP gets costs c - lam[applicant] - mu[starter]; for any
row duals y >= 0 of it, weak duality bounds its optimum by

    B_r = y b + sum_j max(0, c_j - (A^T y)_j) upper_j,

and sum_r B_r + sum lam + sum mu * max_groups bounds the whole problem.
Prices then move by projected subgradient steps on the relaxed rows.
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np

# Halve the subgradient step after this many rounds without a better bound.
STALL_ROUNDS = 3
# In the first pass a region may use this multiple of its even share of the time left.
FIRST_PASS_SLACK = 2.0
# With more regions than this each model is freed after the first pass (memory).
KEEP_REGIONS = 40


def safe_bound(
    cost: np.ndarray,
    upper: np.ndarray,
    rhs: np.ndarray,
    rows: np.ndarray,
    cols: np.ndarray,
    vals: np.ndarray,
    duals: np.ndarray,
) -> float:
    """Weak-duality bound for ``max c x, A x <= b, 0 <= x <= upper`` from any duals."""
    y = np.maximum(np.nan_to_num(duals, nan=0.0, posinf=0.0, neginf=0.0), 0.0)
    reduced = cost - np.bincount(cols, weights=vals * y[rows], minlength=len(cost))
    terms = y * rhs
    gains = np.maximum(reduced, 0.0) * upper
    total = float(terms.sum() + gains.sum())
    # Float64 sums of up to millions of terms: allow generously for rounding.
    margin = 1e-9 * float(np.abs(terms).sum() + np.abs(gains).sum()) + 1e-6 * len(cost)
    return total + margin + 1e-3


class _Region:
    def __init__(self, path: str, seconds: float, threads: int) -> None:
        import highspy

        data = np.load(path)
        self.base = data["cost"]
        self.upper, self.rhs = data["upper"], data["rhs"]
        self.rows, self.cols, self.vals = data["rows"], data["cols"], data["vals"]
        self.applicant, self.starter = data["applicant"], data["starter"]
        self.trivial = float(data["trivial"])  # a valid bound on this LP at zero prices
        n = len(self.base)
        order = np.lexsort((self.rows, self.cols))
        starts = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.cols, minlength=n), out=starts[1:])
        model = highspy.HighsLp()
        model.num_col_ = n
        model.num_row_ = len(self.rhs)
        model.sense_ = highspy.ObjSense.kMaximize
        model.col_cost_ = self.base
        model.col_lower_ = np.zeros(n)
        model.col_upper_ = self.upper
        model.row_lower_ = np.full(len(self.rhs), -highspy.kHighsInf)
        model.row_upper_ = self.rhs
        model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        model.a_matrix_.start_ = starts.astype(np.int32)
        model.a_matrix_.index_ = self.rows[order].astype(np.int32)
        model.a_matrix_.value_ = self.vals[order]
        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        self.highs.setOptionValue("threads", threads)
        self.highs.setOptionValue("time_limit", seconds)
        self.highs.passModel(model)
        self.app_cols = np.nonzero(self.applicant >= 0)[0]
        self.starter_cols = np.nonzero(self.starter >= 0)[0]
        self.cost = self.base.copy()
        self.value = 0.0

    def solve(self, lam: np.ndarray, mu: np.ndarray, seconds: float) -> tuple[float, np.ndarray]:
        """Returns the region's proven bound at these prices and its column values."""
        cost = self.base.copy()
        cost[self.app_cols] -= lam[self.applicant[self.app_cols]]
        cost[self.starter_cols] -= mu[self.starter[self.starter_cols]]
        changed = np.nonzero(cost != self.cost)[0]
        if len(changed):
            self.highs.changeColsCost(
                len(changed), changed.astype(np.int32), cost[changed].astype(float)
            )
        self.cost = cost
        self.highs.setOptionValue("time_limit", max(0.5, seconds))
        self.highs.run()
        solution = self.highs.getSolution()
        duals = np.asarray(solution.row_dual, dtype=float)
        values = np.asarray(solution.col_value, dtype=float)
        if len(duals) != len(self.rhs):
            duals = np.zeros(len(self.rhs))
        if len(values) != len(cost):
            values = np.zeros(len(cost))
        self.value = float(self.highs.getInfo().objective_function_value)
        bound = safe_bound(cost, self.upper, self.rhs, self.rows, self.cols, self.vals, duals)
        return bound, values


def _add_use(region: _Region, values: np.ndarray, use_app: np.ndarray, use_st: np.ndarray) -> None:
    np.add.at(use_app, region.applicant[region.app_cols], values[region.app_cols])
    np.add.at(use_st, region.starter[region.starter_cols], values[region.starter_cols])


def run(folder: str) -> None:
    started = time.monotonic()
    meta = np.load(os.path.join(folder, "meta.npz"))
    # An absolute deadline on the shared monotonic clock (Linux: CLOCK_MONOTONIC).
    deadline = min(started + float(meta["seconds"]), float(meta["deadline"]))
    threads, target = int(meta["threads"]), float(meta["target"])
    max_groups = meta["max_groups"]
    count = int(meta["regions"])
    paths = [os.path.join(folder, f"region{n}.npz") for n in range(count)]
    keep = count <= KEEP_REGIONS  # few regions: keep the models for Lagrangian rounds
    lam = np.zeros(int(meta["applicants"]))
    mu = np.zeros(len(max_groups))
    regions: list[_Region] = []
    # First pass at zero prices, smallest regions first: a region whose LP is
    # not solved in its share of the time counts with its trivial bound.
    order = sorted(range(count), key=lambda n: os.path.getsize(paths[n]))
    best, solved = 0.0, 0
    use_app, use_st = np.zeros(len(lam)), np.zeros(len(mu))
    for position, n in enumerate(order):
        share = (deadline - time.monotonic()) / max(1, count - position) * FIRST_PASS_SLACK
        region = _Region(paths[n], max(0.5, share), threads)
        bound = region.trivial
        if share > 0.2:
            solved_bound, values = region.solve(lam, mu, share)
            bound = min(bound, solved_bound)
            solved += 1
            _add_use(region, values, use_app, use_st)
        best += bound
        if keep:
            regions.append(region)
        del region  # frees the HiGHS model unless kept
    priced_app = np.unique(np.concatenate([r.applicant[r.app_cols] for r in regions] + [[]]))
    priced_st = np.unique(np.concatenate([r.starter[r.starter_cols] for r in regions] + [[]]))
    priced_app, priced_st = priced_app.astype(np.int64), priced_st.astype(np.int64)
    rounds, theta, stall, total = 1, 1.0, 0, best
    # Lagrangian rounds; only complete rounds count.
    while keep and solved == count and time.monotonic() < deadline:
        grad_app = 1.0 - use_app[priced_app]
        grad_st = max_groups[priced_st] - use_st[priced_st]
        # Projected subgradient: rows with slack and no price do not move.
        active_app = (grad_app < 0) | (lam[priced_app] > 0)
        active_st = (grad_st < 0) | (mu[priced_st] > 0)
        norm = float((grad_app[active_app] ** 2).sum() + (grad_st[active_st] ** 2).sum())
        if norm <= 1e-12:
            break
        step = theta * max(total - target, 0.01 * total) / norm
        lam[priced_app] = np.maximum(0.0, lam[priced_app] - step * grad_app)
        mu[priced_st] = np.maximum(0.0, mu[priced_st] - step * grad_st)
        total = float(lam[priced_app].sum() + (mu[priced_st] * max_groups[priced_st]).sum())
        use_app[:], use_st[:] = 0.0, 0.0
        for region in regions:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            bound, values = region.solve(lam, mu, left)
            total += bound
            _add_use(region, values, use_app, use_st)
        else:
            rounds += 1
            if total < best - 1e-6:
                best, stall = total, 0
            else:
                stall += 1
                if stall >= STALL_ROUNDS:
                    theta, stall = theta / 2, 0
            continue
        break
    values_sum = sum(region.value for region in regions)
    np.savez(
        os.path.join(folder, "out.npz"),
        bound=np.array(best),
        value=np.array(values_sum),
        status=np.array(f"rounds={rounds} solved={solved}/{count}"),
    )


if __name__ == "__main__":
    run(sys.argv[1])
