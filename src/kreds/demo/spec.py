"""The shape of the demo data: plain records that the organization modules fill in.

Everything here is made up. Email addresses use the reserved `.example` top-level
domain, so no demo mail can reach a real person.
"""

import datetime as dt
from dataclasses import dataclass

I18n = dict[str, str]

DEMO_PASSWORD = "kreds-demo-2026"  # noqa: S105 -- the published password of the demo logins
DEMO_EMAIL_SUFFIX = ".kreds.example"


@dataclass(frozen=True)
class PersonSpec:
    """A demo person. `key` is the local part of the email address."""

    key: str
    name: str
    gender: str = ""
    language: str = ""
    birth_year: int | None = None
    municipality: str = ""
    roles: tuple[str, ...] = ()
    login: str = ""


@dataclass(frozen=True)
class AgeBandSpec:
    kind: str
    name: I18n
    min_age: int
    max_age: int | None
    demo_ages: tuple[int, int]


@dataclass(frozen=True)
class VenueSpec:
    key: str
    name: str
    kind: str
    address: str
    postal_code: str
    municipality: str
    accessibility_notes: str
    latitude: str
    longitude: str


@dataclass(frozen=True)
class GroupSpec:
    """A group; dates are counted back from today, in weeks, on the group's weekday."""

    name: str
    topic: str
    band: str
    venue: str
    status: str
    cadence: str
    weekday: int
    at: dt.time
    description: I18n
    participants: int = 0
    former: int = 0
    members: tuple[str, ...] = ()
    starters: tuple[str, ...] = ()
    withdrawn_starters: tuple[str, ...] = ()
    is_open_for_newcomers: bool = False
    started_weeks_ago: int = 0
    ended_weeks_ago: int = 0


@dataclass(frozen=True)
class OrganizationSpec:
    fields: dict
    domain: str
    home_municipality: str
    topics: tuple[str, ...]
    age_bands: tuple[AgeBandSpec, ...]
    venues: tuple[VenueSpec, ...]
    staff: tuple[PersonSpec, ...]
    participants: dict[str, tuple[PersonSpec, ...]]
    groups: tuple[GroupSpec, ...]
    is_self_organized: bool = False

    @property
    def slug(self) -> str:
        return self.fields["slug"]

    def email(self, key: str) -> str:
        return f"{key}@{self.domain}"
