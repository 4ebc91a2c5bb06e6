"""System check of the audit log's second lock: the application's database role.

| id | what |
| --- | --- |
| kreds.W013 | the database role may UPDATE, DELETE or TRUNCATE audit rows (deploy, database) |
"""

from django.core.checks import Tags, Warning, register
from django.db import connections

from kreds.audit.models import AuditEvent

PRIVILEGES_QUERY = """
    SELECT to_regclass(%(table)s) IS NOT NULL
       AND (has_table_privilege(%(table)s, 'UPDATE')
            OR has_table_privilege(%(table)s, 'DELETE')
            OR has_table_privilege(%(table)s, 'TRUNCATE'))
"""


@register(Tags.database, deploy=True)
def check_audit_privileges(app_configs=None, databases=None, **kwargs):
    warnings = []
    for alias in databases or []:
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        with connection.cursor() as cursor:
            cursor.execute(PRIVILEGES_QUERY, {"table": AuditEvent._meta.db_table})
            (may_rewrite,) = cursor.fetchone()
        if may_rewrite:
            warnings.append(
                Warning(
                    f"Database {alias!r} is used by a role that may change or delete audit "
                    "events (it owns the table, or has UPDATE, DELETE or TRUNCATE on it).",
                    hint="Connect the web and job processes as the application's role and "
                    "run `manage.py grant_database_role <role>` as the owner "
                    "(docs/deployment.md, Database roles).",
                    id="kreds.W013",
                )
            )
    return warnings
