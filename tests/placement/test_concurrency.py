"""Races between coordinators and members, each in a thread with its own connection.

PostgreSQL only: SQLite serializes every write to the whole database and has no row
locks to test. Run with `bin/with-postgres .venv/bin/pytest tests/placement -q`.
"""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from kreds.groups.models import Group, GroupMembership, MembershipRole
from kreds.intake.models import Application, ApplicationStatus
from kreds.people.models import Person
from kreds.placement.models import MatchingRun, Offer, OfferStatus
from kreds.placement.offers import accept_offer, create_offer, expire_offers, withdraw_offer
from kreds.placement.services import accept_proposal
from tests import factories as f

from .conftest import SLOT

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks: run through bin/with-postgres",
    ),
]


def race(*actions):
    """Run every action at the same moment; return each one's result, or "refused"."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            prepared = action()  # fetch first, so each connection is open before the race
            barrier.wait(timeout=60)
            outcomes[index] = prepared()
        except ValidationError:
            outcomes[index] = "refused"
        except Exception as error:  # noqa: BLE001 (reported by the test)
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert not errors, errors
    return outcomes


def accepting(run_pk, key, person_pk):
    def prepare():
        with scopes_disabled():
            run = MatchingRun.objects.select_related("organization").get(pk=run_pk)
            by = Person.objects.get(pk=person_pk)

        def act():
            with scope(organization=run.organization):
                return accept_proposal(run=run, key=key, by=by)

        return act

    return prepare


def answering(offer_pk, service):
    def prepare():
        with scopes_disabled():
            offer = Offer.objects.select_related("organization").get(pk=offer_pk)

        def act():
            with scope(organization=offer.organization):
                return service(offer=offer, by=None)

        return act

    return prepare


@pytest.fixture
def second_coordinator(organization):
    person = f.PersonFactory(display_name="Coordinator Mette")
    f.RoleFactory(organization=organization, person=person, kind="coordinator")
    return person


@pytest.fixture
def second_venue(organization):
    return f.VenueFactory(
        organization=organization, latitude="56.14", longitude="8.98", slots=[SLOT], rooms=1
    )


def test_overlapping_proposals_accepted_at_once_place_nobody_twice(
    world,
    make_waiting,
    make_run,
    make_starter,
    topic,
    coordinator,
    second_coordinator,
    second_venue,
):
    shared = make_waiting(2, name="Shared")
    other = make_starter(topics=[topic], name="Starter Two")
    first = make_run([(shared + make_waiting(1), [world])])
    second = make_run([(shared + make_waiting(1), [other])], venue=second_venue)
    outcomes = race(
        accepting(first.pk, "g1", coordinator.pk),
        accepting(second.pk, "g1", second_coordinator.pk),
    )
    assert sum(isinstance(o, Group) for o in outcomes) == 1
    assert outcomes.count("refused") == 1
    with scopes_disabled():
        for application in shared:
            assert Offer.objects.filter(application=application).count() == 1
        assert Group.objects.count() == 1


def test_two_groups_for_the_last_room_at_once_book_it_once(
    world, make_waiting, make_run, make_starter, topic, coordinator, second_coordinator
):
    other = make_starter(topics=[topic], name="Starter Two")
    first = make_run([(make_waiting(3), [world])])
    second = make_run([(make_waiting(3), [other])])
    outcomes = race(
        accepting(first.pk, "g1", coordinator.pk),
        accepting(second.pk, "g1", second_coordinator.pk),
    )
    assert outcomes.count("refused") == 1
    with scopes_disabled():
        assert Group.objects.filter(meeting_slot=SLOT).count() == 1


@pytest.fixture
def open_offer(world, make_waiting, make_run, coordinator):
    members = make_waiting(3)
    with scopes_disabled():
        run = make_run([(members, [world])])
    with scope(organization=run.organization):
        accept_proposal(run=run, key="g1", by=coordinator)
    with scopes_disabled():
        return Offer.objects.get(application=members[0])


def final_state(offer):
    with scopes_disabled():
        offer.refresh_from_db()
        placed = GroupMembership.objects.filter(
            group=offer.group_id, person=offer.application.person
        ).exists()
        status = Application.objects.get(pk=offer.application_id).status
    return offer.status, placed, status


def test_offer_accepted_while_withdrawn_ends_in_one_state(open_offer):
    outcomes = race(
        answering(open_offer.pk, accept_offer), answering(open_offer.pk, withdraw_offer)
    )
    assert outcomes.count("refused") == 1
    status, placed, application_status = final_state(open_offer)
    if status == OfferStatus.ACCEPTED:
        assert placed
        assert application_status == ApplicationStatus.PLACED
    else:
        assert status == OfferStatus.WITHDRAWN
        assert not placed
        assert application_status == ApplicationStatus.WAITING


def test_offer_accepted_while_expiring_ends_in_one_state(open_offer):
    later = open_offer.expires_at + dt.timedelta(minutes=1)

    def expiring():
        return lambda: expire_offers(now=later)

    outcomes = race(answering(open_offer.pk, accept_offer), expiring)
    status, placed, application_status = final_state(open_offer)
    if status == OfferStatus.ACCEPTED:
        assert placed
        assert application_status == ApplicationStatus.PLACED
        assert outcomes[1] == 2  # the group's two other offers
    else:
        assert status == OfferStatus.EXPIRED
        assert not placed
        assert outcomes[0] == "refused"
        assert outcomes[1] == 3


def test_many_offers_accepted_at_once_never_overfill_the_group(
    world, make_waiting, make_run, coordinator
):
    members = make_waiting(4)
    extra = make_waiting(6, name="Extra")
    with scopes_disabled():
        run = make_run([(members, [world])])
    with scope(organization=run.organization):
        group = accept_proposal(run=run, key="g1", by=coordinator)
        # More open offers than places, as if extra places had been offered by hand.
        with transaction.atomic():
            for application in extra:
                create_offer(application=application, group=group, by=None, now=timezone.now())
    with scopes_disabled():
        offers = list(Offer.objects.filter(group=group))
    outcomes = race(*(answering(offer.pk, accept_offer) for offer in offers))
    with scopes_disabled():
        placed = GroupMembership.objects.filter(
            group=group, role=MembershipRole.PARTICIPANT, left_on__isnull=True
        ).count()
    assert placed == 4  # the organization's largest group in these tests
    assert sum(getattr(o, "status", None) == OfferStatus.ACCEPTED for o in outcomes) == 4


def withdrawing(application_pk):
    def prepare():
        from kreds.intake.services import withdraw_application

        with scopes_disabled():
            application = Application.objects.select_related("organization", "person").get(
                pk=application_pk
            )

        def act():
            with scope(organization=application.organization):
                return withdraw_application(application=application, by=application.person)

        return act

    return prepare


def test_offer_accepted_while_the_application_is_withdrawn_ends_in_one_state(
    open_offer, make_waiting
):
    (next_person,) = make_waiting(days=60, name="Next")
    with scopes_disabled():
        person = open_offer.application.person
    outcomes = race(answering(open_offer.pk, accept_offer), withdrawing(open_offer.application_id))
    with scopes_disabled():
        assert not Application.objects.filter(pk=open_offer.application_id).exists()
        next_offers = Offer.objects.filter(application=next_person, group=open_offer.group_id)
        placed = GroupMembership.objects.filter(group=open_offer.group_id, person=person).exists()
        if outcomes[0] == "refused":  # withdrawn first: the place goes on
            assert not placed
            assert next_offers.count() == 1
        else:  # accepted first: the person keeps the place
            assert outcomes[0].status == OfferStatus.ACCEPTED
            assert placed
            assert next_offers.count() == 0
