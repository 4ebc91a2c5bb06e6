"""Forms for applying, for changing an application, and for the coordinator's intake pages."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kreds.core.templatetags.kreds import localized
from kreds.intake import queries, services
from kreds.intake.models import IntakeOutcome
from kreds.meetings.slots import DAY_PARTS, SLOT_IDS, WEEKDAYS, slot_label
from kreds.organizations.forms import FIELD_TEMPLATE, KredsFormMixin, readable_choices
from kreds.organizations.models import AgeBand, Municipality, Organization, Topic
from kreds.organizations.queries import active_topics, topics
from kreds.people.models import Gender
from kreds.privacy.models import Purpose
from kreds.privacy.texts import CURRENT

MIXED = queries.MIXED
MAX_KEEP_APART = 20
NOTE_MAX_LENGTH = services.NOTE_MAX_LENGTH
MEMBER_CHOICES = [
    ("member", _("I am a member")),
    ("will_become", _("I will become a member")),
]
WAITED_CHOICES = [
    ("", _("Any wait")),
    ("30", _("More than 30 days")),
    ("90", _("More than 90 days")),
    ("180", _("More than 180 days")),
]


class AvailabilityGrid(forms.CheckboxSelectMultiple):
    """Weekly slots as a table: a row per weekday, a column per part of the day.

    Every checkbox has its own label ("Tuesday evening"), read out by screen readers and
    hidden on screen, where the row and column headers say the same.
    """

    template_name = "intake/widgets/availability_grid.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        options = {
            option["value"]: option
            for _group, group_options, _index in context["widget"]["optgroups"]
            for option in group_options
        }
        context["widget"]["parts"] = [label for _part, label in DAY_PARTS]
        context["widget"]["rows"] = [
            (day_label, [options[f"{day}-{part}"] for part, _label in DAY_PARTS])
            for day, day_label in WEEKDAYS
        ]
        return context


def availability_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("When can you meet?"),
        help_text=_(
            "Tick every time of the week that usually suits you. The more you tick, "
            "the sooner we can find a group for you."
        ),
        choices=[(slot, slot_label(slot)) for slot in SLOT_IDS],
        widget=AvailabilityGrid,
        error_messages={"required": _("Please tick at least one time that suits you.")},
    )


def municipality_field(organization: Organization) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Municipality"),
        help_text=_("Where you live, so we can find a group near you."),
        queryset=queries.active_municipalities(organization),
        empty_label=_("Choose one"),
        error_messages={"invalid_choice": _("Please choose one of the municipalities offered.")},
    )


class ApplicationForm(KredsFormMixin, forms.Form):
    topic = forms.ChoiceField(
        label=_("What would you like a group about?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose a topic."),
            "invalid_choice": _("Please choose one of the topics offered."),
        },
    )
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        min_value=1900,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "bday-year"}),
        help_text=_("Groups are put together by age as well as topic."),
    )
    gender = forms.ChoiceField(
        label=_("Gender"),
        required=False,
        help_text=_("Only used to avoid leaving someone alone with their gender in a group."),
    )
    keep_apart = forms.CharField(
        label=_("People you do not want to be in a group with"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off", "spellcheck": "false"}),
        help_text=_(
            "Their email addresses, one per line. We keep only a scrambled code of each "
            "address, use it only to keep you apart, and never show it to anyone."
        ),
    )
    note = forms.CharField(
        label=_("A short note to the coordinator"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Anything you would like us to know before the intake talk (at most 500 "
            "characters). Please write nothing about other people."
        ),
    )
    consent = forms.BooleanField(
        error_messages={
            "required": _(
                "Without your consent we cannot keep your application, so nothing has "
                "been saved. Tick the box if you agree."
            )
        },
    )

    def __init__(self, *args, organization: Organization, person, **kwargs):
        self.organization = organization
        self.person = person
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = topic_choices(organization)
        self.fields["municipality"] = municipality_field(organization)
        self.fields["availability"] = availability_field()
        self.fields["gender"].choices = [("", _("I would rather not say"))] + readable_choices(
            Gender.choices
        )
        self.fields["birth_year"].max_value = timezone.localdate().year
        self.fields["birth_year"].widget.attrs["max"] = timezone.localdate().year
        self.fields["consent"].label = CURRENT[Purpose.TOPIC].text
        if organization.membership_required:
            self.fields["membership"] = forms.ChoiceField(
                label=_("Membership"),
                choices=MEMBER_CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": _("Please tell us whether you are a member.")},
            )
        for field in self.fields.values():
            field.template_name = FIELD_TEMPLATE
        self.order_fields(
            ["topic", "birth_year", "municipality", "availability", "gender", "membership"]
        )
        self._prefill(person)

    def _prefill(self, person) -> None:
        if person.birth_year:
            self.initial.setdefault("birth_year", person.birth_year)
        if person.gender:
            self.initial.setdefault("gender", person.gender)
        municipality = queries.matching_municipality(self.organization, person.municipality)
        if municipality is not None:
            self.initial.setdefault("municipality", municipality.pk)

    def clean_topic(self):
        value = self.cleaned_data["topic"]
        topic = None if value == MIXED else chosen_topic(self.organization, value)
        if services.has_open_application(
            organization=self.organization, person=self.person, topic=topic
        ):
            raise ValidationError(services.ALREADY_APPLIED)
        return topic

    def clean_birth_year(self):
        birth_year = self.cleaned_data["birth_year"]
        if not services.is_old_enough(self.organization, birth_year):
            raise ValidationError(services.too_young_message(self.organization))
        return birth_year

    def clean_keep_apart(self):
        lines = [line.strip() for line in self.cleaned_data["keep_apart"].splitlines()]
        emails = [line for line in lines if line]
        if len(emails) > MAX_KEEP_APART:
            raise ValidationError(
                _("Please list at most %(count)s addresses."), params={"count": MAX_KEEP_APART}
            )
        for email in emails:
            try:
                validate_email(email)
            except ValidationError:
                raise ValidationError(
                    _("“%(line)s” is not an email address. Write one address per line."),
                    params={"line": email[:80]},
                ) from None
        return emails

    def clean(self):
        cleaned_data = super().clean()
        if "membership" in cleaned_data:
            cleaned_data["is_member"] = cleaned_data["membership"] == "member"
        return cleaned_data


def topic_choices(organization: Organization) -> list[tuple[str, str]]:
    """The organization's active topics, and a mixed group where it runs them."""
    choices = [(str(topic.pk), localized(topic.name)) for topic in active_topics(organization)]
    if organization.offers_mixed_groups:
        choices.append((MIXED, str(_("I am open to a group across topics"))))
    return choices


