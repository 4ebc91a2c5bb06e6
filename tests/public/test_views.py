import re

import pytest
from django.conf import settings
from django.urls import reverse

from kreds.groups.models import GroupStatus
from tests import factories as f

PAGES = [
    "public:home",
    "public:what_is",
    "public:how_it_works",
    "public:find_group",
    "public:contact",
]


@pytest.fixture
def en_client(client):
    """A visitor who chose English, so assertions read the source strings."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def url(name, organization, **query):
    path = reverse(name, kwargs={"org": organization.slug})
    if query:
        path += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return path


def page(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


# The list of organizations


def test_organizations_lists_each_organization_with_country_and_languages(
    en_client, organization, other_organization
):
    html = page(en_client, reverse("public:organizations"))
    assert "Selvhjælp Herning" in html
    assert "Selvhjelp Norge" in html
    assert "Norway" in html
    assert "Norwegian Bokmål" in html
    assert f'href="/{organization.slug}/"' in html


def test_language_switcher_names_each_language_in_itself(client, organization):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    html = page(client, url("public:home", organization))
    switcher = html[html.index('id="language-select"') : html.index("</select>")]
    assert '<option value="da" lang="da" selected>Dansk</option>' in switcher
    assert '<option value="nb" lang="nb">Norsk (bokmål)</option>' in switcher
    assert '<option value="en" lang="en">English</option>' in switcher


# Every organization page


@pytest.mark.parametrize("name", PAGES)
def test_page_has_one_h1_and_a_title(en_client, organization, name):
    html = page(en_client, url(name, organization))
    assert len(re.findall(r"<h1[ >]", html)) == 1
    assert re.search(r"<title>[^<]+ · Selvhjælp Herning · Kreds</title>", html)


@pytest.mark.parametrize("name", PAGES)
def test_page_unknown_organization_is_404(client, db, name):
    assert client.get(reverse(name, kwargs={"org": "nowhere"})).status_code == 404


# Home


def test_home_shows_introduction_and_active_topics_only(en_client, organization):
    organization.introduction = f.i18n("We have run groups since 2001.")
    organization.save()
    f.TopicFactory(organization=organization, name=f.i18n("Grief"))
    f.TopicFactory(organization=organization, name=f.i18n("Old topic"), is_active=False)
    html = page(en_client, url("public:home", organization))
    assert "We have run groups since 2001." in html
    assert "Grief" in html
    assert "A topic description" in html
    assert "Old topic" not in html
    assert url("public:find_group", organization) in html


def test_home_shows_topic_name_in_the_chosen_language(client, organization):
    f.TopicFactory(organization=organization, name=f.i18n("Grief"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    assert "Grief (da)" in page(client, url("public:home", organization))


def test_home_shows_no_topic_of_another_organization(en_client, organization, other_organization):
    f.TopicFactory(organization=other_organization, name=f.i18n("Norwegian topic"))
    assert "Norwegian topic" not in page(en_client, url("public:home", organization))


def test_home_membership_required_shows_annual_fee(en_client, organization):
    organization.membership_required = True
    organization.annual_fee = 100
    organization.save()
    assert "100 DKK a year" in page(en_client, url("public:home", organization))


def test_home_free_organization_shows_no_fee(en_client, organization):
    organization.annual_fee = 100
    organization.save()
    html = page(en_client, url("public:home", organization))
    assert "Free of charge." in html
    assert "DKK" not in html


def test_home_shows_minimum_age_size_and_daily_leader(en_client, organization):
    organization.minimum_age = 18
    organization.group_min_size = 4
    organization.group_max_size = 7
    organization.contact_phone = "22 44 25 00"
    organization.save()
    html = page(en_client, url("public:home", organization))
    assert "From 18 years." in html
    assert "4 to 7 participants." in html
    assert "Hanne" in html
    assert f"mailto:{organization.contact_email}" in html
    assert 'href="tel:22442500"' in html


def test_home_without_minimum_age_shows_no_age(en_client, organization):
    assert "<dt>Age</dt>" not in page(en_client, url("public:home", organization))


# What is a self-help group?


def test_what_is_explains_self_help(en_client, organization):
    html = page(en_client, url("public:what_is", organization))
    assert "neither therapy nor treatment" in html
    assert "independent of religious, political and commercial interests" in html
    assert "seen, heard and understood" in html


def test_what_is_membership_required_shows_fee(en_client, organization):
    organization.membership_required = True
    organization.annual_fee = 100
    organization.minimum_age = 15
    organization.save()
    html = page(en_client, url("public:what_is", organization))
    assert "you need to be a member of Selvhjælp Herning" in html
    assert "100 DKK a year" in html
    assert "people aged 15 and over" in html


def test_what_is_free_organization_without_starters(en_client, other_organization):
    other_organization.starters_min = 0
    other_organization.starters_max = 0
    other_organization.save()
    html = page(en_client, url("public:what_is", other_organization))
    assert "Taking part in a group is free." in html
    assert "called a starter" not in html
    assert "run themselves from the first meeting" in html


def test_what_is_organization_with_starters_mentions_them(en_client, organization):
    assert "called a starter" in page(en_client, url("public:what_is", organization))


# How a group works


def test_how_it_works_uses_the_organization_group_size(en_client, organization):
    organization.group_min_size = 4
    organization.group_max_size = 6
    organization.save()
    html = page(en_client, url("public:how_it_works", organization))
    assert "A group has 4 to 6 participants." in html
    assert "still holds after the group has ended" in html
    assert "at least three times" in html
    assert "The starter is not a leader." in html
    assert "conversation compass" in html


def test_how_it_works_without_starters_says_groups_start_on_their_own(
    en_client, other_organization
):
    other_organization.starters_min = 0
    other_organization.starters_max = 0
    other_organization.save()
    html = page(en_client, url("public:how_it_works", other_organization))
    assert "groups start on their own, without a starter" in html


# Contact


def test_contact_shows_daily_leader_and_feedback(en_client, organization):
    organization.contact_phone = "22 44 25 00"
    organization.address = "Torvet 3, 7400 Herning"
    organization.website = "https://example.org/"
    organization.save()
    html = page(en_client, url("public:contact", organization))
    assert "Hanne" in html
    assert f'href="mailto:{organization.contact_email}"' in html
    assert 'href="tel:22442500"' in html
    assert "Torvet 3, 7400 Herning" in html
    assert 'href="https://example.org/"' in html
    assert "Questions, praise and criticism" in html


# Find a group


def test_find_group_lists_joinable_groups_only(en_client, organization, topic, age_band):
    make = lambda name, **kw: f.GroupFactory(  # noqa: E731
        organization=organization, topic=topic, age_band=age_band, name=name, **kw
    )
    make("Forming group", status=GroupStatus.FORMING)
    make("Open group", status=GroupStatus.RUNNING, is_open_for_newcomers=True)
    make("Closed group", status=GroupStatus.RUNNING)
    make("Ended group", status=GroupStatus.ENDED, is_open_for_newcomers=True)
    html = page(en_client, url("public:find_group", organization))
    assert "Forming group" in html
    assert "New group forming" in html
    assert "Open group" in html
    assert "Open for newcomers" in html
    assert "Closed group" not in html
    assert "Ended group" not in html
    assert "2 groups found." in html


def test_find_group_shows_group_facts(en_client, organization, topic, age_band, venue):
    group = f.GroupFactory(
        organization=organization, topic=topic, age_band=age_band, venue=venue, name="Tuesdays"
    )
    html = page(en_client, url("public:find_group", organization))
    assert f'href="{group.urls.public}"' in html
    assert str(topic.name.localize("en")) in html
    assert "Adults (25–64)" in html
    assert "Herning" in html
    assert "Every week" in html


def test_find_group_shows_no_group_of_another_organization(
    en_client, organization, other_organization
):
    f.GroupFactory(organization=other_organization, name="Norwegian group")
    html = page(en_client, url("public:find_group", organization))
    assert "Norwegian group" not in html
    assert "There is no group open to join at the moment." in html
    assert url("public:contact", organization) in html


def test_find_group_filter_by_topic_narrows_results(en_client, organization):
    grief = f.TopicFactory(organization=organization, name=f.i18n("Grief"))
    f.GroupFactory(organization=organization, topic=grief, name="Grief group")
    f.GroupFactory(organization=organization, name="Other group")
    html = page(en_client, url("public:find_group", organization, topic=grief.pk))
    assert "Grief group" in html
    assert "Other group" not in html
    assert f'<option value="{grief.pk}" selected>' in html


def test_find_group_filter_by_age_band_narrows_results(en_client, organization):
    elderly = f.AgeBandFactory(
        organization=organization, name=f.i18n("Elderly"), min_age=65, max_age=None
    )
    f.GroupFactory(organization=organization, age_band=elderly, name="Elderly group")
    f.GroupFactory(organization=organization, name="Adult group")
    html = page(en_client, url("public:find_group", organization, age_band=elderly.pk))
    assert "Elderly group" in html
    assert "Adult group" not in html
    assert "Elderly (65+)" in html


def test_find_group_filter_by_municipality_narrows_results(en_client, organization):
    ikast = f.VenueFactory(organization=organization, municipality="Ikast-Brande")
    f.GroupFactory(organization=organization, venue=ikast, name="Ikast group")
    f.GroupFactory(organization=organization, name="Herning group")
    html = page(en_client, url("public:find_group", organization, municipality="Ikast-Brande"))
    assert "Ikast group" in html
    assert "Herning group" not in html


def test_find_group_filter_with_no_match_says_so_kindly(en_client, organization, group):
    lonely = f.TopicFactory(organization=organization)
    html = page(en_client, url("public:find_group", organization, topic=lonely.pk))
    assert "No group matches your choices at the moment." in html
    assert url("public:contact", organization) in html


def test_find_group_foreign_topic_id_shows_nothing_of_other_organization(
    en_client, organization, other_organization
):
    foreign_topic = f.TopicFactory(organization=other_organization, name=f.i18n("Foreign"))
    f.GroupFactory(organization=other_organization, topic=foreign_topic, name="Foreign group")
    f.GroupFactory(organization=organization, name="Our group")
    html = page(en_client, url("public:find_group", organization, topic=foreign_topic.pk))
    assert "Foreign" not in html
    assert "Our group" in html


def test_find_group_choices_come_from_this_organization_only(
    en_client, organization, other_organization
):
    f.TopicFactory(organization=organization, name=f.i18n("Grief"))
    f.TopicFactory(organization=other_organization, name=f.i18n("Sorg i Oslo"))
    f.VenueFactory(organization=other_organization, municipality="Oslo")
    f.AgeBandFactory(organization=other_organization, name=f.i18n("Unge"))
    html = page(en_client, url("public:find_group", organization))
    assert '<label for="id_topic">Topic</label>' in html
    assert "Grief" in html
    assert "Sorg i Oslo" not in html
    assert "Oslo" not in html
    assert "Unge" not in html


@pytest.mark.parametrize(
    "query",
    [
        {"topic": "abc"},
        {"topic": "-1", "age_band": "1.5"},
        {"age_band": "99999999999999999999999"},
        {"municipality": "Nowhere"},
        {"topic": "%00"},
    ],
)
def test_find_group_nonsense_query_is_ignored(en_client, organization, group, query):
    group.is_open_for_newcomers = True
    group.save()
    html = page(en_client, url("public:find_group", organization, **query))
    assert "Sorggruppe tirsdag" in html


def test_find_group_says_when_a_stale_choice_was_dropped(en_client, organization, group):
    group.is_open_for_newcomers = True
    group.save()
    html = page(en_client, url("public:find_group", organization, topic="999999"))
    assert "That choice is not available any more, so this shows every choice instead." in html
    assert 'aria-describedby="id_topic_error"' in html
    assert 'id="id_topic_error"' in html
    assert "Sorggruppe tirsdag" in html


def test_find_group_with_results_offers_to_apply_once(en_client, organization, group):
    group.is_open_for_newcomers = True
    group.save()
    html = page(en_client, url("public:find_group", organization))
    assert html.count(url("intake:apply", organization)) == 1
    assert "Have you not found what you need?" not in html


@pytest.mark.parametrize("count", [1, 3])
def test_find_group_query_count_is_constant(
    en_client, organization, topic, age_band, venue, django_assert_num_queries, count
):
    f.GroupFactory.create_batch(
        count, organization=organization, topic=topic, age_band=age_band, venue=venue
    )
    with django_assert_num_queries(5):
        response = en_client.get(url("public:find_group", organization))
    assert f"{count} group" in response.content.decode()
    filtered = url("public:find_group", organization, topic=topic.pk, age_band=age_band.pk)
    with django_assert_num_queries(7):
        response = en_client.get(filtered)
    assert f"{count} group" in response.content.decode()
