"""Where and when groups meet: borrowed rooms and the meetings held in them."""

from datetime import timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from kreds.core.models import TimeStampedModel
from kreds.organizations.models import Organization


class VenueKind(models.TextChoices):
    LIBRARY = "library", _("library")
    VOLUNTEER_CENTRE = "volunteer_centre", _("volunteer centre")
    SCHOOL = "school", _("school")
    MUNICIPAL = "municipal", _("municipal premises")
    OWN = "own", _("the organization's own rooms")


class Venue(TimeStampedModel):
    """A room a group meets in, usually borrowed for free."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="venues")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=VenueKind.choices)
    address = models.CharField(_("street address"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    municipality = models.CharField(_("municipality"), max_length=80)
    accessibility_notes = models.TextField(
        _("accessibility"),
        blank=True,
        help_text=_(
            "Step-free access, lift, toilet, hearing loop, parking: what a visitor should know."
        ),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    is_active = models.BooleanField(_("in use"), default=True)
    slots = models.JSONField(
        _("times the venue can be booked"),
        default=list,
        blank=True,
        help_text=_("Weekly slot ids such as tue-evening."),
    )
    rooms = models.PositiveSmallIntegerField(
        _("groups at the same time"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("How many groups can meet here in the same slot."),
    )

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["municipality", "name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.municipality}"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    CANCELLED = "cancelled", _("cancelled")


class Meeting(TimeStampedModel):
    """One meeting of a group: who, when and where; never what was said."""

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("length in minutes"),
        default=120,
        validators=[MinValueValidator(15), MaxValueValidator(480)],
    )
    venue = models.ForeignKey(
        Venue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("venue"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )

    objects = ScopedManager(organization="group__organization")

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"{self.group} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)
