"""The LP bound (HiGHS in a child process) and the neighbourhood search."""

from __future__ import annotations

import numpy as np
import pytest

from bench.checker import check
from bench.generate import Size, generate
from kreds.matching import Instance, solve
from kreds.matching.cpmodel import Resources, solve_clusters
from kreds.matching.engine import components
from kreds.matching.explain import group_value
from kreds.matching.lns import Neighbourhoods, improve
from kreds.matching.lpbound import LpJob, windows
from kreds.matching.lpsolve import safe_bound
from kreds.matching.prepare import prepare

SMALL = Size("small", 70, 3, 4, 25.0, 4, 8)


@pytest.fixture(scope="module")
def small_prep():
    return prepare(Instance.from_dict(generate(SMALL, seed=7)))


def test_windows_are_maximal_and_within_span(small_prep):
    prep = small_prep
    span = prep.instance.config.max_age_span
    ages = [a.age for a in prep.instance.applicants]
    for ci, cluster in enumerate(prep.clusters):
        found = windows(prep, ci)
        covered = {i for w in found for i in w}
        assert covered <= set(cluster.members)
        for w in found:
            assert len(w) >= prep.instance.config.min_size
            assert max(ages[i] for i in w) - min(ages[i] for i in w) <= span
        assert len({frozenset(w) for w in found}) == len(found)


def test_safe_bound_holds_for_any_duals():
    # max x + y, x + y <= 1, 0 <= x, y <= 1: optimum 1.
    cost, upper, rhs = np.array([1.0, 1.0]), np.array([1.0, 1.0]), np.array([1.0])
    rows, cols, vals = np.array([0, 0]), np.array([0, 1]), np.array([1.0, 1.0])
    for dual in (0.0, 0.3, 1.0, 5.0, -2.0):
        assert safe_bound(cost, upper, rhs, rows, cols, vals, np.array([dual])) >= 1.0
    assert safe_bound(cost, upper, rhs, rows, cols, vals, np.array([1.0])) < 1.01


@pytest.mark.parametrize("split", ["whole", "pieces"])
def test_lp_bound_is_above_the_exact_optimum(small_prep, split):
    prep = small_prep
    every = list(range(len(prep.clusters)))
    regions = [every] if split == "whole" else components(prep, every, coupled=False)
    exact = solve_clusters(prep, every, Resources.fresh(prep), 10.0)
    assert exact.optimal
    lp = LpJob(prep, regions, 2.0, target=exact.objective / 100).result()
    assert lp is not None
    assert lp.bound >= exact.objective / 100 - 1e-6


def test_neighbourhood_search_keeps_plans_feasible(small_prep):
    import time

    prep = small_prep
    every = list(range(len(prep.clusters)))
    pieces = components(prep, every, coupled=False)
    hoods = Neighbourhoods(prep, every, pieces, 60)
    plan, _ = improve(prep, [], hoods, Resources.fresh(prep), time.monotonic() + 1.5, 1)
    assert Resources.fresh(prep).fits(prep, plan)
    assert sum(group_value(prep, g) for g in plan) > 0


def test_block_neighbourhood_is_one_kind_nearby_plus_rivals_for_its_rooms(small_prep):
    import random

    prep = small_prep
    every = list(range(len(prep.clusters)))
    hoods = Neighbourhoods(prep, every, [], 40)
    rng = random.Random(3)
    for _ in range(20):
        chosen = hoods.block_set(rng)
        assert len(set(chosen)) == len(chosen)
        kinds = [prep.clusters[ci].key for ci in chosen]
        own = [ci for ci in chosen if prep.clusters[ci].key == kinds[0]]
        # Every cluster of that kind at the venues taken, in every slot.
        venues = {prep.clusters[ci].venue for ci in own}
        assert set(own) == {
            ci
            for ci in every
            if prep.clusters[ci].key == kinds[0] and prep.clusters[ci].venue in venues
        }
        rooms = {(prep.clusters[ci].venue, prep.clusters[ci].slot) for ci in own}
        for ci in chosen:
            if prep.clusters[ci].key != kinds[0]:
                assert (prep.clusters[ci].venue, prep.clusters[ci].slot) in rooms
        if len(venues) > 1:
            assert sum(hoods.size[ci] for ci in chosen) <= 2 * 40 + 20


