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
