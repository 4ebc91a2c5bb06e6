"""Every field of Kreds has a data class, every personal-data model a retention rule, and
docs/privacy.md matches the registry."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from kreds.core import data_classes as dc
from kreds.core.management.commands.privacy_record import render_privacy_record
from kreds.groups.models import GroupMembership
from kreds.people.models import Person

ROOT = Path(__file__).resolve().parents[2]
RECORD = ROOT / "docs" / "privacy.md"


def test_project_models_are_found():
    labels = {dc.model_key(model) for model in dc.project_models()}
    assert {"people.Person", "groups.GroupMembership", "organizations.Organization"} <= labels


def test_every_field_of_every_project_model_has_a_data_class():
    missing = dc.unclassified_fields()
    assert not missing, (
        "Fields without a data class: add them to FIELDS in kreds/core/data_classes.py, "
        f"then run `manage.py privacy_record`: {missing}"
    )


def test_a_field_missing_from_the_registry_is_reported(monkeypatch):
    """The check above can fail: a field the registry does not know is named."""
    fields = dict(dc.FIELDS)
    del fields["people.Person.phone"]
    monkeypatch.setattr(dc, "FIELDS", fields)
    assert dc.unclassified_fields() == ["people.Person.phone"]
    assert dc.masks(Person, "phone")  # and the audit log masks it meanwhile


def test_every_model_with_personal_data_has_a_retention_rule():
    missing = dc.models_without_retention()
    assert not missing, f"Models with personal data but no entry in MODELS: {missing}"


def test_registry_names_no_field_that_is_gone():
    stale = dc.stale_entries()
    assert not stale, f"FIELDS names fields that no model has any more: {stale}"


def test_every_processing_entry_is_filled_in():
    for key, processing in dc.MODELS.items():
        assert all(vars(processing).values()), key
        assert processing.retention.rule, key
        assert processing.retention.text, key


def test_group_membership_is_special_category_in_every_part_that_links_a_person():
    for name in ("group", "person", "role", "joined_on", "left_on"):
        assert dc.data_class(GroupMembership, name) == dc.DataClass.SPECIAL


@pytest.mark.parametrize("name", ["email", "display_name", "phone", "birth_year", "password"])
def test_person_contact_and_identity_fields_are_personal(name):
    assert dc.data_class(Person, name) == dc.DataClass.PERSONAL


def test_unknown_field_is_masked():
    assert dc.masks(Person, "favourite_colour")
    assert not dc.masks(Person, "is_active")


# --- docs/privacy.md --------------------------------------------------------------------------


def test_privacy_record_is_up_to_date_with_the_registry():
    assert RECORD.exists(), "docs/privacy.md is missing: run `manage.py privacy_record`"
    assert RECORD.read_text(encoding="utf-8") == render_privacy_record(), (
        "docs/privacy.md is out of date: run `manage.py privacy_record`"
    )


def test_privacy_record_lists_every_personal_model_with_its_retention():
    record = render_privacy_record()
    for key, processing in dc.MODELS.items():
        assert f"### `{key}`" in record
        assert processing.retention.rule in record


def test_privacy_record_command_writes_the_record(tmp_path):
    target = tmp_path / "privacy.md"
    call_command("privacy_record", output=target, stdout=io.StringIO())
    assert target.read_text(encoding="utf-8") == render_privacy_record()


def test_privacy_record_check_fails_on_a_stale_file(tmp_path):
    target = tmp_path / "privacy.md"
    target.write_text("# old\n", encoding="utf-8")
    with pytest.raises(CommandError, match="out of date"):
        call_command("privacy_record", output=target, check=True, stdout=io.StringIO())
    call_command("privacy_record", output=target, stdout=io.StringIO())
    call_command("privacy_record", output=target, check=True, stdout=io.StringIO())
