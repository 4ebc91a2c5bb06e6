"""Withdrawing consent stops the processing at once; erasing removes the person everywhere."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.test import Client

from kreds.audit.models import ERASED_PREFIX, AuditEvent
from kreds.audit.services import record_change, record_read
from kreds.groups.models import GroupMembership
from kreds.intake.models import Application
from kreds.organizations.models import Role, RoleKind
from kreds.people.models import Person
from kreds.privacy import services
from kreds.privacy.library_rows import person_sessions
from kreds.privacy.models import Consent, Purpose
from kreds.privacy.services import erase_person, give_consent, on_withdrawal, withdraw_consent
from tests import factories as f


@pytest.fixture
def withdrawal_calls(monkeypatch):
    """A handler registered for the topic purpose, as an app would, removed afterwards."""
    calls = []
    monkeypatch.setattr(services, "_handlers", {k: list(v) for k, v in services._handlers.items()})

    @on_withdrawal(Purpose.TOPIC)
    def stop_processing(consent, *, by):
        calls.append((consent.pk, consent.withdrawn_at is not None, by))
        Application.objects.filter(consent=consent).delete()

    return calls


# --- Withdrawing consent -------------------------------------------------------------------


def test_withdraw_consent_runs_the_handler_and_stops_processing_at_once(
    participant, make_application, withdrawal_calls
):
    application = make_application(participant)

    withdraw_consent(consent=application.consent, by=participant)

    consent = Consent.objects.get(pk=application.consent_id)
    assert consent.withdrawn_at is not None
    assert (consent.pk, True, participant) in withdrawal_calls
    assert not Application.objects.filter(pk=application.pk).exists()


def test_withdraw_consent_is_recorded_in_the_audit_log_without_personal_data(
    participant, make_application, withdrawal_calls
):
    consent = make_application(participant).consent

    withdraw_consent(consent=consent, by=participant)

    event = AuditEvent.objects.get(action="consent.withdrawn")
    assert event.object_id == str(consent.pk)
    assert event.organization == consent.organization
    assert participant.email not in str(event.changes)


def test_withdraw_consent_twice_changes_nothing_the_second_time(
    participant, make_application, withdrawal_calls
):
    consent = make_application(participant).consent
    first = withdraw_consent(consent=consent, by=participant).withdrawn_at

    again = withdraw_consent(consent=consent, by=participant)

    assert again.withdrawn_at == first
    assert len(withdrawal_calls) == 1


def test_give_consent_stores_purpose_current_version_and_language(participant, organization):
    consent = give_consent(
        person=participant, organization=organization, purpose=Purpose.TOPIC, language="da"
    )
    assert (consent.purpose, consent.text_version, consent.language) == ("topic", "2026-1", "da")


# --- Erasing an account --------------------------------------------------------------------


@pytest.fixture
def rich_person(client, organization, other_organization, group, make_application):
    """A person with a row in every model that can hold something about them."""
    person = f.PersonFactory(display_name="Rich Rasmus", phone="+45 1234", municipality="Ikast")
    f.GroupMembershipFactory(group=group, person=person)
    f.RoleFactory(organization=other_organization, person=person, kind=RoleKind.STARTER)
    make_application(person, note="Min mor døde i foråret")
    make_application(person, organization=other_organization)
    Authenticator.objects.create(user=person, type="totp", data={"secret": "SECRETSECRET"})
    client.force_login(person)
    record_change(
        organization=organization, actor=person, action="group.updated", obj=group, changes={}
    )
    return person


def test_erase_person_removes_every_personal_row(rich_person, participant, organization):
    pk = rich_person.pk

    counts = erase_person(person=rich_person, by=rich_person)

    assert not Person.objects.filter(pk=pk).exists()
    for model in (GroupMembership, Role, Application, Consent):
        assert not model.objects.filter(person_id=pk).exists(), model
    assert not EmailAddress.objects.filter(user_id=pk).exists()
    assert not Authenticator.objects.filter(user_id=pk).exists()
    assert counts["applications"] == 2
    assert counts["consents"] == 2
    assert counts["group_memberships"] == 1
    assert counts["account"] == 1


def test_erase_person_leaves_other_people_alone(rich_person, participant, group):
    erase_person(person=rich_person, by=rich_person)

    assert Person.objects.filter(pk=participant.pk).exists()
    assert GroupMembership.objects.filter(person=participant, group=group).exists()
    assert EmailAddress.objects.filter(user=participant).exists()


def test_erase_person_ends_their_sessions_only(rich_person, participant):
    other = Client()
    other.force_login(participant)
    assert person_sessions(rich_person)

    erase_person(person=rich_person, by=rich_person)

    assert Session.objects.count() == 1
    assert person_sessions(participant)


def test_erase_person_keeps_audit_events_with_a_pseudonym(rich_person, organization):
    erase_person(person=rich_person, by=rich_person)

    update = AuditEvent.objects.get(action="group.updated")
    assert update.actor is None
    assert update.actor_label.startswith(ERASED_PREFIX)
    assert "Rasmus" not in update.actor_label
    erased = AuditEvent.objects.filter(action="person.erased")
    assert {event.organization for event in erased} >= {None, organization}
    assert all(event.actor_label == update.actor_label for event in erased)


def test_erase_person_by_someone_else_names_them_in_the_log(rich_person, org_admin):
    erase_person(person=rich_person, by=org_admin)

    assert AuditEvent.objects.filter(action="person.erased", actor=org_admin).exists()


def test_erase_person_keeps_reads_by_the_person_as_pseudonymised_actor(
    rich_person, participant, group
):
    membership = GroupMembership.objects.get(person=participant)
    read = record_read(
        organization=group.organization, actor=rich_person, obj=membership, fields=["person"]
    )

    erase_person(person=rich_person, by=rich_person)

    read.refresh_from_db()
    assert read.actor is None
    assert read.actor_label.startswith(ERASED_PREFIX)
