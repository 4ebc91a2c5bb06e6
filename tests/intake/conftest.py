"""Fixtures for applications: municipalities, applicants and a helper to make applications."""

import datetime as dt

import pytest
from django.utils import timezone

from kreds.intake.keep_apart import email_hash, email_hashes
from kreds.intake.models import Application, ApplicationStatus
from kreds.organizations.models import Municipality
from kreds.privacy.models import Purpose
from kreds.privacy.services import give_consent
from tests import factories as f


@pytest.fixture
def municipality(organization):
    return Municipality.objects.create(
        organization=organization, name="Herning", latitude="56.13856", longitude="8.97340"
    )


@pytest.fixture
def other_municipality(other_organization):
    return Municipality.objects.create(
        organization=other_organization, name="Oslo", latitude="59.91390", longitude="10.75220"
    )


@pytest.fixture
def applicant(db):
    return f.PersonFactory(display_name="Applicant Anna", email="anna@example.org")


@pytest.fixture
def make_application():
    """make_application(organization, topic=..., person=..., **fields) -> Application."""

    def make(organization, *, person=None, municipality=None, keep_apart=(), **fields):
        person = person or f.PersonFactory()
        municipality = (
            municipality or Municipality.objects.filter(organization=organization).first()
        )
        consent = give_consent(
            person=person, organization=organization, purpose=Purpose.TOPIC, language="en"
        )
        fields.setdefault("birth_year", 1980)
        fields.setdefault("availability", ["tue-evening"])
        if fields.get("status") == ApplicationStatus.WAITING:
            fields.setdefault("waiting_since", timezone.now() - dt.timedelta(days=10))
        return Application.objects.create(
            organization=organization,
            person=person,
            municipality=municipality,
            consent=consent,
            email_hash=email_hash(person.email),
            keep_apart_hashes=email_hashes(keep_apart),
            **fields,
        )

    return make
