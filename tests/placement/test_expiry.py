"""Each offer's own expiry job: queued for just after the deadline, run by the worker.

These tests use the production task backend (django-tasks-db) and run its worker
(`manage.py db_worker --batch`). The worker closes the database connection between jobs,
as in production, so every write here is committed (transaction=True).
"""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kreds.placement.models import Offer, OfferStatus
from kreds.placement.offers import EXPIRY_DELAY, accept_offer
from kreds.placement.services import accept_proposal

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
EXPIRE_JOB = "kreds.placement.tasks.expire_offer"


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE_TASKS


@pytest.fixture
def offers(database_tasks, world, make_waiting, make_run, coordinator):
    members = make_waiting(3, name="Member")
    group = accept_proposal(run=make_run([(members, [world])]), key="g1", by=coordinator)
    return list(Offer.objects.filter(group=group).order_by("id"))


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0")


def time_passes(offer, past=dt.timedelta(minutes=2)):
    """Move the deadline and the job's start into the past, as if the days had gone by."""
    expires_at = timezone.now() - past
    Offer.objects.filter(pk=offer.pk).update(expires_at=expires_at)
    jobs = DBTaskResult.objects.filter(
        task_path=EXPIRE_JOB, args_kwargs__args=[offer.pk, offer.organization_id]
    )
    assert jobs.count() == 1
    jobs.update(run_after=expires_at + EXPIRY_DELAY)


def test_each_new_offer_queues_its_expiry_for_just_after_the_deadline(offers):
    jobs = DBTaskResult.objects.filter(task_path=EXPIRE_JOB)
    assert jobs.count() == 3
    for offer in offers:
        job = jobs.get(args_kwargs__args=[offer.pk, offer.organization_id])
        assert job.run_after == offer.expires_at + EXPIRY_DELAY
        assert job.run_after > timezone.now() + dt.timedelta(days=6)


def test_worker_leaves_offers_alone_before_their_deadline(offers):
    run_worker()
    assert {o.status for o in Offer.objects.all()} == {OfferStatus.OFFERED}
    assert DBTaskResult.objects.filter(task_path=EXPIRE_JOB, status="READY").count() == 3


def test_expiry_job_expires_an_unanswered_offer_and_offers_the_place_on(offers, make_waiting):
    (next_person,) = make_waiting(days=30, name="Next")
    mail.outbox.clear()
    time_passes(offers[0])
    run_worker()
    offers[0].refresh_from_db()
    assert offers[0].status == OfferStatus.EXPIRED
    new_offer = Offer.objects.get(application=next_person)
    assert new_offer.group_id == offers[0].group_id
    assert {o.status for o in offers[1:]} == {OfferStatus.OFFERED}
    assert [m.to for m in mail.outbox] == [[next_person.person.email]]
    # The next person's offer has an expiry job of its own.
    assert DBTaskResult.objects.filter(
        task_path=EXPIRE_JOB, args_kwargs__args=[new_offer.pk, new_offer.organization_id]
    ).exists()


def test_expiry_job_leaves_an_answered_offer_alone(offers, make_waiting):
    make_waiting(days=30, name="Next")
    accept_offer(offer=offers[0], by=None)
    time_passes(offers[0])
    run_worker()
    offers[0].refresh_from_db()
    assert offers[0].status == OfferStatus.ACCEPTED
    assert Offer.objects.count() == 3
    job = DBTaskResult.objects.get(
        task_path=EXPIRE_JOB, args_kwargs__args=[offers[0].pk, offers[0].organization_id]
    )
    assert job.status == "SUCCESSFUL"
    assert job.return_value is False


def test_expiry_job_for_a_withdrawn_application_does_nothing(offers, make_waiting):
    from kreds.intake.services import withdraw_application

    time_passes(offers[0])
    withdraw_application(application=offers[0].application, by=None)
    run_worker()
    job = DBTaskResult.objects.get(
        task_path=EXPIRE_JOB, args_kwargs__args=[offers[0].pk, offers[0].organization_id]
    )
    assert job.status == "SUCCESSFUL"
