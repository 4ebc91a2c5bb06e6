"""The daily retention run: every expired row goes, every row still in its period stays.

Time is passed in (`apply_retention(now=...)`), so nothing depends on the day the tests run.
"""

import datetime as dt
from io import StringIO

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from kreds.audit.models import AuditEvent
from kreds.groups.models import GroupMembership, GroupStatus
from kreds.intake.models import Application, ApplicationStatus
from kreds.placement.models import MatchingRun
from kreds.privacy.models import Consent
from kreds.privacy.retention import apply_retention
from kreds.privacy.services import give_consent
from kreds.privacy.tasks import apply_retention_task
from tests import factories as f

NOW = dt.datetime(2027, 6, 15, 10, 0, tzinfo=dt.UTC)
TODAY = NOW.date()
DAYS = 365


def ago(days: int) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


def ended_group_with_members(organization, *, ended_days_ago: int | None):
    group = f.GroupFactory(
        organization=organization,
        status=GroupStatus.ENDED if ended_days_ago is not None else GroupStatus.RUNNING,
        ended_on=TODAY - dt.timedelta(days=ended_days_ago) if ended_days_ago else None,
    )
    return [f.GroupMembershipFactory(group=group, joined_on=dt.date(2024, 1, 1)) for _ in range(2)]


def application(make_application, organization, *, status, changed_days_ago: int):
    made = make_application(f.PersonFactory(), organization=organization, status=status)
    Application.objects.filter(pk=made.pk).update(updated_at=ago(changed_days_ago))
    return made


def withdrawn_consent(person, organization, *, days_ago: int | None):
    consent = give_consent(person=person, organization=organization, purpose="topic", language="da")
    if days_ago is not None:
        Consent.objects.filter(pk=consent.pk).update(withdrawn_at=ago(days_ago))
    return consent


def proposal(organization, *, days_ago: int) -> MatchingRun:
    run = MatchingRun.objects.create(organization=organization)
    MatchingRun.objects.filter(pk=run.pk).update(created_at=ago(days_ago))
    return run


@pytest.fixture
def rows(organization, other_organization, make_application):
    """Per kind: rows past the organization's retention period and rows within it."""
    short = other_organization
    short.retention_days = 30
    short.save()
    person = f.PersonFactory()
    closed, still_open = ApplicationStatus.PLACED, ApplicationStatus.WAITING
    kept_by_application = application(
        make_application, organization, status=still_open, changed_days_ago=DAYS + 50
    )
    Consent.objects.filter(pk=kept_by_application.consent_id).update(withdrawn_at=ago(DAYS + 9))
    return {
        "group_proposals": (
            [proposal(organization, days_ago=91), proposal(short, days_ago=400)],
            [proposal(organization, days_ago=89), proposal(short, days_ago=1)],
        ),
        "group_memberships": (
            ended_group_with_members(organization, ended_days_ago=DAYS + 1)
            + ended_group_with_members(short, ended_days_ago=31),
            ended_group_with_members(organization, ended_days_ago=DAYS)
            + ended_group_with_members(organization, ended_days_ago=30)
            + ended_group_with_members(organization, ended_days_ago=None),
        ),
        "applications": (
            [
                application(
                    make_application, organization, status=status, changed_days_ago=DAYS + 1
                )
                for status in (
                    ApplicationStatus.PLACED,
                    ApplicationStatus.REFERRED,
                    ApplicationStatus.DECLINED,
                    ApplicationStatus.WITHDRAWN,
                )
            ]
            + [application(make_application, short, status=closed, changed_days_ago=31)],
            [
                application(
                    make_application, organization, status=closed, changed_days_ago=DAYS - 1
                ),
                application(
                    make_application, organization, status=still_open, changed_days_ago=900
                ),
                kept_by_application,
            ],
        ),
        "consents": (
            [
                withdrawn_consent(person, organization, days_ago=DAYS + 1),
                withdrawn_consent(person, short, days_ago=31),
            ],
            [
                withdrawn_consent(person, organization, days_ago=DAYS - 1),
                withdrawn_consent(person, organization, days_ago=None),
                Consent.objects.get(pk=kept_by_application.consent_id),
            ],
        ),
    }


