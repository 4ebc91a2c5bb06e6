"""The coordinator area of one organization: dashboard, topics, age bands, people, settings."""

from django.urls import path

from kreds.organizations import municipality_views, role_views, views

app_name = "organizations"
urlpatterns = [
    path("", views.manage_dashboard, name="manage_dashboard"),
    path("topics/", views.topic_list, name="topic_list"),
    path("topics/new/", views.topic_create, name="topic_create"),
    path("topics/<int:pk>/edit/", views.topic_edit, name="topic_edit"),
    path("age-bands/", views.age_band_list, name="age_band_list"),
    path("age-bands/new/", views.age_band_create, name="age_band_create"),
    path("age-bands/<int:pk>/edit/", views.age_band_edit, name="age_band_edit"),
    path("people/", views.people_list, name="people_list"),
    path("people/roles/new/", role_views.role_grant, name="role_grant"),
    path("people/roles/<int:pk>/remove/", role_views.role_remove, name="role_remove"),
    path(
        "people/<int:pk>/end-sessions/",
        role_views.person_end_sessions,
        name="person_end_sessions",
    ),
    path("settings/", views.settings_edit, name="settings_edit"),
    path("municipalities/", municipality_views.municipality_list, name="municipality_list"),
    path(
        "municipalities/new/",
        municipality_views.municipality_create,
        name="municipality_create",
    ),
    path(
        "municipalities/<int:pk>/edit/",
        municipality_views.municipality_edit,
        name="municipality_edit",
    ),
]
