"""Where a gap comes from: per (topic, age band) block, bounds against a solution.

    PYTHONPATH=src python -m kreds.matching solve national.json > solution.json
    PYTHONPATH=src python -m bench.blocks national.json solution.json [--lp]

Prints a Markdown table: people with a cluster, people placed, the
per-applicant bound, (with ``--lp``) the per-piece window LP bound solved by
HiGHS without a time limit, and the solution's objective in the block. Does
not import OR-Tools (highspy and OR-Tools cannot share a process).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict

import numpy as np

from kreds.matching.model import Instance
from kreds.matching.prepare import Prepared, prepare


def pieces(prep: Prepared) -> list[list[int]]:
    """Clusters linked by shared applicants (same as engine.components, uncoupled)."""
    parent = list(range(len(prep.clusters)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[int, int] = {}
    for c in prep.clusters:
        for i in c.members:
            if i in first:
                parent[find(c.index)] = find(first[i])
            else:
                first[i] = c.index
    parts: dict[int, list[int]] = defaultdict(list)
    for c in prep.clusters:
        parts[find(c.index)].append(c.index)
    return list(parts.values())


def piece_lp(prep: Prepared, cluster_ids: list[int]) -> float:
    """Proven LP bound of one piece with all rooms and starters to itself."""
    import highspy

    from kreds.matching.lpbound import _build
    from kreds.matching.lpsolve import safe_bound

    lp = _build(prep, cluster_ids)
    cost, upper, rhs = (np.frombuffer(x) for x in (lp.cost, lp.upper, lp.rhs))
    rows = np.frombuffer(lp.rows, dtype=np.int64)
    cols = np.frombuffer(lp.cols, dtype=np.int64)
    vals = np.frombuffer(lp.vals)
    n = len(cost)
    order = np.lexsort((rows, cols))
    starts = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(cols, minlength=n), out=starts[1:])
    model = highspy.HighsLp()
    model.num_col_, model.num_row_ = n, len(rhs)
    model.sense_ = highspy.ObjSense.kMaximize
    model.col_cost_, model.col_lower_, model.col_upper_ = cost, np.zeros(n), upper
    model.row_lower_, model.row_upper_ = np.full(len(rhs), -highspy.kHighsInf), rhs
    model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    model.a_matrix_.start_ = starts.astype(np.int32)
    model.a_matrix_.index_ = rows[order].astype(np.int32)
    model.a_matrix_.value_ = vals[order]
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("threads", 1)
    highs.passModel(model)
    highs.run()
    duals = np.asarray(highs.getSolution().row_dual, dtype=float)
    if len(duals) != len(rhs):
        duals = np.zeros(len(rhs))
    return safe_bound(cost, upper, rhs, rows, cols, vals, duals)


def table(instance_data: dict, solution: dict, with_lp: bool) -> str:
    inst = Instance.from_dict(instance_data)
    prep = prepare(inst)
    apps = inst.applicants
    index = {a.id: i for i, a in enumerate(apps)}
    venue = {v.id: k for k, v in enumerate(inst.venues)}

    def block(i: int) -> tuple[str, str]:
        return (apps[i].topic, apps[i].age_band)

    reach: Counter = Counter()
    per_app: dict[tuple[str, str], float] = defaultdict(float)
    for i, found in enumerate(prep.applicant_clusters):
        if found:
            reach[block(i)] += 1
            per_app[block(i)] += max(prep.value(i, prep.clusters[c].venue) for c in found)
    lp: dict[tuple[str, str], float] = defaultdict(float)
    if with_lp:
        for piece in pieces(prep):
            lp[prep.clusters[piece[0]].key] += piece_lp(prep, piece)
    value: dict[tuple[str, str], float] = defaultdict(float)
    placed: Counter = Counter()
    for g in solution["groups"]:
        members = [index[m] for m in g["members"]]
        genders = Counter(apps[i].gender for i in members if apps[i].gender is not None)
        lone = sum(n == 1 for n in genders.values()) if len(genders) > 1 else 0
        key = (g["topic"], g["age_band"])
        value[key] += sum(prep.value(i, venue[g["venue"]]) for i in members)
        value[key] -= inst.config.weights.lone_gender * lone
        placed[key] += len(members)
    lines = [
        "| topic, band | with a cluster | placed | per-applicant bound | piece LP bound "
        "| solution | solution / LP |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    keys = sorted(per_app, key=lambda k: -per_app[k])
    for k in [*keys, None]:
        pick = keys if k is None else [k]
        name = "all" if k is None else f"{k[0]}, {k[1]}"
        bound = sum(lp[x] for x in pick)
        got = sum(value[x] for x in pick)
        share = f"{100 * got / bound:.0f}%" if bound else "-"
        lines.append(
            f"| {name} | {sum(reach[x] for x in pick)} | {sum(placed[x] for x in pick)} "
            f"| {sum(per_app[x] for x in pick):,.0f} | "
            f"{f'{bound:,.0f}' if with_lp else '-'} | {got:,.0f} | {share} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.blocks")
    parser.add_argument("instance")
    parser.add_argument("solution")
    parser.add_argument("--lp", action="store_true", help="also the per-piece LP (minutes)")
    args = parser.parse_args(argv)
    with open(args.instance, encoding="utf-8") as handle:
        data = json.load(handle)
    with open(args.solution, encoding="utf-8") as handle:
        solution = json.load(handle)
    print(table(data, solution, args.lp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
