"""An organization admin logs a person with a role out everywhere (ASVS 7.4.5).

A coordinator lost a phone: the admin ends all of the coordinator's sessions, after
confirming it is them; the phone's next request is logged out. Only people with a role
in the admin's own organization; anyone else is 404.
"""

import pytest
from django.test import Client
from django.urls import reverse

from kreds.audit.models import AuditEvent, SignInEvent, SignInKind
from kreds.organizations.models import RoleKind
from tests import factories as f
from tests.organizations.test_roles import logged_in, reauthenticate, url

REQUEST_ID = "req-end-sessions"


def end_url(organization, person) -> str:
    return url("organizations:person_end_sessions", organization, pk=person.pk)


@pytest.fixture
def admin(admin_client_org):
    reauthenticate(admin_client_org)
    return admin_client_org


def is_logged_in(client: Client) -> bool:
    return client.get(reverse("people:my_page")).status_code == 200


def test_admin_ends_every_session_of_a_coordinator_and_it_is_audited(
    admin, organization, org_admin, coordinator
):
    phone, laptop = logged_in(coordinator), logged_in(coordinator)
    bystander = f.PersonFactory()
    elsewhere = logged_in(bystander)
    assert is_logged_in(phone)
    assert is_logged_in(laptop)

    response = admin.post(end_url(organization, coordinator), HTTP_X_REQUEST_ID=REQUEST_ID)

    assert response["Location"] == url("organizations:people_list", organization)
    assert not is_logged_in(phone)
    assert not is_logged_in(laptop)
    assert is_logged_in(elsewhere)
    assert is_logged_in(admin)
    (event,) = AuditEvent.objects.filter(action="person.sessions_ended")
    assert (event.organization, event.actor, event.object_id) == (
        organization,
        org_admin,
        str(coordinator.pk),
    )
    assert event.request_id == REQUEST_ID
    ended = SignInEvent.objects.get(kind=SignInKind.SESSIONS_ENDED)
    assert ended.person == coordinator
    page = logged_in(coordinator).get(reverse("security:overview")).content.decode()
    assert "Logged out everywhere by an administrator" in page


def test_get_only_asks_to_confirm(admin, organization, coordinator):
    phone = logged_in(coordinator)

    page = admin.get(end_url(organization, coordinator))

    assert page.status_code == 200
    assert "Coordinator Karen" in page.content.decode()
    assert 'method="post"' in page.content.decode()
    assert is_logged_in(phone)
    assert not AuditEvent.objects.filter(action="person.sessions_ended").exists()


def test_admin_confirms_it_is_them_first(admin_client_org, organization, coordinator):
    phone = logged_in(coordinator)

    response = admin_client_org.post(end_url(organization, coordinator))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert is_logged_in(phone)


def test_people_list_offers_the_action_to_admins_only(admin_client_org, organization, coordinator):
    address = end_url(organization, coordinator)
    people = url("organizations:people_list", organization)
    assert address in admin_client_org.get(people).content.decode()
    assert address not in logged_in(coordinator).get(people).content.decode()


def test_coordinator_cannot_end_sessions(organization, coordinator, org_admin):
    admin_phone = logged_in(org_admin)

    response = logged_in(coordinator).post(end_url(organization, org_admin))

    assert response.status_code == 404
    assert is_logged_in(admin_phone)


def test_person_of_another_organization_or_without_a_role_is_404(
    admin, organization, other_coordinator, participant
):
    for person in (other_coordinator, participant):
        device = logged_in(person)

        assert admin.get(end_url(organization, person)).status_code == 404
        assert admin.post(end_url(organization, person)).status_code == 404
        assert is_logged_in(device)
    assert not AuditEvent.objects.filter(action="person.sessions_ended").exists()


def test_admin_of_both_organizations_cannot_reach_across_in_the_url(
    client, organization, other_organization, other_coordinator
):
    both = f.PersonFactory()
    for org in (organization, other_organization):
        f.RoleFactory(organization=org, person=both, kind=RoleKind.ADMIN)
    client.force_login(both)
    reauthenticate(client)

    assert client.post(end_url(organization, other_coordinator)).status_code == 404
    assert client.post(end_url(other_organization, other_coordinator)).status_code == 302


def test_admin_ending_their_own_sessions_is_logged_out_here_too(admin, organization, org_admin):
    other_device = logged_in(org_admin)

    response = admin.post(end_url(organization, org_admin))

    assert response["Location"] == reverse("account_login")
    assert not is_logged_in(admin)
    assert not is_logged_in(other_device)
