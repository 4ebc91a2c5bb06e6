"""The daily retention run: delete what each organization no longer needs to keep.

Per organization, after `Organization.retention_days`:
- group memberships of groups that ended (Group.ended_on) longer ago than that;
- applications closed (placed, referred, declined, withdrawn) longer ago than that. The
  application has no "closed at" date yet, so its last change (`updated_at`) stands in:
  a closed application is not edited any more, and an edit only delays the deletion;
- consents withdrawn longer ago than that, unless an application still rests on one;
- group proposals (placement.MatchingRun) made more than 90 days ago: working material.

For the whole installation: results of background jobs finished more than 30 days ago
(django-tasks), expired login sessions, and sign-in events (audit.SignInEvent: logins,
failed logins, logouts) older than 90 days.

Each deleted row of our own gets an audit event ("<kind>.expired") holding its id and
nothing else. Sessions and job results are housekeeping of libraries: they are counted,
not audited (a session key is a credential and has no place in the log); so are sign-in
events, themselves a security log.

Run daily by `manage.py apply_retention` (cron) or the task `apply_retention_task`.
Allow-listed scopes_disabled(): the run walks every organization, each query filtered
on the organization itself.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django_scopes import scopes_disabled
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from kreds.audit.models import SignInEvent
from kreds.audit.services import record_change
from kreds.audit.sign_in_events import SIGN_IN_EVENT_DAYS
from kreds.core.auth import purge_ended_user_sessions
from kreds.groups.models import GroupMembership
from kreds.intake.models import Application, ApplicationStatus
from kreds.organizations.models import Organization
from kreds.placement.models import MatchingRun
from kreds.privacy.models import Consent

TASK_RESULT_DAYS = 30
GROUP_PROPOSAL_DAYS = 90
CLOSED_STATUSES = [
    ApplicationStatus.PLACED,
    ApplicationStatus.REFERRED,
    ApplicationStatus.DECLINED,
    ApplicationStatus.WITHDRAWN,
]
KINDS = (
    "group_memberships",
    "applications",
    "consents",
    "group_proposals",
    "task_results",
    "sessions",
    "session_list_rows",
    "sign_in_events",
)


def apply_retention(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Delete every expired row; returns how many were deleted per kind (see KINDS).

    Side effects: deletes, and one audit event per deleted membership, application and
    consent, in one transaction per organization.
    """
    now = now or timezone.now()
    counts = dict.fromkeys(KINDS, 0)
    with scopes_disabled():
        for organization in Organization.objects.order_by("pk"):
            for kind, count in _expire_organization(organization, now).items():
                counts[kind] += count
    counts["task_results"] = _delete_old_task_results(now)
    counts["sessions"] = Session.objects.filter(expire_date__lt=now).delete()[0]
    # allauth's session list (IP address, browser) of sessions that have ended.
    counts["session_list_rows"] = purge_ended_user_sessions()
    old_sign_ins = SignInEvent.objects.filter(
        created_at__lt=now - dt.timedelta(days=SIGN_IN_EVENT_DAYS)
    )
    counts["sign_in_events"] = old_sign_ins.delete()[0]
    return counts


@transaction.atomic
def _expire_organization(organization: Organization, now: dt.datetime) -> dict[str, int]:
    cutoff = now - dt.timedelta(days=organization.retention_days)
    today = timezone.localdate(now, ZoneInfo(organization.time_zone))
    last_kept_day = today - dt.timedelta(days=organization.retention_days)
    memberships = GroupMembership.objects.filter(
        group__organization=organization, group__ended_on__lt=last_kept_day
    )
    applications = Application.objects.filter(
        organization=organization, status__in=CLOSED_STATUSES, updated_at__lt=cutoff
    )
    counts = {
        "group_memberships": _delete(memberships, organization, "group_membership.expired"),
        "applications": _delete(applications, organization, "application.expired"),
    }
    consents = Consent.objects.filter(
        organization=organization, withdrawn_at__lt=cutoff, applications__isnull=True
    )
    counts["consents"] = _delete(consents, organization, "consent.expired")
    proposals = MatchingRun.objects.filter(
        organization=organization, created_at__lt=now - dt.timedelta(days=GROUP_PROPOSAL_DAYS)
    )
    counts["group_proposals"] = _delete(proposals, organization, "matching_run.expired")
    return counts


def _delete(queryset: QuerySet, organization: Organization, action: str) -> int:
    rows: list[Model] = list(queryset.order_by("pk"))
    for row in rows:
        record_change(
            organization=organization,
            actor=None,
            action=action,
            obj=row,
            changes={"id": (row.pk, None)},
        )
    if rows:
        queryset.model.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return len(rows)


def _delete_old_task_results(now: dt.datetime) -> int:
    finished = [TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED]
    old = DBTaskResult.objects.filter(
        status__in=finished, finished_at__lt=now - dt.timedelta(days=TASK_RESULT_DAYS)
    )
    return old.delete()[0]
