"""Benchmark: ``PYTHONPATH=src python -m bench [--sizes local,national]``.

Generates the fixed-seed instances, runs the engine and the greedy baseline
each in a fresh process (so peak memory is theirs alone), checks every
solution with the independent checker and prints one row per size and engine.
"""

from __future__ import annotations

import argparse
import json
import sys

from .checker import check
from .generate import SIZES, generate
from .runner import run_one

DEFAULT_LIMITS = {"local": 60.0, "national": 120.0}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--sizes", default="local,national")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--time-limit", type=float, default=None, help="override per-size limits")
    parser.add_argument("--out", help="write the results as JSON to this file")
    args = parser.parse_args(argv)

    header = (
        f"{'size':9} {'engine':7} {'seconds':>8} {'objective':>12} {'bound':>12} {'gap%':>6} "
        f"{'placed':>7} {'of':>6} {'viol':>5} {'peakMB':>7}"
    )
    print(header)
    rows = []
    for name in args.sizes.split(","):
        instance = generate(SIZES[name], seed=args.seed)
        limit = args.time_limit or DEFAULT_LIMITS[name]
        greedy_objective = None
        for engine in ("greedy", "engine"):
            solution, peak_mb = run_one(engine, instance, limit)
            report = check(instance, solution)
            bound = solution.get("bound")
            gap = 100 * (bound - report.objective) / bound if bound else float("nan")
            row = {
                "size": name,
                "engine": engine,
                "seconds": round(solution["wall_seconds"], 1),
                "objective": round(report.objective, 1),
                "engine_objective": solution.get("objective"),
                "bound": bound,
                "gap_percent": round(gap, 2),
                "placed": report.placed,
                "applicants": len(instance["applicants"]),
                "violations": len(report.violations),
                "peak_mb": round(peak_mb),
                "status": solution.get("status"),
                "stats": solution.get("stats", {}),
            }
            if engine == "greedy":
                greedy_objective = report.objective
            elif greedy_objective:
                row["above_greedy_percent"] = round(
                    100 * (report.objective - greedy_objective) / greedy_objective, 2
                )
            rows.append(row)
            bound_text = f"{bound:12.1f}" if bound else f"{'-':>12}"
            gap_text = f"{gap:6.2f}" if bound else f"{'-':>6}"
            print(
                f"{name:9} {engine:7} {row['seconds']:8.1f} {report.objective:12.1f} {bound_text} "
                f"{gap_text} {report.placed:7d} {len(instance['applicants']):6d} "
                f"{len(report.violations):5d} {row['peak_mb']:7d}",
                flush=True,
            )
            for violation in report.violations[:10]:
                print(f"    violation: {violation}")
            if "above_greedy_percent" in row:
                print(f"    engine vs greedy: {row['above_greedy_percent']:+.2f}% objective")
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            json.dump(rows, handle, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
