"""A simple greedy baseline, independent of the engine.

Repeatedly takes the (topic, age band, venue, slot) with the most people still
waiting, fills a group with the longest-waiting of them (keeping the age span
and keep-apart rules), gives it the first free starters, and moves on.
"""

from __future__ import annotations

import time
from collections import defaultdict

from .checker import km_between


def greedy(instance: dict) -> dict:
    started = time.monotonic()
    cfg = instance["config"]
    limit = cfg["max_travel_km"] - 1e-6
    span = cfg.get("max_age_span")
    venues = instance["venues"]
    starters = instance["starters"]
    candidates: dict[tuple, list[dict]] = defaultdict(list)
    for a in instance["applicants"]:
        for v in venues:
            if v["groups_per_slot"] <= 0:
                continue
            if km_between(a["lat"], a["lon"], v["lat"], v["lon"]) <= limit:
                for slot in [s for s in a["slots"] if s in v["slots"]]:  # a fixed order
                    candidates[(a["topic"], a["age_band"], v["id"], slot)].append(a)
    starter_reach = {
        (s["id"], v["id"]): km_between(s["lat"], s["lon"], v["lat"], v["lon"]) <= limit
        for s in starters
        for v in venues
    }
    rooms = {(v["id"], slot): v["groups_per_slot"] for v in venues for slot in v["slots"]}
    starter_left = {s["id"]: s["max_groups"] for s in starters}
    starter_busy: dict[str, set] = defaultdict(set)
    placed: set[str] = set()
    groups = []
    progress = True
    while progress:
        progress = False
        order = sorted(candidates, key=lambda k: -sum(a["id"] not in placed for a in candidates[k]))
        for key in order:
            topic, band, venue_id, slot = key
            if rooms[(venue_id, slot)] <= 0:
                continue
            free = [a for a in candidates[key] if a["id"] not in placed]
            if len(free) < cfg["min_size"]:
                continue
            members = _fill(free, cfg["max_size"], span)
            if len(members) < cfg["min_size"]:
                continue
            chosen = [
                s["id"]
                for s in starters
                if topic in s["topics"]
                and slot in s["slots"]
                and starter_left[s["id"]] > 0
                and slot not in starter_busy[s["id"]]
                and starter_reach[(s["id"], venue_id)]
            ][: max(cfg["starters_min"], 1) if cfg["starters_min"] > 0 else 0]
            if len(chosen) < cfg["starters_min"]:
                continue
            for s in chosen:
                starter_left[s] -= 1
                starter_busy[s].add(slot)
            rooms[(venue_id, slot)] -= 1
            placed.update(a["id"] for a in members)
            groups.append(
                {
                    "topic": topic,
                    "age_band": band,
                    "slot": slot,
                    "venue": venue_id,
                    "members": [a["id"] for a in members],
                    "starters": chosen,
                }
            )
            progress = True
    unassigned = [
        {"id": a["id"], "reason": "outscored", "text": "not placed by the greedy baseline"}
        for a in instance["applicants"]
        if a["id"] not in placed
    ]
    return {
        "groups": groups,
        "unassigned": unassigned,
        "objective": None,
        "bound": None,
        "status": "feasible",
        "seconds": time.monotonic() - started,
    }


def _fill(free: list[dict], max_size: int, span: int | None) -> list[dict]:
    """Longest-waiting first, within one age window, never two kept-apart people."""
    free = sorted(free, key=lambda a: (-a["waiting_days"], a["id"]))
    best: list[dict] = []
    anchors = [None] if span is None else sorted({a["age"] for a in free})
    for low in anchors:
        members: list[dict] = []
        for a in free:
            if low is not None and not low <= a["age"] <= low + span:
                continue
            ids = {m["id"] for m in members}
            if ids & set(a.get("keep_apart") or []):
                continue
            if any(a["id"] in (m.get("keep_apart") or []) for m in members):
                continue
            members.append(a)
            if len(members) == max_size:
                break
        if len(members) > len(best):
            best = members
    return best
