"""Writing the audit log. Every value is masked by data class before it is stored.

    before = snapshot(group)
    ...change and save the group...
    record_change(
        **audit_context(request), action="group.updated", obj=group,
        changes=changes_between(before, snapshot(group)),
    )

    record_read(**audit_context(request), obj=membership, fields=["group", "person"])

Services use the shorter `record_saved(..., before=stored_snapshot(obj, FIELDS),
fields=FIELDS)` (before={} for a creation); pages that list many people use `record_reads`.
Call `record_read` whenever a page or export shows special-category data to someone
other than the person it is about. The event joins the caller's transaction, so a
change that is rolled back leaves no event behind.
"""

import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django_scopes import scopes_disabled

from kreds.audit.models import ERASED_PREFIX, MASK, READ_SPECIAL, AuditEvent
from kreds.core.data_classes import holds_personal_data, masks
from kreds.organizations.models import Organization

ACTION = re.compile(r"^[a-z][a-z_]*(\.[a-z][a-z_]*)+$")
FIELD_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
REQUEST_ID = re.compile(r"[^A-Za-z0-9._-]")


def record_change(
    *,
    organization: Organization | None,
    actor,
    action: str,
    obj: models.Model,
    changes: Mapping[str, tuple[Any, Any]],
    request_id: str = "",
) -> AuditEvent:
    """Record that `actor` did `action` ("group.updated") to `obj`.

    `changes` maps field names to (old, new); use (None, new) for a creation and
    (old, None) for a deletion. Values of fields that are not of data class "none", and
    of names the registry does not know, are stored as "***", empty or not.
    Side effects: one AuditEvent row.
    """
    model = obj._meta.concrete_model
    masked = {
        _field_name(model, name): [_masked(model, name, old), _masked(model, name, new)]
        for name, (old, new) in changes.items()
    }
    return _record(organization, actor, action, obj, masked, request_id)


def record_read(
    *,
    organization: Organization | None,
    actor,
    obj: models.Model,
    fields: Iterable[str],
    request_id: str = "",
) -> AuditEvent:
    """Record that `actor` was shown special-category `fields` of `obj` (names, no values).

    Side effects: one AuditEvent row with action "special.read".
    """
    names = sorted(set(fields))
    if not names or not all(FIELD_NAME.match(name) for name in names):
        raise ValueError("record_read needs field names, never values.")
    return _record(organization, actor, READ_SPECIAL, obj, {"fields": names}, request_id)


def record_reads(
    *,
    organization: Organization | None,
    actor,
    objs: Iterable[models.Model],
    fields: Iterable[str],
    request_id: str = "",
) -> list[AuditEvent]:
    """`record_read` for many objects shown on one page (a group's members), in one INSERT.

    One event per object, so each person can later see who looked at their data.
    Side effects: one AuditEvent row per object, written with a single query.
    """
    names = sorted(set(fields))
    if not names or not all(FIELD_NAME.match(name) for name in names):
        raise ValueError("record_reads needs field names, never values.")
    events = [
        _event(organization, actor, READ_SPECIAL, obj, {"fields": names}, request_id)
        for obj in objs
    ]
    return AuditEvent.objects.bulk_create(events) if events else []


def audit_context(request) -> dict[str, Any]:
    """organization, actor and request_id of a request, for record_change and record_read."""
    user = getattr(request, "user", None)
    return {
        "organization": getattr(request, "organization", None),
        "actor": user if user is not None and user.is_authenticated else None,
        "request_id": request_id_of(request),
    }


def request_id_of(request) -> str:
    """The proxy's X-Request-ID of a request, reduced to safe characters ("" without one)."""
    return REQUEST_ID.sub("", request.META.get("HTTP_X_REQUEST_ID", ""))[:64]


