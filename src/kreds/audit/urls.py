"""Mounted at /<org>/manage/audit/."""

from django.urls import path

from kreds.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.event_list, name="list"),
]
