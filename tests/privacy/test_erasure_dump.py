"""After erasure, a full dump of the PostgreSQL database holds no trace of the person.

Marker strings are planted in every personal field that can hold text. The test first
proves that the dump shows the plain-text markers (so it can fail), erases the person, and
dumps again. Needs PostgreSQL and pg_dump: `bin/with-postgres .venv/bin/pytest tests/privacy`.
"""

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import connection
from django.test import Client

from kreds.audit.services import record_change
from kreds.groups.models import GroupStatus
from kreds.privacy.services import erase_person
from tests import factories as f

PG_DUMP = os.environ.get("PG_DUMP", "/usr/lib/postgresql/15/bin/pg_dump")

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the dump test needs PostgreSQL and pg_dump: run bin/with-postgres "
        ".venv/bin/pytest tests/privacy",
    ),
    pytest.mark.skipif(
        not Path(PG_DUMP).exists() and not shutil.which("pg_dump"),
        reason=f"pg_dump not found at {PG_DUMP}",
    ),
]


def dump_database() -> str:
    """pg_dump of the whole test database (schema and data), as text."""
    settings = connection.settings_dict
    command = [PG_DUMP if Path(PG_DUMP).exists() else "pg_dump", "--no-owner"]
    host = settings.get("HOST") or settings.get("OPTIONS", {}).get("host")
    if host:
        command += ["-h", host]
    if settings.get("PORT"):
        command += ["-p", str(settings["PORT"])]
    command += ["-U", settings["USER"], settings["NAME"]]
    env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    result = subprocess.run(  # noqa: S603 (fixed program, arguments from the test settings)
        command, capture_output=True, text=True, check=False, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def markers():
    tag = uuid.uuid4().hex[:8]
    return {
        "name": f"Markername{tag}",
        "email": f"marker-{tag}@example.org",
        "second_email": f"second-{tag}@example.org",
        "phone": f"+45 9{tag[:6]}",
        "municipality": f"Markertown{tag}",
        "totp": f"MARKERTOTP{tag}",
        "browser": f"Markerbrowser/{tag}",
        "note": f"Markernote {tag}",  # encrypted at rest
    }


PLAIN = ["name", "email", "second_email", "phone", "municipality", "totp", "browser"]


@pytest.fixture
def marked_person(markers, organization, topic, age_band, venue, make_application):
    person = f.PersonFactory(
        display_name=markers["name"],
        email=markers["email"],
        phone=markers["phone"],
        municipality=markers["municipality"],
        birth_year=1961,
    )
    EmailAddress.objects.create(user=person, email=markers["second_email"], verified=False)
    Authenticator.objects.create(user=person, type="totp", data={"secret": markers["totp"]})
    group = f.GroupFactory(
        organization=organization,
        topic=topic,
        age_band=age_band,
        venue=venue,
        status=GroupStatus.RUNNING,
    )
    f.GroupMembershipFactory(group=group, person=person)
    f.RoleFactory(organization=organization, person=person)
    make_application(person, note=markers["note"])
    record_change(
        organization=organization, actor=person, action="group.updated", obj=group, changes={}
    )
    admin = f.PersonFactory(is_staff=True, is_superuser=True)
    LogEntry.objects.log_actions(  # the technical admin edited the person: their name is logged
        user_id=admin.pk, queryset=[person], action_flag=CHANGE, change_message="changed"
    )
    Client().force_login(person)
    UserSession.objects.create(
        user=person, ip="192.0.2.7", user_agent=markers["browser"], session_key=uuid.uuid4().hex
    )
    return person


@pytest.mark.django_db(transaction=True)
def test_dump_after_erasure_holds_no_marker_of_the_person(marked_person, markers):
    before = dump_database()
    missing = [key for key in PLAIN if markers[key] not in before]
    assert not missing, f"the dump should show these plain markers before erasure: {missing}"
    assert markers["note"] not in before  # the note is encrypted at rest

    erase_person(person=marked_person, by=marked_person)

    after = dump_database()
    left = [key for key, marker in markers.items() if marker in after]
    assert not left, f"markers still in the database dump after erasure: {left}"
