"""The audit log: who changed what, and who read special-category data.

Rows are written once and never changed: on PostgreSQL a trigger (migration 0002)
refuses UPDATE, DELETE and TRUNCATE, with one narrow exception used when a person is
erased (their link and name give way to a pseudonym). Values in `changes` are masked by
data class before they are stored (kreds.core.data_classes).
"""

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from kreds.organizations.models import Organization

MASK = "***"
READ_SPECIAL = "special.read"
ERASED_PREFIX = "erased person "


class AuditEvent(models.Model):
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name=_("organization"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_label = models.CharField(_("who"), max_length=120, blank=True)
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, editable=False)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "-created_at"], name="audit_org_time"),
            models.Index(fields=["organization", "action"], name="audit_org_action"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}:{self.object_id}"

    @property
    def is_read(self) -> bool:
        return self.action == READ_SPECIAL

    @property
    def actor_is_erased(self) -> bool:
        return self.actor_label.startswith(ERASED_PREFIX)

    @property
    def object_model(self) -> type[models.Model] | None:
        try:
            return apps.get_model(self.object_type)
        except (LookupError, ValueError):
            return None

    @property
    def object_type_name(self) -> str:
        model = self.object_model
        return str(model._meta.verbose_name) if model else self.object_type

    @property
    def fields_read(self) -> list[str]:
        return [self._field_name(name) for name in self.changes.get("fields", [])]

    @property
    def change_rows(self) -> list[dict]:
        """One row per changed field: its label, old and new value, and whether masked."""
        if self.is_read:
            return []
        return [
            {
                "field": self._field_name(name),
                "old": values[0],
                "new": values[1],
                "masked": MASK in (values[0], values[1]),
            }
            for name, values in sorted(self.changes.items())
            if isinstance(values, list) and len(values) == 2
        ]

    def _field_name(self, name: str) -> str:
        """A field's label; a reverse relation ("memberships") is named by the other model."""
        model = self.object_model
        if model is None:
            return name
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return name
        label = getattr(field, "verbose_name", None)
        if label is None and field.related_model is not None:
            label = field.related_model._meta.verbose_name_plural
        return str(label or name)


class SignInKind(models.TextChoices):
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Login failed")
    LOGOUT = "logout", _("Logged out")
    MFA_SUCCEEDED = "mfa_succeeded", _("Second step confirmed")
    MFA_FAILED = "mfa_failed", _("Second step failed")
    REAUTHENTICATED = "reauthenticated", _("Confirmed it was you")
    REAUTHENTICATION_FAILED = "reauthentication_failed", _("Could not confirm it was you")
    PASSWORD_RESET_REQUESTED = "password_reset_requested", _("Password reset requested")
    PASSWORD_RESET = "password_reset", _("Password reset")
    SESSIONS_ENDED = "sessions_ended", _("Logged out everywhere by an administrator")
    RATE_LIMITED = "rate_limited", _("Refused: too many attempts")


# How a sign-in event was made (SignInEvent.method); a login may combine two: "password+totp".
METHOD_LABELS = {
    "password": _("password"),
    "totp": _("authenticator app"),
    "webauthn": _("passkey"),
    "recovery_codes": _("recovery code"),
    "code": _("code by email"),
    "email": _("link by email"),
    "socialaccount": _("another service"),
}


class SignInEvent(models.Model):
    """One authentication operation: a login, a failed one, a logout, a second step...

    Not part of the organization's audit log: a login happens outside any organization,
    and these rows expire (kreds.privacy.retention, SIGN_IN_EVENT_DAYS). A failed login
    for an address without an account keeps a keyed hash of the address (`email_hash`),
    never the address; the password is never seen here. Written by
    kreds.audit.sign_in_events from Django's and allauth's signals.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sign_in_events",
        verbose_name=_("person"),
    )
    email_hash = models.CharField(_("keyed hash of the email address"), max_length=64, blank=True)
    kind = models.CharField(_("what"), max_length=32, choices=SignInKind.choices)
    method = models.CharField(_("how"), max_length=32, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("sign-in event")
        verbose_name_plural = _("sign-in events")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["person", "-created_at"], name="signin_person_time"),
            models.Index(fields=["created_at"], name="signin_time"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def method_label(self) -> str:
        """The method in words: "password, authenticator app"."""
        names = [name for name in self.method.split("+") if name]
        return ", ".join(str(METHOD_LABELS.get(name, name)) for name in names)
