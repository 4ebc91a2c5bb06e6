"""The project's URLs with the audit page mounted where the lead mounts it."""

from django.urls import include, path

from kreds.config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from kreds.config.urls import urlpatterns as project_urlpatterns

_mounted = any(getattr(pattern, "namespace", None) == "audit" for pattern in project_urlpatterns)
urlpatterns = [
    *([] if _mounted else [path("<slug:org>/manage/audit/", include("kreds.audit.urls"))]),
    *project_urlpatterns,
]
