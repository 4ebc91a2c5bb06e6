"""Offered places: creating them, the member's answer, expiry and the next person in line.

Locks, always in this order: group, offer, applications. Accepting goes through
`kreds.groups.services.add_participant`, which locks the group row and counts its
current participants, so a group never passes its largest size; the offer and the
application are locked too, so an offer answered twice, or withdrawn or expired while
it is accepted, ends in exactly one state, and a person is never placed twice.

A declined, expired or withdrawn offer puts the application back on the waiting list
(with its old waiting date); a declined or expired place, and the place of an applicant
who withdraws their application, goes to the next fitting person, who has not been
offered this group before and does not already meet a group at the same weekly time.
Nobody accepts a place in a group that meets when a group of theirs already meets.

Each new offer queues a background job for shortly after its deadline that expires it
if it is still unanswered (`expire_offer` in tasks.py); `manage.py expire_offers`, run
hourly, catches whatever a job missed.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scope

from kreds.audit.services import record_change
from kreds.groups.models import Group, GroupMembership, GroupStatus, MembershipRole
from kreds.groups.services import GroupFull, add_participant
from kreds.intake.models import Application, ApplicationStatus
from kreds.meetings.slots import slot_label
from kreds.organizations.models import Organization
from kreds.placement.fit import Place, meeting_at, misfit
from kreds.placement.instance import keep_apart_map
from kreds.placement.models import Offer, OfferStatus

HOLDS_A_PLACE = [OfferStatus.OFFERED, OfferStatus.ACCEPTED]
# The expiry job runs this long after the deadline, so the deadline has surely passed.
EXPIRY_DELAY = dt.timedelta(minutes=1)
CLOSED = gettext_lazy("This offer has already been answered or closed.")


def create_offer(
    *, application: Application, group: Group, by, now: dt.datetime, base_url: str = ""
) -> Offer:
    """Offer the applicant a place (call with the application locked, inside a transaction).

    Side effects: an Offer, the application's status "offered", audit events and, after
    commit, the expiry job (for just after the deadline) and the email.
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
    transaction.on_commit(lambda: schedule_expiry(offer), robust=True)
    transaction.on_commit(lambda: send_offer_mail(offer=offer, base_url=base_url))
    return offer


def schedule_expiry(offer: Offer) -> None:
    """Queue the job that expires the offer just after its deadline, if still unanswered.

    Needs a task backend that can run a job later (the database backend can). Without
    one, nothing is queued and the hourly `manage.py expire_offers` expires the offer.
    """
    from kreds.placement.tasks import expire_offer as expire_job

    if not expire_job.get_backend().supports_defer:
        return
    expire_job.using(run_after=offer.expires_at + EXPIRY_DELAY).enqueue(
        offer.pk, offer.organization_id
    )


def accept_offer(*, offer: Offer, by) -> Offer:
    """The member says yes. Returns the offer, "accepted", or "withdrawn" if the group is full.

    Side effects: a participant membership, the application "placed", the group "starting"
    once it has its smallest size, audit events. Raises ValidationError, changing nothing,
    when the offer is no longer open or the person already meets another group of the
    organization at the same weekly time.
    """
    with transaction.atomic():
        group, offer, application = _lock(offer)
        _check_open(offer)
        if application.status != ApplicationStatus.OFFERED:
            raise ValidationError(CLOSED)
        _check_free_then(group, application.person_id)
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
            raise ValidationError(CLOSED)
        _close(offer, application, OfferStatus.WITHDRAWN, by=by)
    return offer


def free_offered_place(*, application: Application, by, base_url: str = "") -> Application | None:
    """Before an application is deleted: its open offer goes to the next person in line.

    Call inside a transaction. Locks the application (after the group and the offer, when
    it holds an open offer), closes that offer as withdrawn and offers the place on, as
    for a declined offer. Returns the locked application, or None when it is gone.
    """
    offer = _open_offer_of(application)
    if offer is None:
        locked = _lock_application(application)
        if locked is None or locked.status != ApplicationStatus.OFFERED:
            return locked
        # An offer came between the two reads: its group is locked after the application
        # here, the one exception to the order; the window is a few milliseconds wide.
        offer = _open_offer_of(locked)
        if offer is None:
            return locked
    try:
        group, offer, locked = _lock(offer)
    except ValidationError:  # deleted meanwhile, with its application
        return _lock_application(application)
    if offer.status == OfferStatus.OFFERED:
        _close(offer, locked, OfferStatus.WITHDRAWN, by=by)
        offer_next_in_line(group=group, by=by, base_url=base_url)
    return locked


