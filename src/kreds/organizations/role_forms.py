"""The form an organization's administrator uses to give someone a role."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kreds.organizations.forms import KredsFormMixin
from kreds.organizations.models import RoleKind


class GrantRoleForm(KredsFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("The address the person logs in to Kreds with."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    kind = forms.ChoiceField(
        label=_("Role"),
        choices=[(value, capfirst(label)) for value, label in RoleKind.choices],
        widget=forms.RadioSelect,
        help_text=_(
            "Coordinators and administrators see personal data and must log in in two steps."
        ),
    )
