"""Forming groups from the waiting list: starters' capacity, engine runs and offered places.

A run's `solution` holds what the engine proposed and `proposal` the coordinator's working
copy of it; both hold ids only (applications, starters as person ids, venues, topics, age
bands, slot ids), never names or free text.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager

from kreds.core.models import TimeStampedModel
from kreds.organizations.models import Municipality, Organization, Topic


class StarterCapacity(TimeStampedModel):
    """What one volunteer starter can take on: topics, where they live, when, how many groups.

    `starts_mixed_groups`: the starter can also start a mixed group (people open to a group
    across topics), where the organization runs them.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="starter_capacities"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="starter_capacities"
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="starter_capacities", verbose_name=_("topics")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="starter_capacities",
        verbose_name=_("municipality"),
        help_text=_("Where the starter travels from, to keep the way to the group short."),
    )
    slots = models.JSONField(_("weekly availability"), default=list, blank=True)
    max_groups = models.PositiveSmallIntegerField(
        _("groups at a time"),
        default=1,
        validators=[MaxValueValidator(10)],
        help_text=_("How many groups the starter can help start at the same time. 0: none now."),
    )
    starts_mixed_groups = models.BooleanField(
        _("can start mixed groups"),
        default=False,
        help_text=_("Groups for people who are open to a group across topics."),
    )

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("starter's capacity")
        verbose_name_plural = _("starters' capacity")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "person"], name="starter_capacity_one_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{_('starter capacity')} {self.pk}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("matching run", "waiting to start")
    RUNNING = "running", pgettext_lazy("matching run", "working")
    DONE = "done", pgettext_lazy("matching run", "done")
    FAILED = "failed", pgettext_lazy("matching run", "failed")


PHASE_LABELS = {
    "": _("Waiting for the background worker to pick up the job."),
    "prepare": _("Reading the waiting list and finding possible groups."),
    "relax": _("Looking at each topic on its own."),
    "bound": _("Checking how good the proposal can get."),
    "solve": _("Putting the groups together."),
    "couple": _("Sharing rooms and starters between topics."),
    "done": _("Done."),
}


class MatchingRun(TimeStampedModel):
    """One run of the group-forming engine on an organization's waiting list."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="matching_runs"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    phase = models.CharField(_("phase"), max_length=20, blank=True)
    percent = models.PositiveSmallIntegerField(
        _("progress in percent"), default=0, validators=[MaxValueValidator(100)]
    )
    time_limit = models.PositiveSmallIntegerField(
        _("time limit in seconds"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    solution = models.JSONField(_("the engine's proposal"), null=True, blank=True)
    proposal = models.JSONField(_("the proposal as edited"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=60, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("group proposal")
        verbose_name_plural = _("group proposals")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{_('group proposal')} {self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)

    @property
    def phase_label(self) -> str:
        return str(PHASE_LABELS.get(self.phase, PHASE_LABELS["solve"]))


class OfferStatus(models.TextChoices):
    OFFERED = "offered", pgettext_lazy("offer status", "waiting for an answer")
    ACCEPTED = "accepted", pgettext_lazy("offer status", "accepted")
    DECLINED = "declined", pgettext_lazy("offer status", "declined")
    EXPIRED = "expired", pgettext_lazy("offer status", "expired")
    WITHDRAWN = "withdrawn", pgettext_lazy("offer status", "withdrawn")


class Offer(TimeStampedModel):
    """A place in a forming group offered to one applicant, open until `expires_at`."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="offers")
    application = models.ForeignKey(
        "intake.Application", on_delete=models.CASCADE, related_name="offers"
    )
    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="offers")
    status = models.CharField(
        _("status"), max_length=10, choices=OfferStatus.choices, default=OfferStatus.OFFERED
    )
    expires_at = models.DateTimeField(_("answer by"))
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("offered place")
        verbose_name_plural = _("offered places")
        ordering = ["expires_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(status="offered"),
                name="offer_one_open_per_application",
            )
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="offer_status_expiry")]

    def __str__(self) -> str:
        return f"{_('offered place')} {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == OfferStatus.OFFERED and self.expires_at > timezone.now()
