"""The organization (the tenant), the roles people hold in it, and its topics and age bands."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager
from i18nfield.fields import I18nCharField, I18nTextField

from kreds.core.models import TimeStampedModel

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
RESERVED_SLUGS = {"admin", "accounts", "i18n", "me", "static", "media"}
# The smallest and largest limit on the age difference in a group (years).
MIN_AGE_SPAN, MAX_AGE_SPAN = 5, 80


def validate_slug_not_reserved(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(_("This short name is reserved. Please choose another."))


class Country(models.TextChoices):
    DENMARK = "DK", _("Denmark")
    NORWAY = "NO", _("Norway")


class Organization(TimeStampedModel):
    """A self-help centre that runs groups; every other record belongs to one."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(
        _("short name in web addresses"),
        max_length=40,
        unique=True,
        validators=[validate_slug_not_reserved],
        help_text=_("Lower-case letters, digits and hyphens, for example selvhjaelp-herning."),
    )
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    languages = models.JSONField(
        _("languages offered"),
        default=list,
        help_text=_("The first language is the organization's own and is shown first."),
    )
    time_zone = models.CharField(_("time zone"), max_length=40, default="Europe/Copenhagen")
    introduction = I18nTextField(_("introduction on the home page"), blank=True, null=True)

    daily_leader_name = models.CharField(_("daily leader"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact email"))
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)

    membership_required = models.BooleanField(_("paid membership required"), default=False)
    annual_fee = models.PositiveIntegerField(
        _("annual membership fee"), default=0, help_text=_("In whole kroner.")
    )
    currency = models.CharField(_("currency"), max_length=3, default="DKK")
    minimum_age = models.PositiveSmallIntegerField(
        _("minimum age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    group_min_size = models.PositiveSmallIntegerField(
        _("smallest group"), default=5, validators=[MinValueValidator(2), MaxValueValidator(30)]
    )
    group_max_size = models.PositiveSmallIntegerField(
        _("largest group"), default=8, validators=[MinValueValidator(2), MaxValueValidator(30)]
    )
    starters_min = models.PositiveSmallIntegerField(
        _("fewest starters per group"), default=0, validators=[MaxValueValidator(2)]
    )
    starters_max = models.PositiveSmallIntegerField(
        _("most starters per group"), default=2, validators=[MaxValueValidator(2)]
    )
    offers_mixed_groups = models.BooleanField(_("runs groups across topics"), default=False)
    retention_days = models.PositiveIntegerField(
        _("keep personal data after a group ends (days)"), default=365
    )
    offer_days = models.PositiveSmallIntegerField(
        _("days to answer an offered place"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    max_travel_km = models.PositiveSmallIntegerField(
        _("maximum distance to a group (km)"),
        default=40,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
        help_text=_(
            "Kreds only proposes a group to people and starters who live at most this far "
            "from the group's venue, as the crow flies."
        ),
    )
    max_age_span = models.PositiveSmallIntegerField(
        _("largest age difference in a group (years)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_AGE_SPAN), MaxValueValidator(MAX_AGE_SPAN)],
        help_text=_(
            "Kreds only proposes groups whose oldest and youngest members are at most this "
            "many years apart. Leave empty when the age bands are enough."
        ),
    )

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(group_min_size__lte=models.F("group_max_size")),
                name="organization_group_size_range",
            ),
            models.CheckConstraint(
                condition=models.Q(starters_min__lte=models.F("starters_max")),
                name="organization_starters_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def primary_language(self) -> str:
        return self.languages[0] if self.languages else settings.LANGUAGE_CODE

    @property
    def language_choices(self) -> list[tuple[str, str]]:
        names = dict(settings.LANGUAGES)
        return [(code, names[code]) for code in self.languages if code in names]

    def get_absolute_url(self) -> str:
        return reverse("public:home", kwargs={"org": self.slug})


class RoleKind(models.TextChoices):
    COORDINATOR = "coordinator", _("coordinator")
    STARTER = "starter", pgettext_lazy("volunteer who starts a group", "starter")
    ADMIN = "admin", _("administrator")


class Role(TimeStampedModel):
    """A person's role in one organization. Participants need none."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="roles")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles"
    )
    kind = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "person", "kind"], name="role_unique_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_kind_display()})"


class Topic(TimeStampedModel):
    """The shared life situation a group gathers around: grief, illness, divorce, ..."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="topics")
    name = I18nCharField(_("name"), max_length=120)
    description = I18nTextField(_("description"), blank=True, null=True)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return str(self.name)


class AgeBandKind(models.TextChoices):
    CHILDREN = "children", _("children")
    YOUTH = "youth", _("youth")
    ADULTS = "adults", _("adults")
    ELDERLY = "elderly", _("elderly")


class AgeBand(TimeStampedModel):
    """An age range groups are put together by, such as youth 15-24."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="age_bands"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AgeBandKind.choices)
    name = I18nCharField(_("name"), max_length=80)
    min_age = models.PositiveSmallIntegerField(_("from age"), validators=[MaxValueValidator(120)])
    max_age = models.PositiveSmallIntegerField(
        _("to age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("age band")
        verbose_name_plural = _("age bands")
        ordering = ["min_age"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_age__isnull=True)
                | models.Q(min_age__lte=models.F("max_age")),
                name="age_band_range",
            )
        ]

    def __str__(self) -> str:
        return str(self.name)

    @property
    def range_label(self) -> str:
        if self.max_age is None:
            return f"{self.min_age}+"
        return f"{self.min_age}–{self.max_age}"


class Municipality(TimeStampedModel):
    """A municipality the organization serves, with a point for travel distances."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="municipalities"
    )
    name = models.CharField(_("name"), max_length=80)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    is_active = models.BooleanField(_("in use"), default=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="municipality_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name
