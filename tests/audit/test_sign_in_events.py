"""Every authentication operation is recorded (ASVS 16.3.1), through the real allauth pages.

Each test logs in, fails, logs out, confirms a second step or resets a password as a
person would, then reads the SignInEvent rows: which person, what, how, the request id;
and never a password, a code or an address typed for an account that does not exist.
"""

import datetime as dt
import json
import logging
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.admin.sites import site
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from kreds.audit.models import SignInEvent, SignInKind
from kreds.audit.sign_in_events import SIGN_IN_EVENT_DAYS, sign_in_email_hash
from kreds.privacy.queries import export_document
from kreds.privacy.retention import apply_retention
from kreds.privacy.services import erase_person
from tests import factories as f

pytestmark = pytest.mark.usefixtures("plain_force_login")

REQUEST_ID = "req-sign-in-1"
UNKNOWN = "Nobody.Here@Example.org"
WRONG_PASSWORD = "not the right passphrase at all"


def log_in(client, email: str, password: str = f.PASSWORD):
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        HTTP_X_REQUEST_ID=REQUEST_ID,
    )


def kinds(person) -> list[str]:
    return list(
        SignInEvent.objects.filter(person=person)
        .order_by("created_at", "id")
        .values_list("kind", flat=True)
    )


def only(kind: str) -> SignInEvent:
    (event,) = SignInEvent.objects.filter(kind=kind)
    return event


def everything_stored() -> str:
    """Every column of every sign-in event, as one string to search."""
    rows = [model_to_dict(event) for event in SignInEvent.objects.all()]
    return json.dumps(rows, default=str)


def test_login_is_recorded_with_person_method_and_request_id(client, participant):
    response = log_in(client, participant.email)

    assert response.status_code == 302
    event = only(SignInKind.LOGIN)
    assert (event.person, event.method, event.request_id) == (participant, "password", REQUEST_ID)
    assert event.email_hash == ""


def test_failed_login_of_an_existing_account_names_the_person_not_the_password(client, participant):
    response = log_in(client, participant.email, WRONG_PASSWORD)

    assert response.status_code == 200
    event = only(SignInKind.LOGIN_FAILED)
    assert (event.person, event.method, event.email_hash) == (participant, "password", "")
    assert WRONG_PASSWORD not in everything_stored()
    assert not SignInEvent.objects.filter(kind=SignInKind.LOGIN).exists()


def test_failed_login_of_an_unknown_address_keeps_only_a_keyed_hash(client, db, caplog):
    with caplog.at_level(logging.DEBUG):
        log_in(client, UNKNOWN, WRONG_PASSWORD)

    event = only(SignInKind.LOGIN_FAILED)
    assert event.person is None
    assert event.email_hash == sign_in_email_hash("nobody.here@example.org")
    assert re.fullmatch(r"[0-9a-f]{64}", event.email_hash)
    stored = everything_stored().lower()
    assert UNKNOWN.lower() not in stored
    assert "nobody.here" not in stored
    assert WRONG_PASSWORD not in stored
    assert "nobody.here" not in caplog.text.lower()


def test_logout_is_recorded(client, participant):
    log_in(client, participant.email)

    client.post(reverse("account_logout"), HTTP_X_REQUEST_ID=REQUEST_ID)

    assert kinds(participant) == [SignInKind.LOGIN, SignInKind.LOGOUT]
    assert only(SignInKind.LOGOUT).request_id == REQUEST_ID


def test_second_step_failure_and_success_are_recorded(client, coordinator):
    assert log_in(client, coordinator.email)["Location"] == reverse("mfa_authenticate")
    assert kinds(coordinator) == []  # the password alone is not a login yet

    client.post(reverse("mfa_authenticate"), {"code": "000000"})
    client.post(reverse("mfa_authenticate"), {"code": f.totp_code()})

    assert kinds(coordinator) == [
        SignInKind.MFA_FAILED,
        SignInKind.MFA_SUCCEEDED,
        SignInKind.LOGIN,
    ]
    assert only(SignInKind.MFA_FAILED).method == "totp"
    assert only(SignInKind.LOGIN).method == "password+totp"
    assert "000000" not in everything_stored()


