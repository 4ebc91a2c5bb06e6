"""Edits made in Django's technical admin go to the audit log too.

Django keeps its own LogEntry of admin edits, but that holds values in plain words and
sits outside the organization's log. A ModelAdmin that mixes in `AuditedAdmin` records
every addition, change and deletion as an AuditEvent instead: the superuser, the action
("admin.organization.changed"), the object and each changed field, masked by data class
like every other event. An edit of an organization appears in that organization's log;
an edit of a person belongs to no organization and appears in the person's own data.
"""

from django.db import transaction

from kreds.audit.services import (
    record_change,
    record_saved,
    request_id_of,
    snapshot,
    stored_snapshot,
)
from kreds.organizations.models import Organization


def _fields(obj) -> list[str]:
    return [field.name for field in obj._meta.concrete_fields]


def _action(obj, verb: str) -> str:
    return f"admin.{obj._meta.model_name}.{verb}"


class AuditedAdmin:
    """Mixin for a ModelAdmin (put it first): saves and deletions are audited."""

    def audit_organization(self, obj) -> Organization | None:
        """The organization whose log shows an edit of `obj` (None: no organization's)."""
        if isinstance(obj, Organization):
            return obj
        return getattr(obj, "organization", None)

    def save_model(self, request, obj, form, change) -> None:
        # A change names the fields the form changed (not `updated_at`, not an empty text
        # stored in a new form); an addition names every field.
        fields = _fields(obj)
        if change:
            fields = [name for name in fields if name in form.changed_data]
        with transaction.atomic():
            before = stored_snapshot(obj, fields) if change and fields else {}
            super().save_model(request, obj, form, change)
            if change and not fields:
                return
            record_saved(
                organization=self.audit_organization(obj),
                actor=request.user,
                action=_action(obj, "changed" if change else "added"),
                obj=obj,
                before=before,
                fields=fields,
                request_id=request_id_of(request),
            )

    def delete_model(self, request, obj) -> None:
        with transaction.atomic():
            self._record_deletion(request, obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic():
            for obj in queryset:
                self._record_deletion(request, obj)
            super().delete_queryset(request, queryset)

    def _record_deletion(self, request, obj) -> None:
        # An organization that is deleted cannot hold the event: it goes to no organization.
        organization = None if isinstance(obj, Organization) else self.audit_organization(obj)
        record_change(
            organization=organization,
            actor=request.user,
            action=_action(obj, "deleted"),
            obj=obj,
            changes={name: (value, None) for name, value in snapshot(obj, _fields(obj)).items()},
            request_id=request_id_of(request),
        )
