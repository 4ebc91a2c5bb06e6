"""manage.py demo_code: the current two-step login code of the demo's coordinators and admins."""

import time

from allauth.mfa import app_settings
from django.core.management.base import BaseCommand

from kreds.demo.mfa import DEMO_TOTP_SECRET, demo_code


class Command(BaseCommand):
    help = (
        "Print the current 6-digit code for the demo's coordinator and admin logins. "
        f"Or add the secret {DEMO_TOTP_SECRET} to an authenticator app."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--intro",
            action="store_true",
            help="Explain the second step of the staff logins instead (printed by make run).",
        )

    def handle(self, *args, intro: bool, **options) -> None:
        if intro:
            self.stdout.write(
                "Coordinator and admin logins ask for a second step, a 6-digit code:\n"
                f"  add the secret {DEMO_TOTP_SECRET} to an authenticator app,\n"
                "  or run `make demo-code` in another terminal for the current code."
            )
            return
        now = time.time()
        seconds_left = app_settings.TOTP_PERIOD - int(now) % app_settings.TOTP_PERIOD
        self.stdout.write(demo_code(now))
        self.stderr.write(f"(valid for {seconds_left} more seconds)")
