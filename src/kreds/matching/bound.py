"""Upper bounds by Lagrangian relaxation of the coupling between pieces.

A *piece* is a set of clusters linked by shared applicants: one topic and age
band in one area. Pieces interact only through rooms (venue and slot) and
starters. Dropping those coupling constraints and charging a price per group
in a contested room and per use of a contested starter gives, for any prices
>= 0, a valid upper bound

    L(prices) = sum over pieces of max(value - prices * use)
                + sum over rooms of price * capacity
                + sum over starters of price * max_groups,

where each piece's maximum is bounded by CP-SAT's proven bound on it. The
prices are improved by subgradient steps; the best L is kept. Each piece's
term also yields a valid cut for the coupled model (see ``Cut``).
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .cpmodel import Cut, PlannedGroup, Prices, Resources, SubResult, solve_clusters
from .prepare import Prepared


@dataclass
class LagrangianResult:
    bound: int  # scaled
    prices: Prices
    piece_bounds: list[int]  # at the best prices
    rounds: int
    plans: list[list[PlannedGroup]] = field(default_factory=list)  # last relaxed plans

    def cuts(self, pieces: list[list[int]], base: list[SubResult]) -> list[Cut]:
        made = [Cut(tuple(p), r.bound) for p, r in zip(pieces, base, strict=True)]
        if self.rounds > 0:
            made += [
                Cut(tuple(p), b, self.prices)
                for p, b in zip(pieces, self.piece_bounds, strict=True)
            ]
        return made


def topic_blocks(prep: Prepared, pieces: list[list[int]], limit: int) -> list[list[int]]:
    """Pieces of one topic merged into blocks of at most ``limit`` model variables.

    Pieces of a topic compete for the same starters (and often rooms); inside a
    block that competition is modelled exactly, so pricing only what blocks
    share gives a tighter Lagrangian bound, at the cost of larger sub-models.
    """
    from .engine import model_size

    ordered = sorted(pieces, key=lambda p: (prep.clusters[p[0]].topic, -model_size(prep, p)))
    blocks: list[list[int]] = []
    sizes: list[int] = []
    for piece in ordered:
        size = model_size(prep, piece)
        topic = prep.clusters[piece[0]].topic
        if blocks and prep.clusters[blocks[-1][0]].topic == topic and sizes[-1] + size <= limit:
            blocks[-1] = blocks[-1] + piece
            sizes[-1] += size
        else:
            blocks.append(list(piece))
            sizes.append(size)
    return blocks


def _contested(prep: Prepared, pieces: list[list[int]]) -> tuple[set, set]:
    rooms: dict[tuple[int, str], set[int]] = defaultdict(set)
    starters: dict[int, set[int]] = defaultdict(set)
    for n, piece in enumerate(pieces):
        for ci in piece:
            c = prep.clusters[ci]
            rooms[(c.venue, c.slot)].add(n)
            for s in c.starters:
                starters[s].add(n)
    return (
        {r for r, owners in rooms.items() if len(owners) > 1},
        {s for s, owners in starters.items() if len(owners) > 1},
    )


def _touches(prep: Prepared, piece: list[int], prices: Prices) -> bool:
    for ci in piece:
        c = prep.clusters[ci]
        if (c.venue, c.slot) in prices.room or any(s in prices.starter for s in c.starters):
            return True
    return False


def lagrangian_bound(
    prep: Prepared,
    pieces: list[list[int]],
    base: list[SubResult],
    target: int,
    seconds: float,
    workers: int = 2,
    start: Prices | None = None,
) -> LagrangianResult:
    """Improve the sum of the pieces' relaxed bounds by pricing rooms and starters.

    ``base`` holds each piece solved with no prices; ``target`` is the objective
    of a known feasible solution (scaled), used to size the subgradient steps.
    ``start`` (scaled prices, e.g. an LP's duals) is where the search begins;
    without it the search begins at zero prices.
    """
    deadline = time.monotonic() + seconds
    fresh = Resources.fresh(prep)
    rooms, starters = _contested(prep, pieces)
    capacity = {r: fresh.room_left[r] for r in rooms}
    starter_cap = {s: prep.instance.starters[s].max_groups for s in starters}
    best = LagrangianResult(sum(r.bound for r in base), Prices(), [r.bound for r in base], 0)
    best.plans = [r.groups for r in base]
    if not rooms and not starters:
        return best
    piece_of_room: dict[tuple[int, str], set[int]] = defaultdict(set)
    piece_of_starter: dict[int, set[int]] = defaultdict(set)
    for n, piece in enumerate(pieces):
        for ci in piece:
            c = prep.clusters[ci]
            piece_of_room[(c.venue, c.slot)].add(n)
            for s in c.starters:
                piece_of_starter[s].add(n)

    room_price = dict.fromkeys(rooms, 0.0)
    starter_price = dict.fromkeys(starters, 0.0)
    bounds = [r.bound for r in base]
    plans = [r.groups for r in base]
    theta, stall, rounds = 1.0, 0, 0
    if start is not None:
        room_price.update({r: float(p) for r, p in start.room.items() if r in rooms})
        starter_price.update({s: float(p) for s, p in start.starter.items() if s in starters})
        prices = Prices(
            {r: round(p) for r, p in room_price.items() if round(p) > 0},
            {s: round(p) for s, p in starter_price.items() if round(p) > 0},
        )
        priced = [n for n in range(len(pieces)) if _touches(prep, pieces[n], prices)]
        for n in priced:
            per_piece = max(0.05, (deadline - time.monotonic()) / (2 * max(1, len(priced))))
            result = solve_clusters(
                prep, pieces[n], fresh, per_piece, workers=workers, prices=prices
            )
            bounds[n], plans[n] = result.bound, result.groups
        if time.monotonic() < deadline:
            rounds = 1
            value = sum(bounds) + sum(p * capacity[r] for r, p in prices.room.items())
            value += sum(p * starter_cap[s] for s, p in prices.starter.items())
            if value < best.bound:
                best = LagrangianResult(
                    value, prices, list(bounds), rounds, [list(p) for p in plans]
                )
        else:  # no time to finish: the unpriced bounds stand
            bounds = [r.bound for r in base]
            plans = [r.groups for r in base]
            room_price = dict.fromkeys(rooms, 0.0)
            starter_price = dict.fromkeys(starters, 0.0)
    while time.monotonic() < deadline and theta > 0.01:
        use_room: Counter = Counter()
        use_starter: Counter = Counter()
        for plan in plans:
            for g in plan:
                c = prep.clusters[g.cluster]
                use_room[(c.venue, c.slot)] += 1
                use_starter.update(g.starters)
        grad_room = {r: capacity[r] - use_room[r] for r in rooms}
        grad_starter = {s: starter_cap[s] - use_starter[s] for s in starters}
        # Only violated constraints, or priced slack ones, move the prices.
        norm = sum(g * g for r, g in grad_room.items() if g < 0 or room_price[r] > 0)
        norm += sum(g * g for s, g in grad_starter.items() if g < 0 or starter_price[s] > 0)
        current = sum(bounds) + sum(round(room_price[r]) * capacity[r] for r in rooms)
        current += sum(round(starter_price[s]) * starter_cap[s] for s in starters)
        if norm == 0:
            break
        step = theta * max(current - target, 0.02 * current) / norm
        changed: set[int] = set()
        for r, g in grad_room.items():
            new = max(0.0, room_price[r] - step * g)
            if round(new) != round(room_price[r]):
                changed |= piece_of_room[r]
            room_price[r] = new
        for s, g in grad_starter.items():
            new = max(0.0, starter_price[s] - step * g)
            if round(new) != round(starter_price[s]):
                changed |= piece_of_starter[s]
            starter_price[s] = new
        prices = Prices(
            {r: round(p) for r, p in room_price.items() if round(p) > 0},
            {s: round(p) for s, p in starter_price.items() if round(p) > 0},
        )
        left = deadline - time.monotonic()
        if left <= 0:
            break
        for n in sorted(changed):
            per_piece = max(0.05, (deadline - time.monotonic()) / max(1, len(changed)))
            result = solve_clusters(
                prep, pieces[n], fresh, per_piece, workers=workers, prices=prices
            )
            bounds[n], plans[n] = result.bound, result.groups
            if time.monotonic() > deadline:
                break
        else:
            rounds += 1
            value = sum(bounds) + sum(p * capacity[r] for r, p in prices.room.items())
            value += sum(p * starter_cap[s] for s, p in prices.starter.items())
            if value < best.bound:
                best = LagrangianResult(
                    value, prices, list(bounds), rounds, [list(p) for p in plans]
                )
                stall = 0
            else:
                stall += 1
                if stall >= 3:
                    theta, stall = theta / 2, 0
            continue
        break  # ran out of time in the middle of a round: that round is incomplete
    return best
