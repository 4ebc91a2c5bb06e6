"""The coordinator area of one organization: overview, topics, age bands, people, settings."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kreds.groups.models import GroupStatus
from kreds.organizations.models import AgeBand, Organization, RoleKind, Topic
from tests import factories as f


def url(name: str, organization, **kwargs) -> str:
    return reverse(name, kwargs={"org": organization.slug, **kwargs})


def topic_data(**changes) -> dict:
    data = {
        "name_0": "Sorg",
        "name_1": "Grief",
        "name_2": "Sorg (nb)",
        "description_0": "For jer der har mistet",
        "description_1": "For those who have lost someone",
        "description_2": "",
        "is_active": "on",
        "position": "3",
    }
    data.update(changes)
    return data


def age_band_data(**changes) -> dict:
    data = {
        "kind": "youth",
        "name_0": "Unge",
        "name_1": "Young people",
        "name_2": "Unge (nb)",
        "min_age": "15",
        "max_age": "24",
    }
    data.update(changes)
    return data


# Overview


def test_dashboard_shows_group_counts_and_forming_groups(coordinator_client, organization, group):
    f.GroupFactory(organization=organization, name="Ny gruppe om ensomhed")
    response = coordinator_client.get(url("organizations:manage_dashboard", organization))
    content = response.content.decode()
    assert "<h1>Coordination</h1>" in content
    assert "Groups that are forming" in content
    assert "Ny gruppe om ensomhed" in content
    assert "Needs people" in content
    assert "Sorggruppe tirsdag" not in content  # running, so not in the forming table
    assert '<span class="stat-number">1</span>' in content


def test_dashboard_marks_overview_as_current_page(coordinator_client, organization):
    response = coordinator_client.get(url("organizations:manage_dashboard", organization))
    assert f'<a href="/{organization.slug}/manage/" aria-current="page">Overview</a>' in (
        response.content.decode()
    )


def test_dashboard_hides_settings_link_from_coordinator(coordinator_client, organization):
    response = coordinator_client.get(url("organizations:manage_dashboard", organization))
    assert url("organizations:settings_edit", organization) not in response.content.decode()


def test_dashboard_shows_settings_link_to_admin(admin_client_org, organization):
    response = admin_client_org.get(url("organizations:manage_dashboard", organization))
    assert url("organizations:settings_edit", organization) in response.content.decode()


def test_dashboard_participant_without_role_gets_404(client, organization, participant):
    client.force_login(participant)
    assert client.get(url("organizations:manage_dashboard", organization)).status_code == 404


# Topics


def test_topic_list_shows_names_in_active_language_and_group_counts(
    coordinator_client, organization, group
):
    f.TopicFactory(organization=organization, name=f.i18n("Loneliness"), is_active=False)
    response = coordinator_client.get(url("organizations:topic_list", organization))
    content = response.content.decode()
    assert str(group.topic.name.localize("en")) in content
    assert "Loneliness" in content
    assert "(da)" not in content
    assert "<td>1</td>" in content
    assert '<th scope="col">Active</th>' in content


def test_topic_list_hides_other_organizations_topics(
    coordinator_client, organization, other_organization
):
    f.TopicFactory(organization=other_organization, name=f.i18n("Their topic"))
    response = coordinator_client.get(url("organizations:topic_list", organization))
    assert "Their topic" not in response.content.decode()


@pytest.mark.parametrize("rows", [1, 3])
def test_topic_list_query_count_is_constant(
    coordinator_client, organization, django_assert_num_queries, rows
):
    for _ in range(rows):
        topic = f.TopicFactory(organization=organization)
        f.GroupFactory(organization=organization, topic=topic)
    with django_assert_num_queries(9):
        coordinator_client.get(url("organizations:topic_list", organization))


def test_topic_form_labels_every_language_input(coordinator_client, organization):
    response = coordinator_client.get(url("organizations:topic_create", organization))
    content = response.content.decode()
    assert "<legend>Name</legend>" in content
    assert '<label for="id_name_0">Danish</label>' in content
    assert '<label for="id_name_1">English</label>' in content
    assert '<label for="id_name_2">Norwegian Bokmål</label>' in content
    assert 'lang="da"' in content


def test_topic_create_saves_name_in_each_language(coordinator_client, organization):
    response = coordinator_client.post(
        url("organizations:topic_create", organization), topic_data(), follow=True
    )
    assert "The topic is added." in response.content.decode()
    topic = Topic.objects.get(organization=organization)
    assert topic.name.data == {"da": "Sorg", "en": "Grief", "nb": "Sorg (nb)"}
    assert topic.description.localize("en") == "For those who have lost someone"
    assert topic.position == 3
    assert topic.is_active


def test_topic_create_without_main_language_saves_nothing(coordinator_client, organization):
    response = coordinator_client.post(
        url("organizations:topic_create", organization), topic_data(name_0="")
    )
    assert response.status_code == 200
    assert "the organization&#x27;s main language" in response.content.decode()
    assert not Topic.objects.filter(organization=organization).exists()


def test_topic_create_without_any_name_saves_nothing(coordinator_client, organization):
    response = coordinator_client.post(
        url("organizations:topic_create", organization),
        topic_data(name_0="", name_1="", name_2=""),
    )
    assert "This field is required." in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Topic.objects.filter(organization=organization).exists()


def test_topic_edit_changes_the_topic(coordinator_client, organization, topic):
    response = coordinator_client.post(
        url("organizations:topic_edit", organization, pk=topic.pk),
        topic_data(name_1="Bereavement", is_active=""),
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.name.localize("en") == "Bereavement"
    assert not topic.is_active


def test_topic_edit_shows_current_values(coordinator_client, organization, topic):
    response = coordinator_client.get(url("organizations:topic_edit", organization, pk=topic.pk))
    content = response.content.decode()
    assert topic.name.localize("da") in content
    assert topic.name.localize("nb") in content


def test_topic_edit_keeps_text_in_a_language_no_longer_offered(coordinator_client, organization):
    organization.languages = ["da", "en"]
    organization.save()
    topic = f.TopicFactory(organization=organization, name=f.i18n("Divorce"))
    coordinator_client.post(
        url("organizations:topic_edit", organization, pk=topic.pk),
        {"name_0": "Skilsmisse", "name_1": "Divorce", "position": "0"},
    )
    topic.refresh_from_db()
    assert topic.name.data == {"da": "Skilsmisse", "en": "Divorce", "nb": "Divorce (nb)"}


def test_topic_edit_of_other_organizations_topic_is_404(
    coordinator_client, organization, other_organization
):
    theirs = f.TopicFactory(organization=other_organization, name=f.i18n("Theirs"))
    edit = url("organizations:topic_edit", organization, pk=theirs.pk)
    assert coordinator_client.get(edit).status_code == 404
    assert coordinator_client.post(edit, topic_data()).status_code == 404
    theirs.refresh_from_db()
    assert theirs.name.localize("en") == "Theirs"


def test_topic_edit_with_malformed_id_is_404(coordinator_client, organization):
    assert coordinator_client.get(f"/{organization.slug}/manage/topics/abc/edit/").status_code == (
        404
    )
    assert coordinator_client.get(
        f"/{organization.slug}/manage/topics/999999/edit/"
    ).status_code == (404)


def test_topic_list_anonymous_is_sent_to_login(client, organization):
    response = client.get(url("organizations:topic_list", organization))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_topic_list_other_organizations_coordinator_gets_404(
    client, organization, other_coordinator
):
    client.force_login(other_coordinator)
    assert client.get(url("organizations:topic_list", organization)).status_code == 404


# Age bands


def test_age_band_list_shows_bands_with_ages(coordinator_client, organization, group):
    f.AgeBandFactory(organization=organization, name=f.i18n("Elderly"), min_age=65, max_age=None)
    response = coordinator_client.get(url("organizations:age_band_list", organization))
    content = response.content.decode()
    assert "Adults" in content
    assert "25–64" in content
    assert "Elderly" in content
    assert "65+" in content


@pytest.mark.parametrize("rows", [1, 3])
def test_age_band_list_query_count_is_constant(
    coordinator_client, organization, django_assert_num_queries, rows
):
    for _ in range(rows):
        f.GroupFactory(organization=organization)
    with django_assert_num_queries(9):
        coordinator_client.get(url("organizations:age_band_list", organization))


def test_age_band_create_saves_the_band(coordinator_client, organization):
    response = coordinator_client.post(
        url("organizations:age_band_create", organization), age_band_data(), follow=True
    )
    assert "The age band is added." in response.content.decode()
    band = AgeBand.objects.get(organization=organization)
    assert (band.kind, band.min_age, band.max_age) == ("youth", 15, 24)
    assert band.name.localize("en") == "Young people"


def test_age_band_create_without_upper_age_is_open_ended(coordinator_client, organization):
    coordinator_client.post(
        url("organizations:age_band_create", organization), age_band_data(max_age="")
    )
    assert AgeBand.objects.get(organization=organization).max_age is None


def test_age_band_create_with_min_above_max_saves_nothing(coordinator_client, organization):
    response = coordinator_client.post(
        url("organizations:age_band_create", organization),
        age_band_data(min_age="30", max_age="20"),
    )
    assert response.status_code == 200
    assert "The upper age cannot be lower than the lower age (30)." in (response.content.decode())
    assert not AgeBand.objects.filter(organization=organization).exists()


def test_age_band_create_for_danish_coordinator_shows_errors_in_danish(client, organization):
    person = f.PersonFactory(preferred_language="da")
    f.RoleFactory(organization=organization, person=person, kind=RoleKind.COORDINATOR)
    client.force_login(person)
    response = client.post(
        url("organizations:age_band_create", organization), age_band_data(kind="")
    )
    assert response["Content-Language"] == "da"
    assert "Dette felt er påkrævet." in response.content.decode()
    assert not AgeBand.objects.filter(organization=organization).exists()


def test_age_band_edit_changes_the_band(coordinator_client, organization, age_band):
    coordinator_client.post(
        url("organizations:age_band_edit", organization, pk=age_band.pk),
        age_band_data(kind="adults", min_age="18", max_age="99"),
    )
    age_band.refresh_from_db()
    assert (age_band.min_age, age_band.max_age) == (18, 99)


def test_age_band_edit_of_other_organizations_band_is_404(
    coordinator_client, organization, other_organization
):
    theirs = f.AgeBandFactory(organization=other_organization)
    edit = url("organizations:age_band_edit", organization, pk=theirs.pk)
    assert coordinator_client.get(edit).status_code == 404
    assert coordinator_client.post(edit, age_band_data()).status_code == 404
    theirs.refresh_from_db()
    assert theirs.min_age == 25


# People


def test_people_list_shows_everyone_with_a_role(
    coordinator_client, organization, org_admin, starter, other_coordinator
):
    response = coordinator_client.get(url("organizations:people_list", organization))
    content = response.content.decode()
    assert "Coordinator Karen" in content
    assert "Admin Anders" in content
    assert "Starter Søren" in content
    assert starter.email in content
    assert "Administrator" in content
    assert "Other Ola" not in content


def test_people_list_leaves_out_participants_without_a_role(
    coordinator_client, organization, participant
):
    response = coordinator_client.get(url("organizations:people_list", organization))
    assert "Participant Pia" not in response.content.decode()


@pytest.mark.parametrize("rows", [1, 3])
def test_people_list_query_count_is_constant(
    coordinator_client, organization, django_assert_num_queries, rows
):
    for _ in range(rows):
        f.RoleFactory(organization=organization, kind=RoleKind.STARTER)
    with django_assert_num_queries(9):
        coordinator_client.get(url("organizations:people_list", organization))


# Settings


def settings_data(organization: Organization, **changes) -> dict:
    data = {
        "name": "Selvhjælp Herning og omegn",
        "main_language": "da",
        "languages": ["da", "en", "nb"],
        "time_zone": "Europe/Copenhagen",
        "introduction_0": "Velkommen",
        "introduction_1": "Welcome",
        "introduction_2": "",
        "daily_leader_name": "Hanne",
        "contact_email": "kontakt@example.org",
        "contact_phone": "+45 12 34 56 78",
        "address": "Torvet 1, 7400 Herning",
        "website": "https://example.org",
        "membership_required": "on",
        "annual_fee": "100",
        "currency": "DKK",
        "minimum_age": "",
        "group_min_size": "5",
        "group_max_size": "8",
        "starters_min": "1",
        "starters_max": "2",
        "offer_days": "7",
        "max_travel_km": "40",
        "retention_days": "365",
    }
    data.update(changes)
    return data


def test_settings_coordinator_gets_404(coordinator_client, organization):
    assert coordinator_client.get(url("organizations:settings_edit", organization)).status_code == (
        404
    )
    response = coordinator_client.post(
        url("organizations:settings_edit", organization), settings_data(organization)
    )
    assert response.status_code == 404
    organization.refresh_from_db()
    assert organization.name == "Selvhjælp Herning"


def test_settings_admin_sees_the_form(admin_client_org, organization):
    response = admin_client_org.get(url("organizations:settings_edit", organization))
    content = response.content.decode()
    assert "<h1>Settings</h1>" in content
    assert 'value="Selvhjælp Herning"' in content
    assert 'aria-current="page">Settings</a>' in content
    assert 'name="slug"' not in content


def test_settings_admin_saves_name_policies_and_introduction(admin_client_org, organization):
    response = admin_client_org.post(
        url("organizations:settings_edit", organization),
        settings_data(organization, slug="somewhere-else"),
        follow=True,
    )
    assert "The settings are saved." in response.content.decode()
    organization.refresh_from_db()
    assert organization.name == "Selvhjælp Herning og omegn"
    assert organization.slug == "herning"
    assert organization.membership_required
    assert organization.annual_fee == 100
    assert organization.starters_min == 1
    assert organization.introduction.localize("en") == "Welcome"


def test_settings_keeps_language_order_with_main_language_first(admin_client_org, organization):
    admin_client_org.post(
        url("organizations:settings_edit", organization),
        settings_data(organization, main_language="en", languages=["nb", "da", "en"]),
    )
    organization.refresh_from_db()
    assert organization.languages == ["en", "da", "nb"]


def test_settings_dropping_a_language_keeps_the_rest_in_order(admin_client_org, organization):
    admin_client_org.post(
        url("organizations:settings_edit", organization),
        settings_data(organization, languages=["en", "da"]),
    )
    organization.refresh_from_db()
    assert organization.languages == ["da", "en"]


def test_settings_without_languages_saves_nothing(admin_client_org, organization):
    data = settings_data(organization)
    del data["languages"]
    response = admin_client_org.post(url("organizations:settings_edit", organization), data)
    assert "Offer at least one language." in response.content.decode()
    organization.refresh_from_db()
    assert organization.name == "Selvhjælp Herning"


def test_settings_main_language_must_be_offered(admin_client_org, organization):
    response = admin_client_org.post(
        url("organizations:settings_edit", organization),
        settings_data(organization, main_language="nb", languages=["da", "en"]),
    )
    assert "The main language must be one of the languages offered." in (response.content.decode())
    organization.refresh_from_db()
    assert organization.languages == ["da", "en", "nb"]


def test_settings_group_min_above_max_saves_nothing(admin_client_org, organization):
    response = admin_client_org.post(
        url("organizations:settings_edit", organization),
        settings_data(organization, group_min_size="9", group_max_size="6"),
    )
    content = response.content.decode()
    assert "The largest group cannot be smaller than the smallest group (9)." in content
    assert "Selvhjælp Herning og omegn" not in content.split("<main")[0]
    organization.refresh_from_db()
    assert (organization.group_min_size, organization.group_max_size) == (5, 8)


def test_settings_starters_min_above_max_saves_nothing(admin_client_org, organization):
    response = admin_client_org.post(
        url("organizations:settings_edit", organization),
        settings_data(organization, starters_min="2", starters_max="1"),
    )
    assert "The most starters cannot be fewer than the fewest starters (2)." in (
        response.content.decode()
    )
    organization.refresh_from_db()
    assert organization.starters_max == 2


def test_settings_saves_the_travel_limit_and_the_days_to_answer(admin_client_org, organization):
    page = admin_client_org.get(url("organizations:settings_edit", organization)).content.decode()
    assert "Maximum distance to a group (km)" in page
    admin_client_org.post(
        url("organizations:settings_edit", organization),
        settings_data(organization, max_travel_km="75", offer_days="10"),
    )
    organization.refresh_from_db()
    assert organization.max_travel_km == 75
    assert organization.offer_days == 10


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "Ensure this value is greater than or equal to 1."),
        ("201", "Ensure this value is less than or equal to 200."),
        ("far", "Enter a whole number."),
        ("", "This field is required."),
    ],
)
def test_settings_refuses_a_travel_limit_out_of_range(
    admin_client_org, organization, value, message
):
    response = admin_client_org.post(
        url("organizations:settings_edit", organization),
        settings_data(organization, max_travel_km=value),
    )
    assert message in response.content.decode()
    organization.refresh_from_db()
    assert organization.max_travel_km == 40
    assert organization.name == "Selvhjælp Herning"


def test_settings_service_refuses_a_travel_limit_out_of_range(organization, org_admin):
    from kreds.organizations.services import update_organization_settings

    with pytest.raises(ValidationError, match="Choose a distance from 1 to 200 km."):
        update_organization_settings(
            organization=organization, data={"max_travel_km": 500}, by=org_admin
        )
    organization.refresh_from_db()
    assert organization.max_travel_km == 40


def test_settings_saves_and_clears_the_largest_age_difference(admin_client_org, organization):
    page = admin_client_org.get(url("organizations:settings_edit", organization)).content.decode()
    assert "Largest age difference in a group (years)" in page
    admin_client_org.post(
        url("organizations:settings_edit", organization),
        settings_data(organization, max_age_span="20"),
    )
    organization.refresh_from_db()
    assert organization.max_age_span == 20

    admin_client_org.post(
        url("organizations:settings_edit", organization),
        settings_data(organization, max_age_span=""),
    )
    organization.refresh_from_db()
    assert organization.max_age_span is None


@pytest.mark.parametrize("value", ["4", "81", "-3"])
def test_settings_refuses_an_age_difference_out_of_range(admin_client_org, organization, value):
    response = admin_client_org.post(
        url("organizations:settings_edit", organization),
        settings_data(organization, max_age_span=value, max_travel_km="60"),
    )
    assert response.status_code == 200
    assert 'id="id_max_age_span"' in response.content.decode()
    assert "errorlist" in response.content.decode()
    organization.refresh_from_db()
    assert (organization.max_age_span, organization.max_travel_km) == (None, 40)


def test_settings_service_refuses_an_age_difference_out_of_range(organization, org_admin):
    from kreds.organizations.services import update_organization_settings

    with pytest.raises(ValidationError, match="Choose an age difference from 5 to 80 years."):
        update_organization_settings(
            organization=organization, data={"max_age_span": 100}, by=org_admin
        )
    organization.refresh_from_db()
    assert organization.max_age_span is None


def test_settings_unknown_time_zone_saves_nothing(admin_client_org, organization):
    response = admin_client_org.post(
        url("organizations:settings_edit", organization),
        settings_data(organization, time_zone="America/New_York"),
    )
    assert "Select a valid choice." in response.content.decode()
    organization.refresh_from_db()
    assert organization.time_zone == "Europe/Copenhagen"


def test_forming_group_count_on_dashboard_counts_only_ours(
    coordinator_client, organization, other_organization
):
    f.GroupFactory(organization=other_organization, status=GroupStatus.ENDED)
    response = coordinator_client.get(url("organizations:manage_dashboard", organization))
    assert '<span class="stat-number">1</span>' not in response.content.decode()
