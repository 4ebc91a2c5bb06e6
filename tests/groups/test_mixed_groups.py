"""A mixed group (no topic) is shown as "Mixed group" wherever a topic would be shown."""

import pytest
from django.conf import settings
from django.urls import reverse

from kreds.groups.models import Group, GroupStatus
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def en_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def mixed_group(organization, age_band, venue):
    organization.offers_mixed_groups = True
    organization.save()
    return f.GroupFactory(
        organization=organization,
        name="Open circle",
        topic=None,
        age_band=age_band,
        venue=venue,
        status=GroupStatus.FORMING,
    )


def url(name: str, organization, **kwargs) -> str:
    return reverse(name, kwargs={"org": organization.slug, **kwargs})


def test_manage_list_and_detail_show_a_mixed_group(coordinator_client, organization, mixed_group):
    listing = coordinator_client.get(url("groups_manage:list", organization)).content.decode()
    assert '<td data-label="Topic">Mixed group</td>' in listing
    detail = coordinator_client.get(
        url("groups_manage:detail", organization, pk=mixed_group.pk)
    ).content.decode()
    assert "<dd>Mixed group</dd>" in detail


def test_dashboard_shows_a_forming_mixed_group(coordinator_client, organization, mixed_group):
    content = coordinator_client.get(
        url("organizations:manage_dashboard", organization)
    ).content.decode()
    assert "<td>Mixed group</td>" in content


def test_public_pages_show_a_mixed_group(en_client, organization, mixed_group, group):
    detail = en_client.get(mixed_group.urls.public).content.decode()
    assert "<dd>Mixed group</dd>" in detail
    found = en_client.get(url("public:find_group", organization)).content.decode()
    assert '<h2 id="topic-mixed">Mixed groups</h2>' in found
    assert "Open circle" in found


def test_group_form_may_leave_the_topic_empty_only_where_mixed_groups_run(
    coordinator_client, organization, age_band
):
    data = {
        "name": "Across topics",
        "topic": "",
        "age_band": str(age_band.pk),
        "status": GroupStatus.FORMING,
        "public_description_0": "Alle er velkomne",
        "public_description_1": "",
        "public_description_2": "",
        "min_size": "",
        "max_size": "",
        "cadence": "weekly",
        "venue": "",
        "started_on": "",
        "ended_on": "",
    }
    response = coordinator_client.post(url("groups_manage:create", organization), data)
    assert "This field is required." in response.content.decode()
    assert not Group.objects.exists()

    organization.offers_mixed_groups = True
    organization.save()
    page = coordinator_client.get(url("groups_manage:create", organization)).content.decode()
    assert ">Mixed group</option>" in page
    coordinator_client.post(url("groups_manage:create", organization), data)
    group = Group.objects.get()
    assert group.topic is None
    assert group.topic_label == "Mixed group"


def test_member_of_a_mixed_group_sees_it_on_my_page_and_in_the_data_download(
    en_client, participant, mixed_group
):
    f.GroupMembershipFactory(group=mixed_group, person=participant)
    en_client.force_login(participant)

    my_page = en_client.get(reverse("people:my_page")).content.decode()
    assert "<dd>Mixed group</dd>" in my_page

    en_client.post(reverse("account_reauthenticate"), {"password": f.PASSWORD})
    download = en_client.get(reverse("privacy:my_data_download"))
    assert download.status_code == 200
    rows = download.json()["group_memberships"]
    assert {"group": "Open circle", "topic": "Mixed group"}.items() <= next(
        row for row in rows if row["group"] == "Open circle"
    ).items()


def test_group_list_filters_the_groups_across_topics(
    coordinator_client, organization, mixed_group, group
):
    list_url = url("groups_manage:list", organization)
    content = coordinator_client.get(list_url).content.decode()
    assert '<option value="mixed">Groups across topics</option>' in content

    filtered = coordinator_client.get(list_url, {"topic": "mixed"}).content.decode()
    assert "Open circle" in filtered
    assert "Sorggruppe tirsdag" not in filtered
    assert "Groups matching the filter" in filtered

    by_topic = coordinator_client.get(list_url, {"topic": group.topic.pk}).content.decode()
    assert "Sorggruppe tirsdag" in by_topic
    assert "Open circle" not in by_topic


def test_group_list_offers_no_mixed_filter_where_mixed_groups_do_not_run(
    coordinator_client, organization, group
):
    list_url = url("groups_manage:list", organization)
    content = coordinator_client.get(list_url).content.decode()
    assert "Groups across topics" not in content
    # The value is ignored, not an error: every group is listed.
    ignored = coordinator_client.get(list_url, {"topic": "mixed"})
    assert ignored.status_code == 200
    assert "Sorggruppe tirsdag" in ignored.content.decode()
