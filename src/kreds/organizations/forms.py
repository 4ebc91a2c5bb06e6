"""Coordinator forms for an organization, and the form machinery the coordinator area shares.

Translated text (topic names, introductions, group descriptions) is edited with one input per
language the organization offers, inside a <fieldset> whose <legend> is the field's label, each
input with its own <label>. i18nfield's own widget labels its inputs by `title` only.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from i18nfield.forms import I18nFormField, I18nModelForm, I18nTextarea, I18nWidget
from i18nfield.strings import LazyI18nString

from kreds.organizations import services
from kreds.organizations.models import AgeBand, Organization, Topic

FIELD_TEMPLATE = "organizations/forms/field.html"
LANGUAGE_NAMES = dict(settings.LANGUAGES)


class LabelledI18nWidget(I18nWidget):
    """One labelled input per language, rendered from a template."""

    template_name = "organizations/widgets/i18n.html"
    required_locale: str | None = None

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)
        return self._render(self.template_name, context, renderer)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for locale, subwidget in zip(self.locales, context["widget"]["subwidgets"], strict=True):
            subwidget["language_name"] = LANGUAGE_NAMES.get(locale, locale)
            subwidget["attrs"].pop("placeholder", None)
            if "rows" in subwidget["attrs"]:
                subwidget["attrs"]["rows"] = 4
            if locale == self.required_locale:
                subwidget["attrs"]["required"] = True
        return context


class LabelledI18nTextarea(LabelledI18nWidget):
    widget = forms.Textarea


def labelled_i18n_field(field: I18nFormField, locales: list[str]) -> I18nFormField:
    """A copy of an i18n form field with one labelled input per locale, in the given order."""
    textarea = isinstance(field.widget, I18nTextarea)
    new = I18nFormField(
        locales=locales,
        widget=LabelledI18nTextarea if textarea else LabelledI18nWidget,
        label=field.label,
        help_text=field.help_text,
        required=field.one_required,
        max_length=field.fields[0].max_length if field.fields else None,
    )
    new.widget.required_locale = locales[0] if field.one_required and locales else None
    return new


def readable_choices(choices):
    """Model choices start lower-case and with a dashed blank; in a list they read better so."""
    return [
        (value, _("Choose one") if value == "" else capfirst(label)) for value, label in choices
    ]


class KredsFormMixin:
    """Renders every field with our field template, marking optional fields.

    A long form may set `section_fields`, a list of (heading, field names), to be shown
    in sections with a heading each.
    """

    section_fields: list = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.template_name = FIELD_TEMPLATE
            if isinstance(field, forms.TypedChoiceField):
                field.choices = readable_choices(field.choices)

    @property
    def optional_field_names(self) -> set[str]:
        optional = set()
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.CheckboxInput):
                continue
            required = field.one_required if isinstance(field, I18nFormField) else field.required
            if not required:
                optional.add(name)
        return optional

    def sections(self):
        """(heading, bound fields) pairs from the form's `section_fields`, for long forms."""
        return [
            (heading, [self[name] for name in names if name in self.fields])
            for heading, names in self.section_fields
        ]


class OrganizationI18nForm(KredsFormMixin, I18nModelForm):
    """A model form for one organization's data, with translated fields in its languages.

    Text in a language the organization no longer offers is kept, not erased.
    """

    def __init__(self, *args, organization: Organization, **kwargs):
        self.organization = organization
        self.locales = list(organization.languages) or [settings.LANGUAGE_CODE]
        super().__init__(*args, locales=self.locales, **kwargs)
        for name, field in list(self.fields.items()):
            if isinstance(field, I18nFormField):
                self.fields[name] = labelled_i18n_field(field, self.locales)
                self.fields[name].template_name = FIELD_TEMPLATE

    def i18n_field_names(self) -> list[str]:
        return [name for name, field in self.fields.items() if isinstance(field, I18nFormField)]

    def clean(self):
        cleaned_data = super().clean()
        for name in self.i18n_field_names():
            if name not in cleaned_data:
                continue
            self._require_main_language(name, cleaned_data[name])
            cleaned_data[name] = self._keep_other_languages(name, cleaned_data.get(name))
        return cleaned_data

    def _require_main_language(self, name: str, value: LazyI18nString) -> None:
        field = self.fields[name]
        main = self.locales[0]
        if field.one_required and isinstance(value.data, dict) and not value.data.get(main):
            self.add_error(
                name,
                _("Please write this in %(language)s, the organization's main language.")
                % {"language": LANGUAGE_NAMES.get(main, main)},
            )

    def _keep_other_languages(self, name: str, value: LazyI18nString | None):
        if value is None or self.instance.pk is None:
            return value
        old = getattr(self.instance, name, None)
        if old is None or not isinstance(old.data, dict) or not isinstance(value.data, dict):
            return value
        kept = {code: text for code, text in old.data.items() if code not in self.locales}
        return LazyI18nString({**kept, **value.data}) if kept else value


