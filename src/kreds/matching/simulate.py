"""A year of waiting: today's practice against the engine run weekly.

A synthetic local centre (towns in a 60 km region, venues, starters) receives
arrivals week by week at per-topic rates. Groups run for GROUP_WEEKS weeks and
hold their room and starters meanwhile.

* Today's practice: each week, for each topic and age band, once min_size
  people wait, the coordinator looks at the first five in the queue, picks the
  time most of them share and the venue nearest to them, and starts a group of
  everyone in the queue (first come, first served) who can make it.
* Engine: each week ``solve`` runs on everyone waiting, with the rooms and
  starters still free.

After the arrivals stop, DRAIN_WEEKS more weeks let late arrivals be placed.
"""

from __future__ import annotations

import math
import random
import statistics
from dataclasses import dataclass, field

from .engine import solve
from .geo import haversine_km
from .model import Applicant, Config, Instance, Starter, Venue

TOPIC_RATES = {  # arrivals per week
    "grief": 3.2, "illness": 2.2, "divorce": 2.0, "loneliness": 1.8,
    "cancer": 1.4, "addiction-family": 1.0, "dementia-carer": 1.0, "anxiety": 0.8,
}  # fmt: skip
MEAN_AGE = {"grief": 62, "illness": 55, "divorce": 42, "loneliness": 58, "cancer": 57,
            "addiction-family": 45, "dementia-carer": 64, "anxiety": 35}  # fmt: skip
BANDS = [("18-34", 18, 34), ("35-54", 35, 54), ("55-74", 55, 74), ("75+", 75, 120)]
EVENING = ["mon-evening", "tue-evening", "wed-evening", "thu-evening"]
DAYTIME = ["mon-daytime", "wed-daytime", "fri-daytime", "sat-morning"]
GROUP_WEEKS = 16
DRAIN_WEEKS = 13
CONFIG = Config(min_size=5, max_size=8, starters_min=1, starters_max=2, max_travel_km=30.0,
                max_age_span=15)  # fmt: skip


@dataclass
class World:
    towns: list[tuple[float, float]]
    venues: list[Venue]
    starters: list[Starter]


@dataclass
class Running:
    ends_week: int
    venue: str
    slot: str
    starters: tuple[str, ...]


@dataclass
class Policy:
    """State of one policy's simulation."""

    waiting: dict[str, tuple[Applicant, int]] = field(default_factory=dict)  # id -> (a, day)
    running: list[Running] = field(default_factory=list)
    waited: dict[str, int] = field(default_factory=dict)  # id -> days to a place


def _point(rng: random.Random, town: tuple[float, float]) -> tuple[float, float]:
    spread = 3.0 if rng.random() < 0.8 else 9.0
    x, y = rng.gauss(town[0], spread), rng.gauss(town[1], spread)
    return 62.0 + y / 111.2, 10.0 + x / (111.2 * math.cos(math.radians(62.0)))


def _slots(rng: random.Random, age: int) -> tuple[str, ...]:
    share = 0.8 if age < 67 else 0.25
    picked: set[str] = set()
    for _ in range(rng.randint(2, 4)):
        picked.add(rng.choice(EVENING if rng.random() < share else DAYTIME))
    return tuple(sorted(picked))


def make_world(rng: random.Random) -> World:
    towns = [(rng.uniform(-30, 30), rng.uniform(-30, 30)) for _ in range(10)]
    venues = []
    for n in range(10):
        lat, lon = _point(rng, towns[n])
        venues.append(Venue(f"v{n}", lat, lon, tuple(rng.sample(EVENING + DAYTIME, 5)), 1))
    starters = []
    for n in range(30):
        lat, lon = _point(rng, rng.choice(towns))
        topics = tuple(sorted(set(rng.choices(list(TOPIC_RATES), list(TOPIC_RATES.values()), k=2))))
        starters.append(Starter(f"s{n}", topics, lat, lon, _slots(rng, 50), rng.choice([1, 1, 2])))
    return World(towns, venues, starters)


def arrivals(rng: random.Random, world: World, week: int) -> list[Applicant]:
    new = []
    for topic, rate in TOPIC_RATES.items():
        for _ in range(_poisson(rng, rate)):
            age = int(min(95, max(18, rng.gauss(MEAN_AGE[topic], 14))))
            band = next(name for name, low, high in BANDS if low <= age <= high)
            lat, lon = _point(rng, rng.choice(world.towns))
            gender = rng.choices(["female", "male", None], [0.66, 0.3, 0.04])[0]
            ident = f"w{week}-{len(new)}"
            new.append(Applicant(ident, topic, age, band, gender, lat, lon, _slots(rng, age)))
    return new


def _poisson(rng: random.Random, mean: float) -> int:
    count, threshold, product = 0, math.exp(-mean), rng.random()
    while product > threshold:
        count += 1
        product *= rng.random()
    return count


def _free(world: World, policy: Policy, week: int) -> tuple[list[Venue], list[Starter]]:
    policy.running = [r for r in policy.running if r.ends_week > week]
    busy_rooms = {(r.venue, r.slot) for r in policy.running}
    venues = [
        Venue(v.id, v.lat, v.lon, tuple(s for s in v.slots if (v.id, s) not in busy_rooms), 1)
        for v in world.venues
    ]
    starters = []
    for s in world.starters:
        mine = [r for r in policy.running if s.id in r.starters]
        busy = {r.slot for r in mine}
        left = s.max_groups - len(mine)
        if left > 0:
            slots = tuple(x for x in s.slots if x not in busy)
            starters.append(Starter(s.id, s.topics, s.lat, s.lon, slots, left))
    return venues, starters


