"""Django's technical admin: organizations and people, for superusers only."""

from django.contrib import admin

from kreds.groups.models import Group
from kreds.organizations.models import Organization, Topic
from kreds.people.models import Person
from tests import factories as f


def test_admin_registers_organization_and_person_only():
    assert admin.site.is_registered(Organization)
    assert admin.site.is_registered(Person)
    assert not admin.site.is_registered(Topic)
    assert not admin.site.is_registered(Group)


def test_admin_superuser_sees_organizations_and_people(client, organization, coordinator):
    superuser = f.PersonFactory(is_superuser=True, is_staff=True, display_name="Root")
    client.force_login(superuser)
    organizations = client.get("/admin/organizations/organization/")
    assert "Selvhjælp Herning" in organizations.content.decode()
    change = client.get(f"/admin/organizations/organization/{organization.pk}/change/")
    assert change.status_code == 200
    people = client.get("/admin/people/person/")
    assert "Coordinator Karen" in people.content.decode()
    person = client.get(f"/admin/people/person/{coordinator.pk}/change/")
    assert person.status_code == 200
    assert 'name="password"' not in person.content.decode()


def test_admin_organization_admin_cannot_open_technical_admin(admin_client_org):
    response = admin_client_org.get("/admin/organizations/organization/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_superuser_without_second_step_is_sent_to_set_one_up(
    client, organization, coordinator, plain_force_login
):
    superuser = f.PersonFactory(is_superuser=True, is_staff=True, display_name="Root")
    client.force_login(superuser)

    response = client.get("/admin/people/person/")

    assert response.status_code == 302
    assert response["Location"] == "/me/security/"
    assert "Coordinator Karen" not in response.content.decode()


def test_admin_superuser_with_app_but_no_code_this_session_is_asked_for_it(
    client, organization, plain_force_login
):
    superuser = f.PersonFactory(is_superuser=True, is_staff=True, display_name="Root")
    f.give_totp(superuser)
    client.force_login(superuser)

    response = client.get("/admin/people/person/")

    assert response.status_code == 302
    assert (
        response["Location"] == "/accounts/2fa/reauthenticate/?next=%2Fadmin%2Fpeople%2Fperson%2F"
    )
