"""The engine's input: an instance of the group-forming problem.

Plain dataclasses with ``from_dict``/``to_dict`` that mirror the JSON schema in
docs/matching.md. No validation beyond what is needed to build the objects;
``Instance.problems()`` lists inconsistencies a caller may want to show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Weights:
    placed: float = 1000.0
    wait_day: float = 1.0
    travel_km: float = 5.0
    lone_gender: float = 200.0

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Weights:
        data = data or {}
        defaults = cls()
        return cls(
            placed=float(data.get("placed", defaults.placed)),
            wait_day=float(data.get("wait_day", defaults.wait_day)),
            travel_km=float(data.get("travel_km", defaults.travel_km)),
            lone_gender=float(data.get("lone_gender", defaults.lone_gender)),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "placed": self.placed,
            "wait_day": self.wait_day,
            "travel_km": self.travel_km,
            "lone_gender": self.lone_gender,
        }


@dataclass(frozen=True)
class Config:
    min_size: int = 5
    max_size: int = 8
    starters_min: int = 1
    starters_max: int = 2
    max_travel_km: float = 30.0
    max_age_span: int | None = None
    weights: Weights = field(default_factory=Weights)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Config:
        span = data.get("max_age_span")
        return cls(
            min_size=int(data.get("min_size", 5)),
            max_size=int(data.get("max_size", 8)),
            starters_min=int(data.get("starters_min", 1)),
            starters_max=int(data.get("starters_max", 2)),
            max_travel_km=float(data.get("max_travel_km", 30.0)),
            max_age_span=None if span is None else int(span),
            weights=Weights.from_dict(data.get("weights")),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "min_size": self.min_size,
            "max_size": self.max_size,
            "starters_min": self.starters_min,
            "starters_max": self.starters_max,
            "max_travel_km": self.max_travel_km,
            "max_age_span": self.max_age_span,
            "weights": self.weights.to_dict(),
        }


@dataclass(frozen=True)
class Venue:
    id: str
    lat: float
    lon: float
    slots: tuple[str, ...]
    groups_per_slot: int = 1

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Venue:
        return cls(
            id=str(data["id"]),
            lat=float(data["lat"]),
            lon=float(data["lon"]),
            slots=tuple(data.get("slots", ())),
            groups_per_slot=int(data.get("groups_per_slot", 1)),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "lat": self.lat,
            "lon": self.lon,
            "slots": list(self.slots),
            "groups_per_slot": self.groups_per_slot,
        }


@dataclass(frozen=True)
class Applicant:
    id: str
    topic: str
    age: int
    age_band: str
    gender: str | None
    lat: float
    lon: float
    slots: tuple[str, ...]
    waiting_days: int = 0
    keep_apart: tuple[str, ...] = ()
    # Applications of one person (for different topics) share this; at most one is placed.
    person: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Applicant:
        gender = data.get("gender")
        person = data.get("person")
        return cls(
            id=str(data["id"]),
            topic=str(data["topic"]),
            age=int(data["age"]),
            age_band=str(data["age_band"]),
            gender=None if gender in (None, "") else str(gender),
            lat=float(data["lat"]),
            lon=float(data["lon"]),
            slots=tuple(data.get("slots", ())),
            waiting_days=int(data.get("waiting_days", 0)),
            keep_apart=tuple(str(other) for other in data.get("keep_apart", ())),
            person=None if person in (None, "") else str(person),
        )

    def to_dict(self) -> dict[str, Any]:
        data = {
            "id": self.id,
            "topic": self.topic,
            "age": self.age,
            "age_band": self.age_band,
            "gender": self.gender,
            "lat": self.lat,
            "lon": self.lon,
            "slots": list(self.slots),
            "waiting_days": self.waiting_days,
            "keep_apart": list(self.keep_apart),
        }
        if self.person is not None:
            data["person"] = self.person
        return data


@dataclass(frozen=True)
class Starter:
    id: str
    topics: tuple[str, ...]
    lat: float
    lon: float
    slots: tuple[str, ...]
    max_groups: int = 1

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Starter:
        return cls(
            id=str(data["id"]),
            topics=tuple(data.get("topics", ())),
            lat=float(data["lat"]),
            lon=float(data["lon"]),
            slots=tuple(data.get("slots", ())),
            max_groups=int(data.get("max_groups", 1)),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "topics": list(self.topics),
            "lat": self.lat,
            "lon": self.lon,
            "slots": list(self.slots),
            "max_groups": self.max_groups,
        }


@dataclass(frozen=True)
class Instance:
    config: Config
    slots: tuple[str, ...]
    venues: tuple[Venue, ...]
    applicants: tuple[Applicant, ...]
    starters: tuple[Starter, ...]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Instance:
        return cls(
            config=Config.from_dict(data.get("config", {})),
            slots=tuple(data.get("slots", ())),
            venues=tuple(Venue.from_dict(v) for v in data.get("venues", ())),
            applicants=tuple(Applicant.from_dict(a) for a in data.get("applicants", ())),
            starters=tuple(Starter.from_dict(s) for s in data.get("starters", ())),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "config": self.config.to_dict(),
            "slots": list(self.slots),
            "venues": [v.to_dict() for v in self.venues],
            "applicants": [a.to_dict() for a in self.applicants],
            "starters": [s.to_dict() for s in self.starters],
        }

    def problems(self) -> list[str]:
        """Inconsistencies that make the instance unusable (empty when fine)."""
        found: list[str] = []
        cfg = self.config
        if not 1 <= cfg.min_size <= cfg.max_size:
            found.append("config: need 1 <= min_size <= max_size")
        if not 0 <= cfg.starters_min <= cfg.starters_max:
            found.append("config: need 0 <= starters_min <= starters_max")
        for kind, items in (
            ("venue", self.venues),
            ("applicant", self.applicants),
            ("starter", self.starters),
        ):
            ids = [item.id for item in items]
            if len(ids) != len(set(ids)):
                found.append(f"{kind} ids are not unique")
        return found
