"""The coordinator's pages for venues."""

from django.urls import path

from kreds.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.venue_list, name="venue_list"),
    path("new/", views.venue_create, name="venue_create"),
    path("<int:pk>/edit/", views.venue_edit, name="venue_edit"),
]
