"""Encrypted model fields: what reaches the database, what reads back, and key rotation.

The test model lives in an app label that is not installed ("kreds_tests"), so it needs
no migration; its table is created once per test database.
"""

import io
import uuid

import pytest
from django.core.management import call_command
from django.db import connection, models, transaction
from django.test.utils import isolate_apps

from kreds.core import crypto
from kreds.core.fields import (
    Ciphertext,
    EncryptedJSONField,
    EncryptedTextField,
    RowKeyField,
    encrypted_models,
)

OLD_KEY = crypto.generate_key()
NEW_KEY = crypto.generate_key()
PLAINTEXT = "Min mand døde i foråret"


class SecretNote(models.Model):
    row_key = RowKeyField()
    title = models.CharField(max_length=40, default="note")
    situation = EncryptedTextField(blank=True, null=True)
    answers = EncryptedJSONField(null=True, blank=True)

    class Meta:
        app_label = "kreds_tests"
        db_table = "kreds_tests_secretnote"

    def __str__(self) -> str:
        return self.title


@pytest.fixture(scope="session")
def _secret_note_table(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        editor.create_model(SecretNote)


@pytest.fixture
def keys(settings, _secret_note_table, db):
    settings.KREDS_FIELD_KEYS = [OLD_KEY]
    return settings


# Column names below are fixed by the tests, never input.


def raw_column(note: SecretNote, column: str) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM kreds_tests_secretnote WHERE id = %s", [note.pk])  # noqa: S608 (fixed column names)
        return cursor.fetchone()[0]


def set_raw_column(note: SecretNote, column: str, value: str | None) -> None:
    with connection.cursor() as cursor:
        sql = f"UPDATE kreds_tests_secretnote SET {column} = %s WHERE id = %s"  # noqa: S608
        cursor.execute(sql, [value, note.pk])


def test_saved_text_reads_back(keys):
    note = SecretNote.objects.create(situation=PLAINTEXT)
    assert SecretNote.objects.get(pk=note.pk).situation == PLAINTEXT


def test_saved_json_reads_back(keys):
    answers = {"topic": "grief", "since": "2025-04", "others": ["Pia", "Søren"]}
    note = SecretNote.objects.create(answers=answers)
    assert SecretNote.objects.get(pk=note.pk).answers == answers


def test_raw_column_holds_no_plaintext(keys):
    note = SecretNote.objects.create(situation=PLAINTEXT, answers={"topic": "grief"})
    stored = raw_column(note, "situation")
    assert stored.startswith(f"v1:{crypto.parse_key(OLD_KEY).id}:")
    assert "mand" not in stored
    assert "grief" not in raw_column(note, "answers")


def test_empty_and_missing_values_survive(keys):
    note = SecretNote.objects.create(situation="", answers=None)
    note = SecretNote.objects.get(pk=note.pk)
    assert (note.situation, note.answers) == ("", None)
    assert raw_column(note, "situation").startswith("v1:")
    assert raw_column(note, "answers") is None


def test_ciphertext_moved_to_another_row_fails(keys):
    pia = SecretNote.objects.create(situation="Pia's situation")
    karen = SecretNote.objects.create(situation="Karen's situation")
    set_raw_column(karen, "situation", raw_column(pia, "situation"))
    with pytest.raises(crypto.DecryptionError):
        _ = SecretNote.objects.get(pk=karen.pk).situation


def test_ciphertext_moved_to_another_field_of_the_row_fails(keys):
    note = SecretNote.objects.create(situation='"grief"', answers="grief")
    set_raw_column(note, "answers", raw_column(note, "situation"))
    with pytest.raises(crypto.DecryptionError):
        _ = SecretNote.objects.get(pk=note.pk).answers


def test_tampered_column_fails(keys):
    note = SecretNote.objects.create(situation=PLAINTEXT)
    stored = raw_column(note, "situation")
    set_raw_column(note, "situation", stored[:-2] + ("AA" if stored[-2:] != "AA" else "BB"))
    with pytest.raises(crypto.DecryptionError):
        _ = SecretNote.objects.get(pk=note.pk).situation


def test_changed_row_key_fails(keys):
    note = SecretNote.objects.create(situation=PLAINTEXT)
    SecretNote.objects.filter(pk=note.pk).update(row_key=uuid.uuid4())
    with pytest.raises(crypto.DecryptionError):
        _ = SecretNote.objects.get(pk=note.pk).situation


def test_edit_and_save_encrypts_the_new_value(keys):
    note = SecretNote.objects.create(situation=PLAINTEXT)
    before = raw_column(note, "situation")
    note = SecretNote.objects.get(pk=note.pk)
    note.situation = "Now it is a little lighter"
    note.save()
    assert raw_column(note, "situation") != before
    assert SecretNote.objects.get(pk=note.pk).situation == "Now it is a little lighter"


def test_saving_other_fields_leaves_an_unread_value_as_stored(keys):
    note = SecretNote.objects.create(situation=PLAINTEXT)
    before = raw_column(note, "situation")
    note = SecretNote.objects.get(pk=note.pk)
    note.title = "renamed"
    note.save()
    assert raw_column(note, "situation") == before


def test_bulk_create_encrypts(keys):
    notes = SecretNote.objects.bulk_create([SecretNote(situation=PLAINTEXT) for _ in range(2)])
    for note in notes:
        assert "mand" not in raw_column(SecretNote.objects.get(row_key=note.row_key), "situation")
    assert {note.situation for note in SecretNote.objects.all()} == {PLAINTEXT}


def test_values_returns_ciphertext_not_plaintext(keys):
    SecretNote.objects.create(situation=PLAINTEXT)
    (stored,) = SecretNote.objects.values_list("situation", flat=True)
    assert isinstance(stored, Ciphertext)
    assert "mand" not in stored


def test_update_with_plaintext_is_refused(keys):
    note = SecretNote.objects.create(situation=PLAINTEXT)
    with pytest.raises(TypeError, match="encrypted"), transaction.atomic():
        SecretNote.objects.filter(pk=note.pk).update(situation="written around the row")
    assert "written" not in raw_column(note, "situation")


def test_search_on_encrypted_field_is_refused(keys):
    SecretNote.objects.create(situation=PLAINTEXT)
    with pytest.raises(TypeError, match="cannot be searched"):
        list(SecretNote.objects.filter(situation=PLAINTEXT))


def test_deferred_value_loads_and_decrypts(keys):
    note = SecretNote.objects.create(situation=PLAINTEXT)
    assert SecretNote.objects.only("pk").get(pk=note.pk).situation == PLAINTEXT


@isolate_apps("kreds.core")
def test_encrypted_field_without_row_key_fails_the_check():
    class Careless(models.Model):  # noqa: DJ008 (a throwaway model for one check)
        situation = EncryptedTextField()

        class Meta:
            app_label = "core"

    assert [error.id for error in Careless.check()] == ["kreds.E010"]


@isolate_apps("kreds.core")
def test_unique_encrypted_field_fails_the_check():
    class Careless(models.Model):  # noqa: DJ008 (a throwaway model for one check)
        row_key = RowKeyField()
        situation = EncryptedTextField(unique=True)

        class Meta:
            app_label = "core"

    assert [error.id for error in Careless.check()] == ["kreds.E011"]


# --- Rotation --------------------------------------------------------------------------------


def rotate(**options) -> str:
    out = io.StringIO()
    call_command("rotate_encryption_key", stdout=out, **options)
    return out.getvalue()


def test_encrypted_models_finds_the_test_model():
    assert SecretNote in encrypted_models()


def test_rotation_moves_every_value_to_the_new_key_and_the_old_key_can_go(keys):
    notes = [SecretNote.objects.create(situation=f"{PLAINTEXT} {n}", answers=[n]) for n in range(3)]
    keys.KREDS_FIELD_KEYS = [NEW_KEY, OLD_KEY]

    output = rotate(batch_size=2)

    assert "kreds_tests.SecretNote (situation, answers): 6 values re-encrypted in 3 rows" in output
    new_id = crypto.parse_key(NEW_KEY).id
    assert all(raw_column(note, "situation").startswith(f"v1:{new_id}:") for note in notes)
    keys.KREDS_FIELD_KEYS = [NEW_KEY]
    reread = SecretNote.objects.order_by("pk")
    assert [(note.situation, note.answers) for note in reread] == [
        (f"{PLAINTEXT} {n}", [n]) for n in range(3)
    ]


def test_rotation_run_twice_changes_nothing_the_second_time(keys):
    note = SecretNote.objects.create(situation=PLAINTEXT)
    keys.KREDS_FIELD_KEYS = [NEW_KEY, OLD_KEY]
    rotate()
    after_first = raw_column(note, "situation")

    output = rotate()

    assert "0 values re-encrypted in 0 rows, 1 already under the newest key" in output
    assert raw_column(note, "situation") == after_first


def test_rotation_does_not_touch_a_value_it_cannot_read(keys):
    note = SecretNote.objects.create(situation=PLAINTEXT)
    keys.KREDS_FIELD_KEYS = [NEW_KEY]
    with pytest.raises(crypto.DecryptionError):
        rotate()
    keys.KREDS_FIELD_KEYS = [OLD_KEY]
    assert SecretNote.objects.get(pk=note.pk).situation == PLAINTEXT


def test_rotation_without_keys_is_a_clear_error(settings, db):
    settings.KREDS_FIELD_KEYS = []
    with pytest.raises(Exception, match="FIELD_ENCRYPTION_KEYS"):
        rotate()


def test_generate_key_prints_a_valid_key(db):
    assert len(crypto.parse_key(rotate(generate_key=True).strip()).secret) == 32
