"""The coordinator's form for a municipality the organization serves."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kreds.organizations.forms import FIELD_TEMPLATE, KredsFormMixin
from kreds.organizations.models import Municipality


class MunicipalityForm(KredsFormMixin, forms.ModelForm):
    class Meta:
        model = Municipality
        fields = ["name", "latitude", "longitude", "is_active"]
        help_texts = {
            "latitude": _("In decimal degrees, for example 56.13856 for Herning."),
            "longitude": _("In decimal degrees, for example 8.97340 for Herning."),
            "is_active": _("Only municipalities in use are offered to people applying."),
        }
        widgets = {
            "latitude": forms.NumberInput(attrs={"step": "0.00001", "inputmode": "decimal"}),
            "longitude": forms.NumberInput(attrs={"step": "0.00001", "inputmode": "decimal"}),
        }

    def __init__(self, *args, organization, **kwargs):
        self.organization = organization
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.template_name = FIELD_TEMPLATE

    def validate_unique(self):
        """The service checks the name per organization; the form has no organization field."""
