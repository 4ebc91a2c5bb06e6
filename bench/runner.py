"""Run one engine on one instance in a fresh process and measure its peak memory."""

from __future__ import annotations

import multiprocessing
import resource
import time


def _run(engine: str, instance: dict, time_limit: float, queue) -> None:
    started = time.monotonic()
    if engine == "greedy":
        from .greedy import greedy

        solution = greedy(instance)
    else:
        from kreds.matching import Instance, solve

        solution = solve(Instance.from_dict(instance), time_limit=time_limit).to_dict()
    solution["wall_seconds"] = time.monotonic() - started
    # The engine may run a child process (the LP bound); count its peak too,
    # as if both peaks were reached at once (an upper bound on the real peak).
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    peak_mb = (own + children) / 1024
    queue.put((solution, peak_mb))


def run_one(engine: str, instance: dict, time_limit: float) -> tuple[dict, float]:
    """Returns the solution dict and the process's peak resident memory in MB."""
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    process = ctx.Process(target=_run, args=(engine, instance, time_limit, queue))
    process.start()
    solution, peak_mb = queue.get()
    process.join()
    return solution, peak_mb
