"""Command line: ``python -m kreds.matching solve instance.json [--time-limit S]``
``python -m kreds.matching simulate [--seed N] [--weeks W]`` and
``python -m kreds.matching bound instance.json [--seconds S] [--method M]`` (an
offline proven upper bound from the room Lagrangian, roombound.py, with prices
found by column generation, colgen.py, or by subgradient steps)."""

from __future__ import annotations

import argparse
import json
import sys

from .model import Instance


def _progress(event) -> None:
    print(
        f"[{event.seconds:6.1f}s] {event.phase} {event.done}/{event.total}",
        file=sys.stderr,
    )


def _colgen_bound(instance: Instance, seconds: float) -> dict:
    """Without OR-Tools in the process: colgen.py needs highspy."""
    from .colgen import column_generation
    from .prepare import prepare
    from .roombound import RoomRelaxation, build

    prep = prepare(instance)
    every = list(range(len(prep.clusters)))
    if not every:
        return {"bound": 0.0, "per_applicant_bound": 0.0, "rounds": 0, "method": "colgen"}
    data = build(prep, every)
    relax = RoomRelaxation(data)
    per_applicant = relax.evaluate(*relax.initial_prices()).bound
    found = column_generation(data, seconds)
    return {
        "bound": min(found.bound, per_applicant),
        "per_applicant_bound": per_applicant,
        "rounds": found.rounds,
        "columns": found.columns,
        "master_value": found.master,
        "method": "colgen",
    }


def _offline_bound(instance: Instance, seconds: float) -> dict:
    from .construct import construct
    from .cpmodel import Resources
    from .engine import applicant_bound
    from .explain import group_value
    from .prepare import prepare
    from .roombound import room_bound

    prep = prepare(instance)
    every = list(range(len(prep.clusters)))
    plan = construct(prep, every, Resources.fresh(prep))
    target = sum(group_value(prep, g) for g in plan)
    found = room_bound(prep, every, target, seconds)
    per_applicant = applicant_bound(prep, every) / 100
    return {
        "bound": min(found.bound, per_applicant) if every else 0.0,
        "per_applicant_bound": per_applicant,
        "rounds": found.rounds,
        "constructed_objective": target,
        "method": "subgradient",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kreds.matching")
    commands = parser.add_subparsers(dest="command", required=True)
    solve_cmd = commands.add_parser("solve", help="propose groups for an instance (JSON)")
    solve_cmd.add_argument("instance", help="instance JSON file, or - for standard input")
    solve_cmd.add_argument("--time-limit", type=float, default=60.0, help="seconds (default 60)")
    solve_cmd.add_argument("--workers", type=int, default=2, help="CP-SAT workers (default 2)")
    solve_cmd.add_argument("--quiet", action="store_true", help="no progress on stderr")
    sim_cmd = commands.add_parser("simulate", help="a year of waiting: today's practice vs engine")
    sim_cmd.add_argument("--seed", type=int, default=1)
    sim_cmd.add_argument("--weeks", type=int, default=52)
    sim_cmd.add_argument("--time-limit", type=float, default=2.0, help="seconds per weekly run")
    bound_cmd = commands.add_parser("bound", help="an offline proven upper bound (roombound.py)")
    bound_cmd.add_argument("instance", help="instance JSON file, or - for standard input")
    bound_cmd.add_argument("--seconds", type=float, default=300.0, help="seconds (default 300)")
    bound_cmd.add_argument(
        "--method",
        choices=["colgen", "subgradient"],
        default="colgen",
        help="how prices are searched (default colgen)",
    )
    args = parser.parse_args(argv)

    if args.command in ("solve", "bound"):
        if args.instance == "-":
            data = json.load(sys.stdin)
        else:
            with open(args.instance, encoding="utf-8") as handle:
                data = json.load(handle)
        instance = Instance.from_dict(data)
    if args.command == "bound":
        find = _colgen_bound if args.method == "colgen" else _offline_bound
        json.dump(find(instance, args.seconds), sys.stdout, indent=1)
        sys.stdout.write("\n")
        return 0
    if args.command == "solve":
        from .engine import solve

        solution = solve(
            instance,
            time_limit=args.time_limit,
            progress=None if args.quiet else _progress,
            workers=args.workers,
        )
        json.dump(solution.to_dict(), sys.stdout, indent=1)
        sys.stdout.write("\n")
        return 0
    from .simulate import run_simulation

    report = run_simulation(seed=args.seed, weeks=args.weeks, time_limit=args.time_limit)
    print(report.text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
