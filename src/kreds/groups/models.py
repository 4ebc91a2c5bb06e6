"""Groups and who belongs to them."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from i18nfield.fields import I18nTextField

from kreds.core.models import TimeStampedModel
from kreds.meetings.slots import SLOT_CHOICES
from kreds.organizations.models import AgeBand, Organization, Topic

MIXED_GROUP_LABEL = _("Mixed group")


class GroupStatus(models.TextChoices):
    FORMING = "forming", pgettext_lazy("group status", "forming")
    STARTING = "starting", pgettext_lazy("group status", "starting")
    RUNNING = "running", pgettext_lazy("group status", "running")
    ENDED = "ended", pgettext_lazy("group status", "ended")


class Cadence(models.TextChoices):
    WEEKLY = "weekly", _("every week")
    FORTNIGHTLY = "fortnightly", _("every other week")
    MONTHLY = "monthly", _("once a month")
    GROUP_DECIDES = "group_decides", _("as the group decides")


class Group(TimeStampedModel):
    """A circle of people around one topic and one age band.

    A group without a topic is a mixed group: its members all asked to be open to a group
    across topics (their applications have no topic either). Show it as "Mixed group"
    (`topic_label`) wherever a topic would be shown.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("name"), max_length=120)
    topic = models.ForeignKey(
        Topic,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="groups",
        verbose_name=_("topic"),
        help_text=_("Leave empty for a group across topics."),
    )
    age_band = models.ForeignKey(
        AgeBand, on_delete=models.PROTECT, related_name="groups", verbose_name=_("age band")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=GroupStatus.choices, default=GroupStatus.FORMING
    )
    is_open_for_newcomers = models.BooleanField(
        _("open for newcomers"),
        default=False,
        help_text=_("Groups are closed unless the group itself decides to welcome new members."),
    )
    min_size = models.PositiveSmallIntegerField(
        _("smallest size"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2), MaxValueValidator(30)],
        help_text=_("Leave empty to use the organization's setting."),
    )
    max_size = models.PositiveSmallIntegerField(
        _("largest size"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2), MaxValueValidator(30)],
        help_text=_("Leave empty to use the organization's setting."),
    )
    cadence = models.CharField(
        _("meets"), max_length=16, choices=Cadence.choices, default=Cadence.WEEKLY
    )
    is_self_organized = models.BooleanField(
        _("self-organized"),
        default=False,
        help_text=_("The group runs on its own, without a starter from the organization."),
    )
    venue = models.ForeignKey(
        "meetings.Venue",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="groups",
        verbose_name=_("usual venue"),
    )
    meeting_slot = models.CharField(
        _("weekly time"), max_length=16, choices=SLOT_CHOICES, blank=True
    )
    public_description = I18nTextField(_("description for newcomers"), blank=True, null=True)
    started_on = models.DateField(_("started"), null=True, blank=True)
    ended_on = models.DateField(_("ended"), null=True, blank=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_mixed(self) -> bool:
        return self.topic_id is None

    @property
    def topic_label(self) -> str:
        """The topic's name in the active language, or "Mixed group"."""
        if self.topic is None:
            return str(MIXED_GROUP_LABEL)
        return self.topic.name.localize(get_language())

    @property
    def effective_min_size(self) -> int:
        return self.min_size or self.organization.group_min_size

    @property
    def effective_max_size(self) -> int:
        return self.max_size or self.organization.group_max_size

    @property
    def is_joinable(self) -> bool:
        """A person may ask to join: the group is forming, or open and not ended."""
        if self.status == GroupStatus.FORMING:
            return True
        return self.is_open_for_newcomers and self.status != GroupStatus.ENDED

    @property
    def urls(self):
        return GroupUrls(self)


class GroupUrls:
    def __init__(self, group: Group) -> None:
        self._kwargs = {"org": group.organization.slug, "pk": group.pk}

    @property
    def public(self) -> str:
        return reverse("groups:public_detail", kwargs=self._kwargs)

    @property
    def manage(self) -> str:
        return reverse("groups_manage:detail", kwargs=self._kwargs)

    @property
    def edit(self) -> str:
        return reverse("groups_manage:edit", kwargs=self._kwargs)


class MembershipRole(models.TextChoices):
    PARTICIPANT = "participant", _("participant")
    STARTER = "starter", pgettext_lazy("volunteer who starts a group", "starter")


class GroupMembership(TimeStampedModel):
    """A person in a group, as participant or starter, from joining until leaving."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships"
    )
    role = models.CharField(
        _("role"), max_length=12, choices=MembershipRole.choices, default=MembershipRole.PARTICIPANT
    )
    joined_on = models.DateField(_("joined"))
    left_on = models.DateField(_("left"), null=True, blank=True)

    objects = ScopedManager(organization="group__organization")

    class Meta:
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        ordering = ["joined_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "person"],
                condition=models.Q(left_on__isnull=True),
                name="membership_one_current_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                name="membership_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.group}"

    @property
    def is_current(self) -> bool:
        return self.left_on is None


class ConfidentialityDeclaration(models.Model):
    """A member's promise to keep what is said in the group inside the group.

    Until a member has signed one for their current membership, they do not see the
    other members' names (`kreds.groups.queries.visible_member_names`).
    """

    membership = models.ForeignKey(
        GroupMembership, on_delete=models.CASCADE, related_name="declarations"
    )
    text_version = models.CharField(_("text version"), max_length=20)
    signed_at = models.DateTimeField(_("signed"), default=timezone.now)

    objects = ScopedManager(organization="membership__group__organization")

    class Meta:
        verbose_name = _("confidentiality declaration")
        verbose_name_plural = _("confidentiality declarations")
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "text_version"], name="declaration_one_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{_('confidentiality declaration')} {self.pk}"
