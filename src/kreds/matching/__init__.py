"""Kreds group-forming engine: plain Python and OR-Tools CP-SAT, no Django.

    from kreds.matching import Instance, solve
    solution = solve(Instance.from_dict(data), time_limit=60)
    solution.to_dict()

See docs/matching.md for the JSON schemas, the model and the benchmark.
"""

from .engine import ProgressEvent, solve
from .model import Applicant, Config, Instance, Starter, Venue, Weights
from .solution import REASON_CODES, Group, Solution, Unassigned

__all__ = [
    "REASON_CODES",
    "Applicant",
    "Config",
    "Group",
    "Instance",
    "ProgressEvent",
    "Solution",
    "Starter",
    "Unassigned",
    "Venue",
    "Weights",
    "solve",
]
