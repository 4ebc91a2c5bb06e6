"""manage.py rotate_encryption_key: re-encrypt every encrypted field with the newest key."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from kreds.core import crypto
from kreds.core.fields import encrypted_fields, encrypted_models, rotate_model


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field of every model with the newest key in "
        "FIELD_ENCRYPTION_KEYS. Batched, one transaction per batch; values already under "
        "the newest key are left alone, so it is safe to run again. Afterwards the older "
        "keys can be removed. With --generate-key, print a new key and change nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch-size", type=int, default=500, help="Rows per transaction.")
        parser.add_argument(
            "--generate-key",
            action="store_true",
            help="Print a new random key for FIELD_ENCRYPTION_KEYS and exit.",
        )

    def handle(self, *args, batch_size: int, generate_key: bool, **options) -> None:
        if generate_key:
            self.stdout.write(crypto.generate_key())
            return
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            newest = crypto.field_keys()[0]
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Newest key: {newest.id}")
        total = 0
        for model in encrypted_models():
            count = rotate_model(model, batch_size=batch_size)
            total += count.values
            names = ", ".join(field.name for field in encrypted_fields(model))
            self.stdout.write(
                f"{model._meta.label} ({names}): {count.values} values re-encrypted in "
                f"{count.rows} rows, {count.already_current} already under the newest key."
            )
        from kreds.people.mfa import rotate_mfa_secrets

        self.stdout.write(f"Two-step login secrets re-encrypted: {rotate_mfa_secrets()}.")
        self.stdout.write(f"Done: {total} values re-encrypted.")