def record_saved(
    *,
    organization: Organization | None,
    actor,
    action: str,
    obj: models.Model,
    before: Mapping[str, Any],
    fields: Iterable[str],
    request_id: str = "",
) -> AuditEvent | None:
    """Record the difference between `before` (a `snapshot`, {} for a new object) and now.

    For services: take `before = stored_snapshot(obj, FIELDS)` ({} when creating), save, then
    call this. Nothing is recorded when an existing object did not change.
    Side effects: at most one AuditEvent row.
    """
    changes = changes_between(before, snapshot(obj, fields))
    if before and not changes:
        return None
    return record_change(
        organization=organization,
        actor=actor,
        action=action,
        obj=obj,
        changes=changes,
        request_id=request_id,
    )


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The current values of `obj`'s concrete fields (or of `fields`), JSON-safe."""
    wanted = set(fields) if fields is not None else None
    return {
        field.name: _json_safe(field.value_from_object(obj))
        for field in obj._meta.concrete_fields
        if wanted is None or field.name in wanted
    }


def stored_snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """`snapshot` of the row as stored, whatever a form has already set on `obj`.

    A ModelForm copies its data onto its instance while validating, so a service that
    receives that instance must read the old values from the database. One query.
    """
    stored = obj._meta.model._base_manager.get(pk=obj.pk)
    return snapshot(stored, fields)


def changes_between(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, tuple]:
    """(old, new) for every key whose value differs between two snapshots."""
    keys = sorted(set(before) | set(after))
    return {
        key: (before.get(key), after.get(key)) for key in keys if before.get(key) != after.get(key)
    }


def pseudonymise_actor(*, person) -> int:
    """Erasure hook: unlink `person` from the audit log and replace their name by a pseudonym.

    The pseudonym is the same for all of the person's events, so the log still shows
    that one person did them, without saying who. This is the only change the database
    trigger allows on audit rows. Returns the number of events changed.
    Side effects: UPDATE of the person's audit events, across all organizations.
    """
    pseudonym = (
        ERASED_PREFIX
        + hmac.new(
            settings.SECRET_KEY.encode(), f"audit-actor:{person.pk}".encode(), hashlib.sha256
        ).hexdigest()[:10]
    )
    with transaction.atomic(), scopes_disabled():
        return AuditEvent.objects.filter(actor=person).update(actor=None, actor_label=pseudonym)


def _record(organization, actor, action, obj, changes, request_id) -> AuditEvent:
    event = _event(organization, actor, action, obj, changes, request_id)
    event.save(force_insert=True)
    return event


def _event(organization, actor, action, obj, changes, request_id) -> AuditEvent:
    if not ACTION.match(action):
        raise ValueError(f"Audit actions look like 'group.updated', not {action!r}.")
    model = obj._meta.concrete_model
    return AuditEvent(
        organization=organization,
        actor=actor,
        actor_label=actor.get_short_name()[:120] if actor is not None else "",
        action=action,
        object_type=model._meta.label_lower,
        object_id=str(obj.pk or ""),
        object_label="" if holds_personal_data(model) else str(obj)[:200],
        changes=changes,
        request_id=request_id,
    )


def _field_name(model, name: str) -> str:
    """Accept attnames ("topic_id") as well as names ("topic")."""
    for field in model._meta.concrete_fields:
        if name == field.attname:
            return field.name
    return name


def _masked(model, name: str, value: Any) -> Any:
    if masks(model, _field_name(model, name)):
        return MASK  # even for an empty value: a masked field says nothing at all
    return _json_safe(value)


def _json_safe(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_json_safe(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, Decimal):  # 100 and 100.00 are one fee: compare them as equal
        return format(value.normalize(), "f")
    data = getattr(value, "data", None)  # i18nfield's LazyI18nString
    if isinstance(data, dict):  # an empty language is not stored: leave it out here too
        return {str(key): _json_safe(item) for key, item in data.items() if item}
    if isinstance(data, str):
        return data
    try:
        return DjangoJSONEncoder().default(value)
    except TypeError:
        return str(value)