def chosen_topic(organization: Organization, value: str) -> Topic:
    topic = active_topics(organization).filter(pk=value).first() if value.isdigit() else None
    if topic is None:
        raise ValidationError(_("Please choose one of the topics offered."))
    return topic


class ApplicationEditForm(KredsFormMixin, forms.Form):
    """What the applicant may change: where they live and when they can meet."""

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"] = municipality_field(organization)
        self.fields["availability"] = availability_field()
        for field in self.fields.values():
            field.template_name = FIELD_TEMPLATE


# The coordinator's forms


class PlanTalkForm(KredsFormMixin, forms.Form):
    talk_on = forms.DateField(
        label=_("Date of the intake talk"), widget=forms.DateInput(attrs={"type": "date"})
    )


class OutcomeForm(KredsFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("How did the intake talk end?"),
        choices=readable_choices(IntakeOutcome.choices),
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose how the talk ended.")},
    )


class ApplicationFilterForm(forms.Form):
    """Filters on the coordinator's lists. Values that make no sense are ignored."""

    topic = forms.ChoiceField(label=_("Topic"), required=False)
    age_band = forms.ModelChoiceField(
        label=_("Age band"),
        required=False,
        queryset=AgeBand.objects.none(),
        empty_label=_("All ages"),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        required=False,
        queryset=Municipality.objects.none(),
        empty_label=_("All municipalities"),
    )
    waited = forms.ChoiceField(label=_("Waited"), required=False, choices=WAITED_CHOICES)

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.fields["topic"].choices = [
            ("", _("All topics")),
            *topic_choices_all(organization),
        ]
        self.fields["age_band"].queryset = AgeBand.objects.filter(organization=organization)
        self.fields["age_band"].label_from_instance = age_band_label
        self.fields["municipality"].queryset = Municipality.objects.filter(
            organization=organization
        )

    def filters(self, stage: str) -> queries.Filters:
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        topic_value = cleaned.get("topic") or ""
        topic = None
        if topic_value.isdigit():
            topic = topics(self.organization).filter(pk=topic_value).first()
        waited = cleaned.get("waited") or ""
        return queries.Filters(
            stage=stage,
            topic=topic,
            mixed=topic_value == MIXED,
            age_band=cleaned.get("age_band"),
            municipality=cleaned.get("municipality"),
            waited_days=int(waited) if waited.isdigit() else None,
        )


def topic_choices_all(organization: Organization) -> list[tuple[str, str]]:
    choices = [(str(topic.pk), localized(topic.name)) for topic in topics(organization)]
    if organization.offers_mixed_groups:
        choices.append((MIXED, str(_("Open to a group across topics"))))
    return choices


def age_band_label(band: AgeBand) -> str:
    return f"{localized(band.name)} ({band.range_label})"
