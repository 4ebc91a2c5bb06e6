"""Forming groups: the coordinator's pages under /<org>/manage/placement/, offers under /<org>/offers/."""

from django.urls import path

from kreds.placement import views

app_name = "placement"
urlpatterns = [
    path("manage/placement/", views.runs, name="runs"),
    path("manage/placement/new/", views.run_start, name="run_start"),
    path("manage/placement/<int:pk>/", views.run_detail, name="run_detail"),
    path("manage/placement/<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("manage/placement/<int:pk>/move/", views.run_move, name="run_move"),
    path("manage/placement/<int:pk>/accept/", views.run_accept, name="run_accept"),
    path("manage/placement/starters/", views.capacity_list, name="capacity_list"),
    path("manage/placement/starters/<int:pk>/", views.capacity_edit, name="capacity_edit"),
    path("manage/placement/groups/<int:pk>/offers/", views.group_offers, name="group_offers"),
    path("offers/", views.my_offers, name="my_offers"),
]
