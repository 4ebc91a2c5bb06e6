"""Demo starters get a capacity, so "Propose groups" has starters to work with."""

import pytest

from kreds.organizations.models import Municipality
from kreds.placement.demo import DEMO_SLOTS, give_starters_capacity
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
