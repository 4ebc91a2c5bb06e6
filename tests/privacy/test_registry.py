"""The registry of exporters and erasers covers every model that holds personal data."""

from django.apps import apps
from django.conf import settings

from kreds.core.data_classes import MODELS, model_key
from kreds.privacy.registry import EXPORTED, SECTIONS, Erasure


def registered() -> set[str]:
    return {section.model for section in SECTIONS}


def models_linked_to_a_person() -> list[str]:
    person = apps.get_model(settings.AUTH_USER_MODEL)
    return sorted(
        model_key(model)
        for model in apps.get_models()
        if not model._meta.auto_created
        and any(
            field.is_relation and field.related_model is person
            for field in model._meta.get_fields()
            if not field.auto_created or field.concrete  # forward links, not reverse ones
        )
    )


def test_every_model_with_personal_data_has_an_eraser():
    missing = sorted(set(MODELS) - registered())
    assert not missing, f"Add a Section to kreds.privacy.registry for: {missing}"


def test_every_model_linked_to_a_person_has_an_eraser():
    linked = models_linked_to_a_person()
    assert "intake.Application" in linked  # the check finds what it should
    missing = sorted(set(linked) - registered())
    assert not missing, f"Add a Section to kreds.privacy.registry for: {missing}"


def test_registry_names_every_model_once_and_only_installed_ones():
    names = [section.model for section in SECTIONS]
    assert len(names) == len(set(names))
    for name in names:
        assert apps.get_model(name)


def test_registry_erases_applications_before_consents_and_the_person_last():
    order = [section.model for section in SECTIONS]
    assert order.index("intake.Application") < order.index("privacy.Consent")
    assert order[-1] == "people.Person"


def test_registry_keeps_the_audit_log_pseudonymised_and_exports_account_first():
    audit = next(section for section in SECTIONS if section.model == "audit.AuditEvent")
    assert audit.erasure == Erasure.KEEP_PSEUDONYMISED
    assert EXPORTED[0].key == "account"


def test_every_exported_section_has_columns_and_unique_key():
    keys = [section.key for section in SECTIONS]
    assert len(keys) == len(set(keys))
    assert all(section.columns for section in EXPORTED)
