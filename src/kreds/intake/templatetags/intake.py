"""Template helpers for applications."""

from django import template

from kreds.meetings.slots import slot_label

register = template.Library()


@register.filter
def slot_labels(slot_ids) -> str:
    """["tue-evening", "thu-morning"] -> "Tuesday evening, Thursday morning"."""
    return ", ".join(slot_label(slot) for slot in slot_ids or [])
