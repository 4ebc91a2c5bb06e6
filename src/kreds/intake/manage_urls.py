"""The coordinator's intake pages: new applications, the waiting list, one application."""

from django.urls import path

from kreds.intake import views

app_name = "intake_manage"
urlpatterns = [
    path("", views.manage_list, name="list"),
    path("waiting/", views.waiting_list, name="waiting_list"),
    path("<int:pk>/", views.manage_detail, name="detail"),
]
