"""Writes about groups in the coordinator area: creating a group and changing its facts.

`by` is the person acting and `request_id` the request's id: both go to the audit log
with the change (values masked by data class), in the same transaction.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kreds.audit.services import record_saved, snapshot, stored_snapshot
from kreds.groups.models import (
    ConfidentialityDeclaration,
    Group,
    GroupMembership,
    GroupStatus,
    MembershipRole,
)
from kreds.organizations.models import Organization
from kreds.organizations.services import assign

GROUP_FIELDS = (
    "name",
    "topic",
    "age_band",
    "status",
    "is_open_for_newcomers",
    "min_size",
    "max_size",
    "cadence",
    "is_self_organized",
    "venue",
    "public_description",
    "started_on",
    "ended_on",
)


def _foreign_choice_messages() -> dict[str, str]:
    return {
        "topic": _("Choose one of this organization's topics."),
        "age_band": _("Choose one of this organization's age bands."),
        "venue": _("Choose one of this organization's venues."),
    }


def validate_group_data(*, organization: Organization, data: Mapping[str, Any]) -> None:
    """The rules for a group's facts. Raises ValidationError naming the fields at fault.

    Topic, age band and venue must be the organization's own; the smallest size may not
    exceed the largest (an empty size falls back to the organization's setting); an ended
    group has an end date, and no group ends before it started.
    """
    errors: dict[str, ValidationError] = {}
    for name, message in _foreign_choice_messages().items():
        chosen = data.get(name)
        if chosen is not None and chosen.organization_id != organization.pk:
            errors[name] = ValidationError(message)
    size_error = _size_error(organization, data.get("min_size"), data.get("max_size"))
    if size_error:
        errors.update(size_error)
    errors.update(_date_errors(data))
    if errors:
        raise ValidationError(errors)


def _size_error(organization: Organization, min_size, max_size) -> dict[str, ValidationError]:
    smallest = min_size or organization.group_min_size
    largest = max_size or organization.group_max_size
    if smallest <= largest:
        return {}
    params = {"min": smallest, "max": largest}
    if max_size:
        message = _("The largest size cannot be smaller than the smallest size (%(min)s).")
        return {"max_size": ValidationError(message, params=params)}
    message = _(
        "The smallest size cannot be larger than the organization's largest group "
        "(%(max)s). Lower it, or set a largest size for this group."
    )
    return {"min_size": ValidationError(message, params=params)}


def _date_errors(data: Mapping[str, Any]) -> dict[str, ValidationError]:
    started_on, ended_on = data.get("started_on"), data.get("ended_on")
    if data.get("status") == GroupStatus.ENDED and not ended_on:
        return {"ended_on": ValidationError(_("Enter the date the group ended."))}
    if started_on and ended_on and ended_on < started_on:
        return {"ended_on": ValidationError(_("A group cannot end before it started."))}
    return {}


@transaction.atomic
def create_group(
    *, organization: Organization, data: Mapping[str, Any], by, request_id: str = ""
) -> Group:
    """Create a group in the organization after checking the rules.

    Saves one Group row and one audit event.
    """
    validate_group_data(organization=organization, data=data)
    group = Group(organization=organization)
    assign(group, data, GROUP_FIELDS)
    group.save()
    record_saved(
        organization=organization,
        actor=by,
        action="group.created",
        obj=group,
        before={},
        fields=GROUP_FIELDS,
        request_id=request_id,
    )
    return group


@transaction.atomic
def update_group(*, group: Group, data: Mapping[str, Any], by, request_id: str = "") -> Group:
    """Change a group's facts after checking the rules against its organization.

    Saves the group and, when something changed, one audit event.
    """
    merged = {name: getattr(group, name) for name in GROUP_FIELDS} | dict(data)
    validate_group_data(organization=group.organization, data=merged)
    before = stored_snapshot(group, GROUP_FIELDS)
    assign(group, data, GROUP_FIELDS)
    group.save()
    record_saved(
        organization=group.organization,
        actor=by,
        action="group.updated",
        obj=group,
        before=before,
        fields=GROUP_FIELDS,
        request_id=request_id,
    )
    return group


# --- Places in a group and the confidentiality declaration ---------------------------------

MEMBERSHIP_FIELDS = ("group", "person", "role", "joined_on", "left_on")
# The declaration's words come with the group start-up pages; bump this when they change.
DECLARATION_VERSION = "2026-1"


class GroupFull(ValidationError):
    """The group already holds as many participants as it may."""

    def __init__(self, group: Group) -> None:
        super().__init__(_("This group has no free places left."), code="group_full")
        self.group = group


@transaction.atomic
def add_participant(*, group: Group, person, by, request_id: str = "") -> GroupMembership:
    """Give `person` a participant's place in `group` if one is free.

    Locks the group row first (SELECT ... FOR UPDATE), so requests for the last places
    are served one after another: each counts the places the ones before it took.
    Raises GroupFull when the group holds `effective_max_size` participants, and
    ValidationError when the group has ended or the person is in it already.
    Side effects: one GroupMembership row and one audit event.
    """
    locked = Group.objects.select_for_update().get(pk=group.pk)
    current = GroupMembership.objects.filter(group=locked, left_on__isnull=True)
    if locked.status == GroupStatus.ENDED:
        raise ValidationError(_("This group has ended."), code="group_ended")
    if current.filter(person=person).exists():
        raise ValidationError(_("This person is in the group already."), code="already_member")
    if current.filter(role=MembershipRole.PARTICIPANT).count() >= locked.effective_max_size:
        raise GroupFull(locked)
    membership = GroupMembership.objects.create(
        group=locked,
        person=person,
        role=MembershipRole.PARTICIPANT,
        joined_on=timezone.localdate(),
    )
    record_saved(
        organization=locked.organization,
        actor=by,
        action="membership.created",
        obj=membership,
        before={},
        fields=MEMBERSHIP_FIELDS,
        request_id=request_id,
    )
    return membership


@transaction.atomic
def end_membership(
    *, membership: GroupMembership, by, on=None, request_id: str = ""
) -> GroupMembership:
    """Record that the member left the group on `on` (today by default).

    From the next request on, the person no longer counts as a member: they lose sight
    of the other members' names and the group leaves their page. Ending an ended
    membership changes nothing. Side effects: the membership's left_on, one audit event.
    """
    membership = GroupMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.left_on is not None:
        return membership
    left_on = on or timezone.localdate()
    if left_on < membership.joined_on:
        raise ValidationError(_("A member cannot leave before joining."), code="left_early")
    before = snapshot(membership, MEMBERSHIP_FIELDS)
    membership.left_on = left_on
    membership.save(update_fields=["left_on", "updated_at"])
    record_saved(
        organization=membership.group.organization,
        actor=by,
        action="membership.ended",
        obj=membership,
        before=before,
        fields=MEMBERSHIP_FIELDS,
        request_id=request_id,
    )
    return membership


@transaction.atomic
def sign_declaration(
    *, membership: GroupMembership, request_id: str = ""
) -> ConfidentialityDeclaration:
    """The member signs the current confidentiality declaration for this membership.

    Only a current membership can sign; signing twice keeps the first signature.
    Side effects: one ConfidentialityDeclaration row and one audit event (the first time).
    """
    if not membership.is_current:
        raise ValidationError(_("Only a current member can sign."), code="not_member")
    declaration, created = ConfidentialityDeclaration.objects.get_or_create(
        membership=membership, text_version=DECLARATION_VERSION
    )
    if created:
        record_saved(
            organization=membership.group.organization,
            actor=membership.person,
            action="declaration.signed",
            obj=declaration,
            before={},
            fields=("membership", "text_version", "signed_at"),
            request_id=request_id,
        )
    return declaration
