"""The weekly time slots people give as their availability and groups meet in.

A slot is a weekday and a part of the day, written as `tue-evening`: the same ids the
group-forming engine uses (docs/matching.md).
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

WEEKDAYS: list[tuple[str, str]] = [
    ("mon", _("Monday")),
    ("tue", _("Tuesday")),
    ("wed", _("Wednesday")),
    ("thu", _("Thursday")),
    ("fri", _("Friday")),
    ("sat", _("Saturday")),
    ("sun", _("Sunday")),
]

DAY_PARTS: list[tuple[str, str]] = [
    ("morning", pgettext_lazy("part of the day", "morning")),
    ("afternoon", pgettext_lazy("part of the day", "afternoon")),
    ("evening", pgettext_lazy("part of the day", "evening")),
]

SLOT_IDS: list[str] = [f"{day}-{part}" for day, _d in WEEKDAYS for part, _p in DAY_PARTS]


def slot_label(slot_id: str) -> str:
    """`tue-evening` -> "Tuesday evening" in the active language; unknown ids as they are."""
    day, _sep, part = slot_id.partition("-")
    days, parts = dict(WEEKDAYS), dict(DAY_PARTS)
    if day not in days or part not in parts:
        return slot_id
    return f"{days[day]} {parts[part]}"


SLOT_CHOICES: list[tuple[str, str]] = [(slot, slot) for slot in SLOT_IDS]


def clean_slots(values) -> list[str]:
    """Known slot ids only, each once, in week order."""
    wanted = set(values or [])
    return [slot for slot in SLOT_IDS if slot in wanted]
