"""Independent checker: verifies every hard rule and recomputes the objective.

Works on the raw JSON dictionaries and deliberately shares no code with the
engine (its own haversine, its own objective), so a bug in the engine's model
cannot hide here.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

TOLERANCE_KM = 1e-6


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    radius = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * radius * math.asin(min(1.0, math.sqrt(a)))


@dataclass
class Report:
    violations: list[str] = field(default_factory=list)
    objective: float = 0.0
    placed: int = 0

    @property
    def ok(self) -> bool:
        return not self.violations


def check(instance: dict, solution: dict) -> Report:
    cfg = instance["config"]
    weights = {"placed": 1000, "wait_day": 1, "travel_km": 5, "lone_gender": 200}
    weights.update(cfg.get("weights") or {})
    apps = {a["id"]: a for a in instance["applicants"]}
    venues = {v["id"]: v for v in instance["venues"]}
    starters = {s["id"]: s for s in instance["starters"]}
    report = Report()
    bad = report.violations.append

    seen: Counter = Counter()
    room_use: Counter = Counter()
    starter_use: Counter = Counter()
    starter_slots: Counter = Counter()
    for n, group in enumerate(solution["groups"]):
        where = f"group {n}"
        members, chosen = group["members"], group["starters"]
        venue = venues.get(group["venue"])
        slot = group["slot"]
        if venue is None:
            bad(f"{where}: unknown venue {group['venue']}")
            continue
        if slot not in venue["slots"]:
            bad(f"{where}: venue {venue['id']} does not offer {slot}")
        room_use[(venue["id"], slot)] += 1
        if not cfg["min_size"] <= len(members) <= cfg["max_size"]:
            bad(f"{where}: size {len(members)} outside [{cfg['min_size']}, {cfg['max_size']}]")
        if not cfg["starters_min"] <= len(chosen) <= cfg["starters_max"]:
            bad(f"{where}: {len(chosen)} starters outside the allowed range")
        if len(set(chosen)) != len(chosen):
            bad(f"{where}: a starter is listed twice")
        people = [apps[m] for m in members if m in apps]
        if len(people) != len(members):
            bad(f"{where}: unknown member")
        for a in people:
            seen[a["id"]] += 1
            if a["topic"] != group["topic"] or a["age_band"] != group["age_band"]:
                bad(f"{where}: {a['id']} has another topic or age band")
            if slot not in a["slots"]:
                bad(f"{where}: {a['id']} cannot make {slot}")
            km = km_between(a["lat"], a["lon"], venue["lat"], venue["lon"])
            if km > cfg["max_travel_km"] + TOLERANCE_KM:
                bad(f"{where}: {a['id']} lives {km:.2f} km away")
            report.objective += (
                weights["placed"]
                + weights["wait_day"] * a["waiting_days"]
                - weights["travel_km"] * km
            )
        ages = [a["age"] for a in people]
        span = cfg.get("max_age_span")
        if span is not None and ages and max(ages) - min(ages) > span:
            bad(f"{where}: age span {max(ages) - min(ages)} > {span}")
        ids = set(members)
        for a in people:
            for other in a.get("keep_apart") or []:
                if other in ids:
                    bad(f"{where}: {a['id']} and {other} must be kept apart")
        genders = Counter(a["gender"] for a in people if a.get("gender") is not None)
        if len(genders) >= 2:
            lone = sum(1 for count in genders.values() if count == 1)
            report.objective -= weights["lone_gender"] * lone
        for s in chosen:
            starter = starters.get(s)
            if starter is None:
                bad(f"{where}: unknown starter {s}")
                continue
            starter_use[s] += 1
            starter_slots[(s, slot)] += 1
            if group["topic"] not in starter["topics"]:
                bad(f"{where}: starter {s} does not take {group['topic']}")
            if slot not in starter["slots"]:
                bad(f"{where}: starter {s} cannot make {slot}")
            km = km_between(starter["lat"], starter["lon"], venue["lat"], venue["lon"])
            if km > cfg["max_travel_km"] + TOLERANCE_KM:
                bad(f"{where}: starter {s} lives {km:.2f} km away")

    for ident, count in seen.items():
        if count > 1:
            bad(f"{ident} is in {count} groups")
    persons = Counter(apps[ident].get("person") for ident in seen if apps[ident].get("person"))
    for person, count in persons.items():
        if count > 1:
            bad(f"person {person} is placed {count} times")
    for (venue_id, slot), count in room_use.items():
        if count > venues[venue_id]["groups_per_slot"]:
            bad(f"{venue_id} hosts {count} groups at {slot}")
    for s, count in starter_use.items():
        if count > starters[s]["max_groups"]:
            bad(f"starter {s} starts {count} groups, more than max_groups")
    for (s, slot), count in starter_slots.items():
        if count > 1:
            bad(f"starter {s} starts {count} groups at {slot}")
    listed = {u["id"] for u in solution.get("unassigned", [])}
    for ident in apps:
        if ident not in seen and ident not in listed:
            bad(f"{ident} is neither placed nor listed as unassigned")
    report.placed = len(seen)
    return report
