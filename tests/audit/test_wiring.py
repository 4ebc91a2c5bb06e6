"""Every change made through a page leaves one audit event, with personal values masked.

Each test performs the change as a person would (a POST to the page) and then reads
the event row: who, what, which object, in which organization, and that no personal
value of the change is stored in the clear.
"""

import json

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from kreds.audit.models import MASK, READ_SPECIAL, AuditEvent
from kreds.groups.models import Group, GroupMembership
from kreds.meetings.models import Venue
from kreds.organizations.models import AgeBand, Topic
from kreds.people.models import Person
from tests import factories as f
from tests.core.test_outbox import logged_in
from tests.groups.test_manage_views import group_data
from tests.meetings.test_views import venue_data
from tests.organizations.test_views import age_band_data, settings_data, topic_data

REQUEST_ID = "req-4711"


def url(name: str, organization, **kwargs) -> str:
    return reverse(name, kwargs={"org": organization.slug, **kwargs})


def only_event(action: str) -> AuditEvent:
    (event,) = AuditEvent.objects.filter(action=action)
    return event


def stored(event: AuditEvent) -> str:
    """Everything the event keeps about the change, as one string to search."""
    return json.dumps(event.changes, ensure_ascii=False) + event.object_label


def assert_event(event, *, organization, actor, obj) -> None:
    assert event.organization == organization
    assert event.actor == actor
    assert event.actor_label == actor.display_name
    assert (event.object_type, event.object_id) == (obj._meta.label_lower, str(obj.pk))
    assert event.request_id == REQUEST_ID
    assert event.created_at is not None


def post(client, address: str, data: dict):
    response = client.post(address, data, HTTP_X_REQUEST_ID=REQUEST_ID)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "/manage/" in response["Location"] or "/me/" in response["Location"], response[
        "Location"
    ]
    return response


# Organizations: topics, age bands, settings


def test_topic_create_records_the_new_values(coordinator_client, organization, coordinator):
    post(coordinator_client, url("organizations:topic_create", organization), topic_data())
    event = only_event("topic.created")
    assert_event(
        event,
        organization=organization,
        actor=coordinator,
        obj=Topic.objects.get(organization=organization),
    )
    assert event.changes["name"] == [None, {"da": "Sorg", "en": "Grief", "nb": "Sorg (nb)"}]
    assert event.changes["position"] == [None, 3]


def test_topic_edit_records_old_and_new_value(coordinator_client, organization, coordinator, topic):
    address = url("organizations:topic_edit", organization, pk=topic.pk)
    post(coordinator_client, address, topic_data(is_active=""))
    event = only_event("topic.updated")
    assert_event(event, organization=organization, actor=coordinator, obj=topic)
    assert event.changes["is_active"] == [True, False]
    assert event.object_label == str(Topic.objects.get(pk=topic.pk))


def test_age_band_create_and_edit_are_recorded(coordinator_client, organization, coordinator):
    post(coordinator_client, url("organizations:age_band_create", organization), age_band_data())
    band = AgeBand.objects.get(organization=organization)
    address = url("organizations:age_band_edit", organization, pk=band.pk)
    post(coordinator_client, address, age_band_data(max_age="29"))
    assert_event(
        only_event("age_band.created"), organization=organization, actor=coordinator, obj=band
    )
    event = only_event("age_band.updated")
    assert_event(event, organization=organization, actor=coordinator, obj=band)
    assert event.changes == {"max_age": [24, 29]}


def test_settings_edit_masks_the_contact_persons_details(admin_client_org, organization, org_admin):
    data = settings_data(
        organization,
        daily_leader_name="Hanne Hemmelig",
        contact_email="hanne.hemmelig@example.org",
        contact_phone="+45 99 88 77 66",
    )
    post(admin_client_org, url("organizations:settings_edit", organization), data)
    event = only_event("organization.updated")
    assert_event(event, organization=organization, actor=org_admin, obj=organization)
    assert event.changes["contact_email"] == [MASK, MASK]
    assert event.changes["daily_leader_name"] == [MASK, MASK]
    assert event.changes["name"] == ["Selvhjælp Herning", "Selvhjælp Herning og omegn"]
    for value in ("Hemmelig", "hanne.hemmelig@example.org", "99 88 77 66"):
        assert value not in stored(event)


def test_invalid_change_records_nothing(coordinator_client, organization):
    address = url("organizations:topic_create", organization)
    response = coordinator_client.post(address, topic_data(name_0="", name_1="", name_2=""))
    assert response.status_code == 200
    assert not AuditEvent.objects.exists()


def test_saving_without_a_change_records_nothing(coordinator_client, organization, topic):
    address = url("organizations:topic_edit", organization, pk=topic.pk)
    data = {
        "name_0": topic.name.data["da"],
        "name_1": topic.name.data["en"],
        "name_2": topic.name.data["nb"],
        "description_0": topic.description.data["da"],
        "description_1": topic.description.data["en"],
        "description_2": topic.description.data["nb"],
        "is_active": "on",
        "position": str(topic.position),
    }
    post(coordinator_client, address, data)
    assert not AuditEvent.objects.filter(action="topic.updated").exists()


# Groups


