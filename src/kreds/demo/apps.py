from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "kreds.demo"
    label = "demo"
