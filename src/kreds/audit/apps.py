from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "kreds.audit"
    label = "audit"
    verbose_name = _("audit log")

    def ready(self) -> None:
        from kreds.audit import account_events, sign_in_events
        from kreds.audit import checks as audit_checks  # noqa: F401 (kreds.W013)
        from kreds.core import checks  # noqa: F401 (registers Kreds' system checks)

        account_events.connect()
        sign_in_events.connect()
