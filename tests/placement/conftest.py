"""A small waiting list ready to be formed into groups.

Herning with groups of 3 to 4 people and one starter per group, one venue open on
Tuesday evenings with one room, one starter, and helpers to put people on the list.
"""

import datetime as dt

import pytest
from django.utils import timezone

from kreds.intake.models import Application, ApplicationStatus
from kreds.organizations.models import Municipality, RoleKind
from kreds.placement.models import StarterCapacity
from kreds.privacy.models import Purpose
from kreds.privacy.services import give_consent
from tests import factories as f

SLOT = "tue-evening"
THIS_YEAR = timezone.localdate().year


@pytest.fixture
def small_groups(organization):
    organization.group_min_size = 3
    organization.group_max_size = 4
    organization.starters_min = 1
    organization.starters_max = 1
    organization.save()
    return organization


@pytest.fixture
def herning(organization):
    return Municipality.objects.create(
        organization=organization, name="Herning", latitude="56.13856", longitude="8.97340"
    )


@pytest.fixture
def far_away(organization):
    return Municipality.objects.create(
        organization=organization, name="Skagen", latitude="57.72093", longitude="10.58394"
    )


@pytest.fixture
def place_venue(organization):
    return f.VenueFactory(
        organization=organization,
        name="Herning Bibliotek",
        latitude="56.13900",
        longitude="8.97500",
        slots=[SLOT, "wed-morning"],
        rooms=1,
    )


@pytest.fixture
def make_starter(organization, herning):
    def make(*, topics, name="Starter Birgit", slots=(SLOT,), max_groups=1):
        person = f.PersonFactory(display_name=name)
        f.RoleFactory(organization=organization, person=person, kind=RoleKind.STARTER)
        capacity = StarterCapacity.objects.create(
            organization=organization,
            person=person,
            municipality=herning,
            slots=list(slots),
            max_groups=max_groups,
        )
        capacity.topics.set(topics)
        return person

    return make


@pytest.fixture
def make_waiting(organization, herning, topic):
    """make_waiting(n=1, days=10, **fields) -> list of waiting applications."""

    def make(n=1, *, days=10, name="Waiting", language="en", **fields):
        made = []
        for index in range(n):
            person = f.PersonFactory(
                display_name=f"{name} {index + 1}", preferred_language=language
            )
            consent = give_consent(
                person=person, organization=organization, purpose=Purpose.TOPIC, language="en"
            )
            values = {
                "topic": topic,
                "municipality": herning,
                "birth_year": THIS_YEAR - 40,
                "availability": [SLOT],
                "status": ApplicationStatus.WAITING,
                "waiting_since": timezone.now() - dt.timedelta(days=days + index),
            } | fields
            made.append(
                Application.objects.create(
                    organization=organization, person=person, consent=consent, **values
                )
            )
        return made

    return make


@pytest.fixture
def world(small_groups, herning, topic, age_band, place_venue, make_starter):
    """Everything but the people waiting: returns the starter."""
    return make_starter(topics=[topic])


@pytest.fixture
def make_run(organization, topic, age_band, place_venue, coordinator):
    """make_run(groups=[(members, starters)], unassigned=[...]) -> a finished MatchingRun."""
    from kreds.placement.models import MatchingRun, RunStatus

    def make(groups, unassigned=(), *, slot=SLOT, venue=None):
        proposal = {
            "groups": [
                {
                    "key": f"g{index}",
                    "topic": str(topic.pk),
                    "age_band": str(age_band.pk),
                    "slot": slot,
                    "venue": str((venue or place_venue).pk),
                    "members": [str(a.pk) for a in members],
                    "starters": [str(s.pk) for s in starters],
                    "group_id": None,
                }
                for index, (members, starters) in enumerate(groups, start=1)
            ],
            "unassigned": [{"id": str(a.pk), "reason": "outscored"} for a in unassigned],
            "mixed_waiting": 0,
            "without_age_band": 0,
        }
        return MatchingRun.objects.create(
            organization=organization,
            started_by=coordinator,
            status=RunStatus.DONE,
            proposal=proposal,
            solution={"groups": [], "unassigned": []},
        )

    return make


@pytest.fixture
def make_group(organization, topic, age_band, place_venue):
    """make_group(slot=SLOT, status=RUNNING, **fields) -> a group of the organization."""
    from kreds.groups.models import GroupStatus

    def make(slot=SLOT, status=GroupStatus.RUNNING, **fields):
        values = {"topic": topic, "age_band": age_band, "venue": place_venue} | fields
        return f.GroupFactory(organization=organization, meeting_slot=slot, status=status, **values)

    return make


def open_offer(application, group, days: int = 7):
    """An open offer of a place in `group` to `application`, answered within `days`."""
    from kreds.placement.models import Offer

    return Offer.objects.create(
        organization=group.organization,
        application=application,
        group=group,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
