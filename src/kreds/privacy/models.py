"""A person's consents: to what purpose, in which words, when given and when withdrawn."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from kreds.organizations.models import Organization


class Purpose(models.TextChoices):
    """What a consent allows. Each purpose has its own versioned text (privacy/texts.py)."""

    TOPIC = "topic", _("processing the topic I apply for, which reveals my situation")


class Consent(models.Model):
    """One consent given by one person to one organization for one purpose.

    Withdrawing sets `withdrawn_at`; the processing it allowed stops at once (the service
    that withdraws also removes what depended on it). Rows are kept as proof until the
    account is erased.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="consents"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    text_version = models.CharField(_("text version"), max_length=20)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    given_at = models.DateTimeField(_("given"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at", "id"]
        indexes = [models.Index(fields=["person", "purpose"], name="consent_person_purpose")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.text_version})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
