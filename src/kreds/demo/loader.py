"""Builds the demo data: two organizations with their people, venues, groups and meetings.

One transaction with scopes disabled (the demo spans two tenants). The demo
organizations are emptied and built again, so every run gives the same data. Their own
rows are kept and reset to the spec, because their audit log refers to them and on
PostgreSQL audit rows can be neither changed nor deleted (audit/0002). Demo people keep
their rows (and their open sessions) and are reset to the spec.
"""

import datetime as dt
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django_scopes import scopes_disabled
from i18nfield.strings import LazyI18nString

from kreds.audit.models import AuditEvent
from kreds.demo.herning import HERNING
from kreds.demo.intake import build_intake
from kreds.demo.mfa import give_demo_authenticator
from kreds.demo.norge import NORGE
from kreds.demo.spec import (
    DEMO_EMAIL_SUFFIX,
    DEMO_PASSWORD,
    GroupSpec,
    OrganizationSpec,
    PersonSpec,
)
from kreds.demo.topics import TOPICS
from kreds.groups.models import Group, GroupMembership, GroupStatus, MembershipRole
from kreds.meetings.models import Meeting, MeetingStatus, Venue
from kreds.organizations.models import AgeBand, Organization, Role, Topic
from kreds.people.models import Person
from kreds.placement.demo import give_starters_capacity

ORGANIZATIONS = (HERNING, NORGE)
LOGIN_ROLES = ("coordinator", "admin", "starter", "participant")
MEETING_STEP_DAYS = {"weekly": 7, "fortnightly": 14, "monthly": 28}
UPCOMING_MEETINGS = 3


class NotDemoData(Exception):
    """An organization with a demo slug exists but was not made by load_demo."""


@dataclass(frozen=True)
class Login:
    role: str
    organization: str
    email: str


@dataclass(frozen=True)
class DemoSummary:
    logins: list[Login]
    people: int
    groups: int
    meetings: int


def load_demo(*, rng: random.Random, today: dt.date, now: dt.datetime) -> DemoSummary:
    """Replace the demo organizations and people with a fresh copy of the demo data.

    Empties the demo organizations (every row but their audit log) and deletes demo
    people no longer in the spec; raises NotDemoData rather than touch a real
    organization with a demo slug.
    """
    with transaction.atomic(), scopes_disabled():
        _delete_demo_organizations()
        password = _demo_password_hash()
        builders = [
            _OrganizationBuilder(spec, rng=rng, today=today, now=now, password=password)
            for spec in ORGANIZATIONS
        ]
        for builder in builders:
            builder.build()
        emails = [email for builder in builders for email in builder.emails]
        Person.objects.filter(email__endswith=DEMO_EMAIL_SUFFIX).exclude(email__in=emails).delete()
        logins = [login for builder in builders for login in builder.logins]
        return DemoSummary(
            logins=sorted(logins, key=lambda login: LOGIN_ROLES.index(login.role)),
            people=len(emails),
            groups=sum(len(spec.groups) for spec in ORGANIZATIONS),
            meetings=Meeting.objects.filter(group__organization__slug__in=_slugs()).count(),
        )


def _slugs() -> list[str]:
    return [spec.slug for spec in ORGANIZATIONS]


def _delete_demo_organizations() -> None:
    organizations = Organization.objects.filter(slug__in=_slugs())
    for organization in organizations:
        if not organization.contact_email.endswith(DEMO_EMAIL_SUFFIX):
            raise NotDemoData(
                f"The organization '{organization.slug}' is not demo data; load_demo leaves it alone."
            )
    Meeting.objects.filter(group__organization__in=organizations).delete()
    Group.objects.filter(organization__in=organizations).delete()
    _empty_organizations(organizations)


def _empty_organizations(organizations) -> None:
    """Delete every row belonging to the organizations, except their audit log.

    Walks every model with a foreign key to Organization, so rows of models added later
    go too; a model protected by another (a topic still used by an application) is
    retried after the others are gone.
    """
    relations = [
        relation
        for relation in Organization._meta.related_objects
        if relation.related_model is not AuditEvent and not relation.many_to_many
    ]
    for _attempt in range(len(relations) + 1):
        blocked = []
        for relation in relations:
            rows = relation.related_model._base_manager.filter(
                **{f"{relation.field.name}__in": organizations}
            )
            try:
                with transaction.atomic():
                    rows.delete()
            except (ProtectedError, RestrictedError):
                blocked.append(relation)
        if not blocked:
            return
        relations = blocked
    raise RuntimeError(f"load_demo cannot empty the demo organizations: {relations}")


