"""A person sees where they are logged in and can end the other sessions."""

import re

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from tests import factories as f


def logged_in_client(person, browser: str) -> Client:
    client = Client(HTTP_USER_AGENT=browser)
    response = client.post(
        reverse("account_login"), {"login": person.email, "password": f.PASSWORD}
    )
    assert response.status_code == 302
    return client


def test_session_list_shows_each_browser_and_marks_this_one(participant):
    laptop = logged_in_client(participant, "Laptop Firefox")
    logged_in_client(participant, "Phone Safari")

    page = laptop.get(reverse("usersessions_list")).content.decode()

    assert "Laptop Firefox" in page
    assert "Phone Safari" in page
    assert "This browser" in page
    assert 'class="site-header"' in page


def test_ending_the_other_sessions_logs_them_out_on_their_next_request(participant):
    laptop = logged_in_client(participant, "Laptop Firefox")
    phone = logged_in_client(participant, "Phone Safari")
    assert phone.get(reverse("people:my_page")).status_code == 200

    laptop.post(reverse("usersessions_list"))

    assert phone.get(reverse("people:my_page")).status_code == 302
    assert laptop.get(reverse("people:my_page")).status_code == 200
    assert "Phone Safari" not in laptop.get(reverse("usersessions_list")).content.decode()


def test_session_list_never_shows_another_persons_sessions(participant, starter):
    mine = logged_in_client(participant, "Laptop Firefox")
    logged_in_client(starter, "Starter Chrome")
    assert "Starter Chrome" not in mine.get(reverse("usersessions_list")).content.decode()


def test_logging_in_gives_a_new_session_key(participant):
    client = Client()
    session = client.session  # an anonymous session, as a visitor has before logging in
    session["kreds_probe"] = 1
    session.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value

    client.post(reverse("account_login"), {"login": participant.email, "password": f.PASSWORD})

    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_after_logout_the_old_session_cookie_opens_nothing(participant):
    client = logged_in_client(participant, "Laptop Firefox")
    old_key = client.cookies[settings.SESSION_COOKIE_NAME].value

    client.post(reverse("account_logout"))
    stolen = Client()
    stolen.cookies[settings.SESSION_COOKIE_NAME] = old_key

    assert stolen.get(reverse("people:my_page")).status_code == 302
    assert not Session.objects.filter(session_key=old_key).exists()


def test_session_keys_are_long_random_and_different_for_each_login(participant):
    keys = [
        logged_in_client(participant, f"Browser {n}").cookies[settings.SESSION_COOKIE_NAME].value
        for n in range(3)
    ]
    assert len(set(keys)) == 3
    for key in keys:
        assert re.fullmatch(r"[a-z0-9]{32}", key)  # Django: 32 characters from `secrets`


def test_password_reset_does_not_log_in_so_the_second_step_still_applies(
    client, coordinator, mailoutbox
):
    f.give_totp(coordinator)
    client.post(reverse("account_reset_password"), {"email": coordinator.email})
    (link,) = re.findall(r"https?://testserver(/\S+)", mailoutbox[-1].body)
    form = client.get(link, follow=True)
    new_password = "et helt andet langt kodeord"

    response = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"password1": new_password, "password2": new_password},
    )

    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.check_password(new_password)
    assert client.get(reverse("people:my_page")).status_code == 302  # not logged in
    login = client.post(
        reverse("account_login"), {"login": coordinator.email, "password": new_password}
    )
    assert login["Location"] == reverse("mfa_authenticate")
