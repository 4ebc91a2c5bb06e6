"""Answering offers: accept, decline, expiry, withdrawal, the next in line, and starting."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from kreds.groups.models import GroupMembership, GroupStatus, MembershipRole
from kreds.intake.models import ApplicationStatus
from kreds.placement.models import Offer, OfferStatus
from kreds.placement.offers import accept_offer, decline_offer, expire_offers, withdraw_offer
from kreds.placement.services import accept_proposal

from .conftest import THIS_YEAR

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
    application.status = ApplicationStatus.WITHDRAWN
    application.save()
    with pytest.raises(ValidationError):
        accept_offer(offer=offers[0], by=None)
    assert participants(group).count() == 0