def test_large_path_is_valid(monkeypatch):
    """Force the path national instances take: search plus the LP bound."""
    from kreds.matching import engine as engine_module

    monkeypatch.setattr(engine_module, "LARGE_LIMIT", 10)
    data = generate(SMALL, seed=11)
    solution = solve(Instance.from_dict(data), time_limit=4).to_dict()
    report = check(data, solution)
    assert report.ok
    assert report.objective == pytest.approx(solution["objective"], abs=0.01)
    assert solution["bound"] >= solution["objective"]


# --- The room-decomposed Lagrangian bound (roombound.py) ---------------------

ROOMY = Size("roomy", 45, 3, 3, 20.0, 3, 6)  # at least 3 topics: starters list up to 3


def _exact_optimum(prep) -> float:
    every = list(range(len(prep.clusters)))
    exact = solve_clusters(prep, every, Resources.fresh(prep), 20.0, workers=1)
    assert exact.optimal
    return sum(group_value(prep, g) for g in exact.groups)


def _scarce(seed: int, rooms: int) -> dict:
    """A small instance where topics compete for few rooms and starters."""
    data = generate(ROOMY, seed=seed)
    for v in data["venues"]:
        v["groups_per_slot"] = rooms
        v["slots"] = v["slots"][:3]
    return data


@pytest.mark.parametrize(("seed", "rooms"), [(1, 1), (2, 1), (3, 2), (4, 3), (5, 1)])
def test_room_bound_is_above_the_exact_optimum(seed, rooms):
    from kreds.matching.roombound import RoomRelaxation, build, subgradient

    prep = prepare(Instance.from_dict(_scarce(seed, rooms)))
    if not prep.clusters:
        pytest.skip("no cluster in this instance")
    optimum = _exact_optimum(prep)
    relax = RoomRelaxation(build(prep, list(range(len(prep.clusters)))))
    found = subgradient(relax, optimum, seconds=3.0, rounds=150)
    assert found.bound >= optimum - 1e-6
    # Any prices >= 0 give a valid bound, not only the ones the search found.
    rng = np.random.default_rng(seed)
    lam, mu, nu = relax.initial_prices()
    for _ in range(20):
        scale = rng.uniform(0.0, 1.5)
        prices = (
            lam * rng.uniform(0.0, scale, len(lam)),
            rng.uniform(0.0, 400.0, len(mu)),
            rng.uniform(0.0, 400.0, len(nu)),
        )
        assert relax.evaluate(*prices).bound >= optimum - 1e-6


def test_room_bound_at_start_is_the_per_applicant_bound(small_prep):
    from kreds.matching.engine import applicant_bound
    from kreds.matching.roombound import RoomRelaxation, build

    prep = small_prep
    every = list(range(len(prep.clusters)))
    relax = RoomRelaxation(build(prep, every))
    start = relax.evaluate(*relax.initial_prices()).bound
    assert start == pytest.approx(applicant_bound(prep, every) / 100, abs=1.0)


def test_room_bound_sees_one_room_for_two_topics(make_instance):
    """Two topics of five people each and one room: only one group can meet."""
    from kreds.matching.roombound import room_bound

    from .helpers import people, starter

    data = make_instance(
        people("g", 5) + people("d", 5, topic="divorce"),
        starters=[starter("s1", topics=["grief", "divorce"], max_groups=2)],
        venues=[{"id": "v1", "lat": 59.9, "lon": 10.75, "slots": ["tue-evening"]}],
    )
    prep = prepare(Instance.from_dict(data))
    optimum = _exact_optimum(prep)
    found = room_bound(prep, list(range(len(prep.clusters))), optimum, seconds=2.0)
    assert found.bound >= optimum - 1e-6
    assert found.bound <= optimum + 1.0  # the relaxation is exact here


