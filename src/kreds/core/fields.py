"""Model fields that keep special-category values encrypted in the database.

    class Application(TimeStampedModel):
        row_key = RowKeyField()
        situation = EncryptedTextField(_("what brings you here"), blank=True)

Values are encrypted with AES-256-GCM (`kreds.core.crypto`) when the row is saved and
decrypted the first time the attribute is read. The column holds only ciphertext.

Associated data: where a value belongs
--------------------------------------
Each ciphertext is bound to its row and field through the AAD `"<row_key>/<field name>"`.
A ciphertext copied into another row, or into another encrypted field of the same row,
fails to decrypt. The row's identity is a `RowKeyField` (a random UUID made when the
object is created), not the primary key, because:

- it exists before the INSERT, so the value is encrypted once, in the same statement,
  and no plaintext or unbound ciphertext ever reaches the table, not even for a moment
  between an INSERT and a second UPDATE; `bulk_create` works the same way;
- it never changes, so dumping and restoring a table, or renumbering ids, keeps
  the data readable;
- it does not name the model, so renaming a model needs no re-encryption.
  Renaming an encrypted *field* does: decrypt under the old name and encrypt under the
  new one in the migration (`seal_value` and `open_value` take the field name).

Adding `row_key` to a table that already has rows takes the usual three migrations for a
unique UUID (add nullable, fill each row, make unique): one default would give every
row the same value.

Limits, on purpose
------------------
- Only `Model.save()` and `bulk_create()` encrypt: they know the row. `QuerySet.update()`
  and `bulk_update()` with a plaintext value raise TypeError rather than write it.
- Encrypted values cannot be searched, ordered or made unique; lookups raise TypeError.
- `values()` and `values_list()` return the ciphertext (a `Ciphertext` string).
- `dumpdata` writes decrypted values: back up the database, not fixtures.
"""

import json
import uuid
from dataclasses import dataclass
from typing import Any

from django import forms
from django.apps import apps as global_apps
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.query_utils import DeferredAttribute
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from kreds.core import crypto

ROW_KEY = "row_key"


class Ciphertext(str):
    """A value as stored in the column: encrypted, not yet opened."""


class RowKeyField(models.UUIDField):
    """The row's random, unchanging identity: the associated data of its encrypted values."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("verbose_name", _("row key"))
        kwargs.setdefault("default", uuid.uuid4)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("unique", True)
        super().__init__(*args, **kwargs)


def associated_data(row_key: uuid.UUID | str | None, field_name: str) -> bytes:
    if not row_key:
        raise ValueError("An encrypted value needs the row's row_key.")
    return f"{row_key}/{field_name}".encode("ascii")


class EncryptedAttribute(DeferredAttribute):
    """Opens the stored ciphertext on first read and keeps the plaintext on the instance."""

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Ciphertext):
            value = self.field.open(instance, value)
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value


class EncryptedField(models.Field):
    """Base of the encrypted fields: a text column holding `crypto` ciphertext."""

    descriptor_class = EncryptedAttribute
    description = _("Encrypted value")

    def get_internal_type(self) -> str:
        return "TextField"

    def to_bytes(self, value: Any) -> bytes:
        raise NotImplementedError

    def from_bytes(self, data: bytes) -> Any:
        raise NotImplementedError

    def seal(self, instance: models.Model, value: Any) -> Ciphertext | None:
        return seal_value(self.to_bytes(value), getattr(instance, ROW_KEY), self.name)

    def open(self, instance: models.Model, token: str) -> Any:
        return self.from_bytes(open_value(token, getattr(instance, ROW_KEY), self.name))

    def pre_save(self, model_instance, add):
        # Read the stored value without opening it: a value never read is saved as it is.
        if self.attname in model_instance.__dict__:
            value = model_instance.__dict__[self.attname]
        else:
            value = getattr(model_instance, self.attname)
        if value is None or isinstance(value, Ciphertext):
            return value
        return self.seal(model_instance, value)

    def from_db_value(self, value, expression, connection):
        return None if value is None else Ciphertext(value)

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None or isinstance(value, Ciphertext):
            return None if value is None else str(value)
        raise TypeError(
            f"{self.model._meta.label}.{self.name} is encrypted: write it with save() or "
            "bulk_create(); it cannot be searched or set with update()."
        )

    def check(self, **kwargs):
        return [*super().check(**kwargs), *self._check_row_key(), *self._check_not_indexed()]

    def _check_row_key(self):
        try:
            row_key = self.model._meta.get_field(ROW_KEY)
        except FieldDoesNotExist:
            row_key = None
        if isinstance(row_key, RowKeyField):
            return []
        return [
            checks.Error(
                f"{self.model._meta.label} has an encrypted field but no RowKeyField "
                f"named {ROW_KEY!r}.",
                hint=f"Add `{ROW_KEY} = RowKeyField()` to the model (see kreds.core.fields).",
                obj=self,
                id="kreds.E010",
            )
        ]

    def _check_not_indexed(self):
        if not (self.unique or self.db_index or self.primary_key):
            return []
        return [
            checks.Error(
                "An encrypted field cannot be unique, indexed or a primary key.",
                hint="Ciphertext differs on every save; keep a separate non-secret key.",
                obj=self,
                id="kreds.E011",
            )
        ]


class EncryptedTextField(EncryptedField):
    """Text, encrypted at rest."""

    def to_python(self, value):
        if value is None or isinstance(value, str):
            return value
        return str(value)

    def to_bytes(self, value: Any) -> bytes:
        return str(value).encode("utf-8")

    def from_bytes(self, data: bytes) -> str:
        return data.decode("utf-8")

    def formfield(self, **kwargs):
        return super().formfield(
            **{"form_class": forms.CharField, "widget": forms.Textarea, **kwargs}
        )


class EncryptedJSONField(EncryptedField):
    """JSON (dicts, lists, strings, numbers), encrypted at rest."""

    empty_strings_allowed = False

    def to_python(self, value):
        return value

    def to_bytes(self, value: Any) -> bytes:
        return json.dumps(value, cls=DjangoJSONEncoder, sort_keys=True).encode("utf-8")

    def from_bytes(self, data: bytes) -> Any:
        return json.loads(data)

    def formfield(self, **kwargs):
        return super().formfield(
            **{"form_class": forms.JSONField, "encoder": DjangoJSONEncoder, **kwargs}
        )


def seal_value(data: bytes, row_key, field_name: str) -> Ciphertext:
    """Encrypt bytes for one field of one row (for migrations and tools)."""
    return Ciphertext(crypto.encrypt(data, aad=associated_data(row_key, field_name)))


def open_value(token: str, row_key, field_name: str) -> bytes:
    """Decrypt one field's stored value; DecryptionError when it belongs elsewhere."""
    return crypto.decrypt(token, aad=associated_data(row_key, field_name))


