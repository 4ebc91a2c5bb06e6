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


@pytest.mark.parametrize(
    "password",
    ["Kreds2026!Kreds!", "selvhjælp-kreds-123", "Herning Herning 2026", "PASSWORD-password!"],
)
def test_password_made_of_context_words_is_refused(client, organization, password):
    """The service's, self-help's and the organization's names do not count toward 12."""
    response = sign_up(client, password)
    assert "Without them it must still have at least 12 characters" in (response.content.decode())
    assert not Person.objects.filter(email="ny@example.org").exists()


def test_passphrase_that_mentions_a_context_word_is_enough(client, organization):
    assert sign_up(client, "our kreds in herning meets on tuesdays").status_code == 302
    assert Person.objects.filter(email="ny@example.org").exists()


def test_context_words_include_every_organizations_names(organization, other_organization):
    from kreds.people.validators import context_words

    words = context_words()
    for word in ("kreds", "selvhjælp herning", "herning", "selvhjelp norge", "norge"):
        assert word in words
    assert words.index("selvhjælp herning") < words.index("herning")  # longest first
