"""Answering offers: accept, decline, expiry, withdrawal, the next in line, and starting."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from kreds.audit.models import AuditEvent
from kreds.groups.models import GroupMembership, GroupStatus, MembershipRole
from kreds.intake.models import Application, ApplicationStatus
from kreds.intake.services import withdraw_application
from kreds.placement.models import Offer, OfferStatus
from kreds.placement.offers import (
    accept_offer,
    create_offer,
    decline_offer,
    expire_offers,
    offer_next_in_line,
    withdraw_offer,
)
from kreds.placement.services import accept_proposal
from kreds.privacy.services import withdraw_consent
from tests import factories as f

from .conftest import SLOT, THIS_YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def offered(world, make_waiting, make_run, coordinator):
    """A forming group of 3 (the smallest size) whose members are offered a place."""
    members = make_waiting(3, name="Member")
    group = accept_proposal(run=make_run([(members, [world])]), key="g1", by=coordinator)
    return group, list(Offer.objects.filter(group=group).order_by("id"))


def participants(group):
    return GroupMembership.objects.filter(
        group=group, role=MembershipRole.PARTICIPANT, left_on__isnull=True
    )


def test_accept_places_the_person_in_the_group(offered):
    group, offers = offered
    offer = accept_offer(offer=offers[0], by=offers[0].application.person)
    assert offer.status == OfferStatus.ACCEPTED
    assert offer.responded_at is not None
    assert list(participants(group).values_list("person", flat=True)) == [
        offers[0].application.person_id
    ]
    offers[0].application.refresh_from_db()
    assert offers[0].application.status == ApplicationStatus.PLACED


def test_accept_by_the_smallest_size_moves_the_group_to_starting(offered):
    group, offers = offered
    for offer in offers[:2]:
        accept_offer(offer=offer, by=None)
    group.refresh_from_db()
    assert group.status == GroupStatus.FORMING
    accept_offer(offer=offers[2], by=None)
    group.refresh_from_db()
    assert group.status == GroupStatus.STARTING


def test_accept_twice_is_refused(offered):
    _group, offers = offered
    accept_offer(offer=offers[0], by=None)
    with pytest.raises(ValidationError):
        accept_offer(offer=offers[0], by=None)


def test_accept_after_the_deadline_is_refused(offered):
    _group, offers = offered
    Offer.objects.filter(pk=offers[0].pk).update(expires_at=timezone.now() - dt.timedelta(hours=1))
    with pytest.raises(ValidationError, match="passed"):
        accept_offer(offer=offers[0], by=None)


def test_accept_in_a_full_group_withdraws_the_offer_and_keeps_the_person_waiting(offered):
    group, offers = offered
    group.max_size = 2
    group.save()
    accept_offer(offer=offers[0], by=None)
    accept_offer(offer=offers[1], by=None)
    offer = accept_offer(offer=offers[2], by=None)
    assert offer.status == OfferStatus.WITHDRAWN
    assert participants(group).count() == 2
    offers[2].application.refresh_from_db()
    assert offers[2].application.status == ApplicationStatus.WAITING


def test_decline_offers_the_place_to_the_longest_waiting_fitting_person(
    offered, make_waiting, far_away, django_capture_on_commit_callbacks
):
    group, offers = offered
    (newer,) = make_waiting(days=5, name="Newer")
    (older,) = make_waiting(days=50, name="Older")
    make_waiting(days=90, name="Far", municipality=far_away)
    make_waiting(days=90, name="Busy", availability=["mon-morning"])
    make_waiting(days=90, name="Young", birth_year=THIS_YEAR - 19)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        new_offer = decline_offer(offer=offers[0], by=None)
    offers[0].refresh_from_db()
    assert offers[0].status == OfferStatus.DECLINED
    offers[0].application.refresh_from_db()
    assert offers[0].application.status == ApplicationStatus.WAITING
    assert new_offer.application == older
    assert new_offer.group == group
    older.refresh_from_db()
    assert older.status == ApplicationStatus.OFFERED
    assert [m.to for m in mail.outbox] == [[older.person.email]]
    assert newer.offers.count() == 0


def test_next_in_line_keeps_to_the_organizations_largest_age_difference(
    offered, make_waiting, organization
):
    group, offers = offered  # three members of 40
    organization.max_age_span = 12
    organization.save()
    make_waiting(days=90, name="Much older", birth_year=THIS_YEAR - 60)
    (fitting,) = make_waiting(days=20, name="Near in age", birth_year=THIS_YEAR - 50)

    new_offer = decline_offer(offer=offers[0], by=None)

    assert new_offer.application == fitting


def test_decline_never_offers_the_same_group_to_the_one_who_declined(offered):
    _group, offers = offered
    assert decline_offer(offer=offers[0], by=None) is None


def test_expire_offers_closes_late_offers_and_moves_on(offered, make_waiting):
    group, offers = offered
    (next_person,) = make_waiting(days=30, name="Next")
    Offer.objects.filter(pk=offers[0].pk).update(expires_at=timezone.now() - dt.timedelta(hours=1))
    assert expire_offers() == 1
    offers[0].refresh_from_db()
    assert offers[0].status == OfferStatus.EXPIRED
    assert Offer.objects.get(application=next_person).group == group
    assert expire_offers() == 0


def test_expire_offers_command_reports(offered, capsys):
    _group, offers = offered
    Offer.objects.filter(pk=offers[1].pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    call_command("expire_offers")
    assert "1" in capsys.readouterr().out


def test_withdraw_puts_the_person_back_on_the_list_without_refill(offered, make_waiting):
    _group, offers = offered
    make_waiting(days=30, name="Next")
    withdraw_offer(offer=offers[0], by=None)
    offers[0].refresh_from_db()
    assert offers[0].status == OfferStatus.WITHDRAWN
    assert Offer.objects.count() == 3
    with pytest.raises(ValidationError):
        accept_offer(offer=offers[0], by=None)


def test_next_in_line_respects_the_largest_size(offered, make_waiting):
    group, offers = offered
    group.max_size = 3
    group.save()
    make_waiting(days=30, name="Next")
    accept_offer(offer=offers[0], by=None)
    # Three places: one taken, two still offered; a decline frees one.
    assert decline_offer(offer=offers[1], by=None) is not None
    group.max_size = 2
    group.save()
    make_waiting(days=30, name="Later")
    assert decline_offer(offer=offers[2], by=None) is None


def test_next_in_line_skips_someone_to_keep_apart_from_a_member(offered, make_waiting):
    from kreds.intake.services import email_hash

    _group, offers = offered
    holder = offers[1].application.person
    (wary,) = make_waiting(days=80, name="Wary", keep_apart_hashes=[email_hash(holder.email)])
    (fitting,) = make_waiting(days=20, name="Fitting")
    new_offer = decline_offer(offer=offers[0], by=None)
    assert new_offer.application == fitting
    assert wary.offers.count() == 0


def test_accept_after_the_application_was_withdrawn_is_refused(offered):
    group, offers = offered
    application = offers[0].application
    withdraw_application(application=application, by=application.person)
    with pytest.raises(ValidationError, match="already been answered or closed"):
        accept_offer(offer=offers[0], by=application.person)
    assert participants(group).count() == 0
    assert not Application.objects.filter(pk=application.pk).exists()


# --- Withdrawing an application that holds an open offer ---------------------------------


def test_withdrawing_an_application_with_an_open_offer_offers_the_place_on(
    offered, make_waiting, django_capture_on_commit_callbacks
):
    group, offers = offered
    (next_person,) = make_waiting(days=30, name="Next")
    application = offers[0].application
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_application(application=application, by=application.person)
    assert not Application.objects.filter(pk=application.pk).exists()
    new_offer = Offer.objects.get(application=next_person)
    assert new_offer.group == group
    assert new_offer.status == OfferStatus.OFFERED
    next_person.refresh_from_db()
    assert next_person.status == ApplicationStatus.OFFERED
    assert [m.to for m in mail.outbox] == [[next_person.person.email]]
    assert AuditEvent.objects.filter(action="offer.withdrawn").count() == 1


def test_withdrawing_the_consent_of_an_offered_application_offers_the_place_on(
    offered, make_waiting
):
    group, offers = offered
    (next_person,) = make_waiting(days=30, name="Next")
    application = offers[1].application
    withdraw_consent(consent=application.consent, by=application.person)
    assert not Application.objects.filter(pk=application.pk).exists()
    assert Offer.objects.get(application=next_person).group == group


def test_erasing_the_account_of_someone_offered_a_place_offers_the_place_on(
    offered, make_waiting, django_capture_on_commit_callbacks
):
    from kreds.privacy.services import erase_person

    group, offers = offered
    (next_person,) = make_waiting(days=30, name="Next")
    leaving = offers[2].application.person
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        erase_person(person=leaving, by=leaving)

    assert not Application.objects.filter(person_id=leaving.pk).exists()
    assert Offer.objects.get(application=next_person).group == group
    assert [m.to for m in mail.outbox] == [[next_person.person.email]]


def test_erasing_someone_who_accepted_a_place_in_a_forming_group_offers_it_on(
    offered, make_waiting
):
    from kreds.privacy.services import erase_person

    group, offers = offered
    group.max_size = 3  # full: a place opens only when someone leaves
    group.save()
    leaving = offers[0].application.person
    accept_offer(offer=offers[0], by=leaving)
    (next_person,) = make_waiting(days=30, name="Next")
    assert offer_next_in_line(group=group, by=None) is None

    erase_person(person=leaving, by=leaving)

    assert participants(group).count() == 0
    assert Offer.objects.get(application=next_person).group == group


def test_withdrawing_a_waiting_application_offers_nobody_a_place(offered, make_waiting):
    _group, _offers = offered
    (waiting,) = make_waiting(days=30, name="Waiting")
    make_waiting(days=40, name="Longer")
    withdraw_application(application=waiting, by=waiting.person)
    assert Offer.objects.count() == 3


# --- One group per weekly time ------------------------------------------------------------


@pytest.fixture
def other_group_then(make_group):
    """Another group of the organization, running at the same weekly time."""
    return make_group()


@pytest.mark.parametrize("role", [MembershipRole.PARTICIPANT, MembershipRole.STARTER])
def test_accept_refused_when_the_person_already_meets_a_group_at_that_time(
    offered, other_group_then, role
):
    group, offers = offered
    person = offers[0].application.person
    f.GroupMembershipFactory(group=other_group_then, person=person, role=role)
    with pytest.raises(ValidationError, match="You already meet in a group on Tuesday evening"):
        accept_offer(offer=offers[0], by=person)
    offers[0].refresh_from_db()
    assert offers[0].status == OfferStatus.OFFERED
    assert participants(group).count() == 0
    offers[0].application.refresh_from_db()
    assert offers[0].application.status == ApplicationStatus.OFFERED


@pytest.mark.parametrize("ended", ["left", "group_ended", "other_time"])
def test_accept_allowed_when_the_other_group_is_not_at_that_time_any_more(
    offered, other_group_then, ended
):
    group, offers = offered
    person = offers[0].application.person
    membership = f.GroupMembershipFactory(group=other_group_then, person=person)
    if ended == "left":
        membership.left_on = timezone.localdate()
        membership.save()
    elif ended == "group_ended":
        other_group_then.status = GroupStatus.ENDED
        other_group_then.save()
    else:
        other_group_then.meeting_slot = "wed-morning"
        other_group_then.save()
    assert accept_offer(offer=offers[0], by=person).status == OfferStatus.ACCEPTED
    assert participants(group).count() == 1


def test_next_in_line_skips_someone_who_already_meets_a_group_then(
    offered, make_waiting, other_group_then
):
    group, offers = offered
    (busy,) = make_waiting(days=90, name="Busy")
    f.GroupMembershipFactory(group=other_group_then, person=busy.person)
    (free,) = make_waiting(days=20, name="Free")
    new_offer = decline_offer(offer=offers[0], by=None)
    assert new_offer.application == free
    assert busy.offers.count() == 0


def test_next_in_line_skips_someone_offered_another_group_at_that_time(
    offered, make_waiting, make_group
):
    group, offers = offered
    organization = group.organization
    other_topic = f.TopicFactory(organization=organization)
    other_group = make_group(status=GroupStatus.FORMING, topic=other_topic)
    (both,) = make_waiting(days=90, name="Both")  # waits for this group's topic too
    offered_elsewhere = Application.objects.create(
        organization=organization,
        person=both.person,
        consent=both.consent,
        topic=other_topic,
        municipality=both.municipality,
        birth_year=both.birth_year,
        availability=[SLOT],
        status=ApplicationStatus.WAITING,
    )
    with transaction.atomic():
        create_offer(application=offered_elsewhere, group=other_group, by=None, now=timezone.now())
    (free,) = make_waiting(days=20, name="Free")
    assert decline_offer(offer=offers[0], by=None).application == free
    assert both.offers.count() == 0


# --- The organization's deadline ---------------------------------------------------------


def test_offers_of_an_organization_with_three_days_to_answer_expire_after_three_days(
    world, make_waiting, make_run, coordinator, organization
):
    organization.offer_days = 3
    organization.save()
    made = timezone.now()
    group = accept_proposal(
        run=make_run([(make_waiting(3, name="Member"), [world])]), key="g1", by=coordinator
    )
    offers = list(Offer.objects.filter(group=group))
    for offer in offers:
        assert abs(offer.expires_at - (made + dt.timedelta(days=3))) < dt.timedelta(minutes=1)
    assert expire_offers(now=made + dt.timedelta(days=2, hours=23)) == 0
    assert expire_offers(now=made + dt.timedelta(days=3, minutes=5)) == 3
    assert {o.status for o in Offer.objects.filter(group=group)} == {OfferStatus.EXPIRED}
