"""Writes a person makes about themselves. Each change goes to the audit log, masked."""

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from kreds.audit.services import record_saved, stored_snapshot
from kreds.organizations.services import assign
from kreds.people.models import Person
from kreds.privacy.library_rows import person_sessions

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


def end_all_sessions(person: Person) -> int:
    """Log the person out everywhere: their next request, on any device, is anonymous.

    Ends the sessions of allauth's session list (which also removes them from the session
    store) and any other stored session of the person. Returns how many sessions ended.
    Side effects: deletes Session and UserSession rows.
    """
    from allauth.usersessions.adapter import get_adapter
    from allauth.usersessions.models import UserSession

    listed = list(UserSession.objects.filter(user=person))
    get_adapter().end_sessions(listed)
    ended = {session.session_key for session in listed}
    for session in person_sessions(person):
        ended.add(session.session_key)
        session.delete()
    return len(ended)
