"""Writes about groups in the coordinator area: creating a group and changing its facts.

`by` is the person acting, passed on so an audit log can record who changed what.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kreds.groups.models import Group, GroupStatus
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
def create_group(*, organization: Organization, data: Mapping[str, Any], by) -> Group:
    """Create a group in the organization after checking the rules. Saves one Group row."""
    validate_group_data(organization=organization, data=data)
    group = Group(organization=organization)
    assign(group, data, GROUP_FIELDS)
    group.save()
    return group


@transaction.atomic
def update_group(*, group: Group, data: Mapping[str, Any], by) -> Group:
    """Change a group's facts after checking the rules against its organization."""
    merged = {name: getattr(group, name) for name in GROUP_FIELDS} | dict(data)
    validate_group_data(organization=group.organization, data=merged)
    assign(group, data, GROUP_FIELDS)
    group.save()
    return group
