"""On PostgreSQL the application cannot change or delete audit rows (migration 0002).

These tests need PostgreSQL: run `bin/with-postgres .venv/bin/pytest tests/audit`.
"""

import uuid

import pytest
from django.db import DatabaseError, connection, transaction

from kreds.audit.models import AuditEvent
from kreds.audit.services import pseudonymise_actor, record_change

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the audit trigger exists only on PostgreSQL: run bin/with-postgres "
    ".venv/bin/pytest tests/audit",
)

REFUSED = "audit events cannot be changed or deleted"
TABLE = AuditEvent._meta.db_table


@pytest.fixture
def event(organization, coordinator, group):
    return record_change(
        organization=organization,
        actor=coordinator,
        action="group.updated",
        obj=group,
        changes={"status": ["forming", "running"]},
    )


def refused(operation) -> None:
    with pytest.raises(DatabaseError, match=REFUSED), transaction.atomic():
        operation()


def raw(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_orm_save_of_a_stored_event_is_refused(event):
    event.action = "group.created"
    refused(event.save)
    assert AuditEvent.objects.get(pk=event.pk).action == "group.updated"


def test_orm_update_is_refused(event):
    refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(changes={}))
    assert AuditEvent.objects.get(pk=event.pk).changes == {"status": ["forming", "running"]}


def test_orm_delete_is_refused(event):
    refused(event.delete)
    refused(AuditEvent.objects.all().delete)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_raw_update_is_refused(event):
    refused(lambda: raw(f"UPDATE {TABLE} SET actor_label = %s", ["Somebody else"]))  # noqa: S608 (fixed table name)
    assert AuditEvent.objects.get(pk=event.pk).actor_label == "Coordinator Karen"


def test_raw_delete_is_refused(event):
    refused(lambda: raw(f"DELETE FROM {TABLE}"))  # noqa: S608 (fixed table name)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_truncate_by_an_ordinary_role_is_refused(event):
    role = f"kreds_app_{uuid.uuid4().hex[:8]}"

    def truncate_as_app():
        raw("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE waits for no deferred FK checks
        raw(f"CREATE ROLE {role} NOLOGIN")
        raw(f"GRANT TRUNCATE ON {TABLE} TO {role}")
        raw(f"SET LOCAL ROLE {role}")
        raw(f"TRUNCATE {TABLE}")

    refused(truncate_as_app)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_unlinking_and_rewriting_the_actor_together_with_anything_else_is_refused(event):
    refused(
        lambda: AuditEvent.objects.filter(pk=event.pk).update(
            actor=None, actor_label="erased person 0000", action="group.created"
        )
    )


def test_unlinking_the_actor_under_another_name_is_refused(event):
    refused(
        lambda: AuditEvent.objects.filter(pk=event.pk).update(actor=None, actor_label="Somebody")
    )


def test_deleting_a_person_unlinks_their_events(event, coordinator):
    coordinator.delete()
    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.actor_id, event.actor_label) == (None, "Coordinator Karen")


def test_pseudonymising_an_erased_person_is_allowed(event, coordinator):
    assert pseudonymise_actor(person=coordinator) == 1
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.actor_id is None
    assert event.actor_label.startswith("erased person ")


def test_truncate_by_a_superuser_is_allowed_for_the_test_runner(event):
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            pytest.skip("the test database role is not a superuser")
    raw("SET CONSTRAINTS ALL IMMEDIATE")
    raw(f"TRUNCATE {TABLE}")
    assert not AuditEvent.objects.exists()


def test_new_events_are_still_recorded(event, organization, group):
    record_change(
        organization=organization, actor=None, action="group.ended", obj=group, changes={}
    )
    assert AuditEvent.objects.count() == 2
