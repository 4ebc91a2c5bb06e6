"""Password policy: at least 12 characters, common passwords refused, no composition rules."""

import pytest
from django.urls import reverse

from kreds.people.models import Person


def sign_up(client, password: str):
    return client.post(
        reverse("account_signup"),
        {
            "email": "ny@example.org",
            "password1": password,
            "password2": password,
            "display_name": "Birthe",
            "preferred_language": "da",
        },
    )


@pytest.mark.django_db
def test_password_of_11_characters_is_refused(client):
    response = sign_up(client, "elevenchars")
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    assert not Person.objects.filter(email="ny@example.org").exists()


@pytest.mark.django_db
def test_common_password_is_refused_even_when_long(client):
    response = sign_up(client, "password12345")
    assert "This password is too common." in response.content.decode()
    assert not Person.objects.filter(email="ny@example.org").exists()


@pytest.mark.django_db
def test_plain_lowercase_passphrase_is_enough(client):
    """No rules about digits, capitals or symbols: length is what counts."""
    assert sign_up(client, "blue kettle on the windowsill").status_code == 302
    assert Person.objects.filter(email="ny@example.org").exists()
