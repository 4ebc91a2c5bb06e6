"""My data: everything about the person, readable and as JSON, and nothing about others."""

import json

import pytest
from allauth.mfa.models import Authenticator
from django.core.serializers.json import DjangoJSONEncoder

from kreds.audit.services import record_read
from kreds.groups.models import GroupMembership
from kreds.privacy.queries import active_consent, export_document, personal_data
from kreds.privacy.registry import special_reads
from kreds.privacy.services import withdraw_consent


def section(person, key: str) -> list[dict]:
    return next(item.rows for item in personal_data(person) if item.section.key == key)


@pytest.fixture
def applied(participant, make_application):
    return make_application(participant, note="Jeg mistede min bror", is_member=True)


def test_account_section_holds_the_persons_own_fields(participant):
    participant.phone = "+45 2020 2020"
    participant.save()

    [account] = section(participant, "account")

    assert account["email"] == participant.email
    assert account["display_name"] == "Participant Pia"
    assert account["phone"] == "+45 2020 2020"


def test_applications_section_decrypts_the_note_for_its_owner(participant, applied):
    [row] = section(participant, "applications")

    assert row["note"] == "Jeg mistede min bror"
    assert row["municipality"] == "Herning"
    assert row["availability"] == ["Tuesday evening"]


def test_consents_section_names_text_version_language_and_dates(participant, applied):
    [row] = section(participant, "consents")

    assert (row["text_version"], row["language"]) == ("2026-1", "English")
    assert row["given_at"] is not None
    assert row["withdrawn_at"] is None
    assert "withdraw" in row["text"]


def test_two_step_login_lists_the_kind_never_the_secret(participant):
    Authenticator.objects.create(user=participant, type="totp", data={"secret": "TOPSECRETSEED"})

    rows = section(participant, "two_step_login")

    assert [row["type"] for row in rows] == ["TOTP Authenticator"]
    assert "TOPSECRETSEED" not in json.dumps(export_document(participant), cls=DjangoJSONEncoder)


def test_groups_section_names_the_group_never_the_other_members(participant, starter, group):
    document = json.dumps(export_document(participant), cls=DjangoJSONEncoder)

    assert [row["group"] for row in section(participant, "group_memberships")] == [group.name]
    assert "Starter Søren" not in document
    assert starter.email not in document


def test_reads_of_the_persons_data_show_who_and_when(participant, coordinator, group, applied):
    membership = GroupMembership.objects.get(person=participant)
    record_read(organization=group.organization, actor=coordinator, obj=applied, fields=["note"])
    record_read(
        organization=group.organization, actor=coordinator, obj=membership, fields=["group"]
    )

    rows = section(participant, "special_reads")

    assert [row["who"] for row in rows] == ["Coordinator Karen", "Coordinator Karen"]
    assert {row["what"] for row in rows} == {"application", "group membership"}
    assert ["note to the coordinator"] in [row["fields"] for row in rows]


def test_reads_of_someone_elses_data_are_not_shown(participant, starter, coordinator, group):
    theirs = GroupMembership.objects.get(person=starter)
    record_read(organization=group.organization, actor=coordinator, obj=theirs, fields=["group"])

    assert special_reads(participant) == []
    assert len(special_reads(starter)) == 1


def test_export_document_is_json_with_every_section(participant, applied):
    document = json.loads(json.dumps(export_document(participant), cls=DjangoJSONEncoder))

    assert {"account", "applications", "consents", "special_reads", "sessions"} <= set(document)
    assert document["applications"][0]["note"] == "Jeg mistede min bror"


def test_active_consent_is_only_the_persons_own_and_in_force(
    participant, starter, applied, make_application
):
    theirs = make_application(starter).consent

    assert active_consent(participant, applied.consent_id) == applied.consent
    assert active_consent(participant, theirs.pk) is None
    withdraw_consent(consent=applied.consent, by=participant)
    assert active_consent(participant, applied.consent_id) is None