def _cli_bound(tmp_path, data: dict, method: str, seconds: float = 1.0) -> dict:
    """``python -m kreds.matching bound`` in a child process (colgen needs highspy, which
    cannot share a process with OR-Tools)."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    path = tmp_path / "instance.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    repo = Path(__file__).resolve().parents[2]
    argv = [sys.executable, "-m", "kreds.matching", "bound", str(path), "--seconds", str(seconds)]
    done = subprocess.run(  # noqa: S603 - fixed argv
        [*argv, "--method", method],
        capture_output=True,
        text=True,
        check=True,
        cwd=repo,
        env={"PYTHONPATH": str(repo / "src")},
    )
    return json.loads(done.stdout)


@pytest.mark.parametrize("method", ["colgen", "subgradient"])
def test_cli_bound_prints_a_bound_above_the_optimum(tmp_path, method):
    data = _scarce(2, 1)
    printed = _cli_bound(tmp_path, data, method)
    optimum = _exact_optimum(prepare(Instance.from_dict(data)))
    assert printed["method"] == method
    assert optimum - 1e-6 <= printed["bound"] <= printed["per_applicant_bound"]


@pytest.mark.parametrize(("seed", "rooms"), [(1, 1), (3, 2), (4, 3), (5, 1), (6, 2)])
def test_column_generation_bound_is_above_the_optimum_and_converges(tmp_path, seed, rooms):
    data = _scarce(seed, rooms)
    prep = prepare(Instance.from_dict(data))
    if not prep.clusters:
        pytest.skip("no cluster in this instance")
    printed = _cli_bound(tmp_path, data, "colgen", seconds=20.0)
    optimum = _exact_optimum(prep)
    assert printed["bound"] >= optimum - 1e-6
    # Converged: the proven bound meets the restricted master's value (the
    # Dantzig-Wolfe bound), well before the time is up.
    assert printed["bound"] <= printed["master_value"] * 1.001 + 1.0
    assert printed["bound"] <= printed["per_applicant_bound"]


def test_construct_fills_full_groups_first_and_stays_feasible():
    from kreds.matching.construct import construct

    prep = prepare(Instance.from_dict(generate(SMALL, seed=3)))
    every = list(range(len(prep.clusters)))
    plan = construct(prep, every, Resources.fresh(prep))
    assert plan
    assert Resources.fresh(prep).fits(prep, plan)
    cfg = prep.instance.config
    assert all(cfg.min_size <= len(g.members) <= cfg.max_size for g in plan)


def test_block_table_adds_up_to_the_solution():
    from bench.blocks import table
    from bench.greedy import greedy

    data = generate(SMALL, seed=7)
    solution = greedy(data)
    text = table(data, solution, with_lp=False)
    last = text.splitlines()[-1].split("|")
    assert last[1].strip() == "all"
    assert int(last[3]) == sum(len(g["members"]) for g in solution["groups"]) > 0
    assert float(last[6].replace(",", "")) == pytest.approx(check(data, solution).objective, abs=1)


# --- LP prices from column generation (colgen.py), in a child process --------------------


def test_dual_job_prices_start_a_valid_lagrangian_search():
    from kreds.matching.bound import lagrangian_bound
    from kreds.matching.colgen import DualJob
    from kreds.matching.cpmodel import Prices
    from kreds.matching.roombound import build

    prep = prepare(Instance.from_dict(_scarce(3, 2)))
    every = list(range(len(prep.clusters)))
    optimum = _exact_optimum(prep)
    found = DualJob(build(prep, every), 15.0).result()
    assert found is not None
    assert found.bound >= optimum - 1e-6
    assert found.room_duals  # rooms are scarce here, so the LP prices some
    start = Prices(
        {room: round(p * 100) for room, p in found.room_duals.items()},
        {s: round(p * 100) for s, p in found.starter_duals.items()},
    )
    pieces = components(prep, every, coupled=False)
    fresh = Resources.fresh(prep)
    base = [solve_clusters(prep, piece, fresh, 5.0, workers=1) for piece in pieces]
    result = lagrangian_bound(prep, pieces, base, round(optimum * 100), 10.0, 1, start)
    assert result.bound / 100 >= optimum - 1e-6
    assert result.bound <= sum(r.bound for r in base)


def test_engine_goes_on_without_the_child_process(monkeypatch):
    from kreds.matching import lpbound

    monkeypatch.setattr(lpbound, "python_executable", lambda: False)
    data = _scarce(5, 1)
    solution = solve(Instance.from_dict(data), time_limit=3).to_dict()
    report = check(data, solution)
    assert report.ok
    assert solution["bound"] >= solution["objective"]
