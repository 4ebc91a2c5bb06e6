"""Response headers: a strict Content-Security-Policy on every page, no caching of personal pages."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import PASSWORD

ALLOWED_SOURCES = {"'self'", "'none'", "data:"}

ANONYMOUS_PAGES = [
    "/",
    "/herning/",
    "/herning/find-a-group/",
    "/herning/contact/",
    "/accounts/login/",
    "/accounts/signup/",
    "/no-such-centre/",
]

LOGGED_IN_PAGES = [
    "/herning/",
    "/herning/find-a-group/",
    "/me/",
    "/herning/manage/",
    "/herning/manage/topics/",
    "/herning/manage/groups/",
]


def csp_directives(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_protective_headers(response) -> None:
    directives = csp_directives(response)
    assert directives.get("default-src") == ["'self'"]
    for directive, sources in directives.items():
        foreign = [source for source in sources if source not in ALLOWED_SOURCES]
        assert not foreign, f"{directive} allows {foreign}"
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert directives.get("frame-ancestors") == ["'none'"]
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("Referrer-Policy")
    assert response.headers.get("Cross-Origin-Opener-Policy") == "same-origin"
    assert response.headers.get("X-Frame-Options") == "DENY"


@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
def test_anonymous_page_has_protective_headers(client, organization, path):
    response = client.get(path)
    assert response.status_code in (200, 404)
    assert_protective_headers(response)


@pytest.mark.parametrize("path", LOGGED_IN_PAGES)
def test_logged_in_page_has_protective_headers_and_is_not_stored(
    coordinator_client, organization, path
):
    response = coordinator_client.get(path)
    assert response.status_code == 200
    assert_protective_headers(response)
    assert "no-store" in response.headers.get("Cache-Control", "")


def test_redirect_for_logged_in_person_is_not_stored(coordinator_client, organization):
    response = coordinator_client.post(
        reverse("set_language"), {"language": "en", "next": "/herning/"}
    )
    assert response.status_code == 302
    assert "no-store" in response.headers.get("Cache-Control", "")


def test_not_found_page_for_logged_in_person_is_not_stored(coordinator_client, organization):
    response = coordinator_client.get("/herning/manage/topics/999999/edit/")
    assert response.status_code == 404
    assert_protective_headers(response)
    assert "no-store" in response.headers.get("Cache-Control", "")


def test_session_cookie_is_http_only_and_same_site(client, coordinator):
    response = client.post(
        reverse("account_login"), {"login": coordinator.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
