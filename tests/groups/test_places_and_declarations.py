"""Places in a group, leaving it, and the confidentiality declaration that gates names."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from kreds.audit.models import MASK, AuditEvent
from kreds.groups.models import ConfidentialityDeclaration, GroupMembership, GroupStatus
from kreds.groups.queries import visible_member_names
from kreds.groups.services import (
    DECLARATION_VERSION,
    GroupFull,
    add_participant,
    end_membership,
    sign_declaration,
)
from kreds.organizations.models import RoleKind
from tests import factories as f


def membership_of(person, group):
    return GroupMembership.objects.get(person=person, group=group, left_on__isnull=True)


@pytest.fixture
def fellow(group):
    person = f.PersonFactory(display_name="Fellow Frida")
    f.GroupMembershipFactory(group=group, person=person)
    return person


# --- add_participant -----------------------------------------------------------------------


def test_add_participant_creates_membership_and_audit_event(group, coordinator):
    person = f.PersonFactory()
    membership = add_participant(group=group, person=person, by=coordinator)
    assert (membership.group, membership.person, membership.left_on) == (group, person, None)
    event = AuditEvent.objects.get(action="membership.created", object_id=str(membership.pk))
    assert event.actor == coordinator
    assert event.changes["person"] == [MASK, MASK]


def test_add_participant_refuses_when_group_is_full(group, coordinator):
    group.max_size = 2
    group.save()
    for _ in range(2):
        add_participant(group=group, person=f.PersonFactory(), by=coordinator)
    with pytest.raises(GroupFull) as refused:
        add_participant(group=group, person=f.PersonFactory(), by=coordinator)
    assert refused.value.code == "group_full"
    assert GroupMembership.objects.filter(group=group).count() == 2


def test_add_participant_counts_participants_not_starters(group, starter, coordinator):
    group.max_size = 2
    group.save()
    add_participant(group=group, person=f.PersonFactory(), by=coordinator)
    add_participant(group=group, person=f.PersonFactory(), by=coordinator)
    assert GroupMembership.objects.filter(group=group, left_on__isnull=True).count() == 3


def test_add_participant_counts_only_current_members(group, participant, coordinator):
    group.max_size = 2
    group.save()
    end_membership(membership=membership_of(participant, group), by=coordinator)
    add_participant(group=group, person=f.PersonFactory(), by=coordinator)
    add_participant(group=group, person=f.PersonFactory(), by=coordinator)
    with pytest.raises(GroupFull):
        add_participant(group=group, person=f.PersonFactory(), by=coordinator)


def test_add_participant_refuses_a_current_member(group, participant, coordinator):
    with pytest.raises(ValidationError) as refused:
        add_participant(group=group, person=participant, by=coordinator)
    assert refused.value.code == "already_member"


def test_add_participant_refuses_an_ended_group(group, coordinator):
    group.status = GroupStatus.ENDED
    group.ended_on = dt.date(2026, 10, 1)
    group.save()
    with pytest.raises(ValidationError) as refused:
        add_participant(group=group, person=f.PersonFactory(), by=coordinator)
    assert refused.value.code == "group_ended"


# --- end_membership ------------------------------------------------------------------------


def test_end_membership_sets_left_on_and_records_it(group, participant, coordinator):
    membership = end_membership(
        membership=membership_of(participant, group), by=coordinator, on=dt.date(2026, 11, 1)
    )
    assert membership.left_on == dt.date(2026, 11, 1)
    assert AuditEvent.objects.filter(
        action="membership.ended", object_id=str(membership.pk)
    ).exists()


def test_end_membership_refuses_a_date_before_joining(group, participant, coordinator):
    with pytest.raises(ValidationError):
        end_membership(
            membership=membership_of(participant, group), by=coordinator, on=dt.date(2020, 1, 1)
        )


# --- The confidentiality declaration gates members' names ----------------------------------


def test_member_who_has_not_signed_sees_no_names(group, participant, fellow):
    assert visible_member_names(group, participant) == []


def test_member_who_signed_sees_every_current_member(group, participant, fellow):
    sign_declaration(membership=membership_of(participant, group))
    assert sorted(visible_member_names(group, participant)) == ["Fellow Frida", "Participant Pia"]


def test_signing_records_version_and_audit_event(group, participant):
    declaration = sign_declaration(membership=membership_of(participant, group))
    assert declaration.text_version == DECLARATION_VERSION
    event = AuditEvent.objects.get(action="declaration.signed")
    assert event.actor == participant


def test_signing_twice_keeps_one_declaration(group, participant):
    membership = membership_of(participant, group)
    first = sign_declaration(membership=membership)
    assert sign_declaration(membership=membership) == first
    assert ConfidentialityDeclaration.objects.count() == 1


def test_former_member_cannot_sign(group, participant, coordinator):
    membership = end_membership(membership=membership_of(participant, group), by=coordinator)
    with pytest.raises(ValidationError):
        sign_declaration(membership=membership)


def test_signature_for_another_group_does_not_count(group, participant, fellow, organization):
    other = f.GroupFactory(organization=organization)
    sign_declaration(membership=f.GroupMembershipFactory(group=other, person=participant))
    assert visible_member_names(group, participant) == []


def test_former_member_loses_sight_of_names(group, participant, fellow, coordinator):
    membership = membership_of(participant, group)
    sign_declaration(membership=membership)
    end_membership(membership=membership, by=coordinator)
    assert visible_member_names(group, participant) == []


def test_rejoining_member_signs_again(group, participant, fellow, coordinator):
    membership = membership_of(participant, group)
    sign_declaration(membership=membership)
    end_membership(membership=membership, by=coordinator)
    add_participant(group=group, person=participant, by=coordinator)
    assert visible_member_names(group, participant) == []


def test_names_leave_out_former_members(group, participant, fellow, coordinator):
    sign_declaration(membership=membership_of(participant, group))
    end_membership(membership=membership_of(fellow, group), by=coordinator)
    assert visible_member_names(group, participant) == ["Participant Pia"]


@pytest.mark.parametrize("persona", ["coordinator", "org_admin"])
def test_staff_of_the_organization_see_names_without_signing(
    request, group, participant, fellow, persona
):
    viewer = request.getfixturevalue(persona)
    assert sorted(visible_member_names(group, viewer)) == ["Fellow Frida", "Participant Pia"]


@pytest.mark.parametrize("persona", ["other_coordinator", "starter"])
def test_staff_elsewhere_and_unsigned_starter_see_no_names(
    request, group, participant, fellow, persona
):
    assert visible_member_names(group, request.getfixturevalue(persona)) == []


def test_admin_of_another_organization_sees_no_names(group, participant, other_organization):
    admin = f.PersonFactory()
    f.RoleFactory(organization=other_organization, person=admin, kind=RoleKind.ADMIN)
    assert visible_member_names(group, admin) == []


def test_anonymous_and_outsiders_see_no_names(group, participant, fellow):
    from django.contrib.auth.models import AnonymousUser

    assert visible_member_names(group, AnonymousUser()) == []
    assert visible_member_names(group, None) == []
    assert visible_member_names(group, f.PersonFactory()) == []
