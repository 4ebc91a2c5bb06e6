"""Coordinator forms for venues."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kreds.meetings.models import Venue
from kreds.organizations.forms import KredsFormMixin


class VenueForm(KredsFormMixin, forms.ModelForm):
    class Meta:
        model = Venue
        fields = [
            "name",
            "kind",
            "address",
            "postal_code",
            "municipality",
            "accessibility_notes",
            "latitude",
            "longitude",
            "is_active",
        ]
        widgets = {
            "address": forms.TextInput(attrs={"autocomplete": "off"}),
            "postal_code": forms.TextInput(attrs={"inputmode": "numeric"}),
            "latitude": forms.NumberInput(attrs={"step": "0.00001"}),
            "longitude": forms.NumberInput(attrs={"step": "0.00001"}),
        }
        help_texts = {
            "latitude": _("Optional. Used to suggest groups near where people live."),
            "longitude": _("Optional. For example 8.97 for Herning."),
            "is_active": _("Venues no longer in use are not offered for new groups."),
        }

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organization = organization
