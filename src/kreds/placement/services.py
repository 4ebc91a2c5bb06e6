"""Writes for forming groups: starters' capacity, engine runs, moves and accepting proposals.

Offers and the answers to them live in `placement/offers.py`. Every write records an
audit event. Locks, always taken in this order: run, venue, group, offer, applications
(by id).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kreds.audit.services import changes_between, record_change, snapshot
from kreds.groups.models import (
    MIXED_GROUP_LABEL,
    Group,
    GroupMembership,
    GroupStatus,
    MembershipRole,
)
from kreds.intake.models import Application, ApplicationStatus
from kreds.meetings.models import Venue
from kreds.meetings.slots import clean_slots, slot_label
from kreds.organizations.models import AgeBand, Organization, RoleKind, Topic
from kreds.placement import proposal as proposals
from kreds.placement.fit import Place, distance_km, meeting_at, misfit
from kreds.placement.instance import NOT_ENDED, keep_apart_map, topic_id_of
from kreds.placement.models import MatchingRun, RunStatus, StarterCapacity
from kreds.placement.offers import create_offer

DEFAULT_SECONDS = 30
STALE_AFTER = dt.timedelta(hours=1)


# --- Starters' capacity -------------------------------------------------------------------


@transaction.atomic
def save_starter_capacity(
    *, organization: Organization, person, data: Mapping[str, Any], by
) -> StarterCapacity:
    """Create or change what a starter can take on. The person must hold the starter role."""
    if not person.roles.filter(organization=organization, kind=RoleKind.STARTER).exists():
        raise ValidationError(_("This person is not a starter in the organization."))
    topics = list(data.get("topics") or [])
    municipality = data.get("municipality")
    if any(t.organization_id != organization.pk for t in topics) or (
        municipality is not None and municipality.organization_id != organization.pk
    ):
        raise ValidationError(_("Choose this organization's topics and municipalities."))
    capacity, created = StarterCapacity.objects.get_or_create(
        organization=organization, person=person
    )
    before = snapshot(capacity) | {"topics": sorted(capacity.topics.values_list("pk", flat=True))}
    capacity.municipality = municipality
    capacity.slots = clean_slots(data.get("slots"))
    capacity.max_groups = data.get("max_groups", capacity.max_groups)
    capacity.starts_mixed_groups = data.get("starts_mixed_groups", capacity.starts_mixed_groups)
    capacity.save()
    capacity.topics.set(topics)
    after = snapshot(capacity) | {"topics": sorted(t.pk for t in topics)}
    record_change(
        organization=organization,
        actor=by,
        action="starter_capacity.saved",
        obj=capacity,
        changes=changes_between({} if created else before, after),
    )
    return capacity


# --- Runs ---------------------------------------------------------------------------------


def start_matching_run(*, organization: Organization, by, time_limit: int | None = None):
    """Queue an engine run on the waiting list, or return the one already queued or running.

    Side effects: a MatchingRun row and, after commit, a background job.
    """
    from kreds.placement.tasks import run_matching

    seconds = time_limit or getattr(settings, "KREDS_MATCHING_SECONDS", DEFAULT_SECONDS)
    with transaction.atomic():
        Organization.objects.select_for_update().get(pk=organization.pk)
        busy = MatchingRun.objects.filter(
            organization=organization,
            status__in=[RunStatus.QUEUED, RunStatus.RUNNING],
            created_at__gte=timezone.now() - STALE_AFTER,  # a run lost with its worker expires
        ).first()
        if busy is not None:
            return busy
        run = MatchingRun.objects.create(
            organization=organization, started_by=by, time_limit=seconds
        )
        record_change(
            organization=organization,
            actor=by,
            action="matching_run.started",
            obj=run,
            changes={"status": (None, run.status), "time_limit": (None, seconds)},
        )
        transaction.on_commit(lambda: run_matching.enqueue(run.pk, organization.pk))
    return run


def _locked_run(run: MatchingRun) -> MatchingRun:
    locked = MatchingRun.objects.select_for_update().get(pk=run.pk)
    if locked.status != RunStatus.DONE or locked.proposal is None:
        raise ValidationError(_("This proposal is not ready."))
    return locked


def _save_proposal(run: MatchingRun, new: dict, *, by, action: str) -> None:
    run.proposal = new
    run.save(update_fields=["proposal", "updated_at"])
    record_change(
        organization=run.organization,
        actor=by,
        action=action,
        obj=run,
        changes={"proposal": ("", "")},
    )


# --- Moving people in a proposal ----------------------------------------------------------


def place_of(organization: Organization, group: dict) -> Place:
    """The topic, age band, slot and venue of a proposed group, read from the database."""
    return Place(
        topic_id=topic_id_of(group["topic"]),
        age_band=AgeBand.objects.get(organization=organization, pk=int(group["age_band"])),
        slot=group["slot"],
        venue=Venue.objects.filter(organization=organization, pk=int(group["venue"])).first(),
        max_km=float(organization.max_travel_km),
        max_age_span=organization.max_age_span,
    )


@transaction.atomic
def move_member(*, run: MatchingRun, application_id: str, target: str, by) -> None:
    """Move a person into proposed group `target`, or back to the list (target "list").

    Checks the hard rules for the group they join: its size, topic, age band, weekly time,
    travel distance and keep-apart requests. Raises ValidationError in plain words.
    """
    run = _locked_run(run)
    proposal = run.proposal
    if not proposals.is_in(proposal, application_id):
        raise ValidationError(_("This person is not part of this proposal."))
    source = proposals.group_of(proposal, application_id)
    if source is not None and source["group_id"] is not None:
        raise ValidationError(_("This group is already accepted; it cannot change here."))
    if source is not None and source["key"] == target:
        return
    if target != proposals.TO_LIST:
        _check_joining(run, proposal, application_id, target)
    _save_proposal(
        run,
        proposals.moved(proposal, application_id, target),
        by=by,
        action="matching_run.member_moved",
    )


def _check_joining(run: MatchingRun, proposal: dict, application_id: str, key: str) -> None:
    organization = run.organization
    group = proposals.find_group(proposal, key)
    if group is None or group["group_id"] is not None:
        raise ValidationError(_("Choose one of the proposed groups that is not accepted yet."))
    if len(group["members"]) >= organization.group_max_size:
        raise ValidationError(
            _("This group is full: at most %(max)s people.") % {"max": organization.group_max_size}
        )
    application = (
        Application.objects.filter(organization=organization, pk=int(application_id))
        .select_related("municipality")
        .first()
    )
    if application is None or application.status != ApplicationStatus.WAITING:
        raise ValidationError(_("This person is no longer on the waiting list."))
    others = proposals.proposed_ids(proposal) - {application.pk}
    same_person = Application.objects.filter(
        organization=organization, pk__in=others, person_id=application.person_id
    )
    if same_person.exists():
        raise ValidationError(
            _(
                "This person is already proposed for a group on another of their topics. "
                "One place per person in a proposal: move them out of that group first."
            )
        )
    members = [int(member) for member in group["members"]]
    problem = misfit(
        application,
        place_of(organization, group),
        members=members,
        keep_apart=keep_apart_map(organization),
        now=timezone.now(),
        birth_years=Application.objects.filter(
            organization=organization, pk__in=members
        ).values_list("birth_year", flat=True),
    )
    if problem:
        raise ValidationError(problem)


# --- Accepting a proposal -----------------------------------------------------------------


def accept_proposal(*, run: MatchingRun, key: str, by, base_url: str = "") -> Group:
    """Turn proposed group `key` into a real group and offer each member a place.

    In one transaction: checks the group's size and starters, books the venue's slot
    (never more groups there and then than the venue has rooms, among groups not ended),
    checks each member again against the group as it is now (`fit.misfit`: topic, age,
    weekly time, distance, keep-apart; and not already meeting another group then),
    creates the Group (forming), the starters' memberships and one Offer per member who
    still fits (their applications become "offered"); after commit each of them gets an
    email. A member who no longer fits is not offered a place: they stay on the waiting
    list and go to the proposal's left-out list. A proposed mixed group (topic
    MIXED_TOPIC) becomes a Group without a topic.

    Returns the group, which carries `not_offered`: in plain words, who was left out and
    why (empty when everyone fits). Refuses, saving nothing, when anyone in it is no
    longer waiting, or waits for another topic (or a mixed group), when fewer members than
    the smallest size still fit, or when a starter no longer takes its topic, cannot come
    at its time or lives beyond the travel limit. Raises ValidationError.
    """
    with transaction.atomic():
        run = _locked_run(run)
        organization = run.organization
        group_data = proposals.find_group(run.proposal, key)
        if group_data is None or group_data["group_id"] is not None:
            raise ValidationError(_("This group is already accepted or no longer proposed."))
        _check_size(organization, group_data)
        venue = _book_venue(organization, group_data)
        topic_id = topic_id_of(group_data["topic"])
        applications = _lock_waiting(organization, group_data["members"], topic_id)
        fitting, left_out = _still_fitting(organization, group_data, applications)
        starters = _starters(organization, group_data["starters"], group_data["slot"], topic_id)
        _check_starters_reach(organization, starters, group_data["slot"], venue)
        group = _create_group(organization, group_data, venue, by=by)
        for capacity in starters:
            _add_starter(group, capacity.person, by=by)
        now = timezone.now()
        for application in fitting:
            create_offer(application=application, group=group, by=by, now=now, base_url=base_url)
        proposal = proposals.left_out(
            run.proposal, [str(application.pk) for application, _why in left_out]
        )
        proposals.find_group(proposal, key)["group_id"] = group.pk
        _save_proposal(run, proposal, by=by, action="matching_run.group_accepted")
    group.not_offered = [_not_offered_text(group, left_out)] if left_out else []
    return group


def accept_all(*, run: MatchingRun, by, base_url: str = "") -> tuple[list[Group], list[str]]:
    """Accept every open group of the proposal, each on its own; return groups and problems.

    Each group carries `not_offered`, as from `accept_proposal`.
    """
    accepted, problems = [], []
    for group in proposals.open_groups(run.proposal or {"groups": []}):
        try:
            accepted.append(accept_proposal(run=run, key=group["key"], by=by, base_url=base_url))
        except ValidationError as error:
            problems.extend(error.messages)
    return accepted, problems


def _check_size(organization: Organization, group: dict) -> None:
    size = len(group["members"])
    if not organization.group_min_size <= size <= organization.group_max_size:
        raise ValidationError(
            _("A group needs %(min)s to %(max)s people; this one has %(size)s.")
            % {
                "min": organization.group_min_size,
                "max": organization.group_max_size,
                "size": size,
            }
        )
    starters = len(group["starters"])
    if not organization.starters_min <= starters <= organization.starters_max:
        raise ValidationError(_("This group does not have the number of starters it needs."))


def _book_venue(organization: Organization, group: dict) -> Venue:
    """Lock the venue and check it has a free room in the slot. Raises ValidationError."""
    venue = (
        Venue.objects.select_for_update()
        .filter(organization=organization, pk=int(group["venue"]), is_active=True)
        .first()
    )
    if venue is None or group["slot"] not in (venue.slots or []):
        raise ValidationError(_("The venue is no longer available at this time."))
    taken = Group.objects.filter(
        NOT_ENDED, organization=organization, venue=venue, meeting_slot=group["slot"]
    ).count()
    if taken >= venue.rooms:
        raise ValidationError(
            _("%(venue)s has no free room on %(slot)s any more.")
            % {"venue": venue.name, "slot": slot_label(group["slot"])}
        )
    return venue


def _lock_waiting(
    organization: Organization, member_ids: list[str], topic_id: int | None
) -> list[Application]:
    """Lock the members' applications; each must wait, for this topic (None: mixed)."""
    ids = sorted(int(member) for member in member_ids)
    applications = list(
        Application.objects.select_for_update(of=("self",))
        .filter(organization=organization, pk__in=ids)
        .select_related("person")
        .order_by("pk")
    )
    gone = len(ids) - sum(1 for a in applications if a.status == ApplicationStatus.WAITING)
    if gone:
        raise ValidationError(
            ngettext(
                "%(count)s person in this group is no longer waiting. Move them out first.",
                "%(count)s people in this group are no longer waiting. Move them out first.",
                gone,
            )
            % {"count": gone}
        )
    if any(application.topic_id != topic_id for application in applications):
        raise ValidationError(_("Someone in this group is waiting for a group on another topic."))
    return applications


