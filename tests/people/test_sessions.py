"""A person sees where they are logged in and can end the other sessions."""

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