def _start(policy: Policy, week: int, venue: str, slot: str, members, starters) -> None:
    policy.running.append(Running(week + GROUP_WEEKS, venue, slot, tuple(starters)))
    for ident in members:
        _, day = policy.waiting.pop(ident)
        policy.waited[ident] = week * 7 - day


def practice_week(world: World, policy: Policy, week: int) -> None:
    """Today's practice, one week."""
    cfg = CONFIG
    queues: dict[tuple[str, str], list[Applicant]] = {}
    for a, _day in sorted(policy.waiting.values(), key=lambda item: item[1]):
        queues.setdefault((a.topic, a.age_band), []).append(a)
    for (topic, _), queue in queues.items():
        if len(queue) < cfg.min_size:
            continue
        venues, starters = _free(world, policy, week)
        first = queue[:5]
        slot = max(EVENING + DAYTIME, key=lambda s: sum(s in a.slots for a in first))
        offering = [v for v in venues if slot in v.slots]
        if not offering:
            continue
        venue = min(
            offering, key=lambda v: sum(haversine_km(a.lat, a.lon, v.lat, v.lon) for a in first)
        )
        low = first[0].age - cfg.max_age_span // 2
        members = [
            a.id
            for a in queue
            if slot in a.slots
            and haversine_km(a.lat, a.lon, venue.lat, venue.lon) <= cfg.max_travel_km
            and low <= a.age <= low + cfg.max_age_span
        ][: cfg.max_size]
        helpers = [
            s.id
            for s in starters
            if topic in s.topics
            and slot in s.slots
            and haversine_km(s.lat, s.lon, venue.lat, venue.lon) <= cfg.max_travel_km
        ][: cfg.starters_min]
        if len(members) >= cfg.min_size and len(helpers) >= cfg.starters_min:
            _start(policy, week, venue.id, slot, members, helpers)


def engine_week(world: World, policy: Policy, week: int, time_limit: float) -> None:
    venues, starters = _free(world, policy, week)
    applicants = tuple(
        Applicant(a.id, a.topic, a.age, a.age_band, a.gender, a.lat, a.lon, a.slots, week * 7 - day)
        for a, day in policy.waiting.values()
    )
    instance = Instance(
        CONFIG, tuple(EVENING + DAYTIME), tuple(venues), applicants, tuple(starters)
    )
    solution = solve(instance, time_limit=time_limit)
    for g in solution.groups:
        _start(policy, week, g.venue, g.slot, g.members, g.starters)


@dataclass
class Outcome:
    name: str
    median_days: float
    p90_days: float
    within_90: float
    placed: int
    total: int

    def row(self) -> str:
        def days(value: float) -> str:
            return "never" if math.isinf(value) else f"{value:.0f}"

        return (
            f"{self.name:16} {days(self.median_days):>7} {days(self.p90_days):>7} "
            f"{100 * self.within_90:9.1f}% {self.placed:7d} / {self.total}"
        )


def _outcome(name: str, policy: Policy, ids: list[str]) -> Outcome:
    days = sorted(policy.waited.get(i, math.inf) for i in ids)
    if not days:
        return Outcome(name, math.inf, math.inf, 0.0, 0, 0)
    p90 = days[min(len(days) - 1, math.ceil(0.9 * len(days)) - 1)]
    within = sum(d <= 90 for d in days) / len(days)
    placed = sum(not math.isinf(d) for d in days)
    return Outcome(name, statistics.median(days), p90, within, placed, len(days))


@dataclass
class SimulationReport:
    weeks: int
    seed: int
    practice: Outcome
    engine: Outcome

    def text(self) -> str:
        lines = [
            f"Simulation: {self.weeks} weeks of arrivals (+{DRAIN_WEEKS} to drain), seed {self.seed}",
            f"{'policy':16} {'median':>7} {'p90':>7} {'<=90 days':>10} {'placed':>7}",
            self.practice.row(),
            self.engine.row(),
        ]
        p, e = self.practice, self.engine
        if not math.isinf(p.median_days) and not math.isinf(e.median_days):
            lines.append(
                f"median wait: {p.median_days - e.median_days:+.0f} days shorter with the engine"
            )
        lines.append(f"placed within 90 days: {100 * (e.within_90 - p.within_90):+.1f} points")
        return "\n".join(lines)


def run_simulation(seed: int = 1, weeks: int = 52, time_limit: float = 2.0) -> SimulationReport:
    rng = random.Random(seed)
    world = make_world(rng)
    practice, engine = Policy(), Policy()
    ids: list[str] = []
    for week in range(weeks + DRAIN_WEEKS):
        if week < weeks:
            for a in arrivals(rng, world, week):
                day = week * 7 + rng.randint(0, 6) - 7  # arrived during the past week
                practice.waiting[a.id] = (a, day)
                engine.waiting[a.id] = (a, day)
                ids.append(a.id)
        practice_week(world, practice, week)
        engine_week(world, engine, week, time_limit)
    return SimulationReport(
        weeks,
        seed,
        _outcome("today's practice", practice, ids),
        _outcome("engine weekly", engine, ids),
    )