def _still_fitting(
    organization: Organization, group: dict, applications: list[Application]
) -> tuple[list[Application], list[tuple[Application, str]]]:
    """Who of the members still fits the group now, and who no longer does, with why.

    Checked one by one, longest wait first, against those kept so far (keep-apart). Raises
    ValidationError when fewer than the smallest size still fit.
    """
    place = place_of(organization, group)
    keep_apart = keep_apart_map(organization)
    now = timezone.now()
    busy = meeting_at(
        organization, group["slot"], {a.person_id for a in applications}, with_offers=True
    )
    fitting, left_out = [], []
    for application in sorted(applications, key=lambda a: (a.waiting_since or now, a.pk)):
        reason = misfit(
            application,
            place,
            members=[kept.pk for kept in fitting],
            keep_apart=keep_apart,
            now=now,
            birth_years=[kept.birth_year for kept in fitting],
        )
        if reason is None and application.person_id in busy:
            reason = _("This person already meets another group at this weekly time.")
        if reason is None:
            fitting.append(application)
        else:
            left_out.append((application, reason))
    if len(fitting) < organization.group_min_size:
        raise ValidationError(
            ngettext(
                "Only %(count)s person in this group still fits it, and a group needs at "
                "least %(min)s. Nothing is saved. %(reasons)s",
                "Only %(count)s people in this group still fit it, and a group needs at "
                "least %(min)s. Nothing is saved. %(reasons)s",
                len(fitting),
            )
            % {
                "count": len(fitting),
                "min": organization.group_min_size,
                "reasons": _reasons(left_out),
            }
        )
    return sorted(fitting, key=lambda a: a.pk), left_out


