"""Helpers shared by the exporters and erasers of privacy/registry.py."""

from typing import Any

from django_scopes import scopes_disabled

Row = dict[str, Any]


def delete_rows(queryset, label: str) -> int:
    """Delete the rows (and what cascades from them); how many of model `label` went."""
    with scopes_disabled():
        _total, per_model = queryset.delete()
    return per_model.get(label, 0)


def text(value) -> str:
    """A translated label or lazy string as plain text for JSON; None as empty."""
    return str(value) if value is not None else ""
