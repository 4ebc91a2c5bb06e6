"""Writing the audit log: what is stored, and what never is."""

import pytest
from django.db import transaction
from django.test import RequestFactory

from kreds.audit.models import MASK, AuditEvent
from kreds.audit.services import (
    audit_context,
    changes_between,
    pseudonymise_actor,
    record_change,
    record_read,
    snapshot,
)
from kreds.groups.models import GroupMembership, GroupStatus
from tests import factories as f


def test_record_change_masks_personal_values(organization, org_admin, participant):
    event = record_change(
        organization=organization,
        actor=org_admin,
        action="person.updated",
        obj=participant,
        changes={
            "display_name": ("Participant Pia", "Pia"),
            "email": ("pia@example.org", "pia@example.net"),
            "is_active": (True, False),
        },
    )
    event.refresh_from_db()
    assert event.changes == {
        "display_name": [MASK, MASK],
        "email": [MASK, MASK],
        "is_active": [True, False],
    }
    assert event.actor_label == "Admin Anders"
    assert (event.object_type, event.object_id) == ("people.person", str(participant.pk))
    assert event.object_label == ""  # a person's name is personal data


def test_record_change_keeps_values_of_fields_about_nobody(organization, coordinator, group):
    event = record_change(
        organization=organization,
        actor=coordinator,
        action="group.updated",
        obj=group,
        changes={"status": (GroupStatus.FORMING, GroupStatus.RUNNING)},
    )
    assert event.changes == {"status": ["forming", "running"]}
    assert event.object_label == "Sorggruppe tirsdag"


def test_record_change_masks_special_category_values_even_when_empty(
    organization, coordinator, participant
):
    membership = GroupMembership.objects.get(person=participant)
    event = record_change(
        organization=organization,
        actor=coordinator,
        action="membership.ended",
        obj=membership,
        changes={"left_on": (None, "2026-10-01"), "role": ("participant", "participant")},
    )
    assert event.changes == {"left_on": [MASK, MASK], "role": [MASK, MASK]}
    assert event.object_label == ""


def test_record_change_masks_names_the_registry_does_not_know(organization, coordinator, group):
    event = record_change(
        organization=organization,
        actor=coordinator,
        action="group.noted",
        obj=group,
        changes={"note": ("", "Pia is having a hard time")},
    )
    assert event.changes == {"note": [MASK, MASK]}


def test_record_change_from_snapshots_stores_only_what_changed(
    organization, coordinator, group, topic
):
    other_topic = f.TopicFactory(organization=organization)
    before = snapshot(group)
    group.topic = other_topic
    group.is_open_for_newcomers = True
    group.save()

    event = record_change(
        organization=organization,
        actor=coordinator,
        action="group.updated",
        obj=group,
        changes=changes_between(before, snapshot(group)),
    )

    assert event.changes == {
        "is_open_for_newcomers": [False, True],
        "topic": [topic.pk, other_topic.pk],
        "updated_at": event.changes["updated_at"],
    }


def test_record_change_stores_translated_text_as_its_languages(organization, coordinator, topic):
    before = snapshot(topic, fields=["name"])
    topic.name = f.i18n("Grief")
    event = record_change(
        organization=organization,
        actor=coordinator,
        action="topic.updated",
        obj=topic,
        changes=changes_between(before, snapshot(topic, fields=["name"])),
    )
    assert event.changes["name"][1] == {"da": "Grief (da)", "nb": "Grief (nb)", "en": "Grief"}


def test_record_change_accepts_attribute_names(organization, coordinator, group, venue):
    event = record_change(
        organization=organization,
        actor=coordinator,
        action="group.updated",
        obj=group,
        changes={"venue_id": (None, venue.pk)},
    )
    assert event.changes == {"venue": [None, venue.pk]}


@pytest.mark.parametrize("action", ["", "updated", "Group.Updated", "group updated", "group."])
def test_record_change_refuses_malformed_action(organization, coordinator, group, action):
    with pytest.raises(ValueError, match="group.updated"):
        record_change(
            organization=organization, actor=coordinator, action=action, obj=group, changes={}
        )
    assert not AuditEvent.objects.exists()


def test_record_without_actor_is_kreds_itself(organization, group):
    event = record_change(
        organization=organization, actor=None, action="group.ended", obj=group, changes={}
    )
    assert (event.actor, event.actor_label) == (None, "")


def test_record_read_stores_field_names_never_values(organization, coordinator, participant):
    membership = GroupMembership.objects.get(person=participant)
    event = record_read(
        organization=organization,
        actor=coordinator,
        obj=membership,
        fields=["person", "group", "person"],
    )
    event.refresh_from_db()
    assert event.action == "special.read"
    assert event.changes == {"fields": ["group", "person"]}
    assert "Pia" not in str(event.changes)


@pytest.mark.parametrize("fields", [[], ["Participant Pia"], ["group", "pia@example.org"]])
def test_record_read_refuses_anything_but_field_names(organization, coordinator, group, fields):
    with pytest.raises(ValueError, match="field names"):
        record_read(organization=organization, actor=coordinator, obj=group, fields=fields)


def test_event_is_rolled_back_with_the_change_it_records(organization, coordinator, group):
    def change_that_fails():
        with transaction.atomic():
            record_change(
                organization=organization,
                actor=coordinator,
                action="group.updated",
                obj=group,
                changes={},
            )
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert not AuditEvent.objects.exists()


def test_audit_context_takes_person_organization_and_a_clean_request_id(organization, coordinator):
    request = RequestFactory().get("/", HTTP_X_REQUEST_ID="abc-123\n<script>")
    request.user = coordinator
    request.organization = organization
    assert audit_context(request) == {
        "organization": organization,
        "actor": coordinator,
        "request_id": "abc-123script",
    }


def test_deleting_a_person_keeps_their_events_with_their_name(organization, group):
    person = f.PersonFactory(display_name="Leaving Lise")
    record_change(
        organization=organization, actor=person, action="group.updated", obj=group, changes={}
    )
    person.delete()
    event = AuditEvent.objects.get()
    assert (event.actor, event.actor_label) == (None, "Leaving Lise")


def test_pseudonymise_actor_replaces_the_name_in_every_organization(
    organization, other_organization, group
):
    person = f.PersonFactory(display_name="Erased Emil")
    other_group = f.GroupFactory(organization=other_organization)
    for org, obj in ((organization, group), (other_organization, other_group)):
        record_change(organization=org, actor=person, action="group.updated", obj=obj, changes={})
    bystander = record_change(
        organization=organization, actor=None, action="group.ended", obj=group, changes={}
    )

    assert pseudonymise_actor(person=person) == 2

    labels = set(AuditEvent.objects.exclude(pk=bystander.pk).values_list("actor_label", flat=True))
    assert len(labels) == 1
    (label,) = labels
    assert label.startswith("erased person ")
    assert "Emil" not in label
    assert not AuditEvent.objects.filter(actor=person).exists()
