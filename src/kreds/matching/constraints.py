"""Side constraints of one candidate group in the CP-SAT model, and solution hints."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from .prepare import Prepared


def add_keep_apart(model: cp_model.CpModel, prep: Prepared, xs: dict[int, object]) -> None:
    if not prep.keep_apart:
        return
    for i, j in prep.keep_apart:
        if i in xs and j in xs:
            model.add_bool_or([xs[i].Not(), xs[j].Not()])


def add_age_span(
    model: cp_model.CpModel, prep: Prepared, xs: dict[int, object], ci: int, k: int
) -> None:
    span = prep.instance.config.max_age_span
    if span is None or not xs:
        return
    ages = {i: prep.instance.applicants[i].age for i in xs}
    low, high = min(ages.values()), max(ages.values())
    if high - low <= span:
        return
    lo = model.new_int_var(low, high, f"age{ci}_{k}")
    for i, x in xs.items():
        model.add(lo <= ages[i]).only_enforce_if(x)
        model.add(lo >= ages[i] - span).only_enforce_if(x)


def add_lone_gender(model: cp_model.CpModel, prep: Prepared, xs: dict[int, object]) -> list:
    """Penalty literals: gender g has exactly one member and another known gender is present."""
    if prep.instance.config.weights.lone_gender == 0:
        return []
    by_gender: dict[str, list] = defaultdict(list)
    for i, x in xs.items():
        gender = prep.instance.applicants[i].gender
        if gender is not None:
            by_gender[gender].append(x)
    if len(by_gender) < 2:
        return []
    present = {}
    for g, lits in by_gender.items():
        p = model.new_bool_var("")
        for x in lits:
            model.add_implication(x, p)
        present[g] = p
    lones = []
    for g, lits in by_gender.items():
        lone = model.new_bool_var("")
        many = model.new_bool_var("")
        model.add(sum(lits) >= 2 * many)
        for h, other in present.items():
            if h != g:
                # present[g] and present[h] and not many -> lone
                model.add_bool_or([present[g].Not(), other.Not(), many, lone])
        lones.append(lone)
    return lones


def add_hint(model: cp_model.CpModel, groups: list, hint: list) -> None:
    wanted: dict[int, list] = defaultdict(list)
    for g in sorted(hint, key=lambda g: min(g.members)):
        wanted[g.cluster].append(g)
    used: dict[int, int] = defaultdict(int)
    for ci, y, xs, zs in groups:
        pick = None
        if used[ci] < len(wanted[ci]):
            candidate = wanted[ci][used[ci]]
            if all(i in xs for i in candidate.members):
                pick = candidate
                used[ci] += 1
        model.add_hint(y, pick is not None)
        for i, x in xs.items():
            model.add_hint(x, pick is not None and i in pick.members)
        for s, z in zs.items():
            model.add_hint(z, pick is not None and s in pick.starters)
