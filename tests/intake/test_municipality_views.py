import pytest
from django.urls import reverse

from kreds.audit.models import AuditEvent
from kreds.organizations.models import Municipality


def url(organization, name, **kwargs):
    return reverse(f"organizations:{name}", kwargs={"org": organization.slug, **kwargs})


def test_municipality_list_shows_names_and_use(coordinator_client, organization, municipality):
    Municipality.objects.create(
        organization=organization,
        name="Ikast-Brande",
        latitude=56.14,
        longitude=9.16,
        is_active=False,
    )

    text = coordinator_client.get(url(organization, "municipality_list")).content.decode()

    assert "Herning" in text
    assert "Ikast-Brande" in text


@pytest.mark.parametrize("count", [1, 3])
def test_municipality_list_query_count_does_not_grow(
    django_assert_num_queries, coordinator_client, organization, count
):
    for number in range(count):
        Municipality.objects.create(
            organization=organization, name=f"Town {number}", latitude=56, longitude=9
        )
    coordinator_client.get(url(organization, "municipality_list"))

    with django_assert_num_queries(6):
        coordinator_client.get(url(organization, "municipality_list"))


def test_coordinator_adds_a_municipality(coordinator_client, organization):
    response = coordinator_client.post(
        url(organization, "municipality_create"),
        {"name": "Viborg", "latitude": "56.45207", "longitude": "9.40201", "is_active": "on"},
    )

    assert response.status_code == 302
    viborg = Municipality.objects.get(organization=organization, name="Viborg")
    assert str(viborg.latitude) == "56.45207"
    assert AuditEvent.objects.filter(action="municipality.created").exists()


def test_adding_a_municipality_twice_is_refused(coordinator_client, organization, municipality):
    response = coordinator_client.post(
        url(organization, "municipality_create"),
        {"name": "herning", "latitude": "56", "longitude": "9"},
    )

    assert "already on the list" in response.content.decode()
    assert Municipality.objects.filter(organization=organization).count() == 1


def test_coordinator_edits_a_municipality(coordinator_client, organization, municipality):
    response = coordinator_client.post(
        url(organization, "municipality_edit", pk=municipality.pk),
        {"name": "Herning Kommune", "latitude": "56.1", "longitude": "8.9"},
    )

    assert response.status_code == 302
    municipality.refresh_from_db()
    assert (municipality.name, municipality.is_active) == ("Herning Kommune", False)
    event = AuditEvent.objects.get(action="municipality.updated")
    assert event.changes["name"] == ["Herning", "Herning Kommune"]


def test_latitude_out_of_range_shows_an_error(coordinator_client, organization):
    response = coordinator_client.post(
        url(organization, "municipality_create"),
        {"name": "Nowhere", "latitude": "123", "longitude": "9"},
    )

    assert response.status_code == 200
    assert not Municipality.objects.filter(name="Nowhere").exists()


def test_other_organizations_municipality_is_404(
    coordinator_client, organization, other_municipality
):
    response = coordinator_client.get(
        url(organization, "municipality_edit", pk=other_municipality.pk)
    )

    assert response.status_code == 404
