"""Kreds group-forming engine: plain Python and OR-Tools CP-SAT, no Django.

    from kreds.matching import Instance, solve
    solution = solve(Instance.from_dict(data), time_limit=60)
    solution.to_dict()

See docs/matching.md for the JSON schemas, the model and the benchmark.

Names are imported lazily: OR-Tools and HiGHS (highspy) ship clashing copies
of the HiGHS library and cannot share a process, so the LP bound runs in a
child process (``kreds.matching.lpsolve``) that must be able to import this
package without loading OR-Tools.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "ProgressEvent": "engine",
    "solve": "engine",
    "Applicant": "model",
    "Config": "model",
    "Instance": "model",
    "Starter": "model",
    "Venue": "model",
    "Weights": "model",
    "REASON_CODES": "solution",
    "Group": "solution",
    "Solution": "solution",
    "Unassigned": "solution",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kreds.matching' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)
