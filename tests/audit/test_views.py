"""The audit log page for the organization's administrators."""

import datetime as dt

import pytest
from django.urls import reverse

from kreds.audit.models import AuditEvent
from kreds.audit.services import record_change, record_read
from kreds.groups.models import GroupMembership
from tests import factories as f

pytestmark = pytest.mark.usefixtures("audit_urls")


def url(organization, **query) -> str:
    base = reverse("audit:list", kwargs={"org": organization.slug})
    return base + (
        "?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else ""
    )


def group_updated(organization, group, actor, **changes):
    return record_change(
        organization=organization, actor=actor, action="group.updated", obj=group, changes=changes
    )


def test_audit_log_lists_events_with_personal_values_hidden(
    admin_client_org, organization, coordinator, participant, group
):
    group_updated(organization, group, coordinator, status=("forming", "running"))
    record_change(
        organization=organization,
        actor=coordinator,
        action="person.updated",
        obj=participant,
        changes={"email": ("pia@example.org", "pia@example.net")},
    )
    membership = GroupMembership.objects.get(person=participant)
    record_read(organization=organization, actor=coordinator, obj=membership, fields=["person"])

    content = admin_client_org.get(url(organization)).content.decode()

    assert "<h1>Audit log</h1>" in content
    assert "Coordinator Karen" in content
    assert "group.updated" in content
    assert "person.updated" in content
    assert "Sorggruppe tirsdag" in content
    assert "forming → running" in content
    assert "changed (hidden)" in content
    assert "Viewed: person" in content
    assert "pia@example" not in content
    assert "Participant Pia" not in content


def test_audit_log_never_shows_another_organizations_events(
    admin_client_org, organization, other_organization, other_coordinator
):
    other_group = f.GroupFactory(organization=other_organization, name="Norsk sorggruppe")
    group_updated(other_organization, other_group, other_coordinator)
    content = admin_client_org.get(url(organization)).content.decode()
    assert "Norsk sorggruppe" not in content
    assert "Other Ola" not in content
    assert "The audit log is empty so far." in content


@pytest.mark.parametrize("persona", ["coordinator", "participant", "starter", "other_coordinator"])
def test_audit_log_is_not_found_for_anyone_but_admins(request, client, organization, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url(organization)).status_code == 404


def test_audit_log_sends_anonymous_visitors_to_log_in(client, organization):
    response = client.get(url(organization))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_audit_log_of_another_organization_is_not_found_for_our_admin(
    admin_client_org, other_organization
):
    assert admin_client_org.get(url(other_organization)).status_code == 404


def test_audit_log_filters_by_action(admin_client_org, organization, group, coordinator):
    group_updated(organization, group, coordinator, name=("Old name", "New name"))
    record_change(
        organization=organization, actor=coordinator, action="group.ended", obj=group, changes={}
    )
    content = admin_client_org.get(url(organization, action="group.ended")).content.decode()
    assert "group.ended" in content
    assert "Old name" not in content
    assert "Entries matching the filter" in content


def test_audit_log_filters_by_date(admin_client_org, organization, group):
    for day in (1, 2):
        AuditEvent.objects.create(
            organization=organization,
            action=f"group.day_{'one' if day == 1 else 'two'}",
            object_type="groups.group",
            object_id=str(group.pk),
            created_at=dt.datetime(2026, 10, day, 10, 0, tzinfo=dt.UTC),
        )
    content = admin_client_org.get(
        url(organization, since="2026-10-02", until="2026-10-02")
    ).content.decode()
    assert "group.day_two" in content
    assert "group.day_one</code>" not in content


@pytest.mark.parametrize(
    "query",
    [
        {"action": "nonsense"},
        {"since": "yesterday"},
        {"until": "9999-12-31"},
        {"since": "0001-01-01"},
        {"page": "abc"},
        {"page": "-4"},
        {"action": "<script>", "page": "999999999999999999999"},
    ],
)
def test_audit_log_ignores_nonsense_filters(
    admin_client_org, organization, group, coordinator, query
):
    group_updated(organization, group, coordinator)
    response = admin_client_org.get(url(organization, **query))
    assert response.status_code == 200
    assert "group.updated" in response.content.decode()


def test_audit_log_pages_through_many_events(admin_client_org, organization, group):
    AuditEvent.objects.bulk_create(
        AuditEvent(
            organization=organization,
            action="group.updated",
            object_type="groups.group",
            object_id=str(group.pk),
        )
        for _ in range(51)
    )
    first = admin_client_org.get(url(organization)).content.decode()
    second = admin_client_org.get(url(organization, page=2)).content.decode()
    assert "Page 1 of 2" in first
    assert "Older entries" in first
    assert "Page 2 of 2" in second
    assert "Newer entries" in second
    assert second.count("<code>group.updated</code>") == 1


@pytest.mark.parametrize("rows", [1, 3])
def test_audit_log_query_count_is_constant(
    admin_client_org, organization, group, coordinator, django_assert_num_queries, rows
):
    for _ in range(rows):
        group_updated(organization, group, coordinator, status=("forming", "running"))
    with django_assert_num_queries(11):
        admin_client_org.get(url(organization))


def test_audit_log_names_a_read_of_a_reverse_relation_by_the_other_model(
    admin_client_org, organization, coordinator, group
):
    record_read(organization=organization, actor=coordinator, obj=group, fields=["memberships"])
    response = admin_client_org.get(url(organization))
    assert response.status_code == 200
    assert "group memberships" in response.content.decode().lower()