# --- Finding and re-encrypting every encrypted value ---------------------------------------


def encrypted_fields(model: type[models.Model]) -> list[EncryptedField]:
    return [field for field in model._meta.concrete_fields if isinstance(field, EncryptedField)]


def encrypted_models() -> list[type[models.Model]]:
    """Every registered model with a table and at least one encrypted field, by label.

    Walks the model registry itself, so models whose app is not in INSTALLED_APPS (the
    test suite's own) are found too; migration-state copies are left out.
    """
    found = [
        model
        for models_of_app in global_apps.all_models.values()
        for model in models_of_app.values()
        if model._meta.concrete_model is model
        and model._meta.managed
        and not model._meta.swapped
        and encrypted_fields(model)
    ]
    return sorted(found, key=lambda model: model._meta.label)


@dataclass
class RotationCount:
    rows: int = 0
    values: int = 0
    already_current: int = 0


def rotate_model(model: type[models.Model], *, batch_size: int = 500) -> RotationCount:
    """Re-encrypt every value of `model` not yet under the newest key.

    One transaction per batch, rows locked while they are rewritten. Values already
    under the newest key are left alone, so running it again changes nothing.
    Side effects: UPDATE statements on `model`'s table (updated_at is not touched).
    """
    fields = encrypted_fields(model)
    names = [field.attname for field in fields]
    count = RotationCount()
    last_pk = None
    with scopes_disabled():
        while True:
            with transaction.atomic():
                rows = model._base_manager.select_for_update().only("pk", ROW_KEY, *names)
                if last_pk is not None:
                    rows = rows.filter(pk__gt=last_pk)
                batch = list(rows.order_by("pk")[:batch_size])
                for row in batch:
                    _rotate_row(model, row, fields, count)
            if len(batch) < batch_size:
                return count
            last_pk = batch[-1].pk


def _rotate_row(model, row, fields, count: RotationCount) -> None:
    updates = {}
    for field in fields:
        token = row.__dict__.get(field.attname)
        if token is None:
            continue
        if crypto.is_current(token):
            count.already_current += 1
            continue
        aad = associated_data(getattr(row, ROW_KEY), field.name)
        updates[field.attname] = Ciphertext(crypto.reencrypt(token, aad=aad))
    if updates:
        model._base_manager.filter(pk=row.pk).update(**updates)
        count.rows += 1
        count.values += len(updates)
