"""Forms for forming groups: a starter's capacity, a run, moves, accepting and answering."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kreds.core.forms import IdMultipleChoiceField
from kreds.meetings.slots import SLOT_IDS, slot_label
from kreds.organizations.forms import KredsFormMixin
from kreds.organizations.models import Municipality, Topic
from kreds.placement.proposal import TO_LIST

SECONDS_CHOICES = [
    (10, _("10 seconds")),
    (30, _("30 seconds")),
    (60, _("1 minute")),
    (120, _("2 minutes")),
]


class StarterCapacityForm(KredsFormMixin, forms.Form):
    field_order = ["topics", "starts_mixed_groups", "municipality", "slots", "max_groups"]

    topics = IdMultipleChoiceField(
        queryset=Topic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Topics the starter can help start"),
    )
    municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.none(),
        required=False,
        label=_("Municipality"),
        help_text=_("Where the starter travels from."),
    )
    slots = forms.MultipleChoiceField(
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Weekly times the starter can come"),
    )
    max_groups = forms.IntegerField(
        min_value=0,
        max_value=10,
        initial=1,
        label=_("Groups at a time"),
        help_text=_("How many groups the starter can help start at the same time. 0: none now."),
    )
    starts_mixed_groups = forms.BooleanField(
        required=False,
        label=_("Can start mixed groups"),
        help_text=_("Groups for people who are open to a group across topics."),
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        if not organization.offers_mixed_groups:
            # The organization runs no mixed groups: the choice is kept, not offered.
            del self.fields["starts_mixed_groups"]
        self.fields["topics"].queryset = Topic.objects.filter(
            organization=organization, is_active=True
        )
        self.fields["municipality"].queryset = Municipality.objects.filter(
            organization=organization, is_active=True
        )
        self.fields["slots"].choices = [(slot, slot_label(slot)) for slot in SLOT_IDS]


class StartRunForm(KredsFormMixin, forms.Form):
    time_limit = forms.TypedChoiceField(
        choices=SECONDS_CHOICES,
        coerce=int,
        initial=30,
        label=_("How long may Kreds look for the best groups?"),
        help_text=_("Longer can give a slightly better proposal for a long waiting list."),
    )


class MoveForm(forms.Form):
    application = forms.CharField(max_length=20)
    target = forms.CharField(max_length=20)

    def clean_application(self):
        value = self.cleaned_data["application"]
        if not value.isdigit():
            raise forms.ValidationError(_("Choose a person from the proposal."))
        return value

    def clean_target(self):
        value = self.cleaned_data["target"]
        if value != TO_LIST and not (value.startswith("g") and value[1:].isdigit()):
            raise forms.ValidationError(_("Choose one of the proposed groups."))
        return value


class AcceptForm(forms.Form):
    group = forms.CharField(max_length=20)


class AnswerForm(forms.Form):
    offer = forms.IntegerField(min_value=1)
    answer = forms.ChoiceField(choices=[("accept", "accept"), ("decline", "decline")])


class WithdrawForm(forms.Form):
    offer = forms.IntegerField(min_value=1)
