from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kreds.core"
    label = "core"
