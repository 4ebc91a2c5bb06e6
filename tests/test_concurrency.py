"""The last places of a group under a rush: never more participants than places.

Fifty threads, each with its own database connection, ask for a place in a group with
three free places at the same moment. With the row lock in `add_participant`, exactly
three succeed. The second test runs the same code with the lock taken away and shows that
it then overbooks, so the first test can fail. PostgreSQL only: SQLite serializes every
write to the whole database and has no row locks to test.
"""

import threading

import pytest
from django.db import connection, connections
from django.db.models import QuerySet
from django_scopes import scope, scopes_disabled

from kreds.groups.models import Group, GroupMembership, GroupStatus, MembershipRole
from kreds.groups.services import GroupFull, add_participant
from kreds.people.models import Person
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

REQUESTS = 50
MAX_SIZE = 5
ALREADY_IN = 2
FREE = MAX_SIZE - ALREADY_IN
UNLOCKED_ROUNDS = 5


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks: run through bin/with-postgres")


@pytest.fixture
def rush(postgresql):
    """A forming group with FREE places left, and REQUESTS people who want one."""
    with scopes_disabled():
        group = f.GroupFactory(status=GroupStatus.FORMING, max_size=MAX_SIZE)
        for _ in range(ALREADY_IN):
            f.GroupMembershipFactory(group=group)
        f.GroupMembershipFactory(group=group, role=MembershipRole.STARTER)
        people = [f.PersonFactory() for _ in range(REQUESTS)]
    return group, people


def claim_places(group, people) -> list:
    """Every person asks for a place at once, each in a thread of its own."""
    barrier = threading.Barrier(len(people))
    outcomes = []

    def ask(person_pk):
        try:
            with scopes_disabled():
                # Fetch first, so each connection is open before the race begins.
                mine = Group.objects.select_related("organization").get(pk=group.pk)
                person = Person.objects.get(pk=person_pk)
            barrier.wait(timeout=60)
            with scope(organization=mine.organization):
                add_participant(group=mine, person=person, by=None)
            outcomes.append("placed")
        except GroupFull:
            outcomes.append("full")
        except Exception as error:  # noqa: BLE001 (reported by the test)
            outcomes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ask, args=(person.pk,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    errors = [outcome for outcome in outcomes if not isinstance(outcome, str)]
    assert not errors, errors
    assert len(outcomes) == len(people)
    return outcomes


def participants(group) -> int:
    with scopes_disabled():
        return GroupMembership.objects.filter(
            group=group, role=MembershipRole.PARTICIPANT, left_on__isnull=True
        ).count()


def test_rush_for_last_places_fills_exactly_the_free_places(rush):
    group, people = rush
    outcomes = claim_places(group, people)
    assert outcomes.count("placed") == FREE
    assert outcomes.count("full") == REQUESTS - FREE
    assert participants(group) == MAX_SIZE


def test_rush_without_the_row_lock_overbooks(rush, monkeypatch):
    """The same code path, with SELECT ... FOR UPDATE turned into a plain SELECT."""
    group, people = rush
    monkeypatch.setattr(QuerySet, "select_for_update", lambda self, *args, **kwargs: self)
    for _ in range(UNLOCKED_ROUNDS):
        claim_places(group, people)
        if participants(group) > MAX_SIZE:
            return
        with scopes_disabled():
            GroupMembership.objects.filter(group=group, person__in=people).delete()
    pytest.fail(f"{UNLOCKED_ROUNDS} unlocked rushes never overbooked: the test proves nothing")
