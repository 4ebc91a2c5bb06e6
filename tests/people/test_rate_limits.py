"""Rate limits on login, signup and reset: shared cache, a calm 429 page, and a cool-off."""

import time

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import translation

from kreds.config import settings as production_settings
from tests import factories as f

LOGIN_FAILURES_PER_EMAIL = 5  # allauth's default: 5 failures per address in 5 minutes
LOGINS_PER_MINUTE_PER_IP = 30  # allauth's default for the login form


@pytest.fixture(autouse=True)
def _production_rate_limits(settings):
    settings.ACCOUNT_RATE_LIMITS = production_settings.ACCOUNT_RATE_LIMITS


@pytest.fixture
def later(monkeypatch):
    """Moves the clock forward: rate-limit history and cache expiry read time.time()."""

    def advance(seconds: int) -> None:
        now = time.time()
        monkeypatch.setattr(time, "time", lambda: now + seconds)

    return advance


def log_in(client, email: str, password: str):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_production_settings_keep_allauths_limits_and_add_ours():
    from allauth.account import app_settings

    limits = app_settings.RATE_LIMITS
    for action in ("login", "login_failed", "signup", "reset_password"):
        assert limits[action], action
    assert limits["intake"] == "20/h/ip,5/h/user"


def test_rate_limits_count_in_the_configured_shared_cache(monkeypatch):
    """Production reads REDIS_URL; without it (development) the local-memory cache is used."""
    import importlib

    monkeypatch.setenv("REDIS_URL", "redis://cache.internal:6379/1")
    reloaded = importlib.reload(production_settings)
    try:
        assert reloaded.CACHES["default"]["BACKEND"].endswith("RedisCache")
        assert reloaded.CACHES["default"]["LOCATION"] == "redis://cache.internal:6379/1"
    finally:
        monkeypatch.delenv("REDIS_URL")
        importlib.reload(production_settings)
    assert django_settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")


def test_failed_logins_for_one_address_lock_it_for_a_while_then_it_opens_again(
    client, participant, later
):
    for _attempt in range(LOGIN_FAILURES_PER_EMAIL):
        response = log_in(client, participant.email, "not the password at all")
        assert "Too many failed login attempts" not in response.content.decode()

    refused = log_in(client, participant.email, f.PASSWORD)
    assert "Too many failed login attempts. Try again later." in refused.content.decode()
    assert client.get(reverse("people:my_page")).status_code == 302

    later(5 * 60 + 1)
    assert log_in(client, participant.email, f.PASSWORD).status_code == 302
    assert client.get(reverse("people:my_page")).status_code == 200


def test_too_many_logins_from_one_address_answer_429_in_our_layout_then_cool_off(
    client, participant, later
):
    for _attempt in range(LOGINS_PER_MINUTE_PER_IP):
        assert log_in(client, f"nobody{_attempt}@example.org", "wrong password").status_code == 200

    refused = log_in(client, participant.email, f.PASSWORD)

    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Please wait a little" in page
    assert 'class="site-header"' in page  # Kreds' own base.html, not allauth's bare page
    later(61)
    assert log_in(client, participant.email, f.PASSWORD).status_code == 302


def test_429_page_is_translated(client, participant, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login": "1/m/ip"}
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    log_in(client, "nobody@example.org", "wrong password")

    refused = log_in(client, "nobody@example.org", "wrong password")

    assert refused.status_code == 429
    assert '<html lang="da">' in refused.content.decode()
    with translation.override("da"):
        heading = translation.gettext("Please wait a little")
    assert f"<h1>{heading}</h1>" in refused.content.decode()


def test_password_reset_requests_are_limited_per_address(client, participant, mailoutbox):
    url = reverse("account_reset_password")
    answers = [client.post(url, {"email": participant.email}).status_code for _ in range(6)]
    assert answers[:5] == [302] * 5
    assert answers[5] == 429


def test_signups_are_limited_per_address(client, db):
    url = reverse("account_signup")
    answers = [
        client.post(url, {"email": f"new{n}@example.org", "password1": "x"}).status_code
        for n in range(21)
    ]
    assert answers[-1] == 429
