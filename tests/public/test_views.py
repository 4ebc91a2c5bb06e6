"""The public site: what a visitor reads about an organization and its groups."""

import pytest

from kreds.groups.models import GroupStatus
from tests import factories as f


def page(client, url: str, language: str = "en") -> str:
    client.cookies["kreds_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_root_lists_every_organization(client, organization, other_organization):
    html = page(client, "/")
    assert "Selvhjælp Herning" in html
    assert "Selvhjelp Norge" in html
    assert f'href="/{other_organization.slug}/"' in html


def test_home_shows_active_topics_and_hides_inactive(client, organization):
    f.TopicFactory(organization=organization, name=f.i18n("Grief"))
    f.TopicFactory(organization=organization, name=f.i18n("Retired topic"), is_active=False)
    html = page(client, f"/{organization.slug}/")
    assert "Grief" in html
    assert "Retired topic" not in html


def test_home_shows_topic_name_in_chosen_language(client, organization):
    f.TopicFactory(organization=organization, name=f.i18n("Grief"))
    assert "Grief (da)" in page(client, f"/{organization.slug}/", "da")


def test_home_shows_membership_fee_where_membership_is_required(client, organization):
    organization.membership_required = True
    organization.annual_fee = 100
    organization.currency = "DKK"
    organization.save()
    html = page(client, f"/{organization.slug}/")
    assert "100" in html
    assert "DKK" in html


def test_home_of_free_organization_mentions_no_fee(client, other_organization):
    other_organization.minimum_age = 18
    other_organization.save()
    html = page(client, f"/{other_organization.slug}/")
    assert "NOK" not in html
    assert "DKK" not in html
    assert "18" in html


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("what-is-a-self-help-group/", "therapy"),
        ("how-a-group-works/", "confidential"),
        ("contact/", "leder"),
    ],
)
def test_information_pages_explain_self_help(client, organization, path, expected):
    assert expected in page(client, f"/{organization.slug}/{path}").lower()


def test_how_it_works_uses_the_organizations_group_size(client, organization):
    organization.group_min_size = 4
    organization.group_max_size = 7
    organization.save()
    html = page(client, f"/{organization.slug}/how-a-group-works/")
    assert "A group has 4 to 7 participants" in html


def test_contact_page_links_to_daily_leader_for_praise_and_criticism(client, organization):
    html = page(client, f"/{organization.slug}/contact/")
    assert f"mailto:{organization.contact_email}" in html
    assert organization.daily_leader_name in html


def test_find_group_lists_forming_and_open_groups_only(client, organization, topic, age_band):
    f.GroupFactory(organization=organization, topic=topic, age_band=age_band, name="Forming one")
    f.GroupFactory(
        organization=organization,
        topic=topic,
        age_band=age_band,
        name="Open running",
        status=GroupStatus.RUNNING,
        is_open_for_newcomers=True,
    )
    f.GroupFactory(
        organization=organization,
        topic=topic,
        age_band=age_band,
        name="Closed running",
        status=GroupStatus.RUNNING,
    )
    f.GroupFactory(
        organization=organization,
        topic=topic,
        age_band=age_band,
        name="Ended open",
        status=GroupStatus.ENDED,
        is_open_for_newcomers=True,
    )
    html = page(client, f"/{organization.slug}/find-a-group/")
    assert "Forming one" in html
    assert "Open running" in html
    assert "Closed running" not in html
    assert "Ended open" not in html


def test_find_group_filters_by_topic_and_municipality(client, organization, age_band):
    grief = f.TopicFactory(organization=organization, name=f.i18n("Grief"))
    divorce = f.TopicFactory(organization=organization, name=f.i18n("Divorce"))
    ikast = f.VenueFactory(organization=organization, municipality="Ikast")
    f.GroupFactory(organization=organization, topic=grief, age_band=age_band, name="Grief Herning")
    f.GroupFactory(
        organization=organization, topic=grief, age_band=age_band, venue=ikast, name="Grief Ikast"
    )
    f.GroupFactory(organization=organization, topic=divorce, age_band=age_band, name="Divorce H")

    by_topic = page(client, f"/{organization.slug}/find-a-group/?topic={grief.pk}")
    by_place = page(client, f"/{organization.slug}/find-a-group/?municipality=Ikast")

    assert "Grief Herning" in by_topic
    assert "Divorce H" not in by_topic
    assert "Grief Ikast" in by_place
    assert "Grief Herning" not in by_place


def test_find_group_ignores_other_organizations_topic_id(client, organization, other_organization):
    foreign = f.GroupFactory(organization=other_organization, name="Norwegian group")
    f.GroupFactory(organization=organization, name="Danish group")
    html = page(client, f"/{organization.slug}/find-a-group/?topic={foreign.topic.pk}")
    assert "Norwegian group" not in html
    assert "Danish group" in html


def test_find_group_survives_nonsense_query(client, organization):
    url = f"/{organization.slug}/find-a-group/?topic=abc&age_band=99999999999999999999&municipality=%00"
    assert client.get(url).status_code == 200


def test_find_group_with_no_match_points_to_daily_leader(client, organization):
    html = page(client, f"/{organization.slug}/find-a-group/?municipality=Nowhere")
    assert "contact/" in html


@pytest.mark.parametrize("rows", [1, 3])
def test_find_group_query_count_is_constant(client, organization, django_assert_num_queries, rows):
    for _ in range(rows):
        f.GroupFactory(organization=organization)
    client.get(f"/{organization.slug}/find-a-group/")  # warm caches
    with django_assert_num_queries(5):
        client.get(f"/{organization.slug}/find-a-group/")