def test_reauthentication_failure_and_success_are_recorded(client, participant):
    log_in(client, participant.email)
    address = reverse("account_reauthenticate")

    client.post(address, {"password": WRONG_PASSWORD})
    client.post(address, {"password": f.PASSWORD})

    assert kinds(participant) == [
        SignInKind.LOGIN,
        SignInKind.REAUTHENTICATION_FAILED,
        SignInKind.REAUTHENTICATED,
    ]
    assert only(SignInKind.REAUTHENTICATED).method == "password"
    # A wrong password while logged in is not a failed login of someone else.
    assert not SignInEvent.objects.filter(kind=SignInKind.LOGIN_FAILED).exists()


def test_second_step_reauthentication_is_recorded_with_its_method(client, coordinator):
    client.force_login(coordinator)
    address = reverse("mfa_reauthenticate")

    client.post(address, {"code": "000000"})
    client.post(address, {"code": f.totp_code()})

    assert kinds(coordinator)[-2:] == [
        SignInKind.REAUTHENTICATION_FAILED,
        SignInKind.REAUTHENTICATED,
    ]
    assert only(SignInKind.REAUTHENTICATED).method == "totp"
    assert not SignInEvent.objects.filter(kind=SignInKind.MFA_SUCCEEDED).exists()


def test_password_reset_request_and_completion_are_recorded(client, participant, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": participant.email})
    client.post(reverse("account_reset_password"), {"email": UNKNOWN})
    (link,) = re.findall(r"https?://testserver(/\S+)", mailoutbox[0].body)
    form = client.get(link, follow=True)
    new_password = "a new and rather long passphrase"

    client.post(form.redirect_chain[-1][0], {"password1": new_password, "password2": new_password})

    assert kinds(participant) == [SignInKind.PASSWORD_RESET_REQUESTED, SignInKind.PASSWORD_RESET]
    # A reset asked for an address without an account keeps only a keyed hash of it.
    (unknown,) = SignInEvent.objects.filter(person__isnull=True)
    assert unknown.kind == SignInKind.PASSWORD_RESET_REQUESTED
    assert unknown.email_hash == sign_in_email_hash(UNKNOWN)
    assert "nobody.here" not in everything_stored().lower()


def test_login_refused_after_too_many_failures_is_recorded(client, participant, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "2/m/ip,2/5m/key"}
    for _attempt in range(2):
        log_in(client, participant.email, WRONG_PASSWORD)

    refused = log_in(client, participant.email)

    assert "Too many failed login attempts" in refused.content.decode()
    assert kinds(participant) == [SignInKind.LOGIN_FAILED] * 2 + [SignInKind.RATE_LIMITED]
    event = only(SignInKind.RATE_LIMITED)
    assert (event.method, event.request_id, event.email_hash) == ("password", REQUEST_ID, "")
    assert f.PASSWORD not in everything_stored()


def test_login_refused_by_the_per_minute_limit_keeps_a_hash_of_an_unknown_address(
    client, db, settings
):
    settings.ACCOUNT_RATE_LIMITS = {"login": "1/m/ip"}
    log_in(client, "someone@example.org", WRONG_PASSWORD)

    refused = log_in(client, UNKNOWN, WRONG_PASSWORD)

    assert refused.status_code == 429
    event = only(SignInKind.RATE_LIMITED)
    assert (event.person, event.method, event.request_id) == (None, "password", REQUEST_ID)
    assert event.email_hash == sign_in_email_hash(UNKNOWN)
    assert "nobody.here" not in everything_stored().lower()


def test_password_reset_refused_by_its_limit_is_recorded_for_the_person(
    client, participant, settings, mailoutbox
):
    settings.ACCOUNT_RATE_LIMITS = {"reset_password": "1/m/ip"}
    url = reverse("account_reset_password")
    client.post(url, {"email": participant.email})

    refused = client.post(url, {"email": participant.email})

    assert refused.status_code == 429
    assert len(mailoutbox) == 1
    assert kinds(participant) == [SignInKind.PASSWORD_RESET_REQUESTED, SignInKind.RATE_LIMITED]
    assert only(SignInKind.RATE_LIMITED).method == "email"


def test_a_429_elsewhere_records_no_sign_in_event(client, db, settings):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "1/m/ip"}
    url = reverse("account_signup")
    client.post(url, {"email": "new@example.org", "password1": "x"})

    assert client.post(url, {"email": "new2@example.org", "password1": "x"}).status_code == 429
    assert not SignInEvent.objects.filter(kind=SignInKind.RATE_LIMITED).exists()


