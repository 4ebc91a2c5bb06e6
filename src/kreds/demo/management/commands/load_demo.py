"""manage.py load_demo: load (or reload) the demo organizations and print the demo logins."""

import random

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kreds.demo.loader import NotDemoData, load_demo
from kreds.demo.spec import DEMO_PASSWORD

SEED = 2026


class Command(BaseCommand):
    help = (
        "Load two demo organizations (Danish and Norwegian) with people, venues, groups "
        "and meetings. Running it again resets the demo data instead of duplicating it."
    )

    def handle(self, *args, **options) -> None:
        try:
            summary = load_demo(
                rng=random.Random(SEED), today=timezone.localdate(), now=timezone.now()
            )
        except NotDemoData as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Demo data loaded: 2 organizations, {summary.people} people, "
            f"{summary.groups} groups, {summary.meetings} meetings."
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        role_width = max(len(login.role) for login in summary.logins)
        org_width = max(len(login.organization) for login in summary.logins)
        for login in summary.logins:
            self.stdout.write(
                f"  {login.role:<{role_width}}  {login.organization:<{org_width}}  {login.email}"
            )
        self.stdout.write("Open http://127.0.0.1:8000/")
