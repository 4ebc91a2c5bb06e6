"""Applications for a group: from "I would like a group" to a place in one.

Kreds records the intake talk's date and outcome only, never notes about the person.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager

from kreds.core.fields import EncryptedTextField, RowKeyField
from kreds.core.models import TimeStampedModel
from kreds.organizations.models import Municipality, Organization, Topic
from kreds.people.models import Gender


class ApplicationStatus(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("application status", "received")
    TALK_PLANNED = "talk_planned", pgettext_lazy("application status", "intake talk planned")
    WAITING = "waiting", pgettext_lazy("application status", "waiting")
    OFFERED = "offered", pgettext_lazy("application status", "offered a place")
    PLACED = "placed", pgettext_lazy("application status", "placed")
    WITHDRAWN = "withdrawn", pgettext_lazy("application status", "withdrawn")
    REFERRED = "referred", pgettext_lazy("application status", "referred elsewhere")
    DECLINED = "declined", pgettext_lazy("application status", "declined after the intake talk")


# Statuses of an application that is still in play: it counts on the waiting list.
OPEN_STATUSES = [
    ApplicationStatus.RECEIVED,
    ApplicationStatus.TALK_PLANNED,
    ApplicationStatus.WAITING,
    ApplicationStatus.OFFERED,
]


class IntakeOutcome(models.TextChoices):
    FITS = "fits", _("fits a group and goes on the waiting list")
    REFERRED = "referred", _("referred elsewhere")
    DECLINED = "declined", _("declined by the person")


class Application(TimeStampedModel):
    """One person's wish for a group on one topic (or a mixed group) in one organization."""

    row_key = RowKeyField()
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="applications"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    topic = models.ForeignKey(
        Topic,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("topic"),
        help_text=_("Empty: open to a group across topics."),
    )
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"), validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("municipality"),
    )
    availability = models.JSONField(
        _("weekly availability"), default=list, blank=True, help_text=_("Slot ids: tue-evening.")
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    keep_apart_hashes = models.JSONField(
        _("people to keep apart from (keyed hashes)"), default=list, blank=True
    )
    email_hash = models.CharField(
        _("own email address (keyed hash)"),
        max_length=64,
        blank=True,
        db_index=True,
        help_text=_("Matched against other applicants' keep-apart hashes; never shown."),
    )
    note = EncryptedTextField(_("note to the coordinator"), blank=True, default="")
    is_member = models.BooleanField(_("member of the organization"), null=True, blank=True)
    consent = models.ForeignKey(
        "privacy.Consent",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("consent"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.RECEIVED,
    )
    intake_talk_on = models.DateField(_("intake talk"), null=True, blank=True)
    intake_outcome = models.CharField(
        _("outcome of the intake talk"), max_length=10, choices=IntakeOutcome.choices, blank=True
    )
    waiting_since = models.DateTimeField(_("on the waiting list since"), null=True, blank=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["organization", "status"], name="application_org_status"),
        ]

    def __str__(self) -> str:
        return f"{_('application')} {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
