"""Fixtures for a person's rights: applications with consents, and re-authentication."""

import pytest
from django.urls import reverse

from kreds.intake.models import Application
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
def make_application(municipality):
    """make_application(person, organization=..., **fields) -> Application, with its consent."""

    def make(person, *, organization=None, **fields):
        organization = organization or municipality.organization
        place = Municipality.objects.filter(organization=organization).first()
        if place is None:
            place = Municipality.objects.create(
                organization=organization, name="Bergen", latitude="60.39", longitude="5.32"
            )
        consent = give_consent(
            person=person, organization=organization, purpose=Purpose.TOPIC, language="en"
        )
        fields.setdefault("birth_year", 1970)
        fields.setdefault("availability", ["tue-evening"])
        return Application.objects.create(
            organization=organization, person=person, municipality=place, consent=consent, **fields
        )

    return make


@pytest.fixture
def reauthenticate():
    """reauthenticate(client): confirm the password, as allauth asks before sensitive pages."""

    def confirm(client) -> None:
        response = client.post(reverse("account_reauthenticate"), {"password": f.PASSWORD})
        assert response.status_code == 302, response.content[:500]

    return confirm
