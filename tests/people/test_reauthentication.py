"""The password (or a second factor) is asked again before changing email or MFA.

A login some time ago is not enough: whoever finds an open session must not be able to
take the account over. Changing the password asks for the current one instead.
Exporting one's data and granting roles are proven in privacy/test_views.py and
organizations/test_roles.py.
"""

import time

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests import factories as f

NEW_PASSWORD = "et helt andet langt kodeord"


def logged_in_a_while_ago(client, person, *, minutes: int = 10):
    """Logged in with the password `minutes` ago, and not asked for it since."""
    response = client.post(
        reverse("account_login"), {"login": person.email, "password": f.PASSWORD}
    )
    if response["Location"] == reverse("mfa_authenticate"):
        response = client.post(response["Location"], {"code": f.totp_code()})
    assert response.status_code == 302
    session = client.session
    records = session[AUTHENTICATION_METHODS_SESSION_KEY]
    for record in records:
        record["at"] = time.time() - minutes * 60
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session.save()


def confirm_password(client) -> None:
    response = client.post(reverse("account_reauthenticate"), {"password": f.PASSWORD})
    assert response.status_code == 302


def asks_for_the_password(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        reverse("account_reauthenticate")
    )


def test_adding_an_email_address_asks_for_the_password_first(client, participant):
    logged_in_a_while_ago(client, participant)

    response = client.post(reverse("account_email"), {"email": "pia@example.net", "action_add": ""})

    assert asks_for_the_password(response)
    assert not EmailAddress.objects.filter(email="pia@example.net").exists()
    confirm_password(client)
    client.post(reverse("account_email"), {"email": "pia@example.net", "action_add": ""})
    assert EmailAddress.objects.filter(user=participant, email="pia@example.net").exists()


def test_making_another_address_primary_asks_for_the_password_first(client, participant):
    EmailAddress.objects.create(user=participant, email="pia@example.net", verified=True)
    logged_in_a_while_ago(client, participant)

    response = client.post(
        reverse("account_email"), {"email": "pia@example.net", "action_primary": ""}
    )

    assert asks_for_the_password(response)
    participant.refresh_from_db()
    assert participant.email != "pia@example.net"


def test_changing_the_password_needs_the_current_one(client, participant):
    logged_in_a_while_ago(client, participant)
    change = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}

    refused = client.post(
        reverse("account_change_password"), {"oldpassword": "not my password", **change}
    )

    assert refused.status_code == 200
    participant.refresh_from_db()
    assert participant.check_password(f.PASSWORD)
    client.post(reverse("account_change_password"), {"oldpassword": f.PASSWORD, **change})
    participant.refresh_from_db()
    assert participant.check_password(NEW_PASSWORD)


@pytest.mark.usefixtures("plain_force_login")
def test_setting_up_an_authenticator_app_asks_for_the_password_first(client, participant):
    logged_in_a_while_ago(client, participant)

    assert asks_for_the_password(client.get(reverse("mfa_activate_totp")))
    confirm_password(client)
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


@pytest.mark.usefixtures("plain_force_login")
def test_removing_the_authenticator_app_asks_for_the_password_first(client, participant):
    f.give_totp(participant)
    logged_in_a_while_ago(client, participant)

    response = client.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == 302
    assert "reauthenticate" in response["Location"]
    assert Authenticator.objects.filter(user=participant, type=Authenticator.Type.TOTP).exists()


def test_a_password_confirmed_five_minutes_ago_is_asked_again(client, participant):
    logged_in_a_while_ago(client, participant)
    confirm_password(client)
    session = client.session
    records = session[AUTHENTICATION_METHODS_SESSION_KEY]
    records[-1]["at"] = time.time() - 5 * 60 - 1
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session.save()

    response = client.post(reverse("account_email"), {"email": "pia@example.net", "action_add": ""})

    assert asks_for_the_password(response)
