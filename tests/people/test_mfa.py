"""Two-step login: required for coordinators and admins, encrypted secrets, codes that work."""

import json

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.urls import reverse

from kreds.organizations.models import RoleKind
from kreds.people.mfa import MFAAdapter, rotate_mfa_secrets
from tests import factories as f

pytestmark = pytest.mark.usefixtures("plain_force_login")


def manage_url(organization) -> str:
    return reverse("organizations:manage_dashboard", kwargs={"org": organization.slug})


@pytest.fixture
def new_coordinator(organization):
    """A coordinator who has not set up two-step login yet."""
    person = f.PersonFactory(display_name="New Nina")
    f.RoleFactory(organization=organization, person=person, kind=RoleKind.COORDINATOR)
    return person


def log_in_with_password(client, person):
    return client.post(reverse("account_login"), {"login": person.email, "password": f.PASSWORD})


def reauthenticate_with_password(client):
    response = client.post(reverse("account_reauthenticate"), {"password": f.PASSWORD})
    assert response.status_code == 302, response.content.decode()


def test_staff_without_authenticator_is_sent_to_a_page_that_explains_why(
    client, new_coordinator, organization
):
    client.force_login(new_coordinator)

    response = client.get(manage_url(organization), follow=True)

    assert response.redirect_chain[0][0] == reverse("security:overview")
    content = response.content.decode()
    assert "Your role needs two-step login" in content
    assert reverse("mfa_activate_totp") in content
    assert reverse("mfa_add_webauthn") in content


@pytest.mark.django_db(transaction=True)  # allauth announces a new authenticator on commit
def test_staff_sets_up_an_app_and_continues_where_they_were_going(
    client, new_coordinator, organization
):
    client.force_login(new_coordinator)
    client.get(manage_url(organization))
    reauthenticate_with_password(client)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]

    response = client.post(reverse("mfa_activate_totp"), {"code": f.totp_code(secret)})

    assert response["Location"] == reverse("mfa_view_recovery_codes")
    codes_page = client.get(response["Location"]).content.decode()
    assert "Continue where you were going" in codes_page
    assert f'href="{manage_url(organization)}"' in codes_page
    assert client.get(manage_url(organization)).status_code == 200


def test_totp_secret_is_stored_encrypted_and_login_with_a_code_works(
    client, new_coordinator, organization
):
    client.force_login(new_coordinator)
    reauthenticate_with_password(client)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    client.post(reverse("mfa_activate_totp"), {"code": f.totp_code(secret)})
    client.logout()

    stored = Authenticator.objects.get(user=new_coordinator, type=Authenticator.Type.TOTP)
    assert secret not in json.dumps(stored.data)
    assert stored.data["secret"].startswith("v1:")
    assert MFAAdapter().decrypt(stored.data["secret"]) == secret

    response = log_in_with_password(client, new_coordinator)
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": f.totp_code(secret)})
    assert response.status_code == 302
    assert client.get(manage_url(organization)).status_code == 200


def test_recovery_code_seed_is_stored_encrypted(new_coordinator):
    codes = RecoveryCodes.activate(new_coordinator)
    seed = MFAAdapter().decrypt(codes.instance.data["seed"])
    assert seed not in json.dumps(codes.instance.data)


def test_login_with_a_wrong_code_stays_on_the_code_page(client, coordinator):
    log_in_with_password(client, coordinator)
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert client.get(reverse("people:my_page")).status_code == 302


def test_login_with_a_recovery_code_opens_staff_pages(client, coordinator, organization):
    code = RecoveryCodes.activate(coordinator).get_unused_codes()[0]
    log_in_with_password(client, coordinator)

    client.post(reverse("mfa_authenticate"), {"code": code})

    assert client.get(manage_url(organization)).status_code == 200


def test_staff_whose_session_skipped_the_second_step_is_asked_for_a_code(
    client, coordinator, organization
):
    """E.g. logged in as a participant, then given a role: the old login lacks the step."""
    client.force_login(coordinator)

    response = client.get(manage_url(organization))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    page = client.get(response["Location"]).content.decode()
    assert "the second step of your login" in page
    assert "Your role needs" not in page
    answer = client.post(response["Location"], {"code": f.totp_code()})
    assert answer["Location"] == manage_url(organization)
    assert client.get(manage_url(organization)).status_code == 200


def test_staff_gate_answers_htmx_with_a_redirect_header(client, new_coordinator, organization):
    client.force_login(new_coordinator)
    response = client.get(manage_url(organization), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("security:overview")


def test_participant_is_never_asked_for_a_second_step(client, participant):
    client.force_login(participant)
    assert client.get(reverse("people:my_page")).status_code == 200


def test_security_page_encourages_participant_without_demanding(client, participant):
    client.force_login(participant)
    content = client.get(reverse("security:overview")).content.decode()
    assert "Two-step login is a choice for you" in content
    assert "Your role needs" not in content


def test_removing_the_app_ends_the_two_step_state_of_the_session(client, coordinator, organization):
    log_in_with_password(client, coordinator)
    client.post(reverse("mfa_authenticate"), {"code": f.totp_code()})
    reauthenticate_with_password(client)

    client.post(reverse("mfa_deactivate_totp"))

    assert not Authenticator.objects.filter(user=coordinator).exists()
    response = client.get(manage_url(organization))
    assert response["Location"] == reverse("security:overview")


def test_rotate_mfa_secrets_encrypts_plain_secrets_and_keeps_them_working(new_coordinator):
    plain = Authenticator.objects.create(
        user=new_coordinator, type=Authenticator.Type.TOTP, data={"secret": f.TOTP_SECRET}
    )

    assert rotate_mfa_secrets() == 1

    plain.refresh_from_db()
    assert plain.data["secret"].startswith("v1:")
    assert MFAAdapter().decrypt(plain.data["secret"]) == f.TOTP_SECRET
    assert rotate_mfa_secrets() == 0


def test_security_note_for_my_page_links_to_the_security_page(participant):
    from django.template.loader import render_to_string

    html = render_to_string("people/_security_note.html", {"user": participant})
    assert reverse("security:overview") in html
    assert "two-step login" in html.lower()


def test_a_post_to_a_staff_page_without_the_second_step_is_not_replayed_later(
    client, coordinator, organization
):
    client.force_login(coordinator)
    topic_url = reverse("organizations:topic_create", kwargs={"org": organization.slug})

    response = client.post(topic_url, {"name_0": "Sneaked in"})

    assert (
        response["Location"]
        == f"{reverse('mfa_reauthenticate')}?next={topic_url.replace('/', '%2F')}"
    )
    answer = client.post(response["Location"], {"code": f.totp_code()})
    assert answer["Location"] == topic_url
    assert not organization.topics.exists()
