"""Writes for the municipalities an organization serves (a point each, for travel distances)."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kreds.audit.services import changes_between, record_change, snapshot
from kreds.organizations.models import Municipality, Organization
from kreds.organizations.services import assign

MUNICIPALITY_FIELDS = ("name", "latitude", "longitude", "is_active")


def _check_unique_name(organization: Organization, name: str, pk: int | None) -> None:
    taken = Municipality.objects.filter(organization=organization, name__iexact=name.strip())
    if taken.exclude(pk=pk).exists():
        raise ValidationError({"name": _("This municipality is already on the list.")})


@transaction.atomic
def create_municipality(*, organization: Organization, data: Mapping[str, Any], by) -> Municipality:
    """Add a municipality. Saves one Municipality row and one audit event."""
    _check_unique_name(organization, data.get("name", ""), None)
    municipality = Municipality(organization=organization)
    assign(municipality, data, MUNICIPALITY_FIELDS)
    municipality.save()
    record_change(
        organization=organization,
        actor=by,
        action="municipality.created",
        obj=municipality,
        changes={name: (None, value) for name, value in snapshot(municipality).items()},
    )
    return municipality


@transaction.atomic
def update_municipality(*, municipality: Municipality, data: Mapping[str, Any], by) -> Municipality:
    """Change a municipality's name, point or whether it is in use. One audit event."""
    _check_unique_name(
        municipality.organization, data.get("name", municipality.name), municipality.pk
    )
    # Read afresh: a model form has already put the new values on `municipality`.
    before = snapshot(Municipality.objects.get(pk=municipality.pk))
    assign(municipality, data, MUNICIPALITY_FIELDS)
    municipality.save()
    record_change(
        organization=municipality.organization,
        actor=by,
        action="municipality.updated",
        obj=municipality,
        changes=changes_between(before, snapshot(municipality)),
    )
    return municipality
