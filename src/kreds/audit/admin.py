"""Sign-in events in Django's technical admin, for superusers: read-only.

The organization's audit log is shown to its admins on their own pages (audit:list);
only the sign-in events, which belong to no organization, are listed here.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kreds.audit.models import SignInEvent


@admin.register(SignInEvent)
class SignInEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "method", "person", "has_email_hash", "request_id")
    list_filter = ("kind", "method")
    list_select_related = ("person",)
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")
    fields = ("created_at", "kind", "method", "person", "email_hash", "request_id")
    readonly_fields = fields

    @admin.display(boolean=True, description=_("hash of a typed address kept"))
    def has_email_hash(self, event: SignInEvent) -> bool:
        return bool(event.email_hash)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
