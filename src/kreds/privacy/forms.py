from django import forms
from django.utils.translation import gettext_lazy as _


class WithdrawConsentForm(forms.Form):
    consent = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class EraseAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my account and my information are erased for good."),
        error_messages={"required": _("Tick the box if you want to erase your account.")},
    )
