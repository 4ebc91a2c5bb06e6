"""load_demo runs again when the demo organizations have an audit log (kreds.demo.loader).

On PostgreSQL audit rows can be neither changed nor deleted (audit/0002), and on every
database they protect their organization, so the loader keeps the organizations and
empties them instead of deleting them.
"""

from io import StringIO

import pytest
from django.core.management import call_command

from kreds.audit.models import AuditEvent
from kreds.audit.services import record_change, record_read
from kreds.groups.models import Group, GroupMembership
from kreds.organizations.models import Organization


def load_demo() -> None:
    call_command("load_demo", stdout=StringIO())


@pytest.mark.django_db(transaction=True)
def test_load_demo_twice_with_audit_rows_in_between():
    load_demo()
    herning = Organization.objects.get(slug="herning")
    group = Group.objects.filter(organization=herning).first()
    membership = GroupMembership.objects.filter(group=group).first()
    record_change(organization=herning, actor=None, action="group.updated", obj=group, changes={})
    record_read(organization=herning, actor=None, obj=membership, fields=["person"])
    groups = Group.objects.filter(organization=herning).count()
    herning.retention_days = 10
    herning.save()

    load_demo()

    again = Organization.objects.get(slug="herning")
    assert again.pk == herning.pk
    assert again.retention_days == 365  # reset to the spec
    assert Group.objects.filter(organization=again).count() == groups
    assert AuditEvent.objects.filter(organization=again).count() == 2
