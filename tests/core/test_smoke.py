from tests import factories as f


def test_coordinator_dashboard_anonymous_is_sent_to_login(client, organization):
    response = client.get(f"/{organization.slug}/manage/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_coordinator_dashboard_other_organization_coordinator_gets_404(
    client, organization, other_coordinator
):
    client.force_login(other_coordinator)
    assert client.get(f"/{organization.slug}/manage/").status_code == 404


def test_topic_factory_creates_translated_name(organization):
    topic = f.TopicFactory(organization=organization)
    assert topic.name.localize("da").endswith("(da)")
