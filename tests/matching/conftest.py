import pytest

from kreds.matching import Instance, solve

from .helpers import instance


@pytest.fixture
def solve_dict():
    """Solve an instance dict quickly and return (instance dict, solution dict)."""

    def run(data: dict, time_limit: float = 5.0) -> dict:
        return solve(Instance.from_dict(data), time_limit=time_limit).to_dict()

    return run


@pytest.fixture
def make_instance():
    return instance
