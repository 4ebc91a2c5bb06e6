"""Turn planned groups into a Solution: exact objective, explanations, reasons."""

from __future__ import annotations

from collections import Counter

from .cpmodel import PlannedGroup
from .prepare import Prepared
from .solution import (
    REASON_NO_ROOM,
    REASON_NO_STARTER_FREE,
    REASON_OUTSCORED,
    REASON_PLACED_FOR_OTHER_TOPIC,
    Group,
    GroupExplanation,
    PersonDistance,
    Solution,
    Unassigned,
)


def lone_members(genders: list[str | None]) -> int:
    """Members who are the only one of their gender among other known genders."""
    counts = Counter(g for g in genders if g is not None)
    if len(counts) < 2:
        return 0
    return sum(1 for n in counts.values() if n == 1)


def group_value(prep: Prepared, group: PlannedGroup) -> float:
    """The exact objective contribution of one group, as the spec defines it."""
    venue = prep.clusters[group.cluster].venue
    apps = prep.instance.applicants
    value = sum(prep.value(i, venue) for i in group.members)
    lone = lone_members([apps[i].gender for i in group.members])
    return value - prep.instance.config.weights.lone_gender * lone


def _explain_group(prep: Prepared, group: PlannedGroup) -> Group:
    inst = prep.instance
    c = prep.clusters[group.cluster]
    venue = inst.venues[c.venue]
    members = tuple(
        PersonDistance(inst.applicants[i].id, prep.applicant_km[(i, c.venue)])
        for i in group.members
    )
    starters = tuple(
        PersonDistance(inst.starters[s].id, prep.starter_km[(s, c.venue)]) for s in group.starters
    )
    furthest = max(m.km for m in members)
    average = sum(m.km for m in members) / len(members)
    text = (
        f"All {len(members)} members can meet {c.slot} at {venue.id}, which lies at most "
        f"{furthest:.1f} km from each of them (average {average:.1f} km)."
    )
    explanation = GroupExplanation(c.slot, venue.id, members, starters, text)
    return Group(
        topic=c.topic,
        age_band=c.age_band,
        slot=c.slot,
        venue=venue.id,
        members=tuple(m.id for m in members),
        starters=tuple(s.id for s in starters),
        explanation=explanation,
    )


def _reason_after_solve(
    prep: Prepared,
    applicant: int,
    rooms_used: Counter,
    starter_use: Counter,
    starter_slots: set[tuple[int, str]],
) -> tuple[str, str]:
    cfg = prep.instance.config
    clusters = [prep.clusters[ci] for ci in prep.applicant_clusters[applicant]]
    with_room = [c for c in clusters if rooms_used[(c.venue, c.slot)] < c.rooms]
    if not with_room:
        return (
            REASON_NO_ROOM,
            "Every venue within reach is fully booked at the times this person can make.",
        )

    def free_starters(c) -> int:
        return sum(
            1
            for s in c.starters
            if starter_use[s] < prep.instance.starters[s].max_groups
            and (s, c.slot) not in starter_slots
        )

    if all(free_starters(c) < cfg.starters_min for c in with_room):
        return (
            REASON_NO_STARTER_FREE,
            "Peers and a room are available, but every starter for this topic who can make "
            "those times is already starting other groups.",
        )
    return (
        REASON_OUTSCORED,
        "A group was possible, but the groups that could form at this person's times and "
        "places were filled by people who have waited longer or live closer.",
    )


def build_solution(
    prep: Prepared, planned: list[PlannedGroup], bound: float, optimal: bool, seconds: float
) -> Solution:
    inst = prep.instance
    planned = sorted(
        planned,
        key=lambda g: (
            prep.clusters[g.cluster].topic,
            prep.clusters[g.cluster].age_band,
            prep.clusters[g.cluster].venue,
            prep.clusters[g.cluster].slot,
            g.members,
        ),
    )
    groups = [_explain_group(prep, g) for g in planned]
    objective = sum(group_value(prep, g) for g in planned)

    placed = {i for g in planned for i in g.members}
    rooms_used: Counter = Counter()
    starter_use: Counter = Counter()
    starter_slots: set[tuple[int, str]] = set()
    for g in planned:
        c = prep.clusters[g.cluster]
        rooms_used[(c.venue, c.slot)] += 1
        for s in g.starters:
            starter_use[s] += 1
            starter_slots.add((s, c.slot))
    unassigned: list[Unassigned] = []
    for i, a in enumerate(inst.applicants):
        if i in placed:
            continue
        if any(j in placed for j in prep.siblings.get(i, ())):
            code, text = (
                REASON_PLACED_FOR_OTHER_TOPIC,
                "This person is proposed for a group with another of their topics; one "
                "place per person in a run.",
            )
        elif i in prep.static_reasons:
            code, text = prep.static_reasons[i]
        else:
            code, text = _reason_after_solve(prep, i, rooms_used, starter_use, starter_slots)
        unassigned.append(Unassigned(a.id, code, text))
    # The bound is never below a solution that exists (guards rounding noise).
    bound = max(bound, objective)
    return Solution(
        groups=groups,
        unassigned=unassigned,
        objective=objective,
        bound=bound,
        status="optimal" if optimal else "feasible",
        seconds=seconds,
        stats={"placed": len(placed)},
    )
