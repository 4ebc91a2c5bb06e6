"""A fast constructive plan, used as the starting point on very large components.

Passes with a falling size floor: first only full groups (max_size), then
one fewer, down to min_size, because a room given to a small group is lost to
a full one of another topic. In each pass clusters with the most free members
go first; each is filled with free members inside one age window, the most
valuable first but charged FLEXIBILITY_COST per other cluster they could join
(people with few options first), avoiding kept-apart pairs, and gets the
first free starters. The plan is feasible by construction.
"""

from __future__ import annotations

from .cpmodel import PlannedGroup, Resources
from .prepare import Prepared

# Value (objective units) a candidate gives up per other cluster they could join.
FLEXIBILITY_COST = 30.0


def _fill(prep: Prepared, candidates: list[int], venue: int) -> list[int]:
    cfg = prep.instance.config
    apps = prep.instance.applicants
    # Most valuable first, but people with many other options give way to those with few.
    flexible = FLEXIBILITY_COST
    ranked = sorted(
        candidates,
        key=lambda i: flexible * len(prep.applicant_clusters[i]) - prep.value(i, venue),
    )
    span = cfg.max_age_span
    windows = [None] if span is None else sorted({apps[i].age for i in ranked})
    best: list[int] = []
    for low in windows:
        chosen: list[int] = []
        persons: set[int] = set()
        for i in ranked:
            if low is not None and not low <= apps[i].age <= low + span:
                continue
            if any((min(i, j), max(i, j)) in prep.keep_apart for j in chosen):
                continue
            if prep.person_of(i) in persons:
                continue
            chosen.append(i)
            persons.add(prep.person_of(i))
            if len(chosen) == cfg.max_size:
                break
        if len(chosen) > len(best):
            best = chosen
    return best


def construct(prep: Prepared, cluster_ids: list[int], res: Resources) -> list[PlannedGroup]:
    """Greedy groups for the clusters; commits them to ``res``."""
    cfg = prep.instance.config
    planned: list[PlannedGroup] = []
    # Full groups first: a room given to a group of five is lost to a group of eight.
    for least in range(cfg.max_size, cfg.min_size - 1, -1):
        planned.extend(_pass(prep, cluster_ids, res, least))
    return planned


def _pass(prep: Prepared, cluster_ids: list[int], res: Resources, least: int) -> list[PlannedGroup]:
    """Groups of at least ``least`` members, formed while any can be."""
    cfg = prep.instance.config
    planned: list[PlannedGroup] = []
    progress = True
    while progress:
        progress = False
        order = sorted(
            cluster_ids,
            key=lambda ci: -sum(i not in res.placed for i in prep.clusters[ci].members),
        )
        for ci in order:
            c = prep.clusters[ci]
            if res.room_left.get((c.venue, c.slot), 0) <= 0:
                continue
            free = [i for i in c.members if i not in res.placed]
            if len(free) < least:
                continue
            members = _fill(prep, free, c.venue)
            if len(members) < least:
                continue
            starters = [
                s
                for s in c.starters
                if res.starter_left[s] > 0 and c.slot not in res.starter_busy[s]
            ][: cfg.starters_min]
            if len(starters) < cfg.starters_min:
                continue
            group = PlannedGroup(ci, tuple(sorted(members)), tuple(starters))
            res.commit(prep, [group])
            planned.append(group)
            progress = True
    return planned
