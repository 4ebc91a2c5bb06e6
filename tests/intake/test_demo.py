"""The demo's intake data: municipalities, venue slots and a believable waiting list."""

from io import StringIO

from django.core.management import call_command
from django.db.models import Count

from kreds.intake.models import Application, ApplicationStatus
from kreds.intake.queries import keep_apart_pairs, person_applications
from kreds.meetings.models import Venue
from kreds.organizations.models import Municipality, Organization
from kreds.people.models import Person


def test_load_demo_gives_each_organization_a_waiting_list(db):
    call_command("load_demo", stdout=StringIO())

    for organization in Organization.objects.filter(slug__in=["herning", "norge"]):
        applications = Application.objects.filter(organization=organization)
        statuses = dict(applications.values_list("status").annotate(n=Count("id")))
        assert 38 <= applications.count() <= 45
        assert statuses[ApplicationStatus.WAITING] >= 20
        assert statuses[ApplicationStatus.RECEIVED]
        assert statuses[ApplicationStatus.TALK_PLANNED]
        assert statuses[ApplicationStatus.REFERRED]
        assert all(application.consent.is_active for application in applications)
        assert all(application.availability for application in applications)
        assert keep_apart_pairs(organization)
        assert Municipality.objects.filter(organization=organization).count() >= 8
        assert all(venue.slots for venue in Venue.objects.filter(organization=organization))
    herning = Municipality.objects.get(organization__slug="herning", name="Herning")
    assert (float(herning.latitude), float(herning.longitude)) == (56.13856, 8.9734)

    participant = Person.objects.get(email="deltager@herning.kreds.example")
    [application] = person_applications(participant)
    assert application.status == ApplicationStatus.WAITING
    assert application.others_waiting >= 0
