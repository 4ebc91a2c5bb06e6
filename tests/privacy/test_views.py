"""The person's pages: my data, the download, withdrawing consent, erasing the account."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from kreds.audit.models import AuditEvent
from kreds.intake.models import Application
from kreds.people.models import Person
from kreds.privacy import services
from kreds.privacy.models import Consent, Purpose
from kreds.privacy.services import on_withdrawal
from tests import factories as f

MY_DATA = reverse("privacy:my_data")
QUERIES_ON_MY_DATA = 18  # session, person, scope, then a fixed number per section
DOWNLOAD = reverse("privacy:my_data_download")
WITHDRAW = reverse("privacy:consent_withdraw")
ERASE = reverse("privacy:erase_account")


@pytest.fixture
def pia(client, participant):
    client.force_login(participant)
    return participant


@pytest.fixture
def applied(pia, make_application):
    return make_application(pia, note="Min far er syg")


@pytest.fixture
def test_handler(monkeypatch):
    """A withdrawal handler of the test's own, so the test does not lean on the intake app."""
    monkeypatch.setattr(services, "_handlers", {})
    stopped = []

    @on_withdrawal(Purpose.TOPIC)
    def stop(consent, *, by):
        stopped.append(consent.pk)
        Application.objects.filter(consent=consent).delete()

    return stopped


# --- My data -------------------------------------------------------------------------------


def test_my_data_page_shows_account_application_note_and_consent(client, pia, applied):
    response = client.get(MY_DATA)

    page = response.content.decode()
    assert response.status_code == 200
    assert pia.email in page
    assert "Min far er syg" in page
    assert "2026-1" in page
    assert "Withdraw my consent to" in page
    assert page.count("<h1") == 1


def test_my_data_page_never_names_other_members(client, pia, starter):
    page = client.get(MY_DATA).content.decode()

    assert "Sorggruppe tirsdag" in page
    assert "Starter Søren" not in page


def test_my_data_shows_who_looked_at_my_group_on_the_page_and_in_the_download(
    client, pia, starter, coordinator, group, reauthenticate
):
    """A coordinator opens the group's page; Pia sees that, and nothing about Søren."""
    staff = Client()
    staff.force_login(coordinator)
    detail = reverse(
        "groups_manage:detail", kwargs={"org": group.organization.slug, "pk": group.pk}
    )
    assert "Participant Pia" in staff.get(detail).content.decode()

    page = client.get(MY_DATA).content.decode()
    reauthenticate(client)
    document = json.loads(client.get(DOWNLOAD).content)

    assert "Coordinator Karen" in page
    assert "So far, nobody else has been shown it." not in page
    assert [row["who"] for row in document["special_reads"]] == ["Coordinator Karen"]
    for shown in (page, json.dumps(document, ensure_ascii=False)):
        assert "Starter Søren" not in shown
        assert starter.email not in shown


def test_my_data_page_asks_anonymous_visitors_to_log_in(client, db):
    response = client.get(MY_DATA)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_download_asks_for_the_password_first(client, pia):
    response = client.get(DOWNLOAD)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_download_after_reauthentication_is_a_json_file(client, pia, applied, reauthenticate):
    reauthenticate(client)

    response = client.get(DOWNLOAD)

    assert response["Content-Disposition"].startswith("attachment;")
    document = json.loads(response.content)
    assert document["account"][0]["email"] == pia.email
    assert document["applications"][0]["note"] == "Min far er syg"


# --- Withdrawing consent -------------------------------------------------------------------


def test_withdraw_button_withdraws_and_stops_processing_at_once(client, pia, applied, test_handler):
    response = client.post(WITHDRAW, {"consent": applied.consent_id}, follow=True)

    assert Consent.objects.get(pk=applied.consent_id).withdrawn_at is not None
    assert test_handler == [applied.consent_id]
    assert not Application.objects.filter(pk=applied.pk).exists()
    assert "Your consent is withdrawn" in response.content.decode()


def test_withdraw_through_the_intake_handler_deletes_the_application(client, pia, applied):
    """End to end with the handler the intake app registers (kreds.intake.services)."""
    client.post(WITHDRAW, {"consent": applied.consent_id})

    assert not Application.objects.filter(pk=applied.pk).exists()


def test_withdraw_of_someone_elses_consent_changes_nothing(
    client, pia, starter, make_application, test_handler
):
    theirs = make_application(starter)

    response = client.post(WITHDRAW, {"consent": theirs.consent_id})

    assert response.status_code == 302
    assert Consent.objects.get(pk=theirs.consent_id).withdrawn_at is None
    assert Application.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("value", ["", "abc", "-1", "99999999999999999999"])
def test_withdraw_with_nonsense_is_answered_calmly(client, pia, value):
    response = client.post(WITHDRAW, {"consent": value}, follow=True)

    assert response.status_code == 200
    assert "already withdrawn" in response.content.decode()


def test_withdraw_needs_post_and_csrf(client, pia, applied):
    assert client.get(WITHDRAW).status_code == 405
    strict = type(client)(enforce_csrf_checks=True)
    strict.force_login(pia)
    assert strict.post(WITHDRAW, {"consent": applied.consent_id}).status_code == 403
    assert Consent.objects.get(pk=applied.consent_id).withdrawn_at is None


# --- Erasing the account -------------------------------------------------------------------


def test_erase_page_asks_for_the_password_first(client, pia):
    response = client.get(ERASE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_erase_page_explains_what_goes_and_what_stays(client, pia, reauthenticate):
    reauthenticate(client)

    page = client.get(ERASE).content.decode()

    assert "What is erased" in page
    assert "Which groups you are or were in." in page
    assert "What stays, without your name" in page
    assert "audit log" in page


def test_erase_without_confirmation_keeps_the_account(client, pia, reauthenticate):
    reauthenticate(client)

    response = client.post(ERASE, {})

    assert response.status_code == 200
    assert "Tick the box" in response.content.decode()
    assert Person.objects.filter(pk=pia.pk).exists()


def test_erase_with_confirmation_erases_logs_out_and_says_goodbye(
    client, pia, applied, reauthenticate
):
    reauthenticate(client)

    response = client.post(ERASE, {"confirm": "on"})

    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:erased")
    assert "cookies" in response["Clear-Site-Data"]
    assert not Person.objects.filter(pk=pia.pk).exists()
    assert not Application.objects.filter(pk=applied.pk).exists()
    goodbye = client.get(response["Location"])
    assert "Your account is erased" in goodbye.content.decode()
    assert client.get(MY_DATA)["Location"].startswith(reverse("account_login"))
    assert AuditEvent.objects.filter(action="person.erased").exists()


def test_erased_email_can_sign_up_again(client, pia, reauthenticate):
    reauthenticate(client)
    client.post(ERASE, {"confirm": "on"})

    assert f.PersonFactory(email=pia.email).pk


@pytest.mark.parametrize("count", [1, 3])
def test_my_data_page_costs_the_same_queries_with_one_or_three_rows(
    client, pia, make_application, organization, topic, age_band, django_assert_num_queries, count
):
    for _ in range(count):
        make_application(pia)
        group = f.GroupFactory(organization=organization, topic=topic, age_band=age_band)
        f.GroupMembershipFactory(group=group, person=pia, role="participant")
    client.get(MY_DATA)  # warm caches (content types, session)

    with django_assert_num_queries(QUERIES_ON_MY_DATA):
        client.get(MY_DATA)


def test_erase_post_without_reauthentication_erases_nothing(client, pia):
    response = client.post(ERASE, {"confirm": "on"})

    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert Person.objects.filter(pk=pia.pk).exists()
