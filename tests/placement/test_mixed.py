"""Mixed groups: people open to a group across topics are proposed, accepted and refilled.

The engine sees them under one reserved topic (MIXED_TOPIC); a mixed group holds only
people who asked for one, with starters who can start mixed groups, and becomes a Group
without a topic, shown as "Mixed group".
"""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from kreds.groups.models import MIXED_GROUP_LABEL, GroupStatus
from kreds.intake.models import ApplicationStatus
from kreds.meetings.slots import slot_label
from kreds.organizations.models import Municipality
from kreds.placement.fit import km_between
from kreds.placement.instance import MIXED_TOPIC, build_instance
from kreds.placement.models import MatchingRun, Offer, OfferStatus, RunStatus
from kreds.placement.offers import accept_offer, decline_offer
from kreds.placement.services import accept_proposal, move_member
from kreds.placement.tasks import run_matching

from .conftest import SLOT

pytestmark = pytest.mark.django_db


@pytest.fixture
def runs_mixed(organization):
    organization.offers_mixed_groups = True
    organization.save()
    return organization


@pytest.fixture
def mixed_starter(runs_mixed, make_starter, topic):
    """A starter for the topic who can also start mixed groups."""
    person = make_starter(topics=[topic], name="Starter Mixed")
    person.starter_capacities.update(starts_mixed_groups=True)
    return person


@pytest.fixture
def mixed_world(small_groups, runs_mixed, herning, age_band, place_venue, mixed_starter):
    return mixed_starter


