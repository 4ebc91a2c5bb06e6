"""URL layout: fixed prefixes first, then everything under /<organization>/."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from kreds.core import views as core_views

admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("me/security/", include("kreds.people.mfa_urls")),
    path("me/", include("kreds.people.urls")),
    path("me/", include("kreds.privacy.urls")),
    path("", include("kreds.public.urls")),
    path("<slug:org>/groups/", include("kreds.groups.urls")),
    path("<slug:org>/manage/", include("kreds.organizations.urls")),
    path("<slug:org>/manage/groups/", include("kreds.groups.manage_urls")),
    path("<slug:org>/manage/venues/", include("kreds.meetings.urls")),
    path("<slug:org>/manage/audit/", include("kreds.audit.urls")),
    path("<slug:org>/", include("kreds.placement.urls")),
    path("<slug:org>/apply/", include("kreds.intake.urls")),
    path("<slug:org>/manage/intake/", include("kreds.intake.manage_urls")),
]

handler400 = core_views.bad_request
handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler429 = core_views.too_many_requests  # allauth's rate limits (not a Django handler)
handler500 = core_views.server_error
