"""The coordinator's pages for groups."""

from django.urls import path

from kreds.groups import views

app_name = "groups_manage"
urlpatterns = [
    path("", views.manage_list, name="list"),
    path("new/", views.manage_create, name="create"),
    path("<int:pk>/", views.manage_detail, name="detail"),
    path("<int:pk>/edit/", views.manage_edit, name="edit"),
]
