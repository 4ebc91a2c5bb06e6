"""People in Django's technical admin, for superusers. Passwords are never shown or set here.

Every edit is in the audit log, under no organization (kreds.audit.admin_audit). Deleting
a person here erases them as /me/erase/ does: every personal row goes, and the audit log
keeps their events under a pseudonym instead of their name.
"""

from django.contrib import admin
from django.db import transaction

from kreds.audit.admin_audit import AuditedAdmin
from kreds.people.models import Person


@admin.register(Person)
class PersonAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ("display_name", "email", "is_active", "is_staff", "is_superuser")
    list_filter = ("is_active", "is_staff", "is_superuser")
    search_fields = ("display_name", "email")
    ordering = ("display_name", "id")
    fields = (
        "email",
        "display_name",
        "preferred_language",
        "is_active",
        "is_staff",
        "is_superuser",
        "last_login",
        "date_joined",
    )
    readonly_fields = ("last_login", "date_joined")

    def delete_model(self, request, obj) -> None:
        from kreds.privacy.services import erase_person  # privacy reads people's models

        with transaction.atomic():
            self._record_deletion(request, obj)
            erase_person(person=obj, by=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for person in queryset:
            self.delete_model(request, person)
