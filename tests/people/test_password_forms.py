"""Password fields as ASVS V6.2 asks: masked, friendly to password managers, taken as typed,
without a maximum length; and a way to log out on every page (V7.4.4)."""

import re

import pytest
from django.urls import reverse

from kreds.people.models import Person
from tests import factories as f

LONG_PASSPHRASE = "my grandmother's kitchen smelled of cardamom and coffee " * 4  # 224 chars


def password_inputs(response) -> list[str]:
    return re.findall(r"<input[^>]*type=\"password\"[^>]*>", response.content.decode())


@pytest.mark.parametrize(
    ("url_name", "fields", "autocomplete"),
    [
        ("account_login", ["password"], "current-password"),
        ("account_signup", ["password1", "password2"], "new-password"),
    ],
)
def test_password_fields_are_masked_and_named_for_password_managers(
    client, db, url_name, fields, autocomplete
):
    inputs = password_inputs(client.get(reverse(url_name)))

    assert [re.search(r'name="([^"]+)"', tag).group(1) for tag in inputs] == fields
    for tag in inputs:
        assert f'autocomplete="{autocomplete}"' in tag
        assert "onpaste" not in tag  # pasting from a password manager stays possible
        assert "maxlength" not in tag


def test_a_very_long_passphrase_is_accepted_and_works(client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "lang@example.org",
            "password1": LONG_PASSPHRASE,
            "password2": LONG_PASSPHRASE,
            "display_name": "Lang",
            "preferred_language": "en",
        },
    )

    assert response.status_code == 302
    assert Person.objects.get(email="lang@example.org").check_password(LONG_PASSPHRASE)


@pytest.mark.parametrize(
    "almost",
    [f.PASSWORD.upper(), f.PASSWORD + " ", " " + f.PASSWORD, f.PASSWORD[:-1]],
)
def test_password_is_checked_exactly_as_typed(client, participant, almost):
    """No trimming, no case folding, no truncation."""
    response = client.post(
        reverse("account_login"), {"login": participant.email, "password": almost}
    )
    assert response.status_code == 200
    assert client.get(reverse("people:my_page")).status_code == 302


@pytest.mark.parametrize("page", ["people:my_page", "privacy:my_data", "usersessions_list"])
def test_every_logged_in_page_offers_a_log_out_button(client, participant, page):
    client.force_login(participant)
    html = client.get(reverse(page)).content.decode()
    form = re.search(
        rf'<form action="{reverse("account_logout")}" method="post"[^>]*>(.*?)</form>', html, re.S
    )
    assert form, "no log-out form in the page header"
    assert "csrfmiddlewaretoken" in form.group(1)
    assert "<button" in form.group(1)
