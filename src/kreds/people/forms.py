"""Forms a person fills in about themselves."""

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kreds.people.models import Person


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form: the name to be called by and a language."""

    display_name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_(
            "Your first name or the name you want to be called. It need not be your legal name."
        ),
    )
    preferred_language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_name"].widget.attrs["autocomplete"] = "given-name"
        active = get_language()
        if active in dict(settings.LANGUAGES):
            self.fields["preferred_language"].initial = active

    def signup(self, request, user: Person) -> None:
        user.display_name = self.cleaned_data["display_name"]
        user.preferred_language = self.cleaned_data["preferred_language"]
        user.save(update_fields=["display_name", "preferred_language"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "display_name",
            "preferred_language",
            "birth_year",
            "gender",
            "municipality",
            "phone",
        ]
        widgets = {
            "birth_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "display_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
        }