def _reset_organization(fields: dict) -> Organization:
    """The demo organization with this slug, reset to the spec; created when missing."""
    fresh = Organization(**fields)
    existing = Organization.objects.filter(slug=fresh.slug).first()
    if existing is None:
        fresh.save()
        return fresh
    fresh.pk, fresh.created_at = existing.pk, existing.created_at
    fresh.save(force_update=True)
    return fresh


def _demo_password_hash() -> str:
    """One hash for every demo person: hashing sixty times with Argon2 takes many seconds.

    A stored demo hash that still matches is kept, so logged-in sessions survive a reload.
    """
    stored = (
        Person.objects.filter(email__endswith=DEMO_EMAIL_SUFFIX)
        .values_list("password", flat=True)
        .first()
    )
    if stored and check_password(DEMO_PASSWORD, stored):
        return stored
    return make_password(DEMO_PASSWORD)


def _on_weekday_before(day: dt.date, weekday: int) -> dt.date:
    return day - dt.timedelta(days=(day.weekday() - weekday) % 7)


def _is_christmas_break(day: dt.date) -> bool:
    """Groups take a break from 23 December to 1 January."""
    return (day.month == 12 and day.day >= 23) or (day.month == 1 and day.day == 1)


class _OrganizationBuilder:
    def __init__(self, spec: OrganizationSpec, *, rng, today, now, password: str) -> None:
        self.spec = spec
        self.rng = rng
        self.today = today
        self.now = now
        self.password = password
        self.emails: list[str] = []
        self.logins: list[Login] = []
        self.staff: dict[str, Person] = {}
        self.waiting = {band: list(people) for band, people in spec.participants.items()}
        self.joined: dict[str, list[Person]] = {band: [] for band in spec.participants}

    def build(self) -> None:
        fields = dict(self.spec.fields)
        fields["introduction"] = LazyI18nString(fields["introduction"])
        self.organization = _reset_organization(fields)
        self._build_catalogue()
        for person_spec in self.spec.staff:
            self._build_staff(person_spec)
        for group_spec in sorted(self.spec.groups, key=lambda g: g.status == GroupStatus.ENDED):
            self._build_group(group_spec)
        build_intake(self)  # municipalities, venue slots, applications
        give_starters_capacity(self.organization)  # so "Propose groups" has starters

    def _build_catalogue(self) -> None:
        org = self.organization
        self.topics = {
            key: Topic.objects.create(
                organization=org,
                name=LazyI18nString(TOPICS[key][0]),
                description=LazyI18nString(TOPICS[key][1]),
                position=position,
            )
            for position, key in enumerate(self.spec.topics)
        }
        self.age_bands = {
            band.kind: AgeBand.objects.create(
                organization=org,
                kind=band.kind,
                name=LazyI18nString(band.name),
                min_age=band.min_age,
                max_age=band.max_age,
            )
            for band in self.spec.age_bands
        }
        self.venues = {
            venue.key: Venue.objects.create(
                organization=org,
                name=venue.name,
                kind=venue.kind,
                address=venue.address,
                postal_code=venue.postal_code,
                municipality=venue.municipality,
                accessibility_notes=venue.accessibility_notes,
                latitude=venue.latitude,
                longitude=venue.longitude,
            )
            for venue in self.spec.venues
        }
        self.band_ages = {band.kind: band.demo_ages for band in self.spec.age_bands}

    def _build_staff(self, spec: PersonSpec) -> None:
        person = self._upsert_person(
            spec,
            birth_year=spec.birth_year,
            municipality=spec.municipality or self.spec.home_municipality,
        )
        self.staff[spec.key] = person
        for kind in spec.roles:
            Role.objects.create(organization=self.organization, person=person, kind=kind)
        give_demo_authenticator(person, spec.roles)  # staff log in in two steps

    def _upsert_person(self, spec: PersonSpec, *, birth_year, municipality) -> Person:
        email = self.spec.email(spec.key)
        person, _created = Person.objects.update_or_create(
            email=email,
            defaults={
                "display_name": spec.name,
                "birth_year": birth_year,
                "gender": spec.gender,
                "municipality": municipality,
                "phone": "",
                "preferred_language": spec.language or self.organization.primary_language,
                "is_active": True,
                "is_staff": False,
                "is_superuser": False,
                "password": self.password,
            },
        )
        EmailAddress.objects.update_or_create(
            user=person, email=email, defaults={"verified": True, "primary": True}
        )
        self.emails.append(email)
        if spec.login:
            self.logins.append(Login(spec.login, self.organization.name, email))
        return person

    def _build_group(self, spec: GroupSpec) -> None:
        started_on = ended_on = None
        if spec.status != GroupStatus.FORMING:
            started_on = self._weeks_ago(spec.started_weeks_ago, spec.weekday)
        if spec.status == GroupStatus.ENDED:
            ended_on = self._weeks_ago(spec.ended_weeks_ago, spec.weekday)
        group = Group.objects.create(
            organization=self.organization,
            name=spec.name,
            topic=self.topics[spec.topic],
            age_band=self.age_bands[spec.band],
            status=spec.status,
            is_open_for_newcomers=spec.is_open_for_newcomers,
            cadence=spec.cadence,
            # A group with a starter at its first meetings does not run on its own yet.
            is_self_organized=self.spec.is_self_organized and not spec.starters,
            venue=self.venues[spec.venue],
            public_description=LazyI18nString(spec.description),
            started_on=started_on,
            ended_on=ended_on,
        )
        self._add_participants(group, spec)
        self._add_starters(group, spec)
        if spec.status in (GroupStatus.STARTING, GroupStatus.RUNNING):
            self._add_meetings(group, spec)

    def _weeks_ago(self, weeks: int, weekday: int) -> dt.date:
        return _on_weekday_before(self.today - dt.timedelta(weeks=weeks), weekday)

    def _add_participants(self, group: Group, spec: GroupSpec) -> None:
        if spec.status == GroupStatus.ENDED:
            for person in self._former_members(spec):
                self._join(group, person, left_on=group.ended_on)
            return
        people = [self._next_participant(spec, key) for key in spec.members]
        while len(people) < spec.participants + spec.former:
            people.append(self._next_participant(spec))
        for index, person in enumerate(people):
            left_on = self._left_on(group) if index >= spec.participants else None
            self._join(group, person, left_on=left_on)

    def _former_members(self, spec: GroupSpec) -> list[Person]:
        """People who were in an ended group: locals first, as people meet near home."""
        municipality = self.venues[spec.venue].municipality
        people = self.rng.sample(self.joined[spec.band], len(self.joined[spec.band]))
        people.sort(key=lambda person: person.municipality != municipality)
        return people[: spec.participants]

    def _next_participant(self, spec: GroupSpec, key: str | None = None) -> Person:
        waiting = self.waiting[spec.band]
        person_spec = next(p for p in waiting if p.key == key) if key else waiting[0]
        waiting.remove(person_spec)
        low, high = self.band_ages[spec.band]
        person = self._upsert_person(
            person_spec,
            birth_year=self.today.year - self.rng.randint(low, high),
            municipality=self.venues[spec.venue].municipality,
        )
        self.joined[spec.band].append(person)
        return person

    def _join(self, group: Group, person: Person, *, left_on: dt.date | None) -> None:
        if group.started_on is None:
            joined_on = self.today - dt.timedelta(days=self.rng.randint(3, 40))
        else:
            joined_on = group.started_on - dt.timedelta(days=self.rng.randint(2, 16))
        GroupMembership.objects.create(
            group=group, person=person, joined_on=joined_on, left_on=left_on
        )

    def _left_on(self, group: Group) -> dt.date:
        """A day some weeks after the start, before today and before the group ended."""
        left_on = group.started_on + dt.timedelta(weeks=self.rng.randint(3, 6))
        return min(left_on, group.ended_on or left_on, self.today - dt.timedelta(days=1))

    def _add_starters(self, group: Group, spec: GroupSpec) -> None:
        starters = [(key, None) for key in spec.starters]
        starters += [(key, self._left_on(group)) for key in spec.withdrawn_starters]
        for key, left_on in starters:
            GroupMembership.objects.create(
                group=group,
                person=self.staff[key],
                role=MembershipRole.STARTER,
                joined_on=group.started_on,
                left_on=left_on,
            )

    def _add_meetings(self, group: Group, spec: GroupSpec) -> None:
        zone = ZoneInfo(self.organization.time_zone)
        step = dt.timedelta(days=MEETING_STEP_DAYS.get(spec.cadence, 14))
        day, meetings, upcoming = group.started_on, [], 0
        while upcoming < UPCOMING_MEETINGS:
            starts_at = dt.datetime.combine(day, spec.at, tzinfo=zone)
            day += step
            if _is_christmas_break(starts_at.date()):
                continue
            held = starts_at < self.now
            upcoming += not held
            meetings.append(
                Meeting(
                    group=group,
                    starts_at=starts_at,
                    duration_minutes=120,
                    venue=group.venue,
                    status=MeetingStatus.HELD if held else MeetingStatus.PLANNED,
                )
            )
        Meeting.objects.bulk_create(meetings)
