"""The public page of one group: enough to decide, nothing about who is in it."""

from kreds.groups.models import GroupStatus
from tests import factories as f


def test_joinable_group_page_shows_facts_not_members(client, organization, venue):
    venue.accessibility_notes = "Step-free entrance from the car park"
    venue.save()
    group = f.GroupFactory(organization=organization, venue=venue, name="Grief on Tuesdays")
    member = f.PersonFactory(display_name="Secret Sigrid")
    f.GroupMembershipFactory(group=group, person=member)

    html = client.get(group.urls.public).content.decode()

    assert "Grief on Tuesdays" in html
    assert "Step-free entrance" in html
    assert "Secret Sigrid" not in html


def test_closed_running_group_is_404(client, group):
    assert group.status == GroupStatus.RUNNING
    assert not group.is_open_for_newcomers
    assert client.get(group.urls.public).status_code == 404


def test_other_organizations_group_under_our_address_is_404(
    client, organization, other_organization
):
    foreign = f.GroupFactory(organization=other_organization)
    assert client.get(f"/{organization.slug}/groups/{foreign.pk}/").status_code == 404


def test_malformed_group_id_is_404(client, organization):
    assert client.get(f"/{organization.slug}/groups/abc/").status_code == 404
