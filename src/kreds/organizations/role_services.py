"""Granting and removing roles in an organization. Only its administrators do this.

Finding the person by email: accounts belong to Kreds as a whole, not to one
organization, so an address typed by an administrator may belong to a participant or to
staff elsewhere. The rule: a role goes only to an account whose address is confirmed
(allauth's EmailAddress.verified) and active. Every other case (no account, an
unconfirmed address, a closed account) gives one and the same answer, which asks the
person to create or confirm their account first. The administrator can therefore learn
whether a confirmed account exists for an address they already know, which granting a
role cannot avoid, but never in which organizations it is used, with which roles or
since when. Attempts count against the "grant_role" rate limit (settings
ACCOUNT_RATE_LIMITS), and every grant and removal is in the audit log.

An administrator can also log a person with a role here out everywhere (a coordinator
who lost a phone): `end_sessions`.
"""

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kreds.audit.models import SignInKind
from kreds.audit.services import record_change
from kreds.audit.sign_in_events import record_sign_in
from kreds.organizations.models import Organization, Role, RoleKind
from kreds.people.services import end_all_sessions

NO_ACCOUNT = gettext_lazy(
    "No role was given. The person first needs an account in Kreds with this email "
    "address, and must have confirmed the address from the email we send them. Ask them "
    "to do that, then try again."
)


def account_for_role(email: str):
    """The active person whose confirmed address is `email`, or None."""
    address = (
        EmailAddress.objects.filter(
            email__iexact=email.strip(), verified=True, user__is_active=True
        )
        .select_related("user")
        .first()
    )
    return address.user if address is not None else None


@transaction.atomic
def grant_role(
    *, organization: Organization, email: str, kind: str, by, request_id: str = ""
) -> Role:
    """Give the person with `email` the role `kind` here.

    ValidationError (on "email") when no active account has this confirmed address, and
    when the person already holds the role. Side effects: one Role row, one audit event.
    """
    if kind not in RoleKind.values:
        raise ValidationError({"kind": _("Choose one of the roles offered.")})
    person = account_for_role(email)
    if person is None:
        raise ValidationError({"email": NO_ACCOUNT})
    role, created = Role.objects.get_or_create(organization=organization, person=person, kind=kind)
    if not created:
        raise ValidationError(
            {"email": _("This person already holds that role here. Nothing was changed.")}
        )
    record_change(
        organization=organization,
        actor=by,
        action="role.granted",
        obj=role,
        changes={"person": (None, person.pk), "kind": (None, kind)},
        request_id=request_id,
    )
    return role


@transaction.atomic
def remove_role(*, role: Role, by, request_id: str = "") -> None:
    """Take a role away; it stops working on the person's next request.

    ValidationError when it is the organization's last administrator role (the admin roles
    are locked first, so two admins removing each other cannot both succeed).
    Side effects: deletes one Role row, one audit event.
    """
    if role.kind == RoleKind.ADMIN:
        admins = list(
            Role.objects.select_for_update()
            .filter(organization=role.organization, kind=RoleKind.ADMIN)
            .values_list("pk", flat=True)
        )
        if admins == [role.pk]:
            raise ValidationError(
                _(
                    "This is the organization's only administrator. Give someone else the "
                    "administrator role first, then remove this one."
                )
            )
    record_change(
        organization=role.organization,
        actor=by,
        action="role.removed",
        obj=role,
        changes={"person": (role.person_id, None), "kind": (role.kind, None)},
        request_id=request_id,
    )
    role.delete()


@transaction.atomic
def end_sessions(*, organization: Organization, person, by, request_id: str = "") -> int:
    """Log `person` (who holds a role in `organization`) out on every device.

    Takes effect on their next request. Returns how many sessions ended.
    Side effects: deletes the person's sessions; one audit event in the organization's log
    and one sign-in event the person sees on their security page.
    """
    ended = end_all_sessions(person)
    record_change(
        organization=organization,
        actor=by,
        action="person.sessions_ended",
        obj=person,
        changes={},
        request_id=request_id,
    )
    record_sign_in(kind=SignInKind.SESSIONS_ENDED, person=person, request_id=request_id)
    return ended
