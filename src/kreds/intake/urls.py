"""Applying for a group in one organization, and changing or withdrawing an application."""

from django.urls import path

from kreds.intake import views

app_name = "intake"
urlpatterns = [
    path("", views.apply, name="apply"),
    path("<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"),
]
