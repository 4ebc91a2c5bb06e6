"""The coordinator's pages for groups: list, create, detail and edit."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kreds.groups.models import Group, GroupStatus
from tests import factories as f


def url(name: str, organization, **kwargs) -> str:
    return reverse(name, kwargs={"org": organization.slug, **kwargs})


def group_data(topic, age_band, venue=None, **changes) -> dict:
    data = {
        "name": "Pårørendegruppe torsdag",
        "topic": str(topic.pk),
        "age_band": str(age_band.pk),
        "status": GroupStatus.FORMING,
        "public_description_0": "For dig der passer en syg",
        "public_description_1": "For those caring for someone ill",
        "public_description_2": "",
        "min_size": "",
        "max_size": "",
        "cadence": "fortnightly",
        "venue": str(venue.pk) if venue else "",
        "started_on": "",
        "ended_on": "",
    }
    data.update(changes)
    return data


# List


def test_group_list_shows_groups_with_their_facts(coordinator_client, organization, group):
    response = coordinator_client.get(url("groups_manage:list", organization))
    content = response.content.decode()
    assert "<h1>Groups</h1>" in content
    assert "Sorggruppe tirsdag" in content
    assert group.topic.name.localize("en") in content
    assert "Running" in content
    assert group.venue.name in content
    assert 'aria-current="page">Groups</a>' in content


def test_group_list_hides_other_organizations_groups(
    coordinator_client, organization, other_organization
):
    f.GroupFactory(organization=other_organization, name="Their group")
    response = coordinator_client.get(url("groups_manage:list", organization))
    assert "Their group" not in response.content.decode()


def test_group_list_filters_by_status(coordinator_client, organization, group):
    f.GroupFactory(organization=organization, name="Forming group", status=GroupStatus.FORMING)
    response = coordinator_client.get(
        url("groups_manage:list", organization), {"status": "forming"}
    )
    content = response.content.decode()
    assert "Forming group" in content
    assert "Sorggruppe tirsdag" not in content


def test_group_list_filters_by_topic(coordinator_client, organization, group):
    other_topic = f.TopicFactory(organization=organization)
    f.GroupFactory(organization=organization, name="Other topic group", topic=other_topic)
    response = coordinator_client.get(
        url("groups_manage:list", organization), {"topic": str(other_topic.pk)}
    )
    content = response.content.decode()
    assert "Other topic group" in content
    assert "Sorggruppe tirsdag" not in content


@pytest.mark.parametrize(
    "params",
    [{"status": "bogus"}, {"topic": "abc"}, {"topic": "999999"}, {"status": "", "topic": ""}],
)
def test_group_list_ignores_nonsense_filters(coordinator_client, organization, group, params):
    response = coordinator_client.get(url("groups_manage:list", organization), params)
    assert response.status_code == 200
    assert "Sorggruppe tirsdag" in response.content.decode()


def test_group_list_ignores_another_organizations_topic_as_filter(
    coordinator_client, organization, other_organization, group
):
    theirs = f.TopicFactory(organization=other_organization)
    response = coordinator_client.get(
        url("groups_manage:list", organization), {"topic": str(theirs.pk)}
    )
    assert "Sorggruppe tirsdag" in response.content.decode()


@pytest.mark.parametrize("rows", [1, 3])
def test_group_list_query_count_is_constant(
    coordinator_client, organization, django_assert_num_queries, rows
):
    for _ in range(rows):
        group = f.GroupFactory(organization=organization)
        f.GroupMembershipFactory(group=group)
    with django_assert_num_queries(10):
        coordinator_client.get(url("groups_manage:list", organization))


# Create


def test_group_create_saves_the_group(coordinator_client, organization, topic, age_band, venue):
    response = coordinator_client.post(
        url("groups_manage:create", organization),
        group_data(topic, age_band, venue, min_size="4", max_size="7"),
        follow=True,
    )
    content = response.content.decode()
    assert "The group is created." in content
    group = Group.objects.get(organization=organization)
    assert (group.name, group.topic, group.venue) == ("Pårørendegruppe torsdag", topic, venue)
    assert (group.min_size, group.max_size, group.cadence) == (4, 7, "fortnightly")
    assert group.public_description.localize("en") == "For those caring for someone ill"
    assert "<h1>Pårørendegruppe torsdag</h1>" in content


def test_group_create_offers_only_our_active_topics(
    coordinator_client, organization, other_organization, topic
):
    f.TopicFactory(organization=organization, name=f.i18n("Retired topic"), is_active=False)
    f.TopicFactory(organization=other_organization, name=f.i18n("Their topic"))
    content = coordinator_client.get(url("groups_manage:create", organization)).content.decode()
    assert topic.name.localize("en") in content
    assert "Retired topic" not in content
    assert "Their topic" not in content


def test_group_create_with_another_organizations_topic_saves_nothing(
    coordinator_client, organization, other_organization, age_band
):
    theirs = f.TopicFactory(organization=other_organization)
    response = coordinator_client.post(
        url("groups_manage:create", organization), group_data(theirs, age_band)
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not Group.objects.exists()


def test_group_create_with_another_organizations_venue_saves_nothing(
    coordinator_client, organization, other_organization, topic, age_band
):
    theirs = f.VenueFactory(organization=other_organization)
    response = coordinator_client.post(
        url("groups_manage:create", organization), group_data(topic, age_band, theirs)
    )
    assert "Select a valid choice." in response.content.decode()
    assert not Group.objects.exists()


def test_group_create_with_min_size_above_max_size_saves_nothing(
    coordinator_client, organization, topic, age_band
):
    response = coordinator_client.post(
        url("groups_manage:create", organization),
        group_data(topic, age_band, min_size="8", max_size="6"),
    )
    assert "The largest size cannot be smaller than the smallest size (8)." in (
        response.content.decode()
    )
    assert not Group.objects.exists()


def test_group_create_with_min_size_above_organizations_largest_saves_nothing(
    coordinator_client, organization, topic, age_band
):
    response = coordinator_client.post(
        url("groups_manage:create", organization), group_data(topic, age_band, min_size="10")
    )
    assert "the organization&#x27;s largest group (8)" in response.content.decode()
    assert not Group.objects.exists()


def test_group_create_ended_without_end_date_saves_nothing(
    coordinator_client, organization, topic, age_band
):
    response = coordinator_client.post(
        url("groups_manage:create", organization),
        group_data(topic, age_band, status=GroupStatus.ENDED),
    )
    assert "Enter the date the group ended." in response.content.decode()
    assert not Group.objects.exists()


def test_group_create_ending_before_it_started_saves_nothing(
    coordinator_client, organization, topic, age_band
):
    response = coordinator_client.post(
        url("groups_manage:create", organization),
        group_data(
            topic,
            age_band,
            status=GroupStatus.ENDED,
            started_on="2026-03-01",
            ended_on="2026-02-01",
        ),
    )
    assert "A group cannot end before it started." in response.content.decode()
    assert not Group.objects.exists()


# Detail


def test_group_detail_shows_facts_members_and_upcoming_meetings(
    coordinator_client, organization, group, participant, starter
):
    f.MeetingFactory(group=group, starts_at=timezone.now() + dt.timedelta(days=3))
    f.MeetingFactory(group=group, starts_at=timezone.now() - dt.timedelta(days=3))
    gone = f.PersonFactory(display_name="Left Lene")
    f.GroupMembershipFactory(group=group, person=gone, left_on=dt.date(2026, 10, 1))
    response = coordinator_client.get(url("groups_manage:detail", organization, pk=group.pk))
    content = response.content.decode()
    assert "<h1>Sorggruppe tirsdag</h1>" in content
    assert group.topic.name.localize("en") in content
    assert "Participant Pia" in content
    assert "Starter Søren" in content
    assert "Left Lene" not in content
    assert "Participants (1 of 8)" in content
    assert content.count("<td>Planned</td>") == 1
    assert group.urls.edit in content


def test_group_detail_of_other_organizations_group_is_404(
    coordinator_client, organization, other_organization
):
    theirs = f.GroupFactory(organization=other_organization)
    response = coordinator_client.get(url("groups_manage:detail", organization, pk=theirs.pk))
    assert response.status_code == 404


def test_group_detail_with_malformed_id_is_404(coordinator_client, organization):
    assert coordinator_client.get(f"/{organization.slug}/manage/groups/x1/").status_code == 404


def test_group_detail_starter_without_staff_role_gets_404(client, organization, group, starter):
    client.force_login(starter)
    response = client.get(url("groups_manage:detail", organization, pk=group.pk))
    assert response.status_code == 404


# Edit


def test_group_edit_changes_the_group(coordinator_client, organization, group):
    response = coordinator_client.post(
        url("groups_manage:edit", organization, pk=group.pk),
        group_data(
            group.topic,
            group.age_band,
            group.venue,
            name="Sorggruppe onsdag",
            status=GroupStatus.RUNNING,
            is_open_for_newcomers="on",
            started_on="2026-09-01",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == group.urls.manage
    group.refresh_from_db()
    assert group.name == "Sorggruppe onsdag"
    assert group.is_open_for_newcomers
    assert group.started_on == dt.date(2026, 9, 1)


def test_group_edit_keeps_an_inactive_current_topic_on_offer(
    coordinator_client, organization, group
):
    group.topic.is_active = False
    group.topic.save()
    response = coordinator_client.get(url("groups_manage:edit", organization, pk=group.pk))
    assert f'<option value="{group.topic.pk}" selected>' in response.content.decode()


def test_group_edit_invalid_keeps_the_old_name_in_the_heading(
    coordinator_client, organization, group
):
    response = coordinator_client.post(
        url("groups_manage:edit", organization, pk=group.pk),
        group_data(group.topic, group.age_band, name="", status=GroupStatus.RUNNING),
    )
    assert "Edit group: Sorggruppe tirsdag" in response.content.decode()
    group.refresh_from_db()
    assert group.name == "Sorggruppe tirsdag"


def test_group_edit_of_other_organizations_group_is_404(
    coordinator_client, organization, other_organization, topic, age_band
):
    theirs = f.GroupFactory(organization=other_organization, name="Theirs")
    edit = url("groups_manage:edit", organization, pk=theirs.pk)
    assert coordinator_client.get(edit).status_code == 404
    assert coordinator_client.post(edit, group_data(topic, age_band)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Theirs"
