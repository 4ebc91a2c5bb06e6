"""Starters' capacity, moving people in a proposal, and accepting groups."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from kreds.audit.models import AuditEvent
from kreds.groups.models import Group, GroupMembership, GroupStatus, MembershipRole
from kreds.intake.models import ApplicationStatus
from kreds.placement.models import Offer, OfferStatus, StarterCapacity
from kreds.placement.services import (
    accept_all,
    accept_proposal,
    move_member,
    save_starter_capacity,
)
from tests import factories as f

from .conftest import SLOT, THIS_YEAR, open_offer

pytestmark = pytest.mark.django_db


# --- Starters' capacity -------------------------------------------------------------------


def test_capacity_saved_for_a_starter(organization, topic, herning, coordinator):
    person = f.PersonFactory()
    f.RoleFactory(organization=organization, person=person, kind="starter")
    capacity = save_starter_capacity(
        organization=organization,
        person=person,
        data={
            "topics": [topic],
            "municipality": herning,
            "slots": ["nonsense", SLOT],
            "max_groups": 2,
        },
        by=coordinator,
    )
    assert list(capacity.topics.all()) == [topic]
    assert capacity.slots == [SLOT]
    assert capacity.max_groups == 2
    assert AuditEvent.objects.filter(action="starter_capacity.saved").count() == 1


def test_capacity_refused_for_a_person_without_the_starter_role(organization, coordinator):
    with pytest.raises(ValidationError):
        save_starter_capacity(
            organization=organization,
            person=f.PersonFactory(),
            data={"topics": [], "slots": [], "max_groups": 1},
            by=coordinator,
        )
    assert not StarterCapacity.objects.exists()


def test_capacity_refuses_another_organizations_topic(
    organization, other_organization, coordinator
):
    person = f.PersonFactory()
    f.RoleFactory(organization=organization, person=person, kind="starter")
    with pytest.raises(ValidationError):
        save_starter_capacity(
            organization=organization,
            person=person,
            data={"topics": [f.TopicFactory(organization=other_organization)], "max_groups": 1},
            by=coordinator,
        )


# --- Moves --------------------------------------------------------------------------------


@pytest.fixture
def two_groups(world, make_waiting, make_run, make_starter, topic):
    first = make_waiting(3, name="First")
    second = make_waiting(3, name="Second")
    other_starter = make_starter(topics=[topic], name="Starter Two")
    run = make_run([(first, [world]), (second, [other_starter])])
    return run, first, second


def test_move_to_another_group_changes_the_proposal(two_groups, coordinator):
    run, first, second = two_groups
    move_member(run=run, application_id=str(first[0].pk), target="g2", by=coordinator)
    run.refresh_from_db()
    assert str(first[0].pk) in run.proposal["groups"][1]["members"]
    assert str(first[0].pk) not in run.proposal["groups"][0]["members"]
    assert AuditEvent.objects.filter(action="matching_run.member_moved").exists()


def test_move_of_a_persons_second_application_into_another_group_is_refused(
    two_groups, coordinator, make_waiting
):
    run, first, _second = two_groups
    (again,) = make_waiting(name="Same person, other topic")
    again.person = first[0].person
    again.save()
    run.proposal["unassigned"].append({"id": str(again.pk), "reason": "placed_for_other_topic"})
    run.save()

    with pytest.raises(ValidationError, match="already proposed for a group"):
        move_member(run=run, application_id=str(again.pk), target="g2", by=coordinator)

    move_member(run=run, application_id=str(first[0].pk), target="list", by=coordinator)
    move_member(run=run, application_id=str(again.pk), target="g2", by=coordinator)
    run.refresh_from_db()
    assert str(again.pk) in run.proposal["groups"][1]["members"]


def test_move_back_to_the_list(two_groups, coordinator):
    run, first, _second = two_groups
    move_member(run=run, application_id=str(first[0].pk), target="list", by=coordinator)
    run.refresh_from_db()
    assert {"id": str(first[0].pk), "reason": "moved_out"} in run.proposal["unassigned"]


def test_move_into_a_full_group_is_refused(two_groups, coordinator, make_waiting, make_run):
    run, first, second = two_groups
    move_member(run=run, application_id=str(first[0].pk), target="g2", by=coordinator)
    with pytest.raises(ValidationError, match="full"):
        move_member(run=run, application_id=str(first[1].pk), target="g2", by=coordinator)


def test_move_of_someone_who_cannot_meet_then_is_refused(
    world, make_waiting, make_run, coordinator
):
    members = make_waiting(3)
    (busy,) = make_waiting(availability=["mon-morning"])
    run = make_run([(members, [world])], unassigned=[busy])
    with pytest.raises(ValidationError, match="weekly time"):
        move_member(run=run, application_id=str(busy.pk), target="g1", by=coordinator)


def test_move_of_someone_too_far_away_is_refused(
    world, make_waiting, make_run, coordinator, far_away
):
    members = make_waiting(3)
    (far,) = make_waiting(municipality=far_away)
    run = make_run([(members, [world])], unassigned=[far])
    with pytest.raises(ValidationError, match="too far"):
        move_member(run=run, application_id=str(far.pk), target="g1", by=coordinator)


def test_move_of_someone_too_far_in_age_from_the_others_is_refused(
    world, make_waiting, make_run, coordinator, organization
):
    organization.max_age_span = 10
    organization.save()
    members = make_waiting(3)  # all 40 this year
    (older,) = make_waiting(birth_year=THIS_YEAR - 52)
    (close,) = make_waiting(birth_year=THIS_YEAR - 49)
    run = make_run([(members, [world])], unassigned=[older, close])

    with pytest.raises(ValidationError, match="at most 10 years apart"):
        move_member(run=run, application_id=str(older.pk), target="g1", by=coordinator)
    move_member(run=run, application_id=str(close.pk), target="g1", by=coordinator)
    run.refresh_from_db()
    assert run.proposal["groups"][0]["members"][-1] == str(close.pk)


def test_move_of_someone_outside_the_age_band_is_refused(
    world, make_waiting, make_run, coordinator
):
    members = make_waiting(3)
    (young,) = make_waiting(birth_year=THIS_YEAR - 19)
    run = make_run([(members, [world])], unassigned=[young])
    with pytest.raises(ValidationError, match="age band"):
        move_member(run=run, application_id=str(young.pk), target="g1", by=coordinator)


def test_move_of_someone_not_in_the_proposal_is_refused(world, make_waiting, make_run, coordinator):
    members = make_waiting(3)
    (stranger,) = make_waiting()
    run = make_run([(members, [world])])
    with pytest.raises(ValidationError):
        move_member(run=run, application_id=str(stranger.pk), target="g1", by=coordinator)


# --- Accepting ----------------------------------------------------------------------------


def test_accept_creates_group_books_venue_assigns_starter_and_offers(
    world,
    make_waiting,
    make_run,
    coordinator,
    place_venue,
    topic,
    age_band,
    django_capture_on_commit_callbacks,
):
    members = make_waiting(3)
    run = make_run([(members, [world])])
    with django_capture_on_commit_callbacks(execute=True):
        group = accept_proposal(run=run, key="g1", by=coordinator)
    assert group.status == GroupStatus.FORMING
    assert (group.topic, group.age_band, group.venue, group.meeting_slot) == (
        topic,
        age_band,
        place_venue,
        SLOT,
    )
    starter = GroupMembership.objects.get(group=group)
    assert (starter.person, starter.role) == (world, MembershipRole.STARTER)
    offers = Offer.objects.filter(group=group)
    assert offers.count() == 3
    assert all(o.status == OfferStatus.OFFERED for o in offers)
    days = (offers[0].expires_at - offers[0].created_at).days
    assert days in (6, 7)
    for application in members:
        application.refresh_from_db()
        assert application.status == ApplicationStatus.OFFERED
    run.refresh_from_db()
    assert run.proposal["groups"][0]["group_id"] == group.pk
    assert len(mail.outbox) == 3
    assert AuditEvent.objects.filter(action="offer.created").count() == 3


def test_accept_mail_has_no_topic_group_or_venue_and_is_in_the_persons_language(
    world,
    make_waiting,
    make_run,
    coordinator,
    place_venue,
    topic,
    django_capture_on_commit_callbacks,
):
    members = make_waiting(2, language="en") + make_waiting(1, language="da", name="Dansk")
    run = make_run([(members, [world])])
    with django_capture_on_commit_callbacks(execute=True):
        group = accept_proposal(run=run, key="g1", by=coordinator)
    assert len(mail.outbox) == 3
    secrets = [group.name, place_venue.name, group.organization.name, *topic.name.data.values()]
    for message in mail.outbox:
        text = message.subject + message.body
        assert not [secret for secret in secrets if secret in text]
        assert "/me/" in message.body
    english = next(m for m in mail.outbox if m.to == [members[0].person.email])
    assert "A place is waiting for you" in english.subject


def test_accept_twice_is_refused(world, make_waiting, make_run, coordinator):
    run = make_run([(make_waiting(3), [world])])
    accept_proposal(run=run, key="g1", by=coordinator)
    with pytest.raises(ValidationError):
        accept_proposal(run=run, key="g1", by=coordinator)
    assert Group.objects.count() == 1


def test_accept_refused_when_someone_is_no_longer_waiting(
    world, make_waiting, make_run, coordinator
):
    members = make_waiting(3)
    members[0].status = ApplicationStatus.WITHDRAWN
    members[0].save()
    run = make_run([(members, [world])])
    with pytest.raises(ValidationError, match="no longer waiting"):
        accept_proposal(run=run, key="g1", by=coordinator)
    assert not Group.objects.exists()
    assert not Offer.objects.exists()


def test_accept_refused_when_the_room_is_taken(
    world, make_waiting, make_run, coordinator, organization, place_venue, topic, age_band
):
    f.GroupFactory(
        organization=organization,
        topic=topic,
        age_band=age_band,
        venue=place_venue,
        meeting_slot=SLOT,
        status=GroupStatus.RUNNING,
    )
    run = make_run([(make_waiting(3), [world])])
    with pytest.raises(ValidationError, match="no free room"):
        accept_proposal(run=run, key="g1", by=coordinator)


def test_accept_refused_for_a_group_below_the_smallest_size(
    world, make_waiting, make_run, coordinator
):
    run = make_run([(make_waiting(2), [world])])
    with pytest.raises(ValidationError, match="3 to 4"):
        accept_proposal(run=run, key="g1", by=coordinator)


def test_accept_all_accepts_what_it_can_and_reports_the_rest(
    world, make_waiting, make_run, coordinator, make_starter, topic
):
    other = make_starter(topics=[topic], name="Starter Two")
    # Both groups want the same single room on Tuesday evening: only one can have it.
    run = make_run([(make_waiting(3), [world]), (make_waiting(3), [other])])
    accepted, problems = accept_all(run=run, by=coordinator)
    assert len(accepted) == 1
    assert len(problems) == 1
    assert "no free room" in problems[0]


def test_accept_refused_when_the_starter_took_another_group_meanwhile(
    world, make_waiting, make_run, coordinator, organization, topic, age_band
):
    busy = f.GroupFactory(organization=organization, topic=topic, age_band=age_band)
    f.GroupMembershipFactory(group=busy, person=world, role=MembershipRole.STARTER)
    run = make_run([(make_waiting(3), [world])])
    with pytest.raises(ValidationError, match="starter"):
        accept_proposal(run=run, key="g1", by=coordinator)


def test_move_next_to_someone_to_keep_apart_from_is_refused(
    world, make_waiting, make_run, coordinator
):
    from kreds.intake.services import email_hash

    members = make_waiting(3)
    (wary,) = make_waiting(keep_apart_hashes=[email_hash(members[0].person.email)])
    run = make_run([(members, [world])], unassigned=[wary])
    with pytest.raises(ValidationError, match="not to be in a group"):
        move_member(run=run, application_id=str(wary.pk), target="g1", by=coordinator)


# --- Accepting checks each member and starter again ----------------------------------------


def change_times(application, slots):
    """The applicant changes when they can meet on my page, after the engine ran."""
    from kreds.intake.services import update_application

    update_application(application=application, data={"availability": slots}, by=None)


def test_accept_leaves_out_a_member_who_can_no_longer_meet_then(
    world, make_waiting, make_run, coordinator
):
    members = make_waiting(4)
    run = make_run([(members, [world])])
    change_times(members[1], ["mon-morning"])
    group = accept_proposal(run=run, key="g1", by=coordinator)
    offered = {offer.application_id for offer in Offer.objects.filter(group=group)}
    assert offered == {members[0].pk, members[2].pk, members[3].pk}
    members[1].refresh_from_db()
    assert members[1].status == ApplicationStatus.WAITING
    assert not members[1].offers.exists()
    (text,) = group.not_offered
    assert text.startswith(f"1 person no longer fits {group.name}")
    assert "Waiting 2: This person cannot meet at the group's weekly time." in text
    run.refresh_from_db()
    assert str(members[1].pk) not in run.proposal["groups"][0]["members"]
    assert {"id": str(members[1].pk), "reason": "no_longer_fits"} in run.proposal["unassigned"]


def test_accept_leaves_out_a_member_who_moved_too_far(
    world, make_waiting, make_run, coordinator, far_away
):
    from kreds.intake.services import update_application

    members = make_waiting(4)
    run = make_run([(members, [world])])
    update_application(application=members[3], data={"municipality": far_away}, by=None)
    group = accept_proposal(run=run, key="g1", by=coordinator)
    assert Offer.objects.filter(group=group).count() == 3
    assert not members[3].offers.exists()
    assert "The venue is too far from where this person lives." in group.not_offered[0]


def test_accept_leaves_out_one_of_two_to_keep_apart(world, make_waiting, make_run, coordinator):
    from kreds.intake.keep_apart import email_hash

    members = make_waiting(4)
    run = make_run([(members, [world])])
    # Waiting 4 asks to be kept apart from Waiting 1 (whose address was not known before).
    members[3].keep_apart_hashes = [email_hash(members[0].person.email)]
    members[3].save()
    group = accept_proposal(run=run, key="g1", by=coordinator)
    offered = {offer.application_id for offer in Offer.objects.filter(group=group)}
    # Waiting 4 has waited longest, so stays; Waiting 1 is left out.
    assert offered == {members[1].pk, members[2].pk, members[3].pk}
    assert "Waiting 1: Someone involved asked not to be in a group" in group.not_offered[0]


def test_accept_leaves_out_a_member_who_already_meets_a_group_then(
    world, make_waiting, make_run, coordinator, make_group
):
    members = make_waiting(4)
    run = make_run([(members, [world])])
    other = make_group(venue=None)
    f.GroupMembershipFactory(group=other, person=members[2].person)
    group = accept_proposal(run=run, key="g1", by=coordinator)
    assert not members[2].offers.exists()
    assert "already meets another group at this weekly time" in group.not_offered[0]


def test_accept_leaves_out_a_member_already_offered_a_place_at_that_time(
    world, make_waiting, make_run, coordinator, make_group, organization
):
    members = make_waiting(4)
    run = make_run([(members, [world])])
    other = make_group(venue=None, status=GroupStatus.FORMING)
    (elsewhere,) = make_waiting(status=ApplicationStatus.OFFERED)
    elsewhere.person = members[1].person
    elsewhere.save()
    open_offer(elsewhere, other)

    group = accept_proposal(run=run, key="g1", by=coordinator)

    assert not members[1].offers.exists()
    assert Offer.objects.filter(group=group).count() == 3
    assert "already meets another group at this weekly time" in group.not_offered[0]


def test_accept_refused_and_nothing_saved_when_too_few_still_fit(
    world, make_waiting, make_run, coordinator
):
    members = make_waiting(3)
    run = make_run([(members, [world])])
    before = run.proposal
    change_times(members[0], ["mon-morning"])
    with pytest.raises(ValidationError) as refused:
        accept_proposal(run=run, key="g1", by=coordinator)
    message = " ".join(refused.value.messages)
    assert "Only 2 people in this group still fit it" in message
    assert "needs at least 3" in message
    assert "Waiting 1: This person cannot meet at the group's weekly time." in message
    assert not Group.objects.exists()
    assert not Offer.objects.exists()
    assert not GroupMembership.objects.exists()
    run.refresh_from_db()
    assert run.proposal == before
    for application in members:
        application.refresh_from_db()
        assert application.status == ApplicationStatus.WAITING


def test_accept_refused_when_the_starter_can_no_longer_come_then(
    world, make_waiting, make_run, coordinator, organization
):
    run = make_run([(make_waiting(3), [world])])
    StarterCapacity.objects.filter(person=world).update(slots=["wed-morning"])
    with pytest.raises(ValidationError, match="can no longer come on Tuesday evening"):
        accept_proposal(run=run, key="g1", by=coordinator)
    assert not Group.objects.exists()
    assert not Offer.objects.exists()


def test_accept_refused_when_the_starter_moved_beyond_the_travel_limit(
    world, make_waiting, make_run, coordinator, far_away
):
    run = make_run([(make_waiting(3), [world])])
    StarterCapacity.objects.filter(person=world).update(municipality=far_away)
    with pytest.raises(ValidationError, match="no longer lives within 40 km of Herning Bibliotek"):
        accept_proposal(run=run, key="g1", by=coordinator)
    assert not Group.objects.exists()
