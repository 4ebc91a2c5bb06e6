"""Close offered places whose answer deadline has passed and offer the places on.

Run it every hour from cron (see docs/deployment.md):

    0 * * * *  cd /srv/kreds && .venv/bin/python manage.py expire_offers
"""

from django.core.management.base import BaseCommand

from kreds.placement.offers import expire_offers


class Command(BaseCommand):
    help = "Close offered places past their deadline and offer each place to the next in line."

    def handle(self, *args, **options):
        count = expire_offers()
        self.stdout.write(f"Expired offers: {count}")
