"""People in Django's technical admin, for superusers. Passwords are never shown or set here.

Every edit is in the audit log, under no organization (kreds.audit.admin_audit).
"""

from django.contrib import admin

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
