from django.urls import path

from kreds.people import views

app_name = "people"
urlpatterns = [
    path("", views.my_page, name="my_page"),
    path("profile/", views.profile_edit, name="profile_edit"),
]
