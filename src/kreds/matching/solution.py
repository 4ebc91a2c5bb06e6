"""The engine's output: proposed groups, people left out and why, and the bound."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Stable machine codes for why an applicant was left out. The Django app
# translates these; never rename one, only add new ones.
REASON_NO_PEERS_NEARBY = "no_peers_nearby"
REASON_NO_COMMON_TIME = "no_common_time"
REASON_AGE_SPAN = "no_peers_of_similar_age"
REASON_NO_STARTER_FREE = "no_starter_free"
REASON_NO_ROOM = "no_room"
REASON_OUTSCORED = "outscored"
REASON_PLACED_FOR_OTHER_TOPIC = "placed_for_other_topic"

REASON_CODES = (
    REASON_NO_PEERS_NEARBY,
    REASON_NO_COMMON_TIME,
    REASON_AGE_SPAN,
    REASON_NO_STARTER_FREE,
    REASON_NO_ROOM,
    REASON_OUTSCORED,
    REASON_PLACED_FOR_OTHER_TOPIC,
)


@dataclass(frozen=True)
class PersonDistance:
    id: str
    km: float

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "km": round(self.km, 2)}


@dataclass(frozen=True)
class GroupExplanation:
    slot: str
    venue: str
    members: tuple[PersonDistance, ...]
    starters: tuple[PersonDistance, ...]
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "slot": self.slot,
            "venue": self.venue,
            "members": [m.to_dict() for m in self.members],
            "starters": [s.to_dict() for s in self.starters],
            "text": self.text,
        }


@dataclass(frozen=True)
class Group:
    topic: str
    age_band: str
    slot: str
    venue: str
    members: tuple[str, ...]
    starters: tuple[str, ...]
    explanation: GroupExplanation | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "topic": self.topic,
            "age_band": self.age_band,
            "slot": self.slot,
            "venue": self.venue,
            "members": list(self.members),
            "starters": list(self.starters),
        }
        if self.explanation is not None:
            data["explanation"] = self.explanation.to_dict()
        return data


@dataclass(frozen=True)
class Unassigned:
    id: str
    reason: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "reason": self.reason, "text": self.text}


@dataclass
class Solution:
    groups: list[Group]
    unassigned: list[Unassigned]
    objective: float
    bound: float
    status: str  # "optimal" or "feasible"
    seconds: float
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def gap_percent(self) -> float:
        if self.bound <= 0:
            return 0.0
        return max(0.0, 100.0 * (self.bound - self.objective) / abs(self.bound))

    def to_dict(self) -> dict[str, Any]:
        return {
            "groups": [g.to_dict() for g in self.groups],
            "unassigned": [u.to_dict() for u in self.unassigned],
            "objective": round(self.objective, 3),
            "bound": round(self.bound, 3),
            "status": self.status,
            "seconds": round(self.seconds, 2),
            "stats": self.stats,
        }
