"""Small hand-made instances for the engine's tests."""

from __future__ import annotations

import copy

BASE_LAT, BASE_LON = 59.9, 10.75
KM_LAT = 1 / 111.2  # degrees of latitude per km


def person(ident: str, km_north: float = 1.0, **overrides) -> dict:
    data = {
        "id": ident,
        "topic": "grief",
        "age": 50,
        "age_band": "35-54",
        "gender": "female",
        "lat": BASE_LAT + km_north * KM_LAT,
        "lon": BASE_LON,
        "slots": ["tue-evening"],
        "waiting_days": 10,
        "keep_apart": [],
    }
    data.update(overrides)
    return data


def venue(ident: str = "v1", km_north: float = 0.0, **overrides) -> dict:
    data = {
        "id": ident,
        "lat": BASE_LAT + km_north * KM_LAT,
        "lon": BASE_LON,
        "slots": ["tue-evening", "wed-evening"],
        "groups_per_slot": 1,
    }
    data.update(overrides)
    return data


def starter(ident: str = "s1", **overrides) -> dict:
    data = {
        "id": ident,
        "topics": ["grief"],
        "lat": BASE_LAT,
        "lon": BASE_LON,
        "slots": ["tue-evening", "wed-evening"],
        "max_groups": 2,
    }
    data.update(overrides)
    return data


def instance(applicants, venues=None, starters=None, **config) -> dict:
    cfg = {
        "min_size": 5,
        "max_size": 8,
        "starters_min": 1,
        "starters_max": 2,
        "max_travel_km": 30.0,
        "max_age_span": None,
        "weights": {"placed": 1000, "wait_day": 1, "travel_km": 5, "lone_gender": 200},
    }
    cfg.update(config)
    return {
        "config": cfg,
        "slots": ["tue-evening", "wed-evening"],
        "venues": copy.deepcopy(venues if venues is not None else [venue()]),
        "applicants": copy.deepcopy(applicants),
        "starters": copy.deepcopy(starters if starters is not None else [starter()]),
    }


def people(prefix: str, count: int, **overrides) -> list[dict]:
    return [person(f"{prefix}{n}", **overrides) for n in range(count)]
