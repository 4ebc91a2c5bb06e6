"""Filters on the audit log. Values that make no sense are ignored, never an error page."""

import datetime as dt

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


# Dates far outside the log's life cannot be turned into times; they count as no filter.
SANE = [MinValueValidator(dt.date(2000, 1, 1)), MaxValueValidator(dt.date(2999, 12, 31))]


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput(), validators=SANE)
    until = forms.DateField(label=_("To"), required=False, widget=DateInput(), validators=SANE)

    def __init__(self, *args, actions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions")), *((a, a) for a in actions)]

    def filters(self) -> dict:
        """The valid filter values; an invalid one counts as no filter."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            "action": cleaned.get("action") or None,
            "since": cleaned.get("since"),
            "until": cleaned.get("until"),
        }
