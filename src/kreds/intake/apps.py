from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "kreds.intake"
    verbose_name = _("intake")

    def ready(self) -> None:
        # Registers the @on_withdrawal(Purpose.TOPIC) handler that deletes applications.
        from kreds.intake import services  # noqa: F401
