from django.urls import path

from kreds.privacy import views

app_name = "privacy"
urlpatterns = [
    path("data/", views.my_data, name="my_data"),
    path("data/download/", views.my_data_download, name="my_data_download"),
    path("consents/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("erase/", views.erase_account, name="erase_account"),
    path("erased/", views.erased, name="erased"),
]
