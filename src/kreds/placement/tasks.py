"""Background jobs (django-tasks; `manage.py db_worker` runs them): the engine run, and
the expiry of one offered place just after its deadline.

The engine job reads the waiting list itself, so a run queued for a while still sees the
list as it is when it starts. Progress is written to the MatchingRun row at most once a
second; the coordinator's page polls it.
"""

import logging
import time

from django.utils import timezone
from django_scopes import scope
from django_tasks import task

from kreds.organizations.models import Organization
from kreds.placement import offers
from kreds.placement.instance import build_instance
from kreds.placement.models import MatchingRun, RunStatus
from kreds.placement.proposal import proposal_from_solution

logger = logging.getLogger(__name__)

PHASE_SHARE = {"prepare": 0, "relax": 10, "bound": 40, "solve": 20, "couple": 60, "done": 100}


@task()
def run_matching(run_id: int, organization_id: int) -> str:
    """Solve the waiting list of the run's organization and store the proposal."""
    organization = Organization.objects.get(pk=organization_id)
    with scope(organization=organization):
        run = MatchingRun.objects.select_related("organization").get(
            organization=organization, pk=run_id
        )
        MatchingRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, phase="prepare")
        try:
            _solve(run)
        except Exception:
            logger.exception("Matching run %s failed", run.pk)
            MatchingRun.objects.filter(pk=run.pk).update(
                status=RunStatus.FAILED, error="engine_error", finished_at=timezone.now()
            )
            return RunStatus.FAILED
    return RunStatus.DONE


@task()
def expire_offer(offer_id: int, organization_id: int) -> bool:
    """Expire the offer if it is still unanswered past its deadline; the place goes on.

    Queued by `offers.create_offer` to run just after the deadline. Safe to run at any
    time and more than once: an offer answered, withdrawn or deleted meanwhile, or not yet
    due, is left alone. Returns whether it expired.
    """
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        return False
    return offers.expire_offer(offer_id=offer_id, organization=organization)


def _solve(run: MatchingRun) -> None:
    from kreds.matching import Instance, solve

    built = build_instance(run.organization)
    reporter = _Reporter(run.pk, run.time_limit)
    solution = solve(Instance.from_dict(built.data), time_limit=run.time_limit, progress=reporter)
    stored = _without_text(solution.to_dict())
    run.solution = stored
    run.proposal = proposal_from_solution(stored, built)
    run.status = RunStatus.DONE
    run.phase = "done"
    run.percent = 100
    run.finished_at = timezone.now()
    run.save(
        update_fields=[
            "solution",
            "proposal",
            "status",
            "phase",
            "percent",
            "finished_at",
            "updated_at",
        ]
    )


class _Reporter:
    """The engine's progress callback: writes phase and percent, throttled."""

    def __init__(self, run_id: int, time_limit: int) -> None:
        self.run_id = run_id
        self.time_limit = max(time_limit, 1)
        self.last = 0.0

    def __call__(self, event) -> None:
        now = time.monotonic()
        if now - self.last < 1.0 and event.phase != "done":
            return
        self.last = now
        percent = max(PHASE_SHARE.get(event.phase, 0), int(100 * event.seconds / self.time_limit))
        MatchingRun.objects.filter(pk=self.run_id).update(
            phase=event.phase[:20], percent=min(percent, 99)
        )


def _without_text(solution: dict) -> dict:
    """The engine's solution with ids, numbers and codes only: its free texts are dropped."""
    groups = []
    for group in solution.get("groups", []):
        group = dict(group)
        explanation = dict(group.get("explanation") or {})
        explanation.pop("text", None)
        group["explanation"] = explanation
        groups.append(group)
    unassigned = [
        {"id": item["id"], "reason": item["reason"]} for item in solution.get("unassigned", [])
    ]
    kept = {key: solution[key] for key in ("objective", "bound", "status", "seconds")}
    return {**kept, "groups": groups, "unassigned": unassigned}
