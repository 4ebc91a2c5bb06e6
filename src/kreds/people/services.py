"""Writes a person makes about themselves. Each change goes to the audit log, masked."""

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from kreds.audit.services import record_saved, stored_snapshot
from kreds.organizations.services import assign
from kreds.people.models import Person

PROFILE_FIELDS = (
    "display_name",
    "preferred_language",
    "birth_year",
    "gender",
    "municipality",
    "phone",
)


@transaction.atomic
def update_profile(
    *, person: Person, data: Mapping[str, Any], by: Person, request_id: str = ""
) -> Person:
    """Save a person's own details; audited (every value masked) when something changed.

    The event belongs to no organization: a profile is the person's, not a centre's.
    """
    before = stored_snapshot(person, PROFILE_FIELDS)
    assign(person, data, PROFILE_FIELDS)
    person.save(update_fields=[name for name in PROFILE_FIELDS if name in data])
    record_saved(
        organization=None,
        actor=by,
        action="person.profile_updated",
        obj=person,
        before=before,
        fields=PROFILE_FIELDS,
        request_id=request_id,
    )
    return person
