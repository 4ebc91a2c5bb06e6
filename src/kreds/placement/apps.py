from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementConfig(AppConfig):
    name = "kreds.placement"
    verbose_name = _("forming groups")
