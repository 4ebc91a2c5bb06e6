import re

import pytest
from django.conf import settings

from kreds.groups.models import Cadence, GroupStatus
from tests import factories as f


@pytest.fixture
def en_client(client):
    """A visitor who chose English, so assertions read the source strings."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def open_group(group):
    """The shared running group, opened for newcomers by its members."""
    group.is_open_for_newcomers = True
    group.cadence = Cadence.FORTNIGHTLY
    group.public_description = f.i18n("We meet on Tuesday evenings.")
    group.save()
    return group


def page(client, group) -> str:
    response = client.get(group.urls.public)
    assert response.status_code == 200
    return response.content.decode()


def test_public_detail_shows_what_a_newcomer_needs(en_client, open_group, venue):
    venue.name = "Herning Library"
    venue.accessibility_notes = "Step-free entrance and lift."
    venue.save()
    html = page(en_client, open_group)
    assert "<h1>Sorggruppe tirsdag</h1>" in html
    assert len(re.findall(r"<h1[ >]", html)) == 1
    assert "<title>Sorggruppe tirsdag · Selvhjælp Herning · Kreds</title>" in html
    assert open_group.topic.name.localize("en") in html
    assert "Adults (25–64)" in html
    assert "Herning Library" in html
    assert "Step-free entrance and lift." in html
    assert "Every other week" in html
    assert "We meet on Tuesday evenings." in html
    assert "5 to 8 participants." in html
    assert "Open for newcomers" in html


def test_public_detail_uses_group_size_of_the_group(en_client, open_group):
    open_group.min_size = 4
    open_group.max_size = 6
    open_group.save()
    assert "4 to 6 participants." in page(en_client, open_group)


def test_public_detail_says_whether_a_starter_helps(en_client, open_group):
    assert "volunteer starter helps the group" in page(en_client, open_group)
    open_group.is_self_organized = True
    open_group.save()
    assert "runs on its own, without a starter" in page(en_client, open_group)


def test_public_detail_never_shows_who_is_in_the_group(en_client, open_group, participant, starter):
    html = page(en_client, open_group)
    assert "Participant Pia" not in html
    assert "Starter Søren" not in html
    assert participant.email not in html


def test_public_detail_how_to_join_points_to_contact(en_client, open_group, organization):
    organization.membership_required = True
    organization.annual_fee = 100
    organization.save()
    html = page(en_client, open_group)
    assert "A coordinator arranges the places" in html
    assert f'href="/{organization.slug}/contact/"' in html
    assert "100 DKK a year" in html


def test_public_detail_forming_group_without_venue(en_client, organization):
    group = f.GroupFactory(organization=organization, venue=None, status=GroupStatus.FORMING)
    html = page(en_client, group)
    assert "New group forming" in html
    assert "The place has not been decided yet." in html


def test_public_detail_running_closed_group_is_404(client, group):
    assert client.get(group.urls.public).status_code == 404


@pytest.mark.parametrize("is_open", [True, False])
def test_public_detail_ended_group_is_404(client, group, is_open):
    group.status = GroupStatus.ENDED
    group.is_open_for_newcomers = is_open
    group.save()
    assert client.get(group.urls.public).status_code == 404


def test_public_detail_other_organization_group_via_our_url_is_404(
    client, organization, other_organization
):
    theirs = f.GroupFactory(organization=other_organization, status=GroupStatus.FORMING)
    response = client.get(f"/{organization.slug}/groups/{theirs.pk}/")
    assert response.status_code == 404
    assert theirs.name not in response.content.decode()


def test_public_detail_unknown_organization_is_404(client, open_group):
    assert client.get(f"/nowhere/groups/{open_group.pk}/").status_code == 404


def test_public_detail_unknown_group_is_404(client, organization, open_group):
    assert client.get(f"/{organization.slug}/groups/{open_group.pk + 100}/").status_code == 404


def test_public_detail_malformed_group_id_is_404(client, organization):
    assert client.get(f"/{organization.slug}/groups/abc/").status_code == 404
