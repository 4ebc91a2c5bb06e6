"""Property: random small instances always give solutions the checker accepts."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.checker import check
from kreds.matching import Instance, solve

SLOTS = ["mon", "tue", "wed"]
TOPICS = ["grief", "divorce"]


@st.composite
def instances(draw) -> dict:
    def point() -> tuple[float, float]:
        return (
            59.9 + draw(st.floats(-0.25, 0.25)),
            10.7 + draw(st.floats(-0.4, 0.4)),
        )

    min_size = draw(st.integers(2, 4))
    applicants = []
    count = draw(st.integers(0, 16))
    for n in range(count):
        lat, lon = point()
        age = draw(st.integers(20, 60))
        others = [f"a{k}" for k in range(n)]
        applicants.append(
            {
                "id": f"a{n}",
                "topic": draw(st.sampled_from(TOPICS)),
                "age": age,
                "age_band": "young" if age < 40 else "old",
                "gender": draw(st.sampled_from(["female", "male", "nonbinary", None])),
                "lat": lat,
                "lon": lon,
                "slots": draw(
                    st.lists(st.sampled_from(SLOTS), min_size=1, max_size=3, unique=True)
                ),
                "waiting_days": draw(st.integers(0, 300)),
                "keep_apart": draw(st.lists(st.sampled_from(others), max_size=1)) if others else [],
            }
        )
    venues = []
    for n in range(draw(st.integers(1, 3))):
        lat, lon = point()
        venues.append(
            {
                "id": f"v{n}",
                "lat": lat,
                "lon": lon,
                "slots": draw(
                    st.lists(st.sampled_from(SLOTS), min_size=1, max_size=3, unique=True)
                ),
                "groups_per_slot": draw(st.integers(0, 2)),
            }
        )
    starters = []
    for n in range(draw(st.integers(0, 3))):
        lat, lon = point()
        starters.append(
            {
                "id": f"s{n}",
                "topics": draw(
                    st.lists(st.sampled_from(TOPICS), min_size=1, max_size=2, unique=True)
                ),
                "lat": lat,
                "lon": lon,
                "slots": draw(
                    st.lists(st.sampled_from(SLOTS), min_size=1, max_size=3, unique=True)
                ),
                "max_groups": draw(st.integers(1, 2)),
            }
        )
    starters_min = draw(st.integers(0, 1))
    return {
        "config": {
            "min_size": min_size,
            "max_size": min_size + draw(st.integers(0, 3)),
            "starters_min": starters_min,
            "starters_max": starters_min + draw(st.integers(0, 1)),
            "max_travel_km": draw(st.sampled_from([10.0, 25.0, 60.0])),
            "max_age_span": draw(st.sampled_from([None, 5, 15])),
            "weights": {
                "placed": 1000,
                "wait_day": 1,
                "travel_km": 5,
                "lone_gender": draw(st.sampled_from([0, 200, 2000])),
            },
        },
        "slots": SLOTS,
        "venues": venues,
        "applicants": applicants,
        "starters": starters,
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_random_instances_solution_passes_checker(data):
    solution = solve(Instance.from_dict(data), time_limit=1.0).to_dict()
    report = check(data, solution)
    assert report.violations == []
    assert abs(report.objective - solution["objective"]) < 0.01
    assert solution["bound"] >= solution["objective"] - 1e-6