def solve(organization):
    run = MatchingRun.objects.create(organization=organization, time_limit=3)
    run_matching.call(run.pk, organization.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    return run


def mixed_run(organization, coordinator, age_band, venue, members, starters):
    proposal = {
        "groups": [
            {
                "key": "g1",
                "topic": MIXED_TOPIC,
                "age_band": str(age_band.pk),
                "slot": SLOT,
                "venue": str(venue.pk),
                "members": [str(a.pk) for a in members],
                "starters": [str(s.pk) for s in starters],
                "group_id": None,
            }
        ],
        "unassigned": [],
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


# --- The instance ---------------------------------------------------------------------------


def test_instance_offers_mixed_applicants_and_mixed_starters_under_the_reserved_topic(
    mixed_world, make_starter, make_waiting, organization, topic
):
    make_starter(topics=[topic], name="Topic Only")
    (mixed,) = make_waiting(topic=None)
    (on_topic,) = make_waiting()
    built = build_instance(organization)
    topics = {row["id"]: row["topic"] for row in built.data["applicants"]}
    assert topics == {str(mixed.pk): MIXED_TOPIC, str(on_topic.pk): str(topic.pk)}
    assert built.mixed_waiting == 0
    starters = {row["id"]: row["topics"] for row in built.data["starters"]}
    assert starters[str(mixed_world.pk)] == [str(topic.pk), MIXED_TOPIC]
    assert MIXED_TOPIC not in next(t for pk, t in starters.items() if pk != str(mixed_world.pk))


def test_instance_leaves_mixed_applicants_out_where_the_organization_runs_no_mixed_groups(
    mixed_world, make_waiting, organization
):
    make_waiting(topic=None)
    organization.offers_mixed_groups = False
    organization.save()
    built = build_instance(organization)
    assert built.data["applicants"] == []
    assert built.mixed_waiting == 1
    assert all(MIXED_TOPIC not in row["topics"] for row in built.data["starters"])


# --- The engine proposes, the coordinator accepts -----------------------------------------


def test_mixed_cluster_is_proposed_as_a_group_and_accepted(
    mixed_world, make_waiting, organization, coordinator, place_venue
):
    mixed = make_waiting(3, topic=None, name="Open")
    (on_topic,) = make_waiting(days=200, name="Topic")  # waited longest, but has a topic
    run = solve(organization)
    (proposed,) = run.proposal["groups"]
    assert proposed["topic"] == MIXED_TOPIC
    assert sorted(proposed["members"]) == sorted(str(a.pk) for a in mixed)
    assert proposed["starters"] == [str(mixed_world.pk)]
    assert [item["id"] for item in run.proposal["unassigned"]] == [str(on_topic.pk)]

    mail.outbox.clear()
    group = accept_proposal(run=run, key="g1", by=coordinator)
    assert group.topic is None
    assert group.is_mixed
    with translation.override(organization.primary_language):
        assert group.name == f"{MIXED_GROUP_LABEL} · {slot_label(SLOT)}"
    assert group.status == GroupStatus.FORMING
    assert group.venue == place_venue
    offers = Offer.objects.filter(group=group)
    assert sorted(o.application_id for o in offers) == sorted(a.pk for a in mixed)
    for offer in offers:
        accept_offer(offer=offer, by=offer.application.person)
    group.refresh_from_db()
    assert group.status == GroupStatus.STARTING


def test_offer_mail_for_a_mixed_group_says_nothing_about_it(
    mixed_world,
    make_waiting,
    organization,
    coordinator,
    place_venue,
    age_band,
    django_capture_on_commit_callbacks,
):
    members = make_waiting(3, topic=None)
    run = mixed_run(organization, coordinator, age_band, place_venue, members, [mixed_world])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        accept_proposal(run=run, key="g1", by=coordinator)
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        text = (message.subject + message.body).lower()
        assert "mixed" not in text
        assert "across topics" not in text


def test_proposal_page_shows_a_mixed_group(
    coordinator_client,
    mixed_world,
    make_waiting,
    organization,
    coordinator,
    age_band,
    place_venue,
):
    members = make_waiting(3, topic=None)
    run = mixed_run(organization, coordinator, age_band, place_venue, members, [mixed_world])
    response = coordinator_client.get(
        reverse("placement:run_detail", kwargs={"org": organization.slug, "pk": run.pk})
    )
    content = response.content.decode()
    assert "Group 1: Across topics," in content
    assert "Everyone in this group is open to a group across topics" in content


def test_start_page_explains_mixed_groups_instead_of_refusing_them(
    coordinator_client, mixed_world, make_waiting, organization
):
    make_waiting(2, topic=None)
    content = coordinator_client.get(
        reverse("placement:run_start", kwargs={"org": organization.slug})
    ).content.decode()
    assert "2 people wait for a group across topics." in content
    assert "Kreds proposes groups across topics for them" in content
    assert "1 starter can start a group across topics." in content
    assert "not propose" not in content


# --- Never a person with a topic in a mixed group -----------------------------------------


def test_person_with_a_topic_is_never_proposed_for_a_mixed_group(
    mixed_world, make_waiting, organization
):
    make_waiting(2, topic=None, name="Open")
    on_topic = make_waiting(5, days=300, name="Topic")  # would fill a mixed group of 3-4
    run = solve(organization)
    ids = {str(a.pk) for a in on_topic}
    for group in run.proposal["groups"]:
        if group["topic"] == MIXED_TOPIC:
            assert not ids & set(group["members"])
    assert all(group["topic"] != MIXED_TOPIC for group in run.proposal["groups"])


def test_moving_a_person_with_a_topic_into_a_mixed_group_is_refused(
    mixed_world, make_waiting, organization, coordinator, age_band, place_venue
):
    members = make_waiting(3, topic=None)
    (on_topic,) = make_waiting(name="Topic")
    run = mixed_run(organization, coordinator, age_band, place_venue, members, [mixed_world])
    run.proposal["unassigned"] = [{"id": str(on_topic.pk), "reason": "outscored"}]
    run.save()
    with pytest.raises(ValidationError, match="not a mixed group"):
        move_member(run=run, application_id=str(on_topic.pk), target="g1", by=coordinator)


def test_accepting_a_mixed_group_with_a_person_with_a_topic_is_refused(
    mixed_world, make_waiting, organization, coordinator, age_band, place_venue
):
    members = [*make_waiting(2, topic=None), *make_waiting(1, name="Topic")]
    run = mixed_run(organization, coordinator, age_band, place_venue, members, [mixed_world])
    with pytest.raises(ValidationError, match="another topic"):
        accept_proposal(run=run, key="g1", by=coordinator)
    assert not Offer.objects.exists()
    for application in members:
        application.refresh_from_db()
        assert application.status == ApplicationStatus.WAITING


# --- Starters -------------------------------------------------------------------------------


def test_starter_who_cannot_start_mixed_groups_is_never_assigned(
    small_groups,
    runs_mixed,
    herning,
    age_band,
    place_venue,
    make_starter,
    make_waiting,
    topic,
    organization,
):
    make_starter(topics=[topic], name="Topic Only")
    mixed = make_waiting(4, topic=None)
    run = solve(organization)
    assert run.proposal["groups"] == []
    assert {item["id"]: item["reason"] for item in run.proposal["unassigned"]} == {
        str(a.pk): "no_starter_free" for a in mixed
    }


def test_accepting_a_mixed_group_with_a_starter_who_cannot_start_one_is_refused(
    mixed_world,
    make_starter,
    make_waiting,
    organization,
    coordinator,
    age_band,
    place_venue,
    topic,
):
    other = make_starter(topics=[topic], name="Topic Only")
    members = make_waiting(3, topic=None)
    run = mixed_run(organization, coordinator, age_band, place_venue, members, [other])
    with pytest.raises(ValidationError, match="starter"):
        accept_proposal(run=run, key="g1", by=coordinator)


def test_capacity_form_offers_mixed_groups_only_where_the_organization_runs_them(
    coordinator_client, small_groups, make_starter, organization, topic, herning
):
    starter = make_starter(topics=[topic])
    edit = reverse("placement:capacity_edit", kwargs={"org": organization.slug, "pk": starter.pk})
    assert "Can start mixed groups" not in coordinator_client.get(edit).content.decode()
    organization.offers_mixed_groups = True
    organization.save()
    assert "Can start mixed groups" in coordinator_client.get(edit).content.decode()
    coordinator_client.post(
        edit,
        {
            "topics": [topic.pk],
            "starts_mixed_groups": "on",
            "municipality": herning.pk,
            "slots": [SLOT],
            "max_groups": "1",
        },
    )
    capacity = starter.starter_capacities.get()
    assert capacity.starts_mixed_groups
    listing = coordinator_client.get(
        reverse("placement:capacity_list", kwargs={"org": organization.slug})
    )
    content = listing.content.decode()
    assert '<th scope="col">Can start mixed groups</th>' in content
    assert "<td>1</td>" in content
    assert "<td>Yes</td>" in content


# --- The next person in line ----------------------------------------------------------------


def test_declined_place_in_a_mixed_group_goes_to_the_next_person_open_to_one(
    mixed_world, make_waiting, organization, coordinator, age_band, place_venue
):
    members = make_waiting(3, topic=None, name="Member")
    run = mixed_run(organization, coordinator, age_band, place_venue, members, [mixed_world])
    group = accept_proposal(run=run, key="g1", by=coordinator)
    make_waiting(days=300, name="Topic")  # waited longest, but for a topic
    (next_open,) = make_waiting(days=30, topic=None, name="Next")
    first = Offer.objects.filter(group=group).first()
    new_offer = decline_offer(offer=first, by=None)
    assert new_offer is not None
    assert new_offer.application == next_open
    assert new_offer.status == OfferStatus.OFFERED


def test_declined_place_in_a_topic_group_never_goes_to_a_mixed_applicant(
    mixed_world, make_waiting, make_run, coordinator
):
    members = make_waiting(3, name="Member")
    group = accept_proposal(run=make_run([(members, [mixed_world])]), key="g1", by=coordinator)
    make_waiting(days=300, topic=None, name="Open")
    first = Offer.objects.filter(group=group).first()
    assert decline_offer(offer=first, by=None) is None


# --- The organization's travel limit --------------------------------------------------------


@pytest.fixture
def viborg(organization):
    return Municipality.objects.create(
        organization=organization, name="Viborg", latitude="56.45319", longitude="9.40201"
    )


def test_travel_limit_of_the_organization_decides_who_can_be_grouped(
    world, make_waiting, organization, viborg, place_venue
):
    km = km_between(56.45319, 9.40201, float(place_venue.latitude), float(place_venue.longitude))
    assert 40 < km < 60
    people = make_waiting(3, municipality=viborg)
    assert build_instance(organization).data["config"]["max_travel_km"] == 40
    run = solve(organization)
    assert run.proposal["groups"] == []
    assert {item["reason"] for item in run.proposal["unassigned"]} == {"no_peers_nearby"}

    organization.max_travel_km = 60
    organization.save()
    assert build_instance(organization).data["config"]["max_travel_km"] == 60
    run = solve(organization)
    (group,) = run.proposal["groups"]
    assert sorted(group["members"]) == sorted(str(a.pk) for a in people)


def test_travel_limit_of_the_organization_decides_the_next_in_line(
    world, make_waiting, make_run, coordinator, organization, viborg
):
    members = make_waiting(3, name="Member")
    group = accept_proposal(run=make_run([(members, [world])]), key="g1", by=coordinator)
    (far,) = make_waiting(days=30, municipality=viborg, name="Viborg")
    offers = list(Offer.objects.filter(group=group).order_by("id"))
    assert decline_offer(offer=offers[0], by=None) is None
    organization.max_travel_km = 60
    organization.save()
    new_offer = decline_offer(offer=offers[1], by=None)
    assert new_offer is not None
    assert new_offer.application == far
