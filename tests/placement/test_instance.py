"""Building the engine's instance from the database."""

import datetime as dt

import pytest
from django.utils import timezone

from kreds.groups.models import GroupStatus, MembershipRole
from kreds.intake.models import Application, ApplicationStatus
from kreds.placement.instance import build_instance
from tests import factories as f

from .conftest import SLOT, THIS_YEAR, open_offer

pytestmark = pytest.mark.django_db


def test_instance_applicants_carry_age_band_place_slots_and_wait(
    world, make_waiting, topic, age_band, herning
):
    (application,) = make_waiting(days=12, gender="woman")
    data = build_instance(application.organization).data
    (row,) = data["applicants"]
    assert row == {
        "id": str(application.pk),
        "topic": str(topic.pk),
        "age": 40,
        "age_band": str(age_band.pk),
        "gender": "woman",
        "lat": pytest.approx(56.13856),
        "lon": pytest.approx(8.9734),
        "slots": [SLOT],
        "waiting_days": 12,
        "keep_apart": [],
        "person": str(application.person_id),
    }


def test_instance_leaves_out_people_not_waiting(world, make_waiting):
    make_waiting(status=ApplicationStatus.RECEIVED, waiting_since=None)
    make_waiting(status=ApplicationStatus.OFFERED)
    (waiting,) = make_waiting()
    data = build_instance(waiting.organization).data
    assert [row["id"] for row in data["applicants"]] == [str(waiting.pk)]


def test_instance_counts_mixed_and_ageless_applications_apart(world, make_waiting, organization):
    make_waiting(topic=None)
    make_waiting(birth_year=THIS_YEAR - 19)  # below the adults band (25-64)
    built = build_instance(organization)
    assert built.data["applicants"] == []
    assert built.mixed_waiting == 1
    assert built.without_age_band == 1


def test_instance_config_comes_from_the_organization(world, organization):
    config = build_instance(organization).data["config"]
    assert config["min_size"] == 3
    assert config["max_size"] == 4
    assert config["starters_min"] == config["starters_max"] == 1
    assert config["max_travel_km"] == 40
    assert config["weights"] == {"placed": 1000, "wait_day": 1, "travel_km": 5, "lone_gender": 200}
    assert config["max_age_span"] is None
    organization.max_age_span = 15
    organization.save()
    assert build_instance(organization).data["config"]["max_age_span"] == 15


def test_instance_venue_offers_only_slots_with_a_free_room(world, organization, make_group):
    make_group()
    make_group("wed-morning", GroupStatus.ENDED)
    (venue,) = build_instance(organization).data["venues"]
    assert venue["slots"] == ["wed-morning"]
    assert venue["groups_per_slot"] == 1


def test_instance_venue_without_position_is_left_out(world, organization):
    f.VenueFactory(organization=organization, slots=[SLOT])
    assert len(build_instance(organization).data["venues"]) == 1


def test_instance_starters_have_topics_and_capacity_left(
    world, organization, topic, age_band, place_venue
):
    data = build_instance(organization).data
    (starter,) = data["starters"]
    assert starter["id"] == str(world.pk)
    assert starter["topics"] == [str(topic.pk)]
    assert starter["slots"] == [SLOT]
    assert starter["max_groups"] == 1
    busy = f.GroupFactory(
        organization=organization, topic=topic, age_band=age_band, status=GroupStatus.FORMING
    )
    f.GroupMembershipFactory(group=busy, person=world, role=MembershipRole.STARTER)
    assert build_instance(organization).data["starters"] == []


def test_instance_starter_without_role_is_left_out(world, organization):
    world.roles.all().delete()
    assert build_instance(organization).data["starters"] == []


def test_instance_holds_no_names(world, make_waiting, organization):
    make_waiting(name="Secret Name", waiting_since=timezone.now() - dt.timedelta(days=3))
    assert "Secret Name" not in str(build_instance(organization).data)


def test_instance_keep_apart_is_symmetric(world, make_waiting, organization):
    from kreds.intake.services import email_hash

    (first,) = make_waiting(name="First")
    (second,) = make_waiting(name="Second", keep_apart_hashes=[email_hash(first.person.email)])
    rows = {row["id"]: row for row in build_instance(organization).data["applicants"]}
    assert rows[str(first.pk)]["keep_apart"] == [str(second.pk)]
    assert rows[str(second.pk)]["keep_apart"] == [str(first.pk)]


def test_instance_marks_one_persons_applications_for_two_topics_as_one_person(
    world, make_waiting, organization, topic
):
    (first,) = make_waiting()
    other_topic = f.TopicFactory(organization=organization)
    consent = first.consent
    second = Application.objects.create(
        organization=organization,
        person=first.person,
        consent=consent,
        topic=other_topic,
        municipality=first.municipality,
        birth_year=first.birth_year,
        availability=[SLOT],
        status=ApplicationStatus.WAITING,
        waiting_since=first.waiting_since,
    )
    (stranger,) = make_waiting()

    rows = {row["id"]: row for row in build_instance(organization).data["applicants"]}

    assert rows[str(first.pk)]["person"] == rows[str(second.pk)]["person"]
    assert rows[str(stranger.pk)]["person"] != rows[str(first.pk)]["person"]


def test_instance_leaves_out_times_the_person_already_meets_or_is_offered_a_group(
    world, make_waiting, organization, make_group
):
    (application,) = make_waiting(availability=[SLOT, "wed-morning", "thu-evening"])
    running = make_group()
    f.GroupMembershipFactory(group=running, person=application.person)
    forming = make_group("wed-morning", GroupStatus.FORMING)
    (other,) = make_waiting(status=ApplicationStatus.OFFERED)
    other.person = application.person
    other.save()
    open_offer(other, forming)
    ended = make_group("thu-evening", GroupStatus.ENDED, venue=None)
    f.GroupMembershipFactory(group=ended, person=application.person)

    (row,) = build_instance(organization).data["applicants"]

    assert row["slots"] == ["thu-evening"]
