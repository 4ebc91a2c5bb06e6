"""Sign-in security pages under /me/security/."""

from django.urls import path

from kreds.people import mfa_views

app_name = "security"
urlpatterns = [
    path("", mfa_views.overview, name="overview"),
]
