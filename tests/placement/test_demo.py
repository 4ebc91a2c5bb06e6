"""Demo starters get a capacity, so "Propose groups" has starters to work with.

Herning runs mixed groups: its demo waiting list has enough people open to one.
"""

from io import StringIO

import pytest
from django.core.management import call_command

from kreds.organizations.models import Municipality, Organization
from kreds.placement.demo import DEMO_SLOTS, give_starters_capacity
from kreds.placement.instance import MIXED_TOPIC, build_instance
from kreds.placement.models import StarterCapacity

pytestmark = pytest.mark.django_db


def test_demo_starters_get_all_topics_evenings_and_their_municipality(
    organization, starter, topic, herning
):
    starter.municipality = "Herning"
    starter.save()
    assert give_starters_capacity(organization) == 1
    capacity = StarterCapacity.objects.get(person=starter)
    assert list(capacity.topics.all()) == [topic]
    assert capacity.slots == DEMO_SLOTS
    assert capacity.municipality == herning
    assert give_starters_capacity(organization) == 0  # loading twice changes nothing


def test_demo_starter_from_elsewhere_travels_from_the_first_municipality(
    organization, starter, topic, herning
):
    starter.municipality = "Nowhere"
    starter.save()
    give_starters_capacity(organization)
    assert StarterCapacity.objects.get(person=starter).municipality == Municipality.objects.get()


def test_demo_herning_waits_for_a_mixed_group_with_starters_for_it(db):
    call_command("load_demo", stdout=StringIO())
    herning = Organization.objects.get(slug="herning")
    data = build_instance(herning).data
    mixed = [row for row in data["applicants"] if row["topic"] == MIXED_TOPIC]
    assert len(mixed) >= herning.group_min_size
    assert any(MIXED_TOPIC in row["topics"] for row in data["starters"])
