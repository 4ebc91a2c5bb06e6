"""Coordinator forms for groups: the group's facts, and the filters on the list."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField

from kreds.groups import services
from kreds.groups.models import MIXED_GROUP_LABEL, Group, GroupStatus
from kreds.meetings.models import Venue
from kreds.organizations.forms import OrganizationI18nForm, readable_choices
from kreds.organizations.models import AgeBand, Topic


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class AgeBandChoiceField(SafeModelChoiceField):
    def label_from_instance(self, obj: AgeBand) -> str:
        return f"{obj} ({obj.range_label})"


class GroupForm(OrganizationI18nForm):
    """A group's facts. Topic, age band and venue are narrowed to the organization."""

    section_fields = [
        (_("The group"), ["name", "topic", "age_band", "status", "public_description"]),
        (
            _("Size and newcomers"),
            ["min_size", "max_size", "is_open_for_newcomers"],
        ),
        (
            _("Meetings"),
            ["cadence", "venue", "is_self_organized", "started_on", "ended_on"],
        ),
    ]

    class Meta:
        model = Group
        fields = [
            "name",
            "topic",
            "age_band",
            "status",
            "public_description",
            "min_size",
            "max_size",
            "is_open_for_newcomers",
            "cadence",
            "venue",
            "is_self_organized",
            "started_on",
            "ended_on",
        ]
        # Safe fields: the scoped managers refuse to build a queryset at import time.
        field_classes = {
            "topic": SafeModelChoiceField,
            "age_band": AgeBandChoiceField,
            "venue": SafeModelChoiceField,
        }
        widgets = {"started_on": DateInput(), "ended_on": DateInput()}
        help_texts = {
            "public_description": _(
                "Shown to people looking for a group. Never write anything about the members."
            ),
            "ended_on": _("Required when the group has ended."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organization = self.organization
        instance = self.instance
        self.fields["topic"].queryset = Topic.objects.filter(organization=organization).filter(
            Q(is_active=True) | Q(pk=instance.topic_id)
        )
        self.fields["age_band"].queryset = AgeBand.objects.filter(organization=organization)
        self.fields["venue"].queryset = Venue.objects.filter(organization=organization).filter(
            Q(is_active=True) | Q(pk=instance.venue_id)
        )
        if organization.offers_mixed_groups or (instance.pk and instance.topic_id is None):
            # No topic makes a mixed group, for people open to a group across topics.
            self.fields["topic"].required = False
            self.fields["topic"].empty_label = MIXED_GROUP_LABEL
        else:
            self.fields["topic"].required = True
            self.fields["topic"].empty_label = _("Choose a topic")
        self.fields["age_band"].empty_label = _("Choose an age band")
        self.fields["venue"].empty_label = _("No usual venue yet")
        org_range = {"min": organization.group_min_size, "max": organization.group_max_size}
        self.fields["min_size"].help_text = (
            _("Leave empty to use the organization's setting (%(min)s).") % org_range
        )
        self.fields["max_size"].help_text = (
            _("Leave empty to use the organization's setting (%(max)s).") % org_range
        )

    def clean(self):
        cleaned_data = super().clean()
        try:
            services.validate_group_data(organization=self.organization, data=cleaned_data)
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned_data


MIXED_TOPIC_FILTER = "mixed"


class TopicFilterIterator(forms.models.ModelChoiceIterator):
    """The topics, after "All topics" and, where offered, "Groups across topics"."""

    def __iter__(self):
        choices = super().__iter__()
        if self.field.empty_label is not None:
            yield next(choices)
        if self.field.offers_mixed:
            yield (MIXED_TOPIC_FILTER, _("Groups across topics"))
        yield from choices

    def __len__(self):
        return super().__len__() + (1 if self.field.offers_mixed else 0)


class TopicFilterField(forms.ModelChoiceField):
    """A topic, or MIXED_TOPIC_FILTER for the groups with no topic where mixed groups run."""

    iterator = TopicFilterIterator
    offers_mixed = False

    def to_python(self, value):
        if self.offers_mixed and value == MIXED_TOPIC_FILTER:
            return MIXED_TOPIC_FILTER
        return super().to_python(value)


class GroupFilterForm(forms.Form):
    """Filters on the group list. Values that make no sense are ignored, never an error page."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *readable_choices(GroupStatus.choices)],
    )
    topic = TopicFilterField(
        label=_("Topic"), required=False, queryset=Topic.objects.none(), empty_label=_("All topics")
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.filter(organization=organization)
        self.fields["topic"].offers_mixed = organization.offers_mixed_groups

    def filters(self) -> dict:
        """The valid filter values; an invalid one counts as no filter."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        topic = cleaned.get("topic")
        mixed = topic == MIXED_TOPIC_FILTER
        return {
            "status": cleaned.get("status") or None,
            "topic": None if mixed else topic,
            "mixed": mixed,
        }
