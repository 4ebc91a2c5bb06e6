"""A proven upper bound by Lagrangian relaxation, decomposed by room (venue and slot).

Relax, with prices ``lam[i] >= 0``, ``mu[s] >= 0`` and ``nu[s, slot] >= 0``,
the rows that tie rooms together: each applicant joins at most one group;
each starter starts at most ``max_groups`` groups and at most one per slot.
Drop keep-apart (a relaxation) and the lone-gender penalty (it is >= 0).
For every feasible plan ``x`` the objective then satisfies

    value(x) <= sum_rooms [sum over x's groups in the room of
                           (sum_members (value[i, venue] - lam[i])
                            - sum_starters (mu[s] + nu[s, slot]))]
                + sum lam + sum mu * max_groups + sum nu,

because each relaxed row's slack is >= 0 and is multiplied by a price
>= 0. Each room's bracket is at most the room's best choice of at most
``groups_per_slot`` groups, where a group lies inside one *window* (a
maximal set of a cluster's members whose ages fit within the span, see
lpbound.windows), has ``min_size..max_size`` members and pays for its
``starters_min`` cheapest starters. ``j`` disjoint groups of one window with
``m`` members in all are worth at most the ``m`` best reduced values, any
``5j <= m <= 8j`` (with the default sizes) being possible; different windows
may share applicants here (a further relaxation). So, for *any* prices,

    L(prices) = sum_rooms best_room(prices) + sum lam + sum mu max_groups + sum nu

bounds every feasible plan, and it is computed exactly (sorting and a small
knapsack per room), in float64 with a margin. Subgradient steps search for
low prices; the smallest L seen is the bound. At zero-slack prices
``lam[i] = best value of i`` it equals the per-applicant bound, so it is never
worse than that.

Plain numpy. It is valid and tested, but on the national benchmark it
converges too slowly to help within the engine's time limit (see
docs/matching.md), so the engine does not run it; ``python -m kreds.matching
bound`` runs it offline to certify a bound with more time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .lpbound import windows
from .prepare import Prepared

# Halve the step after this many rounds without a better bound.
STALL_ROUNDS = 4
MIN_THETA = 1e-4


@dataclass
class RoomData:
    """The relaxation's data as flat arrays (all indices are 0-based, dense)."""

    entry_window: np.ndarray  # per (window, member): window, sorted by window
    entry_app: np.ndarray  # applicant (dense index)
    entry_value: np.ndarray  # exact value of the member at the window's venue
    window_room: np.ndarray  # per window: room
    window_cluster: np.ndarray  # per window: cluster (dense index)
    cluster_slot: np.ndarray  # per cluster: slot (dense index)
    cs_cluster: np.ndarray  # per (cluster, starter): cluster, sorted
    cs_starter: np.ndarray  # starter (dense index)
    cs_pair: np.ndarray  # (starter, slot) pair (dense index)
    room_capacity: np.ndarray  # groups_per_slot per room
    max_groups: np.ndarray  # per starter
    applicants: int
    pairs: int
    min_size: int
    max_size: int
    starters_min: int
    room_keys: list[tuple[int, str]]  # per room: (venue, slot)
    starter_ids: list[int]  # per dense starter: the starter's index in the instance


def build(prep: Prepared, cluster_ids: list[int]) -> RoomData:
    cfg = prep.instance.config
    app_index: dict[int, int] = {}
    starter_index: dict[int, int] = {}
    pair_index: dict[tuple[int, str], int] = {}
    room_index: dict[tuple[int, str], int] = {}
    slot_index: dict[str, int] = {}
    e_win, e_app, e_val = [], [], []
    w_room, w_cluster = [], []
    c_slot, cs_c, cs_s, cs_p = [], [], [], []
    capacity: list[int] = []
    max_groups: list[int] = []
    for dense, ci in enumerate(cluster_ids):
        c = prep.clusters[ci]
        room = room_index.setdefault((c.venue, c.slot), len(room_index))
        if room == len(capacity):
            capacity.append(c.rooms)
        c_slot.append(slot_index.setdefault(c.slot, len(slot_index)))
        for s in c.starters:
            if s not in starter_index:
                starter_index[s] = len(starter_index)
                max_groups.append(prep.instance.starters[s].max_groups)
            cs_c.append(dense)
            cs_s.append(starter_index[s])
            cs_p.append(pair_index.setdefault((s, c.slot), len(pair_index)))
        for members in windows(prep, ci):
            w = len(w_room)
            w_room.append(room)
            w_cluster.append(dense)
            for i in members:
                e_win.append(w)
                e_app.append(app_index.setdefault(i, len(app_index)))
                e_val.append(prep.value(i, c.venue))
    return RoomData(
        np.array(e_win, dtype=np.int64),
        np.array(e_app, dtype=np.int64),
        np.array(e_val, dtype=float),
        np.array(w_room, dtype=np.int64),
        np.array(w_cluster, dtype=np.int64),
        np.array(c_slot, dtype=np.int64),
        np.array(cs_c, dtype=np.int64),
        np.array(cs_s, dtype=np.int64),
        np.array(cs_p, dtype=np.int64),
        np.array(capacity, dtype=np.int64),
        np.array(max_groups, dtype=float),
        len(app_index),
        len(pair_index),
        cfg.min_size,
        cfg.max_size,
        cfg.starters_min,
        list(room_index),
        list(starter_index),
    )


