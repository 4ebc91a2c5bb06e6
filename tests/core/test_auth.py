"""Sessions end on time, passwords are hashed with tuned Argon2id, logout clears the browser."""

import time

from django.contrib.auth.hashers import make_password
from django.test import override_settings

from kreds.core.auth import SESSION_SEEN, SESSION_STARTED


def _age_session(client, *, started_ago: int, seen_ago: int) -> None:
    session = client.session
    now = int(time.time())
    session[SESSION_STARTED] = now - started_ago
    session[SESSION_SEEN] = now - seen_ago
    session.save()


def test_staff_session_ends_after_30_idle_minutes(client, coordinator):
    client.force_login(coordinator)
    client.get("/me/")
    _age_session(client, started_ago=31 * 60, seen_ago=31 * 60)
    response = client.get("/me/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")


def test_participant_session_survives_30_idle_minutes(client, participant):
    client.force_login(participant)
    client.get("/me/")
    _age_session(client, started_ago=31 * 60, seen_ago=31 * 60)
    assert client.get("/me/").status_code == 200


def test_any_session_ends_after_12_hours(client, participant):
    client.force_login(participant)
    client.get("/me/")
    _age_session(client, started_ago=12 * 3600 + 60, seen_ago=10)
    response = client.get("/me/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")


def test_logout_sends_clear_site_data(client, participant):
    client.force_login(participant)
    response = client.post("/accounts/logout/")
    assert "cookies" in response["Clear-Site-Data"]


@override_settings(PASSWORD_HASHERS=["kreds.core.hashers.KredsArgon2PasswordHasher"])
def test_password_hash_is_argon2id_with_46_mib_and_parallelism_1():
    encoded = make_password("a long enough passphrase")
    assert encoded.startswith("argon2$argon2id$")
    assert "m=47104,t=2,p=1" in encoded
