"""Offered places: creating them, the member's answer, expiry and the next person in line.

Locks, always in this order: group, offer, applications. Accepting goes through
`kreds.groups.services.add_participant`, which locks the group row and counts its
current participants, so a group never passes its largest size; the offer and the
application are locked too, so an offer answered twice, or withdrawn or expired while
it is accepted, ends in exactly one state, and a person is never placed twice.

A declined, expired or withdrawn offer puts the application back on the waiting list
(with its old waiting date); a declined or expired place goes to the next fitting
person, who has not been offered this group before.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from kreds.audit.services import record_change
from kreds.groups.models import Group, GroupMembership, GroupStatus, MembershipRole
from kreds.groups.services import GroupFull, add_participant
from kreds.intake.models import Application, ApplicationStatus
from kreds.organizations.models import Organization
from kreds.placement.fit import Place, misfit
from kreds.placement.instance import keep_apart_map
from kreds.placement.models import Offer, OfferStatus

HOLDS_A_PLACE = [OfferStatus.OFFERED, OfferStatus.ACCEPTED]


def create_offer(
    *, application: Application, group: Group, by, now: dt.datetime, base_url: str = ""
) -> Offer:
    """Offer the applicant a place (call with the application locked, inside a transaction).

    Side effects: an Offer, the application's status "offered", audit events and, after
    commit, the email.
    """
    from kreds.placement.mail import send_offer_mail

    organization = group.organization
    offer = Offer.objects.create(
        organization=organization,
        application=application,
        group=group,
        expires_at=now + dt.timedelta(days=organization.offer_days),
    )
    _set_application_status(application, ApplicationStatus.OFFERED, by=by)
    record_change(
        organization=organization,
        actor=by,
        action="offer.created",
        obj=offer,
        changes={
            "application": (None, application.pk),
            "group": (None, group.pk),
            "status": (None, offer.status),
            "expires_at": (None, offer.expires_at),
        },
    )
    transaction.on_commit(lambda: send_offer_mail(offer=offer, base_url=base_url))
    return offer


def accept_offer(*, offer: Offer, by) -> Offer:
    """The member says yes. Returns the offer, "accepted", or "withdrawn" if the group is full.

    Side effects: a participant membership, the application "placed", the group "starting"
    once it has its smallest size, audit events. Raises ValidationError when the offer is
    no longer open.
    """
    with transaction.atomic():
        group, offer, application = _lock(offer)
        _check_open(offer)
        if application.status != ApplicationStatus.OFFERED:
            raise ValidationError(_("This offer has already been answered or closed."))
        try:
            add_participant(group=group, person=application.person, by=by)
        except GroupFull:
            _close(offer, application, OfferStatus.WITHDRAWN, by=by)
            return offer
        _close(offer, application, OfferStatus.ACCEPTED, by=by)
        _start_when_ready(group, by=by)
    return offer


def decline_offer(*, offer: Offer, by, base_url: str = "") -> Offer | None:
    """The member says no. The place goes to the next person in line; returns their offer."""
    with transaction.atomic():
        group, offer, application = _lock(offer)
        _check_open(offer)
        _close(offer, application, OfferStatus.DECLINED, by=by)
        return offer_next_in_line(group=group, by=by, base_url=base_url)


def withdraw_offer(*, offer: Offer, by) -> Offer:
    """A coordinator takes an open offer back; the application waits again. No refill."""
    with transaction.atomic():
        _group, offer, application = _lock(offer)
        if offer.status != OfferStatus.OFFERED:
            raise ValidationError(_("This offer has already been answered or closed."))
        _close(offer, application, OfferStatus.WITHDRAWN, by=by)
    return offer


def expire_offers(*, now: dt.datetime | None = None, base_url: str = "") -> int:
    """Close every offer past its deadline and offer the place on. Returns how many expired.

    Runs across organizations (`manage.py expire_offers`); each offer in its own
    transaction and its organization's scope.
    """
    now = now or timezone.now()
    late = {"offers__status": OfferStatus.OFFERED, "offers__expires_at__lte": now}
    expired = 0
    for organization in Organization.objects.filter(**late).distinct():
        with scope(organization=organization):
            due = Offer.objects.filter(
                organization=organization, status=OfferStatus.OFFERED, expires_at__lte=now
            ).order_by("expires_at", "id")
            for offer in list(due):
                expired += _expire(offer, now=now, base_url=base_url)
    return expired


@transaction.atomic
def _expire(offer: Offer, *, now: dt.datetime, base_url: str) -> int:
    group, locked, application = _lock(offer)
    if locked.status != OfferStatus.OFFERED or locked.expires_at > now:
        return 0  # answered meanwhile
    _close(locked, application, OfferStatus.EXPIRED, by=None)
    offer_next_in_line(group=group, by=None, base_url=base_url)
    return 1


def offer_next_in_line(*, group: Group, by, base_url: str = "") -> Offer | None:
    """Offer a free place in `group` to the longest-waiting person who fits (group locked).

    Fits: same topic (for a mixed group: open to a mixed group), age in the group's band,
    free at the group's weekly time, within the travel limit of its venue, not kept apart
    from anyone holding a place, and never offered this group before. Returns the new
    offer, or None.
    """
    if group.status not in (GroupStatus.FORMING, GroupStatus.STARTING):
        return None
    holders = set(
        Offer.objects.filter(group=group, status__in=HOLDS_A_PLACE).values_list(
            "application_id", flat=True
        )
    )
    taken = Offer.objects.filter(group=group, status=OfferStatus.OFFERED).count()
    if _participants(group) + taken >= group.effective_max_size:
        return None
    for candidate in _candidates(group, holders):
        locked = (
            Application.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=candidate.pk, status=ApplicationStatus.WAITING)
            .select_related("person")
            .first()
        )
        if locked is not None:
            return create_offer(
                application=locked, group=group, by=by, now=timezone.now(), base_url=base_url
            )
    return None


def _candidates(group: Group, holders: set[int]) -> list[Application]:
    offered_before = Offer.objects.filter(group=group).values_list("application_id", flat=True)
    waiting = (
        Application.objects.filter(
            organization=group.organization,
            status=ApplicationStatus.WAITING,
            topic_id=group.topic_id,
        )
        .exclude(pk__in=offered_before)
        .select_related("municipality")
        .order_by("waiting_since", "id")
    )
    place = Place(
        topic_id=group.topic_id,
        age_band=group.age_band,
        slot=group.meeting_slot,
        venue=group.venue,
        max_km=float(group.organization.max_travel_km),
    )
    keep_apart = keep_apart_map(group.organization)
    now = timezone.now()
    return [
        application
        for application in waiting
        if misfit(application, place, members=holders, keep_apart=keep_apart, now=now) is None
    ]


def _lock(offer: Offer) -> tuple[Group, Offer, Application]:
    group = (
        Group.objects.select_for_update(of=("self",))
        .select_related("organization", "topic", "age_band", "venue")
        .get(pk=offer.group_id)
    )
    locked = Offer.objects.select_for_update().get(pk=offer.pk)
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("person")
        .get(pk=offer.application_id)
    )
    return group, locked, application


def _check_open(offer: Offer) -> None:
    if offer.status != OfferStatus.OFFERED:
        raise ValidationError(_("This offer has already been answered or closed."))
    if offer.expires_at <= timezone.now():
        raise ValidationError(_("The time to answer this offer has passed."))


def _close(offer: Offer, application: Application, status: str, *, by) -> None:
    old = offer.status
    offer.status = status
    offer.responded_at = timezone.now() if status != OfferStatus.EXPIRED else None
    offer.save(update_fields=["status", "responded_at", "updated_at"])
    record_change(
        organization=offer.organization,
        actor=by,
        action=f"offer.{status}",
        obj=offer,
        changes={"status": (old, status)},
    )
    new = ApplicationStatus.PLACED if status == OfferStatus.ACCEPTED else ApplicationStatus.WAITING
    if application.status == ApplicationStatus.OFFERED:
        _set_application_status(application, new, by=by)


def _set_application_status(application: Application, status: str, *, by) -> None:
    old = application.status
    application.status = status
    application.save(update_fields=["status", "updated_at"])
    record_change(
        organization=application.organization,
        actor=by,
        action="application.status_changed",
        obj=application,
        changes={"status": (old, status)},
    )


def _participants(group: Group) -> int:
    return GroupMembership.objects.filter(
        group=group, role=MembershipRole.PARTICIPANT, left_on__isnull=True
    ).count()


def _start_when_ready(group: Group, *, by) -> None:
    if group.status != GroupStatus.FORMING or _participants(group) < group.effective_min_size:
        return
    group.status = GroupStatus.STARTING
    group.save(update_fields=["status", "updated_at"])
    record_change(
        organization=group.organization,
        actor=by,
        action="group.updated",
        obj=group,
        changes={"status": (GroupStatus.FORMING, GroupStatus.STARTING)},
    )
