"""Login, signup and password reset answer the same for known and unknown email addresses."""

import re

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.urls import reverse

from tests import factories as f

UNKNOWN = "nobody-here@example.org"


def visible(response, email: str) -> str:
    """The page as a person sees it, with the typed address and the CSRF token blanked out."""
    text = response.content.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
    return text.replace(email, "EMAIL")


def test_login_with_wrong_password_answers_like_an_unknown_address(client, participant):
    url = reverse("account_login")
    known = client.post(url, {"login": participant.email, "password": "wrong password 123"})
    unknown = client.post(url, {"login": UNKNOWN, "password": "wrong password 123"})

    assert known.status_code == unknown.status_code == 200
    assert visible(known, participant.email) == visible(unknown, UNKNOWN)
    assert "The email address and/or password you specified are not correct." in visible(
        known, participant.email
    )


def test_password_reset_answers_the_same_for_known_and_unknown(client, participant, mailoutbox):
    url = reverse("account_reset_password")
    known = client.post(url, {"email": participant.email})
    unknown = client.post(url, {"email": UNKNOWN})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    page_known = client.get(known["Location"]).content.decode()
    assert participant.email not in page_known
    # Only the owner of each mailbox learns whether it has an account.
    assert [mail.to for mail in mailoutbox] == [[participant.email], [UNKNOWN]]


def test_signup_with_a_taken_address_looks_like_success_and_mails_the_owner(
    client, participant, mailoutbox
):
    url = reverse("account_signup")
    data = {
        "password1": "a long enough passphrase",
        "password2": "a long enough passphrase",
        "display_name": "Someone",
        "preferred_language": "en",
    }
    taken = client.post(url, {**data, "email": participant.email})
    client.logout()
    fresh = client.post(url, {**data, "email": "brand-new@example.org"})

    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"]
    taken_mail, fresh_mail = mailoutbox
    assert taken_mail.to == [participant.email]
    assert "already exists" in taken_mail.subject.lower()
    assert "already exists" not in fresh_mail.subject.lower()
    assert f.PersonFactory._meta.model.objects.filter(email=participant.email).count() == 1


# --- Time: the same number of password hashes for known and unknown addresses ------------------


@pytest.fixture
def hashes(settings, monkeypatch):
    """How many passwords were hashed (MD5 here; one Argon2id hash is ~100 ms in production).

    Counting hashes instead of timing the answer keeps the test exact on a busy machine.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    counted = []
    encode = MD5PasswordHasher.encode

    def counting_encode(self, password, salt):
        counted.append(1)
        return encode(self, password, salt)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counting_encode)  # verify() calls it too
    return counted


def hashes_during(hashes, action) -> int:
    before = len(hashes)
    action()
    return len(hashes) - before


def test_login_hashes_as_often_for_an_unknown_address_as_for_a_known_one(
    client, participant, hashes
):
    url = reverse("account_login")

    known = hashes_during(
        hashes, lambda: client.post(url, {"login": participant.email, "password": "wrong one 123"})
    )
    unknown = hashes_during(
        hashes, lambda: client.post(url, {"login": UNKNOWN, "password": "wrong one 123"})
    )

    assert known >= 1
    assert unknown == known


def test_signup_with_a_taken_address_hashes_the_password_like_a_new_account(
    client, participant, hashes
):
    url = reverse("account_signup")
    data = {
        "password1": "a long enough passphrase",
        "password2": "a long enough passphrase",
        "display_name": "Someone",
        "preferred_language": "en",
    }

    taken = hashes_during(hashes, lambda: client.post(url, {**data, "email": participant.email}))
    client.logout()
    fresh = hashes_during(
        hashes, lambda: client.post(url, {**data, "email": "brand-new@example.org"})
    )

    assert fresh >= 1
    assert taken == fresh
