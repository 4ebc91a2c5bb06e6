"""On PostgreSQL, audit rows cannot be changed, deleted or truncated by the application.

A trigger refuses UPDATE and DELETE of any row, and TRUNCATE of the table, with two
narrow exceptions:

- an UPDATE that only unlinks the actor (actor_id set to NULL, as Django's SET_NULL does
  when a person is deleted) and, at most, replaces their name by a pseudonym starting
  with "erased person " (kreds.audit.services.pseudonymise_actor);
- a TRUNCATE by a superuser, who could drop the trigger anyway: Django's test runner
  empties tables that way. Production connects as an ordinary role (check kreds.W012).

Other databases (SQLite in development) get no trigger.
"""

from django.db import migrations

GUARD = [
    """
    CREATE OR REPLACE FUNCTION kreds_audit_event_guard() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            IF NEW.actor_id IS NULL
               AND (NEW.actor_label = OLD.actor_label OR NEW.actor_label LIKE 'erased person %')
               AND (to_jsonb(NEW) - 'actor_id' - 'actor_label')
                   = (to_jsonb(OLD) - 'actor_id' - 'actor_label')
            THEN
                RETURN NEW;
            END IF;
        ELSIF TG_OP = 'TRUNCATE' THEN
            IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
                RETURN NULL;
            END IF;
        END IF;
        RAISE EXCEPTION 'kreds: audit events cannot be changed or deleted (% refused)', TG_OP
            USING HINT = 'The audit log is the organization''s record; see docs/security.md.';
    END;
    $$
    """,
    """
    CREATE TRIGGER kreds_audit_event_no_change
        BEFORE UPDATE OR DELETE ON audit_auditevent
        FOR EACH ROW EXECUTE FUNCTION kreds_audit_event_guard()
    """,
    """
    CREATE TRIGGER kreds_audit_event_no_truncate
        BEFORE TRUNCATE ON audit_auditevent
        FOR EACH STATEMENT EXECUTE FUNCTION kreds_audit_event_guard()
    """,
]

UNGUARD = [
    "DROP TRIGGER IF EXISTS kreds_audit_event_no_truncate ON audit_auditevent",
    "DROP TRIGGER IF EXISTS kreds_audit_event_no_change ON audit_auditevent",
    "DROP FUNCTION IF EXISTS kreds_audit_event_guard()",
]


class PostgreSQLOnly(migrations.RunSQL):
    """RunSQL that does nothing on databases other than PostgreSQL."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [PostgreSQLOnly(sql=GUARD, reverse_sql=UNGUARD)]