class TopicForm(OrganizationI18nForm):
    class Meta:
        model = Topic
        fields = ["name", "description", "is_active", "position"]
        help_texts = {
            "description": _("Shown to people looking for a group. Keep it short and plain."),
            "is_active": _("Inactive topics are hidden from people looking for a group."),
            "position": _("Topics with lower numbers are listed first."),
        }


class AgeBandForm(OrganizationI18nForm):
    class Meta:
        model = AgeBand
        fields = ["kind", "name", "min_age", "max_age"]
        help_texts = {"max_age": _("Leave empty when there is no upper age.")}

    def clean(self):
        cleaned_data = super().clean()
        try:
            services.validate_age_range(
                min_age=cleaned_data.get("min_age"), max_age=cleaned_data.get("max_age")
            )
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned_data


TIME_ZONE_CHOICES = [
    ("Europe/Copenhagen", _("Denmark (Copenhagen)")),
    ("Europe/Oslo", _("Norway (Oslo)")),
]
CURRENCY_CHOICES = [("DKK", _("Danish kroner (DKK)")), ("NOK", _("Norwegian kroner (NOK)"))]


class OrganizationSettingsForm(OrganizationI18nForm):
    """Name, languages, time zone, introduction, contact and policies. The slug stays fixed."""

    main_language = forms.ChoiceField(
        label=_("Main language"),
        choices=settings.LANGUAGES,
        help_text=_("The organization's own language: shown first, and required in every text."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages offered"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Offer at least one language.")},
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONE_CHOICES)
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCY_CHOICES)
    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https"
    )

    section_fields = [
        (_("Name and languages"), ["name", "main_language", "languages", "time_zone"]),
        (_("Introduction"), ["introduction"]),
        (
            _("Contact"),
            ["daily_leader_name", "contact_email", "contact_phone", "address", "website"],
        ),
        (_("Membership"), ["membership_required", "annual_fee", "currency", "minimum_age"]),
        (
            _("Groups"),
            [
                "group_min_size",
                "group_max_size",
                "starters_min",
                "starters_max",
                "offers_mixed_groups",
                "offer_days",
                "max_travel_km",
                "max_age_span",
            ],
        ),
        (_("Personal data"), ["retention_days"]),
    ]

    class Meta:
        model = Organization
        fields = [
            "name",
            "languages",
            "time_zone",
            "introduction",
            "daily_leader_name",
            "contact_email",
            "contact_phone",
            "address",
            "website",
            "membership_required",
            "annual_fee",
            "currency",
            "minimum_age",
            "group_min_size",
            "group_max_size",
            "starters_min",
            "starters_max",
            "offers_mixed_groups",
            "offer_days",
            "max_travel_km",
            "max_age_span",
            "retention_days",
        ]
        widgets = {"contact_phone": forms.TextInput(attrs={"type": "tel"})}
        help_texts = {
            "minimum_age": _("Leave empty when there is no lower age limit."),
            "retention_days": _(
                "How long we keep participants' personal data after their group has ended."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["main_language"].initial = self.locales[0]
        self.fields["languages"].initial = self.locales
        self.order_fields(name for _heading, names in self.section_fields for name in names)

    def clean(self):
        cleaned_data = super().clean()
        main = cleaned_data.get("main_language")
        chosen = cleaned_data.get("languages")
        if main and chosen is not None:
            if main not in chosen:
                self.add_error(
                    "main_language", _("The main language must be one of the languages offered.")
                )
            else:
                cleaned_data["languages"] = services.ordered_languages(
                    main=main, chosen=chosen, previous=self.locales
                )
        try:
            services.validate_organization_policies(cleaned_data)
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned_data
