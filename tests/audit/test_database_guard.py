"""On PostgreSQL the application cannot change or delete audit rows.

Two locks: the trigger of migration 0002, and the application's own database role
(`manage.py grant_database_role`), which has no UPDATE (but of the actor), DELETE or
TRUNCATE privilege on the table and cannot switch the trigger off.

These tests need PostgreSQL: run `bin/with-postgres .venv/bin/pytest tests/audit`.
"""

import io
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from kreds.audit.checks import check_audit_privileges
from kreds.audit.models import AuditEvent
from kreds.audit.services import pseudonymise_actor, record_change
from kreds.groups.models import Group

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


# The application's own role (docs/deployment.md, "Database roles"): even without the
# trigger, it may add audit rows but not change or remove them.


@pytest.fixture
def app_role(event):
    """A login role with the privileges `grant_database_role` gives the application.

    Created inside the test's transaction, so it disappears with it.
    """
    role = f"kreds_app_{uuid.uuid4().hex[:8]}"
    raw(f"CREATE ROLE {role} LOGIN PASSWORD NULL")
    call_command("grant_database_role", role, stdout=io.StringIO())
    return role


def as_role(role: str, operation):
    """Run `operation` as `role` (SET ROLE: privileges are those of the role alone)."""
    with transaction.atomic():
        raw(f"SET LOCAL ROLE {role}")
        result = operation()
        raw("RESET ROLE")
    return result


def denied_as(role: str, operation) -> None:
    with pytest.raises(DatabaseError, match="permission denied|must be owner"):
        as_role(role, operation)


def current_user() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        return cursor.fetchone()[0]


def test_app_role_is_not_the_owner_and_not_a_superuser(app_role):
    def facts():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT r.rolsuper, t.tableowner = current_user FROM pg_roles r, pg_tables t "
                "WHERE r.rolname = current_user AND t.tablename = %s",
                [TABLE],
            )
            return cursor.fetchone()

    assert as_role(app_role, facts) == (False, False)
    assert current_user() != app_role  # the role was reset after the block


def test_app_role_may_insert_and_read_audit_events(app_role, organization, group):
    def write():
        new = record_change(
            organization=organization, actor=None, action="group.ended", obj=group, changes={}
        )
        return AuditEvent.objects.filter(pk=new.pk).exists()

    assert as_role(app_role, write)
    assert AuditEvent.objects.filter(action="group.ended").count() == 1


def test_app_role_may_not_update_audit_events(app_role, event):
    denied_as(app_role, lambda: AuditEvent.objects.filter(pk=event.pk).update(changes={}))
    denied_as(app_role, lambda: raw(f"UPDATE {TABLE} SET action = 'group.created'"))  # noqa: S608
    event.action = "group.created"
    denied_as(app_role, event.save)
    assert AuditEvent.objects.get(pk=event.pk).action == "group.updated"


def test_app_role_may_not_delete_or_truncate_audit_events(app_role, event):
    denied_as(app_role, lambda: AuditEvent.objects.filter(pk=event.pk).delete())
    denied_as(app_role, lambda: raw(f"DELETE FROM {TABLE}"))  # noqa: S608 (fixed table name)
    denied_as(app_role, lambda: raw(f"TRUNCATE {TABLE}"))
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_app_role_may_not_switch_the_trigger_off(app_role, event):
    denied_as(app_role, lambda: raw(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER"))
    denied_as(app_role, lambda: raw(f"DROP TRIGGER kreds_audit_event_no_change ON {TABLE}"))


def test_app_role_may_change_the_actor_only_as_the_trigger_allows(app_role, event, coordinator):
    assert as_role(app_role, lambda: pseudonymise_actor(person=coordinator)) == 1
    assert AuditEvent.objects.get(pk=event.pk).actor_label.startswith("erased person ")
    with pytest.raises(DatabaseError, match=REFUSED):
        as_role(app_role, lambda: raw(f"UPDATE {TABLE} SET actor_label = 'Somebody'"))  # noqa: S608


def test_app_role_keeps_full_use_of_other_tables(app_role, group):
    def rename():
        return Group.objects.filter(pk=group.pk).update(name="Sorggruppe onsdag")

    assert as_role(app_role, rename) == 1


def test_grant_command_refuses_a_role_name_that_is_not_plain():
    with pytest.raises(CommandError, match="not a plain PostgreSQL role name"):
        call_command("grant_database_role", 'kreds"; DROP TABLE x; --', stdout=io.StringIO())


def test_privileges_check_warns_for_a_role_that_may_rewrite_the_log(db):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT has_table_privilege('{TABLE}', 'DELETE')")  # noqa: S608
        may_delete = cursor.fetchone()[0]
    warnings = check_audit_privileges(databases=["default"])
    assert [w.id for w in warnings] == (["kreds.W013"] if may_delete else [])


def test_privileges_check_is_quiet_for_the_app_role(app_role):
    assert as_role(app_role, lambda: check_audit_privileges(databases=["default"])) == []
