"""The coordinator's pages for venues."""

from decimal import Decimal

import pytest
from django.urls import reverse

from kreds.meetings.models import Venue
from tests import factories as f


def url(name: str, organization, **kwargs) -> str:
    return reverse(name, kwargs={"org": organization.slug, **kwargs})


def venue_data(**changes) -> dict:
    data = {
        "name": "Herning Bibliotek",
        "kind": "library",
        "address": "Brænderigade 1",
        "postal_code": "7400",
        "municipality": "Herning",
        "accessibility_notes": "Step-free entrance and a lift.",
        "latitude": "56.13600",
        "longitude": "8.97500",
        "is_active": "on",
    }
    data.update(changes)
    return data


def test_venue_list_shows_venues_with_group_counts(coordinator_client, organization, group):
    f.VenueFactory(organization=organization, name="Frivilligcenter", is_active=False)
    response = coordinator_client.get(url("meetings:venue_list", organization))
    content = response.content.decode()
    assert "<h1>Venues</h1>" in content
    assert group.venue.name in content
    assert "Frivilligcenter" in content
    assert "Torvet 1, 7400 Herning" in content
    assert 'aria-current="page">Venues</a>' in content


def test_venue_list_hides_other_organizations_venues(
    coordinator_client, organization, other_organization
):
    f.VenueFactory(organization=other_organization, name="Oslo frivilligsentral")
    response = coordinator_client.get(url("meetings:venue_list", organization))
    assert "Oslo frivilligsentral" not in response.content.decode()


@pytest.mark.parametrize("rows", [1, 3])
def test_venue_list_query_count_is_constant(
    coordinator_client, organization, django_assert_num_queries, rows
):
    for _ in range(rows):
        f.GroupFactory(organization=organization)
    with django_assert_num_queries(9):
        coordinator_client.get(url("meetings:venue_list", organization))


def test_venue_create_saves_the_venue(coordinator_client, organization):
    response = coordinator_client.post(
        url("meetings:venue_create", organization), venue_data(), follow=True
    )
    assert "The venue is added." in response.content.decode()
    venue = Venue.objects.get(organization=organization)
    assert (venue.name, venue.municipality) == ("Herning Bibliotek", "Herning")
    assert venue.latitude == Decimal("56.13600")
    assert venue.is_active


def test_venue_create_without_coordinates_is_fine(coordinator_client, organization):
    coordinator_client.post(
        url("meetings:venue_create", organization), venue_data(latitude="", longitude="")
    )
    assert Venue.objects.get(organization=organization).latitude is None


def test_venue_create_with_impossible_latitude_saves_nothing(coordinator_client, organization):
    response = coordinator_client.post(
        url("meetings:venue_create", organization), venue_data(latitude="91")
    )
    assert response.status_code == 200
    assert "less than or equal to 90" in response.content.decode()
    assert not Venue.objects.filter(organization=organization).exists()


def test_venue_create_without_address_saves_nothing(coordinator_client, organization):
    response = coordinator_client.post(
        url("meetings:venue_create", organization), venue_data(address="")
    )
    assert "This field is required." in response.content.decode()
    assert not Venue.objects.filter(organization=organization).exists()


def test_venue_edit_changes_the_venue(coordinator_client, organization, venue):
    response = coordinator_client.post(
        url("meetings:venue_edit", organization, pk=venue.pk),
        venue_data(name="Lindelund", is_active=""),
    )
    assert response.status_code == 302
    venue.refresh_from_db()
    assert venue.name == "Lindelund"
    assert not venue.is_active


def test_venue_edit_shows_the_form_with_labels(coordinator_client, organization, venue):
    response = coordinator_client.get(url("meetings:venue_edit", organization, pk=venue.pk))
    content = response.content.decode()
    assert f"Edit venue: {venue.name}" in content
    assert '<label for="id_accessibility_notes">Accessibility' in content


def test_venue_edit_of_other_organizations_venue_is_404(
    coordinator_client, organization, other_organization
):
    theirs = f.VenueFactory(organization=other_organization, name="Theirs")
    edit = url("meetings:venue_edit", organization, pk=theirs.pk)
    assert coordinator_client.get(edit).status_code == 404
    assert coordinator_client.post(edit, venue_data()).status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Theirs"


def test_venue_list_other_organizations_coordinator_gets_404(
    client, organization, other_coordinator
):
    client.force_login(other_coordinator)
    assert client.get(url("meetings:venue_list", organization)).status_code == 404
