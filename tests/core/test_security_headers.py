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


# --- Production: HTTPS only, HSTS, __Host- cookies -------------------------------------------

PRODUCTION_ONLY = [
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_NAME",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_NAME",
    "CSRF_COOKIE_SECURE",
    "LANGUAGE_COOKIE_NAME",
    "LANGUAGE_COOKIE_SECURE",
]


@pytest.fixture
def production_security(settings):
    """The security settings kreds.config.settings gives without KREDS_DEBUG, applied."""
    import importlib

    from kreds.config import settings as project_settings

    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("KREDS_DEBUG", "0")
        environment.setenv("SECRET_KEY", "production-like-key-for-this-test-only-" + "y" * 30)
        environment.delenv("SECURE_SSL_REDIRECT", raising=False)
        try:
            production = importlib.reload(project_settings)
            for name in PRODUCTION_ONLY:
                setattr(settings, name, getattr(production, name))
        finally:
            environment.undo()
            importlib.reload(project_settings)
    return settings


def test_production_sends_hsts_over_https_and_redirects_plain_http(
    client, organization, production_security
):
    plain = client.get("/herning/")
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/herning/"

    response = client.get("/herning/", secure=True, HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == ("max-age=63072000; includeSubDomains; preload")


def test_production_cookies_are_host_prefixed_secure_and_bound_to_the_host(
    client, coordinator, production_security
):
    https = {"secure": True, "HTTP_X_FORWARDED_PROTO": "https"}
    form = client.get(reverse("account_login"), **https)
    login = client.post(
        reverse("account_login"), {"login": coordinator.email, "password": PASSWORD}, **https
    )
    assert login.status_code == 302
    language = client.post(reverse("set_language"), {"language": "da", "next": "/"}, **https)

    cookies = (
        (form, "__Host-csrftoken"),
        (login, "__Host-sessionid"),
        (language, "__Host-kreds_language"),
    )
    for response, name in cookies:
        cookie = response.cookies[name]
        # Browsers accept a __Host- cookie only if Secure, with Path=/ and no Domain.
        assert cookie["secure"], name
        assert cookie["path"] == "/", name
        assert not cookie["domain"], name
    assert login.cookies["__Host-sessionid"]["httponly"]
