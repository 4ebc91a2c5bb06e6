"""Shared fixtures: an organization with one person in every role, and a second organization.

Tenant-owned rows are created with scopes disabled; views run inside the scope the
middleware sets, as in production.

`client.force_login(person)` stands for a login that already happened in full: for a
coordinator or admin that includes the second step (an authenticator app, made with
`factories.TOTP_SECRET` when missing), recorded in the session the way allauth records
it. Tests of the second step itself ask for the `plain_force_login` fixture.
"""

import time

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.internal.userkit import user_id_to_str
from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.http import HttpRequest
from django_scopes import scopes_disabled

from kreds.core.auth import SESSION_TRACKED
from kreds.groups.models import GroupStatus, MembershipRole
from kreds.organizations.models import RoleKind
from kreds.organizations.queries import holds_staff_role
from tests import factories as f

FORCED_LOGIN_UID = "kreds-tests-forced-login"
# allauth keeps the owner of the authentication log beside it (allauth.account.internal.flows.login)
AUTHENTICATION_USER_SESSION_KEY = "account_authentication_methods_user"


@pytest.fixture(autouse=True)
def _no_scope_in_setup():
    """Fixtures and test bodies may create and read any rows; requests still run scoped."""
    with scopes_disabled():
        yield


def complete_login(session, person) -> None:
    """Record in `session` a password login and, for staff, a second step with an app code."""
    now = time.time()
    records = [{"method": "password", "at": now, "email": person.email}]
    if holds_staff_role(person) or person.is_superuser:
        authenticator = f.give_totp(person)
        records.append({"method": "mfa", "at": now, "id": authenticator.pk, "type": "totp"})
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session[AUTHENTICATION_USER_SESSION_KEY] = user_id_to_str(person)
    session[SESSION_TRACKED] = int(now)  # as if the session list had just recorded it


def _complete_forced_login(sender, request, user, **kwargs) -> None:
    # force_login builds a bare HttpRequest; a login through a view has a real request.
    if type(request) is HttpRequest:
        with scopes_disabled():
            complete_login(request.session, user)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and used one-time codes live in the cache: none carry over."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _forced_login_is_complete():
    user_logged_in.connect(_complete_forced_login, dispatch_uid=FORCED_LOGIN_UID)
    yield
    user_logged_in.disconnect(dispatch_uid=FORCED_LOGIN_UID)


@pytest.fixture
def plain_force_login():
    """force_login records nothing but the login itself: no second step."""
    user_logged_in.disconnect(dispatch_uid=FORCED_LOGIN_UID)


@pytest.fixture
def organization(db):
    return f.OrganizationFactory(
        name="Selvhjælp Herning", slug="herning", languages=["da", "en", "nb"]
    )


@pytest.fixture
def other_organization(db):
    return f.OrganizationFactory(
        name="Selvhjelp Norge",
        slug="norge",
        country="NO",
        languages=["nb", "en"],
        time_zone="Europe/Oslo",
    )


@pytest.fixture
def topic(organization):
    return f.TopicFactory(organization=organization)


@pytest.fixture
def age_band(organization):
    return f.AgeBandFactory(organization=organization)


@pytest.fixture
def venue(organization):
    return f.VenueFactory(organization=organization)


@pytest.fixture
def group(organization, topic, age_band, venue):
    return f.GroupFactory(
        organization=organization,
        topic=topic,
        age_band=age_band,
        venue=venue,
        status=GroupStatus.RUNNING,
        name="Sorggruppe tirsdag",
    )


@pytest.fixture
def participant(group):
    """A person in the group, with no role in the organization."""
    person = f.PersonFactory(display_name="Participant Pia")
    f.GroupMembershipFactory(group=group, person=person)
    return person


@pytest.fixture
def starter(organization, group):
    person = f.PersonFactory(display_name="Starter Søren")
    f.RoleFactory(organization=organization, person=person, kind=RoleKind.STARTER)
    f.GroupMembershipFactory(group=group, person=person, role=MembershipRole.STARTER)
    return person


@pytest.fixture
def coordinator(organization):
    person = f.PersonFactory(display_name="Coordinator Karen")
    f.RoleFactory(organization=organization, person=person, kind=RoleKind.COORDINATOR)
    f.give_totp(person)
    return person


@pytest.fixture
def org_admin(organization):
    person = f.PersonFactory(display_name="Admin Anders")
    f.RoleFactory(organization=organization, person=person, kind=RoleKind.ADMIN)
    f.give_totp(person)
    return person


@pytest.fixture
def other_coordinator(other_organization):
    """A coordinator of another organization: sees nothing of ours."""
    person = f.PersonFactory(display_name="Other Ola")
    f.RoleFactory(organization=other_organization, person=person, kind=RoleKind.COORDINATOR)
    f.give_totp(person)
    return person


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def admin_client_org(client, org_admin):
    client.force_login(org_admin)
    return client
