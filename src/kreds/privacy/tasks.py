"""Background jobs of the privacy app (django-tasks)."""

from django_tasks import task

from kreds.privacy.retention import apply_retention


@task()
def apply_retention_task() -> dict[str, int]:
    """The daily retention run (privacy/retention.py), as a background job."""
    return apply_retention()
