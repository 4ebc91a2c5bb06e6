"""Shared fixtures: an organization with one person in every role, and a second organization.

Tenant-owned rows are created with scopes disabled; views run inside the scope the
middleware sets, as in production.
"""

import pytest
from django_scopes import scopes_disabled

from kreds.groups.models import GroupStatus, MembershipRole
from kreds.organizations.models import RoleKind
from tests import factories as f


@pytest.fixture(autouse=True)
def _no_scope_in_setup():
    """Fixtures and test bodies may create and read any rows; requests still run scoped."""
    with scopes_disabled():
        yield


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
    return person


@pytest.fixture
def org_admin(organization):
    person = f.PersonFactory(display_name="Admin Anders")
    f.RoleFactory(organization=organization, person=person, kind=RoleKind.ADMIN)
    return person


@pytest.fixture
def other_coordinator(other_organization):
    """A coordinator of another organization: sees nothing of ours."""
    person = f.PersonFactory(display_name="Other Ola")
    f.RoleFactory(organization=other_organization, person=person, kind=RoleKind.COORDINATOR)
    return person


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def admin_client_org(client, org_admin):
    client.force_login(org_admin)
    return client
