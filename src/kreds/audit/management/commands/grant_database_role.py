"""Give the application's PostgreSQL role its privileges; the audit table stays append-only.

    DATABASE_URL=$MIGRATE_DATABASE_URL python manage.py grant_database_role kreds_app

Run as the owner of the tables, after every `migrate`. See docs/deployment.md.
"""

from django.core.management.base import BaseCommand, CommandError

from kreds.audit.database_role import grant_database_role


class Command(BaseCommand):
    help = (
        "Grant the application's database role SELECT, INSERT, UPDATE and DELETE on every "
        "table, except UPDATE (but of the actor), DELETE and TRUNCATE on the audit log."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="the role the web and job processes connect as")
        parser.add_argument("--database", default="default")

    def handle(self, *args, role: str, database: str, **options):
        try:
            statements = grant_database_role(role, using=database)
        except ValueError as error:
            raise CommandError(str(error)) from error
        for statement in statements:
            self.stdout.write(statement)
        self.stdout.write(self.style.SUCCESS(f"Privileges of {role} are set."))
