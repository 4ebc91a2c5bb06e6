from django.urls import path

from kreds.public import views

app_name = "public"
urlpatterns = [
    path("", views.organizations, name="organizations"),
    path("<slug:org>/", views.home, name="home"),
    path("<slug:org>/what-is-a-self-help-group/", views.what_is, name="what_is"),
    path("<slug:org>/how-a-group-works/", views.how_it_works, name="how_it_works"),
    path("<slug:org>/find-a-group/", views.find_group, name="find_group"),
    path("<slug:org>/contact/", views.contact, name="contact"),
]
