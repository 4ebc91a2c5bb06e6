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


def test_session_list_records_activity_at_most_every_five_minutes(
    client, participant, plain_force_login
):
    from allauth.usersessions.models import UserSession

    from kreds.core.auth import SESSION_TRACKED

    client.force_login(participant)
    client.get("/me/")
    first_seen = UserSession.objects.get(user=participant).last_seen_at
    client.get("/me/")
    assert UserSession.objects.get(user=participant).last_seen_at == first_seen

    session = client.session
    session[SESSION_TRACKED] -= 6 * 60
    session.save()
    client.get("/me/")
    assert UserSession.objects.get(user=participant).last_seen_at > first_seen


def test_purge_ended_user_sessions_forgets_address_and_browser_of_ended_sessions(participant):
    from allauth.usersessions.models import UserSession
    from django.test import Client

    from kreds.core.auth import purge_ended_user_sessions
    from tests.factories import PASSWORD

    clients = [Client(HTTP_USER_AGENT=name) for name in ("Kept", "Ended")]
    for one in clients:
        one.post("/accounts/login/", {"login": participant.email, "password": PASSWORD})
    clients[1].post("/accounts/logout/")

    assert purge_ended_user_sessions() == 1
    assert list(UserSession.objects.values_list("user_agent", flat=True)) == ["Kept"]
