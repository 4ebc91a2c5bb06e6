"""Removing a role or ending a membership takes effect on the very next request.

Roles and memberships are read from the database on every request; nothing about them is
kept in the session. The same logged-in browser is used before and after the change.
"""

import pytest
from django.urls import reverse

from kreds.groups.models import GroupMembership
from kreds.groups.queries import visible_member_names
from kreds.groups.services import end_membership, sign_declaration
from kreds.organizations.models import Role, RoleKind
from kreds.people.models import Person
from tests import factories as f

STAFF_PAGES = ["organizations:manage_dashboard", "groups_manage:list", "organizations:topic_list"]


@pytest.mark.parametrize("page", STAFF_PAGES)
@pytest.mark.parametrize("persona", ["coordinator", "org_admin"])
def test_removed_role_makes_the_next_staff_request_404(
    request, client, organization, persona, page
):
    person = request.getfixturevalue(persona)
    client.force_login(person)
    url = reverse(page, kwargs={"org": organization.slug})
    assert client.get(url).status_code == 200
    Role.objects.filter(person=person, organization=organization).delete()
    assert client.get(url).status_code == 404


def test_removed_admin_role_keeps_coordinator_pages_only(client, organization, org_admin):
    f.RoleFactory(organization=organization, person=org_admin, kind=RoleKind.COORDINATOR)
    client.force_login(org_admin)
    settings_url = reverse("organizations:settings_edit", kwargs={"org": organization.slug})
    dashboard = reverse("organizations:manage_dashboard", kwargs={"org": organization.slug})
    assert client.get(settings_url).status_code == 200
    Role.objects.filter(person=org_admin, kind=RoleKind.ADMIN).delete()
    assert client.get(settings_url).status_code == 404
    assert client.get(dashboard).status_code == 200


def test_removed_role_hides_members_names_at_once(group, participant, coordinator):
    assert "Participant Pia" in visible_member_names(group, coordinator)
    Role.objects.filter(person=coordinator).delete()
    fresh = Person.objects.get(pk=coordinator.pk)  # the next request loads the person anew
    assert visible_member_names(group, fresh) == []


def test_ended_membership_leaves_my_page_on_the_next_request(
    client, group, participant, coordinator
):
    client.force_login(participant)
    my_page = reverse("people:my_page")
    assert group.name in client.get(my_page).content.decode()
    membership = GroupMembership.objects.get(group=group, person=participant)
    end_membership(membership=membership, by=coordinator)
    assert group.name not in client.get(my_page).content.decode()


def test_ended_membership_hides_members_names_at_once(group, participant, coordinator):
    fellow = f.PersonFactory(display_name="Fellow Frida")
    f.GroupMembershipFactory(group=group, person=fellow)
    membership = GroupMembership.objects.get(group=group, person=participant)
    sign_declaration(membership=membership)
    assert "Fellow Frida" in visible_member_names(group, participant)
    end_membership(membership=membership, by=coordinator)
    assert visible_member_names(group, participant) == []
