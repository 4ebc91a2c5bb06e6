from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "kreds.audit"
    label = "audit"
    verbose_name = _("audit log")

    def ready(self) -> None:
        from kreds.core import checks  # noqa: F401 (registers Kreds' system checks)
