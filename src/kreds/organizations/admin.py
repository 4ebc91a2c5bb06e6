"""Django's technical admin, for the people who run the installation (superusers only).

Only Organization is registered: tenant-owned models use scoped managers and are managed
in each organization's coordinator area instead. Every edit here is in the organization's
audit log (kreds.audit.admin_audit).
"""

from django.contrib import admin
from django.db import models
from i18nfield.admin import I18nModelAdmin

from kreds.audit.admin_audit import AuditedAdmin
from kreds.organizations.models import Organization


@admin.register(Organization)
class OrganizationAdmin(AuditedAdmin, I18nModelAdmin):
    list_display = ("name", "slug", "country", "contact_email")
    list_filter = ("country",)
    search_fields = ("name", "slug")
    readonly_fields = ("created_at", "updated_at")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