def test_person_sees_recent_logins_on_the_security_page(client, participant):
    log_in(client, participant.email, WRONG_PASSWORD)
    log_in(client, participant.email)

    page = client.get(reverse("security:overview")).content.decode()

    assert "Recent logins" in page
    assert "Login failed" in page
    assert "Logged in" in page
    assert f"Kept for {SIGN_IN_EVENT_DAYS} days." in page


def test_security_page_shows_no_one_elses_logins(client, participant, coordinator):
    log_in(Client(), coordinator.email, WRONG_PASSWORD)
    client.force_login(participant)

    page = client.get(reverse("security:overview")).content.decode()

    assert "Login failed" not in page


def test_my_data_export_holds_my_logins_only(client, participant, coordinator):
    log_in(client, participant.email)
    log_in(Client(), coordinator.email, WRONG_PASSWORD)

    rows = export_document(participant)["sign_in_events"]

    assert [row["what"] for row in rows] == ["Logged in"]
    assert rows[0]["method"] == "password"


def test_erasure_removes_my_logins_and_failed_attempts_at_my_address(client, db):
    address = "later.member@example.org"
    log_in(client, address, WRONG_PASSWORD)  # no account yet: only a hash is kept
    person = f.PersonFactory(email=address)
    EmailAddress.objects.filter(user=person).update(email=address)
    log_in(Client(), address)
    other = only(SignInKind.LOGIN_FAILED)
    assert other.person is None
    stranger = SignInEvent.objects.create(
        kind=SignInKind.LOGIN_FAILED, email_hash=sign_in_email_hash("someone@example.org")
    )

    erase_person(person=person, by=person)

    assert list(SignInEvent.objects.all()) == [stranger]


def test_retention_deletes_sign_in_events_older_than_90_days(participant):
    now = dt.datetime(2027, 6, 15, 10, 0, tzinfo=dt.UTC)

    def event(days_ago: float) -> SignInEvent:
        return SignInEvent.objects.create(
            person=participant,
            kind=SignInKind.LOGIN,
            created_at=now - dt.timedelta(days=days_ago),
        )

    expired = [event(SIGN_IN_EVENT_DAYS + 0.01), event(400)]
    kept = [event(SIGN_IN_EVENT_DAYS - 0.01), event(1)]

    assert apply_retention(now=now)["sign_in_events"] == len(expired)
    assert set(SignInEvent.objects.all()) == set(kept)


def test_technical_admin_lists_sign_in_events_read_only(client, participant):
    log_in(Client(), participant.email, WRONG_PASSWORD)
    superuser = f.PersonFactory(is_superuser=True, is_staff=True, display_name="Root")
    f.give_totp(superuser)
    client.post(reverse("account_login"), {"login": superuser.email, "password": f.PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": f.totp_code()})
    event = only(SignInKind.LOGIN_FAILED)

    listing = client.get("/admin/audit/signinevent/")
    detail = client.get(f"/admin/audit/signinevent/{event.pk}/change/")

    assert listing.status_code == 200
    assert "Participant Pia" in listing.content.decode()
    assert detail.status_code == 200
    assert 'type="submit" value="Save"' not in detail.content.decode()
    admin = site._registry[SignInEvent]
    request = listing.wsgi_request
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request, event)
    assert not admin.has_delete_permission(request, event)
    refused = client.post(f"/admin/audit/signinevent/{event.pk}/delete/", {"post": "yes"})
    assert refused.status_code == 404  # PermissionDenied, answered as 404 (core.views)
    assert SignInEvent.objects.filter(pk=event.pk).exists()


def test_organization_admin_cannot_open_sign_in_events_in_technical_admin(admin_client_org):
    response = admin_client_org.get("/admin/audit/signinevent/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
