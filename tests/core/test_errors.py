"""Bad addresses and bad input: a calm, translated page, never a 500."""

import re

import pytest
from django.conf import settings
from django.forms import BaseForm
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from kreds.core import views as core_views
from kreds.groups.models import Group
from kreds.meetings.models import Venue
from kreds.organizations.models import AgeBand, Organization, Topic
from tests import factories as f

HTML_LANG = re.compile(r'<html[^>]*\blang="([a-z-]+)"')


def heading(text: str, language: str) -> str:
    with translation.override(language):
        return escape(translation.gettext(text))


def assert_error_page(response, status: int, title: str, language: str) -> None:
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    content = response.content.decode()
    match = HTML_LANG.search(content)
    assert match, "the error page has no <html lang>"
    assert match.group(1) == language
    assert f"<h1>{heading(title, language)}</h1>" in content


def forms_with_errors(response) -> list[BaseForm]:
    assert response.context is not None, "the page was not rendered from a template"
    found = []
    for context in response.context:
        for value in context.flatten().values():
            if isinstance(value, BaseForm) and value.errors and value not in found:
                found.append(value)
    return found


def assert_form_shows_errors(response) -> None:
    assert response.status_code == 200
    forms = forms_with_errors(response)
    assert forms, "no form with errors on the re-rendered page"
    content = response.content.decode()
    messages = [
        str(message) for form in forms for errors in form.errors.values() for message in errors
    ]
    assert any(escape(message) in content for message in messages), messages


# --- Unknown addresses ---------------------------------------------------------------------


@pytest.mark.parametrize("language", ["da", "nb", "en"])
def test_unknown_organization_answers_translated_404(client, organization, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/no-such-centre/")
    assert_error_page(response, 404, "Page not found", language)


@pytest.mark.parametrize(
    "path",
    [
        "/no-such-centre/find-a-group/",
        "/no-such-centre/contact/",
        "/no-such-centre/groups/1/",
        "/herning/no/such/page/",
    ],
)
def test_unknown_page_answers_404(client, organization, path):
    response = client.get(path)
    assert_error_page(response, 404, "Page not found", settings.LANGUAGE_CODE)


def test_error_page_in_organization_uses_its_language(client, organization):
    response = client.get("/herning/groups/999999/")
    assert_error_page(response, 404, "Page not found", organization.languages[0])


@pytest.mark.parametrize(
    "path",
    [
        "/herning/manage/topics/abc/edit/",
        "/herning/manage/topics/-1/edit/",
        "/herning/manage/topics/99999999999999999999999/edit/",
        "/herning/manage/groups/1.5/",
        "/herning/manage/groups/99999999999999999999999/edit/",
        "/herning/manage/venues/%00/edit/",
        "/herning/manage/age-bands/0/edit/",
        "/herning/groups/abc/",
        "/herning/groups/99999999999999999999999/",
    ],
)
def test_malformed_id_answers_404(coordinator_client, organization, path):
    assert coordinator_client.get(path).status_code == 404


# --- Nonsense in query strings and forms ---------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "topic=abc&age_band=99999999999999999999&municipality=%00",
        "topic=-1&age_band=1.5&municipality=" + "x" * 5000,
        "topic=%00&topic=2&age_band=&page=-9&sort=';drop table x",
        "municipality=%ff%fe&topic=1e9",
    ],
)
def test_find_group_ignores_nonsense_query(client, group, query):
    response = client.get(f"/herning/find-a-group/?{query}")
    assert response.status_code == 200


def test_find_group_with_nonsense_query_still_lists_groups(client, organization, topic):
    f.GroupFactory(organization=organization, topic=topic, name="Forming Tuesday group")
    response = client.get("/herning/find-a-group/?topic=abc&age_band=99999999999999999999")
    assert response.status_code == 200
    assert "Forming Tuesday group" in response.content.decode()


NONSENSE = "☃ abc'; DROP TABLE x; --"


def test_age_band_form_with_nonsense_saves_nothing(coordinator_client, organization, age_band):
    before = AgeBand.objects.count()
    response = coordinator_client.post(
        reverse("organizations:age_band_create", kwargs={"org": organization.slug}),
        {"kind": NONSENSE, "min_age": "many", "max_age": "1e999", "name_0": ""},
    )
    assert_form_shows_errors(response)
    assert AgeBand.objects.count() == before


def test_topic_form_with_nonsense_saves_nothing(coordinator_client, organization, topic):
    before = Topic.objects.count()
    response = coordinator_client.post(
        reverse("organizations:topic_create", kwargs={"org": organization.slug}),
        {"position": "first", "is_active": NONSENSE, "name_0": ""},
    )
    assert_form_shows_errors(response)
    assert Topic.objects.count() == before


def test_group_form_with_nonsense_saves_nothing(coordinator_client, organization, group):
    before = Group.objects.count()
    response = coordinator_client.post(
        reverse("groups_manage:create", kwargs={"org": organization.slug}),
        {
            "name": "Nonsense group",
            "topic": "abc",
            "age_band": "99999999999999999999",
            "venue": NONSENSE,
            "status": NONSENSE,
            "min_size": "lots",
            "max_size": "-3",
            "cadence": NONSENSE,
            "started_on": "yesterday-ish",
        },
    )
    assert_form_shows_errors(response)
    assert Group.objects.count() == before


def test_venue_form_with_nonsense_saves_nothing(coordinator_client, organization, venue):
    before = Venue.objects.count()
    response = coordinator_client.post(
        reverse("meetings:venue_create", kwargs={"org": organization.slug}),
        {
            "name": "Nonsense venue",
            "kind": NONSENSE,
            "address": "Torvet 1",
            "municipality": "Herning",
            "latitude": "north",
            "longitude": "1e999",
        },
    )
    assert_form_shows_errors(response)
    assert Venue.objects.count() == before


def test_settings_form_with_nonsense_saves_nothing(admin_client_org, organization):
    response = admin_client_org.post(
        reverse("organizations:settings_edit", kwargs={"org": organization.slug}),
        {
            "name": "Renamed by nonsense",
            "group_min_size": "five",
            "group_max_size": "99999999999999999999",
            "annual_fee": "free",
            "retention_days": "-1",
            "contact_email": "not an address",
        },
    )
    assert_form_shows_errors(response)
    assert Organization.objects.get(pk=organization.pk).name == organization.name


# --- The 500 page --------------------------------------------------------------------------


def test_server_error_page_renders_our_template(db):
    request = RequestFactory().get("/herning/")
    with translation.override("da"):
        response = core_views.server_error(request)
    assert_error_page(response, 500, "Something went wrong", "da")
