"""Showing exported values on the "My data" page."""

import datetime as dt

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def shown(value) -> str:
    """A value as a person reads it: yes/no, dates in the local format, lists joined."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)