def _open_offer_of(application: Application) -> Offer | None:
    return Offer.objects.filter(
        organization_id=application.organization_id,
        application_id=application.pk,
        status=OfferStatus.OFFERED,
    ).first()


def _lock_application(application: Application) -> Application | None:
    return (
        Application.objects.select_for_update(of=("self",))
        .filter(organization_id=application.organization_id, pk=application.pk)
        .select_related("organization", "person")
        .first()
    )


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


def expire_offer(
    *, offer_id: int, organization: Organization, now: dt.datetime | None = None
) -> bool:
    """Expire one offer if it is still unanswered past its deadline, and offer the place on.

    The background job queued when the offer was made runs this; an offer answered,
    withdrawn or deleted meanwhile is left alone. Returns whether it expired.
    """
    with scope(organization=organization):
        offer = Offer.objects.filter(organization=organization, pk=offer_id).first()
        if offer is None:
            return False
        return bool(_expire(offer, now=now or timezone.now(), base_url=""))


@transaction.atomic
def _expire(offer: Offer, *, now: dt.datetime, base_url: str) -> int:
    try:
        group, locked, application = _lock(offer)
    except ValidationError:
        return 0  # deleted meanwhile, with its application
    if locked.status != OfferStatus.OFFERED or locked.expires_at > now:
        return 0  # answered meanwhile
    _close(locked, application, OfferStatus.EXPIRED, by=None)
    offer_next_in_line(group=group, by=None, base_url=base_url)
    return 1


def offer_next_in_line(*, group: Group, by, base_url: str = "") -> Offer | None:
    """Offer a free place in `group` to the longest-waiting person who fits (group locked).

    Fits: same topic (for a mixed group: open to a mixed group), age in the group's band,
    free at the group's weekly time, within the travel limit of its venue, not kept apart
    from anyone holding a place, never offered this group before, and not already meeting
    another group (or holding an open offer of a place in one) at the same weekly time.
    Returns the new offer, or None.
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
        max_age_span=group.organization.max_age_span,
    )
    keep_apart = keep_apart_map(group.organization)
    now = timezone.now()
    years = list(Application.objects.filter(pk__in=holders).values_list("birth_year", flat=True))
    fitting = [
        application
        for application in waiting
        if misfit(
            application, place, members=holders, keep_apart=keep_apart, now=now, birth_years=years
        )
        is None
    ]
    busy = meeting_at(
        group.organization,
        group.meeting_slot,
        {application.person_id for application in fitting},
        with_offers=True,
        except_group=group,
    )
    return [application for application in fitting if application.person_id not in busy]


def _lock(offer: Offer) -> tuple[Group, Offer, Application]:
    """Group, offer and application under row locks, in that order.

    Raises ValidationError when the offer is gone (its application was withdrawn).
    """
    group = (
        Group.objects.select_for_update(of=("self",))
        .select_related("organization", "topic", "age_band", "venue")
        .filter(pk=offer.group_id)
        .first()
    )
    locked = Offer.objects.select_for_update().filter(pk=offer.pk).first()
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("person")
        .filter(pk=offer.application_id)
        .first()
    )
    if group is None or locked is None or application is None:
        raise ValidationError(CLOSED)
    return group, locked, application


def _check_open(offer: Offer) -> None:
    if offer.status != OfferStatus.OFFERED:
        raise ValidationError(CLOSED)
    if offer.expires_at <= timezone.now():
        raise ValidationError(_("The time to answer this offer has passed."))


def _check_free_then(group: Group, person_id: int) -> None:
    """Refuse a place in a group that meets when a group of the person's already meets."""
    if not meeting_at(group.organization, group.meeting_slot, [person_id], except_group=group):
        return
    raise ValidationError(
        _(
            "You already meet in a group on %(time)s, the same time of the week as this "
            "one, so you cannot take this place too. If you say no to it, you stay on the "
            "waiting list."
        )
        % {"time": slot_label(group.meeting_slot)}
    )


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
