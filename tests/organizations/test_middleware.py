"""The organization in the URL sets the language, time zone and scope of every request."""

from django.conf import settings


def test_organization_page_defaults_to_organizations_own_language(client, organization):
    response = client.get(f"/{organization.slug}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "da"


def test_organization_page_follows_explicit_language_choice(client, organization):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    response = client.get(f"/{organization.slug}/")
    assert response["Content-Language"] == "nb"


def test_organization_page_ignores_choice_of_language_not_offered(client, other_organization):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    response = client.get(f"/{other_organization.slug}/")
    assert response["Content-Language"] == "nb"


def test_organization_page_uses_persons_language_when_offered(client, organization, participant):
    participant.preferred_language = "en"
    participant.save()
    client.force_login(participant)
    response = client.get(f"/{organization.slug}/")
    assert response["Content-Language"] == "en"


def test_my_page_uses_persons_language_over_browser(client, participant):
    participant.preferred_language = "nb"
    participant.save()
    client.force_login(participant)
    response = client.get("/me/", HTTP_ACCEPT_LANGUAGE="da")
    assert response["Content-Language"] == "nb"


def test_unknown_organization_is_404(db, client):
    assert client.get("/no-such-place/").status_code == 404


def test_removed_role_takes_effect_on_next_request(client, organization, coordinator):
    client.force_login(coordinator)
    assert client.get(f"/{organization.slug}/manage/").status_code == 200
    coordinator.roles.all().delete()
    assert client.get(f"/{organization.slug}/manage/").status_code == 404