def _reasons(left_out: list[tuple[Application, str]]) -> str:
    return " ".join(f"{application.person.display_name}: {why}" for application, why in left_out)


def _not_offered_text(group: Group, left_out: list[tuple[Application, str]]) -> str:
    return ngettext(
        "%(count)s person no longer fits %(group)s, is not offered a place and stays on "
        "the waiting list. %(reasons)s",
        "%(count)s people no longer fit %(group)s, are not offered a place and stay on "
        "the waiting list. %(reasons)s",
        len(left_out),
    ) % {"count": len(left_out), "group": group.name, "reasons": _reasons(left_out)}


def _starters(
    organization: Organization, person_ids: list[str], slot: str, topic_id: int | None
) -> list[StarterCapacity]:
    """The starters' capacities, if each still holds the role, the topic and room at this time.

    For a mixed group (topic_id None) each starter must be able to start mixed groups.
    """
    capacities = list(
        StarterCapacity.objects.filter(
            organization=organization,
            person_id__in=[int(pk) for pk in person_ids],
            person__roles__organization=organization,
            person__roles__kind=RoleKind.STARTER,
        )
        .select_related("person", "municipality")
        .prefetch_related("topics")
        .distinct()
    )
    if len(capacities) != len(set(person_ids)) or any(
        not _starter_takes(capacity, topic_id) or _starter_is_busy(organization, capacity, slot)
        for capacity in capacities
    ):
        raise ValidationError(_("A starter in this group is no longer available."))
    return capacities


