"""Role management: administrators give and remove roles, after confirming it is them."""

import time

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from kreds.audit.models import AuditEvent
from kreds.organizations.models import Role, RoleKind
from kreds.organizations.role_services import NO_ACCOUNT
from tests import factories as f


def url(name: str, organization, **kwargs) -> str:
    return reverse(name, kwargs={"org": organization.slug, **kwargs})


def reauthenticate(client) -> None:
    response = client.post(reverse("account_reauthenticate"), {"password": f.PASSWORD})
    assert response.status_code == 302


@pytest.fixture
def admin(admin_client_org):
    """The organization admin's client, with the password confirmed a moment ago."""
    reauthenticate(admin_client_org)
    return admin_client_org


def grant(client, organization, email: str, kind: str = RoleKind.COORDINATOR):
    return client.post(
        url("organizations:role_grant", organization), {"email": email, "kind": kind}
    )


def logged_in(person) -> Client:
    """A client of its own: the `client` fixture is shared by admin_client_org and others."""
    client = Client()
    client.force_login(person)
    return client


def test_people_list_offers_role_changes_to_admins_only(
    admin_client_org, organization, coordinator
):
    people_url = url("organizations:people_list", organization)
    grant_url = url("organizations:role_grant", organization)
    assert grant_url in admin_client_org.get(people_url).content.decode()
    for_coordinator = logged_in(coordinator).get(people_url).content.decode()
    assert grant_url not in for_coordinator
    assert "/remove/" not in for_coordinator


def test_grant_form_asks_for_the_password_first_then_comes_back(admin_client_org, organization):
    form_url = url("organizations:role_grant", organization)

    response = admin_client_org.get(form_url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    answer = admin_client_org.post(response["Location"], {"password": f.PASSWORD})
    assert answer["Location"] == form_url
    assert admin_client_org.get(form_url).status_code == 200


def test_admin_gives_a_coordinator_role_by_email_and_it_is_audited(admin, organization, org_admin):
    person = f.PersonFactory(display_name="Nye Nanna", email="nanna@example.org")

    response = grant(admin, organization, "Nanna@Example.org")

    assert response["Location"] == url("organizations:people_list", organization)
    assert Role.objects.filter(
        organization=organization, person=person, kind="coordinator"
    ).exists()
    event = AuditEvent.objects.get(action="role.granted")
    assert (event.actor, event.organization) == (org_admin, organization)
    assert "Nye Nanna" in admin.get(response["Location"]).content.decode()


def test_unknown_unconfirmed_and_closed_accounts_get_one_and_the_same_answer(
    admin, organization, other_organization
):
    f.PersonFactory(email="unconfirmed@example.org", verified=False)
    f.PersonFactory(email="closed@example.org", is_active=False)

    answers = [
        grant(admin, organization, email).content.decode()
        for email in ("nobody@example.org", "unconfirmed@example.org", "closed@example.org")
    ]

    assert all(str(NO_ACCOUNT) in answer for answer in answers)
    assert all(other_organization.name not in answer for answer in answers)
    assert not Role.objects.filter(
        person__email__in=["unconfirmed@example.org", "closed@example.org"]
    ).exists()


def test_someone_from_another_organization_gets_the_role_without_learning_more(
    admin, organization, other_coordinator, other_organization
):
    """Accounts are shared: the role is given, and nothing about the other place is shown."""
    response = grant(admin, organization, other_coordinator.email, RoleKind.STARTER)

    page = admin.get(response["Location"]).content.decode()
    assert Role.objects.filter(organization=organization, person=other_coordinator).exists()
    assert other_organization.name not in page


def test_giving_a_role_twice_says_so_and_changes_nothing(admin, organization, coordinator):
    response = grant(admin, organization, coordinator.email, RoleKind.COORDINATOR)
    assert "already holds that role" in response.content.decode()
    assert Role.objects.filter(organization=organization, person=coordinator).count() == 1


def test_nonsense_role_kind_is_a_form_error(admin, organization, participant):
    response = grant(admin, organization, participant.email, "emperor")
    assert response.status_code == 200
    assert not Role.objects.filter(person=participant).exists()


def test_post_after_the_confirmation_expired_asks_again_and_saves_nothing(
    admin, organization, participant, monkeypatch
):
    later = time.time() + 6 * 60
    monkeypatch.setattr(time, "time", lambda: later)

    response = grant(admin, organization, participant.email)

    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not Role.objects.filter(person=participant).exists()


def test_removed_role_stops_working_on_the_next_request(admin, organization, coordinator):
    coordinator_client = logged_in(coordinator)
    role = Role.objects.get(organization=organization, person=coordinator)
    assert (
        coordinator_client.get(url("organizations:manage_dashboard", organization)).status_code
        == 200
    )

    response = admin.post(url("organizations:role_remove", organization, pk=role.pk))

    assert response["Location"] == url("organizations:people_list", organization)
    assert (
        coordinator_client.get(url("organizations:manage_dashboard", organization)).status_code
        == 404
    )
    assert AuditEvent.objects.filter(action="role.removed", object_id=str(role.pk)).exists()


def test_the_last_admin_cannot_be_removed(admin, organization, org_admin):
    role = Role.objects.get(organization=organization, person=org_admin, kind=RoleKind.ADMIN)

    response = admin.post(url("organizations:role_remove", organization, pk=role.pk))

    assert response.status_code == 200
    assert "only administrator" in response.content.decode()
    assert Role.objects.filter(pk=role.pk).exists()


def test_admin_removing_their_own_admin_role_lands_on_my_page(admin, organization, org_admin):
    f.RoleFactory(organization=organization, kind=RoleKind.ADMIN)
    role = Role.objects.get(organization=organization, person=org_admin, kind=RoleKind.ADMIN)

    response = admin.post(url("organizations:role_remove", organization, pk=role.pk))

    assert response["Location"] == reverse("people:my_page")
    assert admin.get(url("organizations:people_list", organization)).status_code == 404


def test_newly_given_staff_role_asks_for_two_step_setup(admin, organization, participant):
    participant_client = logged_in(participant)
    grant(admin, organization, participant.email)

    response = participant_client.get(url("organizations:manage_dashboard", organization))

    assert response["Location"] == reverse("security:overview")


def test_confirmation_page_names_the_person_and_role(admin, organization, starter):
    role = Role.objects.get(organization=organization, person=starter)
    page = admin.get(url("organizations:role_remove", organization, pk=role.pk)).content.decode()
    assert "Starter Søren" in page
    assert EmailAddress.objects.filter(user=starter).exists()
