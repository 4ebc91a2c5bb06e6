"""The filter on "Find a group": plain GET selects that work without JavaScript."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kreds.organizations.models import Organization
from kreds.organizations.queries import active_topics, age_bands
from kreds.public.queries import venue_municipalities


class TopicChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name.localize(get_language())


class AgeBandChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name.localize(get_language())} ({obj.range_label})"


class GroupFilterForm(forms.Form):
    """Choices come from this organization only; anything else in the query is ignored."""

    topic = TopicChoiceField(
        label=_("Topic"), queryset=None, required=False, empty_label=_("All topics")
    )
    age_band = AgeBandChoiceField(
        label=_("Age group"), queryset=None, required=False, empty_label=_("All ages")
    )
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)

    def __init__(self, data, *, organization: Organization) -> None:
        super().__init__(data, label_suffix="", use_required_attribute=False)
        self.fields["topic"].queryset = active_topics(organization)
        self.fields["age_band"].queryset = age_bands(organization)
        self.fields["municipality"].choices = [("", _("All municipalities"))] + [
            (name, name) for name in venue_municipalities(organization)
        ]

    def filters(self) -> dict:
        """The valid choices, as keyword arguments for `joinable_groups`; invalid ones dropped."""
        self.is_valid()
        for name in self.errors:  # the template says the stale choice was dropped
            self.fields[name].widget.attrs.update(
                {"aria-invalid": "true", "aria-describedby": f"id_{name}_error"}
            )
        cleaned = self.cleaned_data
        return {
            "topic": cleaned.get("topic"),
            "age_band": cleaned.get("age_band"),
            "municipality": cleaned.get("municipality") or "",
        }

    @property
    def is_filtered(self) -> bool:
        return any(self.filters().values())