MODELS = {
    "group_memberships": GroupMembership,
    "applications": Application,
    "consents": Consent,
    "group_proposals": MatchingRun,
}


@pytest.mark.parametrize("kind", list(MODELS))
def test_retention_deletes_all_expired_and_no_unexpired_rows(rows, kind):
    expired, kept = rows[kind]
    model = MODELS[kind]

    counts = apply_retention(now=NOW)

    assert counts[kind] == len(expired)
    assert not model.objects.filter(pk__in=[row.pk for row in expired]).exists()
    assert model.objects.filter(pk__in=[row.pk for row in kept]).count() == len(kept)


@pytest.mark.parametrize(
    ("kind", "action"),
    [
        ("group_memberships", "group_membership.expired"),
        ("applications", "application.expired"),
        ("consents", "consent.expired"),
        ("group_proposals", "matching_run.expired"),
    ],
)
def test_retention_records_each_deletion_with_the_id_only(rows, kind, action):
    expired, _kept = rows[kind]

    apply_retention(now=NOW)

    events = AuditEvent.objects.filter(action=action)
    assert sorted(int(event.object_id) for event in events) == sorted(row.pk for row in expired)
    for event in events:
        assert event.actor is None
        assert event.object_label == ""
        assert event.changes == {"id": [int(event.object_id), None]}


def test_retention_run_twice_deletes_nothing_more(rows):
    apply_retention(now=NOW)

    assert set(apply_retention(now=NOW).values()) == {0}


def task_result(*, status, finished_days_ago: int | None) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=status,
        finished_at=ago(finished_days_ago) if finished_days_ago is not None else None,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="kreds.privacy.tasks.apply_retention_task",
        backend_name="default",
        run_after=ago(400),
    )


def test_retention_deletes_job_results_finished_more_than_30_days_ago(db):
    expired = [
        task_result(status=TaskResultStatus.SUCCESSFUL, finished_days_ago=31),
        task_result(status=TaskResultStatus.FAILED, finished_days_ago=90),
    ]
    kept = [
        task_result(status=TaskResultStatus.SUCCESSFUL, finished_days_ago=29),
        task_result(status=TaskResultStatus.READY, finished_days_ago=None),
        task_result(status=TaskResultStatus.RUNNING, finished_days_ago=None),
    ]

    assert apply_retention(now=NOW)["task_results"] == len(expired)
    assert set(DBTaskResult.objects.values_list("id", flat=True)) == {row.id for row in kept}


def session(expires: dt.datetime) -> str:
    store = SessionStore()
    store["marker"] = 1
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=expires)
    return store.session_key


def test_retention_deletes_expired_sessions_only(db):
    expired = [session(NOW - dt.timedelta(minutes=1)), session(ago(40))]
    kept = [session(NOW + dt.timedelta(hours=1))]

    assert apply_retention(now=NOW)["sessions"] == len(expired)
    assert list(Session.objects.values_list("session_key", flat=True)) == kept


@pytest.fixture
def expired_today(organization, make_application):
    """A closed application last changed 400 days before the real today."""
    made = make_application(f.PersonFactory(), status=ApplicationStatus.PLACED)
    Application.objects.filter(pk=made.pk).update(
        updated_at=timezone.now() - dt.timedelta(days=400)
    )
    return made


def test_command_runs_retention_and_reports_counts(expired_today):
    out = StringIO()

    call_command("apply_retention", stdout=out)

    assert "Retention run done. Deleted group memberships: 0, applications: 1" in out.getvalue()
    assert not Application.objects.filter(pk=expired_today.pk).exists()


def test_command_can_hand_the_run_to_the_background_worker(expired_today):
    out = StringIO()

    call_command("apply_retention", "--enqueue", stdout=out)  # the test backend runs it at once

    assert "enqueued" in out.getvalue()
    assert not Application.objects.filter(pk=expired_today.pk).exists()


def test_task_returns_the_counts(db):
    result = apply_retention_task.enqueue()

    assert set(result.return_value) == {
        "group_memberships",
        "applications",
        "consents",
        "group_proposals",
        "task_results",
        "sessions",
        "session_list_rows",
        "sign_in_events",
    }
