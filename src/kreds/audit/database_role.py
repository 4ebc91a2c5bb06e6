"""The application's own PostgreSQL role: it may add audit rows, never change or remove them.

Production uses two roles (docs/deployment.md, "Database roles"): the owner, who runs
migrations and owns every table, and the application's role, which the web and job
processes connect as. `grant_database_role` gives the application's role what it
needs on every table, and on the audit table only:

- SELECT and INSERT;
- UPDATE of `actor_id` and `actor_label` alone, which erasure needs (Django's SET_NULL
  when a person is deleted, and `pseudonymise_actor`); the trigger of migration
  audit/0002 still refuses anything but those two narrow changes;
- no UPDATE of other columns, no DELETE, no TRUNCATE; and, not being the owner, it
  cannot drop or disable the trigger either.
"""

import re

from django.db import connections

from kreds.audit.models import AuditEvent

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
AUDIT_COLUMNS_ERASURE_MAY_CHANGE = ("actor_id", "actor_label")
TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"


def grant_statements(role: str, *, quote) -> list[str]:
    """The SQL that gives `role` the application's privileges, in order. Idempotent."""
    if not ROLE_NAME.match(role):
        raise ValueError(f"{role!r} is not a plain PostgreSQL role name (a-z, 0-9, _).")
    who = quote(role)
    audit = quote(AuditEvent._meta.db_table)
    columns = ", ".join(quote(name) for name in AUDIT_COLUMNS_ERASURE_MAY_CHANGE)
    return [
        f"GRANT USAGE ON SCHEMA public TO {who}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {who}",
        f"GRANT {TABLE_PRIVILEGES} ON ALL TABLES IN SCHEMA public TO {who}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {who}",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON {audit} FROM {who}",
        f"GRANT UPDATE ({columns}) ON {audit} TO {who}",
    ]


def grant_database_role(role: str, *, using: str = "default") -> list[str]:
    """Run `grant_statements` on the `using` database; returns the statements run.

    Run it as the tables' owner after every `migrate`, so new tables are granted too.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise ValueError("Database roles exist on PostgreSQL only.")
    statements = grant_statements(role, quote=connection.ops.quote_name)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    return statements
