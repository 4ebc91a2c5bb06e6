"""Reads about one person, for their own eyes: their data, their consents."""

from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django_scopes import scopes_disabled

from kreds.privacy.models import Consent
from kreds.privacy.registry import EXPORTED, Row, Section


@dataclass(frozen=True)
class DataSection:
    section: Section
    rows: list[Row]

    @property
    def table(self) -> list[list[tuple[Any, Any]]]:
        """Each row as (label, value) pairs in the section's column order."""
        return [[(label, row.get(key)) for key, label in self.section.columns] for row in self.rows]


def personal_data(person) -> list[DataSection]:
    """Everything Kreds holds about `person`, section by section (privacy/registry.py)."""
    return [DataSection(section, section.export(person)) for section in EXPORTED]


def export_document(person) -> dict[str, Any]:
    """The download: every section's rows under its key, with the time of the export."""
    return {
        "exported_at": timezone.now(),
        **{item.section.key: item.rows for item in personal_data(person)},
    }


def active_consent(person, consent_id: int) -> Consent | None:
    """The person's own consent that is still in force, or None.

    Allow-listed scopes_disabled(): filtered on the person.
    """
    with scopes_disabled():
        return (
            Consent.objects.filter(person=person, pk=consent_id, withdrawn_at__isnull=True)
            .select_related("organization")
            .first()
        )
