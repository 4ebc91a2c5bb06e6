"""Realistic benchmark instances with a fixed seed.

Towns with Zipf-like populations lie in a square region; venues are spread
over towns by population; applicants and starters live around towns (some in
the countryside). Topic frequencies, ages by topic, availability by age
(working age prefers evenings, older people daytime) and waiting times are
plausible guesses, not data.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

TOPICS = [
    ("grief", 0.20, 62),
    ("illness", 0.14, 55),
    ("divorce", 0.13, 42),
    ("loneliness", 0.12, 58),
    ("cancer", 0.09, 57),
    ("addiction-family", 0.07, 45),
    ("dementia-carer", 0.07, 64),
    ("anxiety", 0.06, 35),
    ("suicide-bereaved", 0.04, 48),
    ("ill-child", 0.03, 38),
    ("eating-disorder-family", 0.025, 44),
    ("burnout", 0.025, 41),
]
BANDS = [("18-34", 18, 34), ("35-54", 35, 54), ("55-74", 55, 74), ("75+", 75, 99)]
EVENING = ["mon-evening", "tue-evening", "wed-evening", "thu-evening"]
DAYTIME = ["mon-daytime", "wed-daytime", "fri-daytime", "sat-morning"]
SLOTS = EVENING + DAYTIME
CENTRE_LAT, CENTRE_LON = 56.2, 10.0  # a Nordic latitude; the map is synthetic


@dataclass(frozen=True)
class Size:
    name: str
    applicants: int
    topics: int
    towns: int
    region_km: float
    venues: int
    starters: int


LOCAL = Size("local", 200, 8, 10, 60.0, 10, 30)
NATIONAL = Size("national", 10_000, 12, 90, 330.0, 300, 1_400)
SIZES = {s.name: s for s in (LOCAL, NATIONAL)}


def band_of(age: int) -> str:
    for name, low, high in BANDS:
        if low <= age <= high:
            return name
    return BANDS[-1][0]


def _to_latlon(x_km: float, y_km: float) -> tuple[float, float]:
    lat = CENTRE_LAT + y_km / 111.2
    lon = CENTRE_LON + x_km / (111.2 * math.cos(math.radians(CENTRE_LAT)))
    return round(lat, 6), round(lon, 6)


def _place(rng: random.Random, town: tuple[float, float], region: float) -> tuple[float, float]:
    spread = 3.0 if rng.random() < 0.8 else 9.0  # town or countryside
    x = min(region / 2, max(-region / 2, rng.gauss(town[0], spread)))
    y = min(region / 2, max(-region / 2, rng.gauss(town[1], spread)))
    return _to_latlon(x, y)


def _slots_for(rng: random.Random, age: int, count: int) -> list[str]:
    evening_share = 0.8 if age < 67 else 0.25
    picked: set[str] = set()
    while len(picked) < count:
        pool = EVENING if rng.random() < evening_share else DAYTIME
        picked.add(rng.choice(pool))
    return sorted(picked, key=SLOTS.index)


def generate(size: Size, seed: int = 2024) -> dict:
    rng = random.Random(seed)
    half = size.region_km / 2
    towns = [(rng.uniform(-half, half), rng.uniform(-half, half)) for _ in range(size.towns)]
    weights = [1.0 / (rank + 1) ** 0.9 for rank in range(size.towns)]
    topics = TOPICS[: size.topics]
    topic_names = [t[0] for t in topics]
    topic_weights = [t[1] for t in topics]

    venues = []
    for n in range(size.venues):
        town = towns[n] if n < size.towns else rng.choices(towns, weights)[0]
        lat, lon = _place(rng, town, size.region_km)
        offered = sorted(rng.sample(SLOTS, rng.randint(3, 6)), key=SLOTS.index)
        rooms = rng.choices([1, 2, 3], [0.7, 0.25, 0.05])[0]
        venues.append(
            {"id": f"v{n + 1}", "lat": lat, "lon": lon, "slots": offered, "groups_per_slot": rooms}
        )

    applicants = []
    by_class_town: dict[tuple, list[str]] = {}
    for n in range(size.applicants):
        topic, _, mean_age = rng.choices(topics, topic_weights)[0]
        age = int(min(95, max(18, rng.gauss(mean_age, 14))))
        town_index = rng.choices(range(size.towns), weights)[0]
        lat, lon = _place(rng, towns[town_index], size.region_km)
        gender = rng.choices(["female", "male", "nonbinary", None], [0.66, 0.29, 0.01, 0.04])[0]
        ident = f"a{n + 1}"
        applicants.append(
            {
                "id": ident,
                "topic": topic,
                "age": age,
                "age_band": band_of(age),
                "gender": gender,
                "lat": lat,
                "lon": lon,
                "slots": _slots_for(rng, age, rng.randint(2, 4)),
                "waiting_days": min(365, int(rng.expovariate(1 / 60))),
                "keep_apart": [],
            }
        )
        key = (topic, band_of(age), town_index)
        peers = by_class_town.setdefault(key, [])
        if peers and rng.random() < 0.02:  # someone they know and prefer not to meet
            applicants[-1]["keep_apart"].append(rng.choice(peers))
        peers.append(ident)

    starters = []
    for n in range(size.starters):
        town = rng.choices(towns, weights)[0]
        lat, lon = _place(rng, town, size.region_km)
        count = min(len(topic_names), rng.choices([1, 2, 3], [0.5, 0.35, 0.15])[0])
        chosen: set[str] = set()
        while len(chosen) < count:
            chosen.add(rng.choices(topic_names, topic_weights)[0])
        starters.append(
            {
                "id": f"s{n + 1}",
                "topics": sorted(chosen),
                "lat": lat,
                "lon": lon,
                "slots": _slots_for(rng, 50, rng.randint(2, 4)),
                "max_groups": rng.choices([1, 2, 3], [0.6, 0.33, 0.07])[0],
            }
        )

    return {
        "config": {
            "min_size": 5,
            "max_size": 8,
            "starters_min": 1,
            "starters_max": 2,
            "max_travel_km": 30.0,
            "max_age_span": 15,
            "weights": {"placed": 1000, "wait_day": 1, "travel_km": 5, "lone_gender": 200},
        },
        "slots": SLOTS,
        "venues": venues,
        "applicants": applicants,
        "starters": starters,
    }
