"""manage.py apply_retention: delete what has passed its retention period (run daily)."""

from django.core.management.base import BaseCommand

from kreds.privacy.retention import KINDS, apply_retention
from kreds.privacy.tasks import apply_retention_task


class Command(BaseCommand):
    help = (
        "Delete personal data past each organization's retention period (group memberships "
        "of ended groups, closed applications, withdrawn consents), old background-job "
        "results and expired sessions. Run it daily from cron. With --enqueue, hand the "
        "run to the background worker (manage.py db_worker) instead."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="Run it as a background job instead of now."
        )

    def handle(self, *args, enqueue: bool, **options) -> None:
        if enqueue:
            result = apply_retention_task.enqueue()
            self.stdout.write(f"Retention run enqueued as job {result.id}.")
            return
        counts = apply_retention()
        summary = ", ".join(f"{kind.replace('_', ' ')}: {counts[kind]}" for kind in KINDS)
        self.stdout.write(f"Retention run done. Deleted {summary}.")