def _check_starters_reach(
    organization: Organization, capacities: list[StarterCapacity], slot: str, venue: Venue
) -> None:
    """Each starter can still come at the group's weekly time, within the travel limit."""
    for capacity in capacities:
        if slot not in (capacity.slots or []):
            raise ValidationError(
                _("A starter in this group can no longer come on %(slot)s.")
                % {"slot": slot_label(slot)}
            )
        km = distance_km(capacity.municipality, venue)
        if km is None or km > float(organization.max_travel_km):
            raise ValidationError(
                _("A starter in this group no longer lives within %(km)s km of %(venue)s.")
                % {"km": organization.max_travel_km, "venue": venue.name}
            )


def _starter_takes(capacity: StarterCapacity, topic_id: int | None) -> bool:
    if topic_id is None:
        return capacity.starts_mixed_groups
    return any(topic.pk == topic_id for topic in capacity.topics.all())


def _starter_is_busy(organization: Organization, capacity: StarterCapacity, slot: str) -> bool:
    current = GroupMembership.objects.filter(
        group__in=Group.objects.filter(NOT_ENDED, organization=organization),
        person=capacity.person,
        role=MembershipRole.STARTER,
        left_on__isnull=True,
    )
    return (
        current.count() >= capacity.max_groups or current.filter(group__meeting_slot=slot).exists()
    )


def _create_group(organization: Organization, data: dict, venue: Venue, *, by) -> Group:
    topic_id = topic_id_of(data["topic"])
    topic = None if topic_id is None else Topic.objects.get(organization=organization, pk=topic_id)
    band = AgeBand.objects.get(organization=organization, pk=int(data["age_band"]))
    language = organization.primary_language
    with translation.override(language):
        about = str(MIXED_GROUP_LABEL) if topic is None else topic.name.localize(language)
        name = f"{about} · {slot_label(data['slot'])}"
    group = Group.objects.create(
        organization=organization,
        name=name[:120],
        topic=topic,
        age_band=band,
        status=GroupStatus.FORMING,
        venue=venue,
        meeting_slot=data["slot"],
    )
    record_change(
        organization=organization,
        actor=by,
        action="group.created",
        obj=group,
        changes={key: (None, value) for key, value in snapshot(group).items()},
    )
    return group


def _add_starter(group: Group, person, *, by) -> GroupMembership:
    membership = GroupMembership.objects.create(
        group=group,
        person=person,
        role=MembershipRole.STARTER,
        joined_on=timezone.localdate(),
    )
    record_change(
        organization=group.organization,
        actor=by,
        action="membership.created",
        obj=membership,
        changes={"group": (None, group.pk), "person": (None, person.pk), "role": (None, "starter")},
    )
    return membership