@dataclass
class Evaluation:
    bound: float
    use_app: np.ndarray
    use_starter: np.ndarray
    use_pair: np.ndarray
    room_value: np.ndarray  # best value per room
    chosen: list[tuple[int, int, int]]  # (window, copies, members)


class RoomRelaxation:
    """Evaluates L(prices) exactly, with the arg max for subgradient steps."""

    def __init__(self, data: RoomData) -> None:
        self.d = data
        d = data
        self.windows = len(d.window_room)
        self.rooms = len(d.room_capacity)
        counts = np.bincount(d.entry_window, minlength=self.windows)
        self.start = np.zeros(self.windows + 1, dtype=np.int64)
        np.cumsum(counts, out=self.start[1:])
        self.size = counts
        self.copies = int(d.room_capacity.max()) if self.rooms else 0
        # Best value of each applicant: the prices where L equals the per-applicant bound.
        self.best = np.full(d.applicants, -np.inf)
        np.maximum.at(self.best, d.entry_app, d.entry_value)
        clusters = len(d.cluster_slot)
        cs_counts = np.bincount(d.cs_cluster, minlength=clusters)
        self.cs_start = np.zeros(clusters + 1, dtype=np.int64)
        np.cumsum(cs_counts, out=self.cs_start[1:])
        self.window_order = np.argsort(d.window_room, kind="stable")
        self.room_start = np.zeros(self.rooms + 1, dtype=np.int64)
        np.cumsum(np.bincount(d.window_room, minlength=self.rooms), out=self.room_start[1:])

    def initial_prices(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        lam = np.maximum(self.best, 0.0)
        return lam, np.zeros(len(self.d.max_groups)), np.zeros(self.d.pairs)

    def _starter_cost(self, mu: np.ndarray, nu: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per cluster: cost of its starters_min cheapest starters, and the (cluster,
        starter) rows chosen (as a boolean mask over cs entries)."""
        d = self.d
        clusters = len(d.cluster_slot)
        k = d.starters_min
        chosen = np.zeros(len(d.cs_cluster), dtype=bool)
        if k == 0 or len(d.cs_cluster) == 0:
            return np.zeros(clusters), chosen
        price = mu[d.cs_starter] + nu[d.cs_pair]
        order = np.lexsort((price, d.cs_cluster))
        rank = np.arange(len(order)) - self.cs_start[d.cs_cluster[order]]
        take = order[rank < k]
        chosen[take] = True
        cost = np.bincount(d.cs_cluster[take], weights=price[take], minlength=clusters)
        return cost, chosen

    def evaluate(self, lam: np.ndarray, mu: np.ndarray, nu: np.ndarray) -> Evaluation:
        d = self.d
        lo, hi = d.min_size, d.max_size
        reduced = d.entry_value - lam[d.entry_app]
        order = np.lexsort((-reduced, d.entry_window))
        sorted_red = reduced[order]
        prefix = np.concatenate([[0.0], np.cumsum(sorted_red)])
        cost, starter_mask = self._starter_cost(mu, nu)
        wcost = cost[d.window_cluster]
        copies = max(1, self.copies)
        # value[j-1, w]: best j disjoint groups of window w; members[j-1, w]: their size.
        value = np.full((copies, self.windows), -np.inf)
        members = np.zeros((copies, self.windows), dtype=np.int64)
        base = prefix[self.start[:-1]]
        for j in range(1, copies + 1):
            for m in range(lo * j, hi * j + 1):
                ok = self.size >= m
                if not ok.any():
                    continue
                idx = np.where(ok, self.start[:-1] + m, self.start[:-1])
                v = np.where(ok, prefix[idx] - base - j * wcost, -np.inf)
                better = v > value[j - 1]
                value[j - 1] = np.where(better, v, value[j - 1])
                members[j - 1] = np.where(better, m, members[j - 1])
        room_value = np.zeros(self.rooms)
        chosen: list[tuple[int, int, int]] = []
        positive = value[0] > 0  # a window worth nothing alone is worth nothing in copies
        for r in np.unique(d.window_room[positive]).tolist():
            cap = int(d.room_capacity[r])
            ws = self.window_order[self.room_start[r] : self.room_start[r + 1]]
            ws = ws[positive[ws]]
            best, picks = _room_knapsack(value[:, ws], cap)
            room_value[r] = best
            for pos, j in picks:
                w = int(ws[pos])
                chosen.append((w, j, int(members[j - 1, w])))
        use_app = np.zeros(d.applicants)
        use_cluster = np.zeros(len(d.cluster_slot))
        for w, j, m in chosen:
            s = self.start[w]
            np.add.at(use_app, d.entry_app[order[s : s + m]], 1.0)
            use_cluster[d.window_cluster[w]] += j
        cs_use = np.where(starter_mask, use_cluster[d.cs_cluster], 0.0)
        use_starter = np.bincount(d.cs_starter, weights=cs_use, minlength=len(d.max_groups))
        use_pair = np.bincount(d.cs_pair, weights=cs_use, minlength=d.pairs)
        terms = [room_value.sum(), lam.sum(), (mu * d.max_groups).sum(), nu.sum()]
        total = float(sum(terms))
        # Rounding in float64 sums of up to millions of terms: a generous margin.
        scale = float(np.abs(room_value).sum() + np.abs(lam).sum())
        scale += float(np.abs(mu * d.max_groups).sum() + np.abs(nu).sum())
        margin = 1e-9 * scale + 1e-6 * (len(d.entry_value) + 1)
        return Evaluation(total + margin, use_app, use_starter, use_pair, room_value, chosen)


def _room_knapsack(value: np.ndarray, capacity: int) -> tuple[float, list[tuple[int, int]]]:
    """Best sum of ``value[j-1, w]`` over windows w, one j per window, sum of j <= capacity."""
    copies, count = value.shape
    limit = min(capacity, copies)
    if limit <= 0 or count == 0:
        return 0.0, []
    if limit == 1:
        pos = int(np.argmax(value[0]))
        return float(value[0, pos]), [(pos, 1)]
    # Only the best `limit` windows for each j can be in an optimal choice.
    keep: set[int] = set()
    for j in range(limit):
        row = value[j]
        top = np.argsort(-row)[:limit]
        keep.update(int(p) for p in top if np.isfinite(row[p]))
    best = {0: (0.0, [])}  # used capacity -> (value, picks)
    for pos in sorted(keep):
        new = dict(best)
        for used, (val, picks) in best.items():
            for j in range(1, limit - used + 1):
                v = value[j - 1, pos]
                if not np.isfinite(v):
                    continue
                key = used + j
                if key not in new or val + v > new[key][0]:
                    new[key] = (val + v, [*picks, (pos, j)])
        best = new
    val, picks = max(best.values(), key=lambda item: item[0])
    return float(val), picks


@dataclass
class Search:
    bound: float
    rounds: int
    lam: np.ndarray
    mu: np.ndarray
    nu: np.ndarray


def subgradient(
    relax: RoomRelaxation, target: float, seconds: float, rounds: int | None = None
) -> Search:
    """Projected subgradient (Polyak steps towards ``target``); the smallest L seen."""
    deadline = time.monotonic() + seconds
    d = relax.d
    lam, mu, nu = relax.initial_prices()
    best = Search(relax.evaluate(lam, mu, nu).bound, 0, lam.copy(), mu.copy(), nu.copy())
    theta, stall, done = 1.0, 0, 0
    while time.monotonic() < deadline and theta > MIN_THETA:
        if rounds is not None and done >= rounds:
            break
        ev = relax.evaluate(lam, mu, nu)
        done += 1
        if ev.bound < best.bound - 1e-9:
            best = Search(ev.bound, done, lam.copy(), mu.copy(), nu.copy())
            stall = 0
        else:
            stall += 1
            if stall >= STALL_ROUNDS:
                theta, stall = theta / 2, 0
        g_app = 1.0 - ev.use_app
        g_st = d.max_groups - ev.use_starter
        g_pair = 1.0 - ev.use_pair
        act_app = (g_app < 0) | (lam > 0)
        act_st = (g_st < 0) | (mu > 0)
        act_pair = (g_pair < 0) | (nu > 0)
        norm = float((g_app[act_app] ** 2).sum() + (g_st[act_st] ** 2).sum())
        norm += float((g_pair[act_pair] ** 2).sum())
        if norm <= 1e-12:
            break  # complementary slackness: this L is optimal for the relaxation
        gap = max(ev.bound - target, 1e-4 * abs(ev.bound))
        step = theta * gap / norm
        lam = np.maximum(0.0, lam - step * g_app)
        mu = np.maximum(0.0, mu - step * g_st)
        nu = np.maximum(0.0, nu - step * g_pair)
    best.rounds = done
    return best


def room_bound(prep: Prepared, cluster_ids: list[int], target: float, seconds: float) -> Search:
    """In-process: the bound for the given clusters (exact units)."""
    data = build(prep, cluster_ids)
    if len(data.entry_value) == 0:
        return Search(0.0, 0, np.zeros(0), np.zeros(0), np.zeros(0))
    return subgradient(RoomRelaxation(data), target, seconds)
