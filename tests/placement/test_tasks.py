"""The engine run as a background job, end to end with the real engine (short time limit)."""

import json

import pytest

from kreds.audit.models import AuditEvent
from kreds.placement.models import MatchingRun, RunStatus
from kreds.placement.services import start_matching_run
from kreds.placement.tasks import run_matching

pytestmark = pytest.mark.django_db


def test_run_proposes_a_group_and_explains_who_is_left_out(
    world,
    make_waiting,
    far_away,
    organization,
    coordinator,
    place_venue,
    topic,
    django_capture_on_commit_callbacks,
):
    near = make_waiting(4, name="Near")
    (far,) = make_waiting(municipality=far_away, name="Far")
    with django_capture_on_commit_callbacks(execute=True):
        run = start_matching_run(organization=organization, by=coordinator, time_limit=3)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert run.percent == 100
    (group,) = run.proposal["groups"]
    assert sorted(group["members"]) == sorted(str(a.pk) for a in near)
    assert group["venue"] == str(place_venue.pk)
    assert group["topic"] == str(topic.pk)
    assert group["starters"] == [str(world.pk)]
    assert run.proposal["unassigned"] == [{"id": str(far.pk), "reason": "no_peers_nearby"}]
    assert AuditEvent.objects.filter(action="matching_run.started").exists()


def test_run_stores_ids_and_codes_only(
    world, make_waiting, organization, coordinator, django_capture_on_commit_callbacks
):
    make_waiting(4, name="Hidden Person")
    with django_capture_on_commit_callbacks(execute=True):
        run = start_matching_run(organization=organization, by=coordinator, time_limit=2)
    run.refresh_from_db()
    stored = json.dumps([run.solution, run.proposal])
    assert "Hidden Person" not in stored
    assert '"text"' not in stored


def test_run_while_another_runs_returns_the_running_one(world, organization, coordinator):
    first = start_matching_run(organization=organization, by=coordinator)
    second = start_matching_run(organization=organization, by=coordinator)
    assert first.pk == second.pk
    assert MatchingRun.objects.count() == 1


def test_run_that_fails_is_marked_failed(world, organization, settings):
    settings.KREDS_MATCHING_WEIGHTS = "heavy"  # a broken setting makes the job fail
    run = MatchingRun.objects.create(organization=organization, time_limit=2)
    run_matching.call(run.pk, organization.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert run.error == "engine_error"


def test_run_stuck_for_an_hour_does_not_block_a_new_one(world, organization, coordinator):
    import datetime as dt

    from django.utils import timezone

    stuck = start_matching_run(organization=organization, by=coordinator)
    MatchingRun.objects.filter(pk=stuck.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=2)
    )
    assert start_matching_run(organization=organization, by=coordinator).pk != stuck.pk