def test_group_create_and_edit_are_recorded(
    coordinator_client, organization, coordinator, topic, age_band, venue
):
    post(
        coordinator_client,
        url("groups_manage:create", organization),
        group_data(topic, age_band, venue),
    )
    group = Group.objects.get(organization=organization)
    post(
        coordinator_client,
        url("groups_manage:edit", organization, pk=group.pk),
        group_data(topic, age_band, venue, status="running", started_on="2026-10-01"),
    )
    created = only_event("group.created")
    assert_event(created, organization=organization, actor=coordinator, obj=group)
    assert created.changes["topic"] == [None, topic.pk]
    updated = only_event("group.updated")
    assert_event(updated, organization=organization, actor=coordinator, obj=group)
    assert updated.changes == {
        "status": ["forming", "running"],
        "started_on": [None, "2026-10-01"],
    }


def test_group_detail_records_that_staff_saw_each_member(
    coordinator_client, organization, coordinator, group, participant, starter
):
    address = url("groups_manage:detail", organization, pk=group.pk)
    response = coordinator_client.get(address, HTTP_X_REQUEST_ID=REQUEST_ID)
    assert "Participant Pia" in response.content.decode()
    events = AuditEvent.objects.filter(action=READ_SPECIAL)
    memberships = GroupMembership.objects.filter(group=group)
    assert sorted(int(e.object_id) for e in events) == sorted(m.pk for m in memberships)
    for event in events:
        assert event.object_type == "groups.groupmembership"
        assert event.changes == {"fields": ["group", "person"]}
        assert (event.organization, event.actor, event.request_id) == (
            organization,
            coordinator,
            REQUEST_ID,
        )
        assert "Pia" not in stored(event)
        assert "Søren" not in stored(event)


def test_group_detail_of_an_empty_group_records_no_read(coordinator_client, organization):
    empty = f.GroupFactory(organization=organization)
    coordinator_client.get(url("groups_manage:detail", organization, pk=empty.pk))
    assert not AuditEvent.objects.exists()


def test_group_detail_refused_to_another_organization_records_nothing(
    client, organization, group, participant, other_coordinator
):
    client.force_login(other_coordinator)
    response = client.get(url("groups_manage:detail", organization, pk=group.pk))
    assert response.status_code == 404
    assert not AuditEvent.objects.exists()


# Meetings: venues


def test_venue_create_and_edit_are_recorded(coordinator_client, organization, coordinator):
    post(coordinator_client, url("meetings:venue_create", organization), venue_data())
    venue = Venue.objects.get(organization=organization)
    post(
        coordinator_client,
        url("meetings:venue_edit", organization, pk=venue.pk),
        venue_data(is_active=""),
    )
    assert_event(
        only_event("venue.created"), organization=organization, actor=coordinator, obj=venue
    )
    updated = only_event("venue.updated")
    assert_event(updated, organization=organization, actor=coordinator, obj=venue)
    assert updated.changes == {"is_active": [True, False]}


# People: a person's own profile


@pytest.mark.parametrize("language", ["en", "da"])
def test_profile_edit_is_recorded_with_every_value_masked(client, participant, language):
    client.force_login(participant)
    data = {
        "display_name": "Pernille Privat",
        "preferred_language": language,
        "birth_year": "1961",
        "gender": "",
        "municipality": "Ikast-Brande",
        "phone": "+45 11 22 33 44",
    }
    post(client, reverse("people:profile_edit"), data)
    event = only_event("person.profile_updated")
    assert event.organization is None
    assert event.actor == participant
    assert (event.object_type, event.object_id) == ("people.person", str(participant.pk))
    assert event.object_label == ""
    changed = {"display_name", "birth_year", "municipality", "phone"}
    if language != "en":
        changed.add("preferred_language")
    assert set(event.changes) == changed
    assert all(values == [MASK, MASK] for values in event.changes.values())
    for value in ("Pernille", "Participant Pia", "1961", "Ikast", "11 22 33 44"):
        assert value not in stored(event)


def test_profile_edit_keeps_the_new_name_for_the_page(client, participant):
    client.force_login(participant)
    response = client.post(
        reverse("people:profile_edit"),
        {"display_name": "Pia", "preferred_language": "en"},
        follow=True,
    )
    assert "Your details are saved." in response.content.decode()
    assert AuditEvent.objects.get(action="person.profile_updated").actor_label == "Pia"


# Accounts: changes made in allauth's pages, recorded without any value


def account_events(person) -> list[str]:
    events = AuditEvent.objects.filter(object_type="people.person", object_id=str(person.pk))
    for event in events:
        assert event.organization is None
        assert event.changes == {}
        assert event.object_label == ""
    return sorted(event.action for event in events)


def test_signup_is_recorded(client, db):
    client.post(
        reverse("account_signup"),
        {
            "email": "ny@example.org",
            "password1": "en lang og god adgangskode",
            "password2": "en lang og god adgangskode",
            "display_name": "Birthe",
            "preferred_language": "da",
        },
    )
    assert account_events(Person.objects.get(email="ny@example.org")) == ["account.signed_up"]


def test_password_and_email_changes_are_recorded_without_values(client, participant):
    logged_in(client, participant)
    client.post(reverse("account_email"), {"email": "pia@example.net", "action_add": ""})
    EmailAddress.objects.filter(email="pia@example.net").update(verified=True)
    client.post(reverse("account_email"), {"email": "pia@example.net", "action_primary": ""})
    new_password = "et helt andet langt kodeord"
    client.post(
        reverse("account_change_password"),
        {
            "oldpassword": f.PASSWORD,
            "password1": new_password,
            "password2": new_password,
        },
    )
    assert account_events(participant) == [
        "account.email_added",
        "account.email_changed",
        "account.password_changed",
    ]
    for event in AuditEvent.objects.all():
        assert "example.net" not in stored(event)
