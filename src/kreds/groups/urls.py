"""Public pages about one group."""

from django.urls import path

from kreds.groups import public_views as views

app_name = "groups"
urlpatterns = [
    path("<int:pk>/", views.public_detail, name="public_detail"),
]
