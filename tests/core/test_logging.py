"""No log record holds a person's email address, name or what they typed.

Small and focused on the logging set-up: Django's request and security loggers (404s,
refused CSRF, a bad Host header), the access policy's error log, and a login, a failed
login and a profile change made through the pages. Records are captured at DEBUG from
every logger and formatted with their tracebacks, as a handler would write them.
The wider canary test (tests/test_canaries.py) covers every page and persona.
"""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from kreds.core.policy import ACCESS_POLICY
from tests import factories as f

EMAIL = "hemmelig.person@example.org"
NAME = "Hemmeline"
NEW_NAME = "Hemmeline Hansen"
PHONE = "+45 24 68 10 12"
FORMATTER = logging.Formatter("%(levelname)s %(name)s %(message)s")


@pytest.fixture
def all_logs(caplog):
    caplog.set_level(logging.DEBUG)
    for name in list(logging.root.manager.loggerDict):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


@pytest.fixture
def person(db):
    return f.PersonFactory(email=EMAIL, display_name=NAME)


def written(caplog) -> str:
    """Every captured record as a handler would write it, traceback included."""
    return "\n".join(FORMATTER.format(record) for record in caplog.records)


def assert_nothing_personal(caplog) -> None:
    text = written(caplog).lower()
    for secret in (EMAIL, "hemmelig.person", NAME, PHONE, "24 68 10 12", f.PASSWORD):
        assert secret.lower() not in text, secret


def test_login_and_profile_change_log_nothing_personal(client, person, all_logs):
    client.post(reverse("account_login"), {"login": EMAIL, "password": "wrong password!"})
    response = client.post(reverse("account_login"), {"login": EMAIL, "password": f.PASSWORD})
    assert response.status_code == 302
    response = client.post(
        reverse("people:profile_edit"),
        {"display_name": NEW_NAME, "preferred_language": "en", "phone": PHONE},
    )
    assert response.status_code == 302
    assert_nothing_personal(all_logs)


def test_not_found_is_logged_with_the_path_only(client, person, all_logs):
    client.force_login(person)
    response = client.get(f"/no-such-page/?email={EMAIL}&name={NAME}")
    assert response.status_code == 404
    messages = [r.getMessage() for r in all_logs.records if r.name == "django.request"]
    assert messages == ["Not Found: /no-such-page/"]
    assert_nothing_personal(all_logs)


def test_refused_csrf_is_logged_without_the_form(person, all_logs):
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    response = client.post(
        reverse("people:profile_edit"), {"display_name": NEW_NAME, "phone": PHONE}
    )
    assert response.status_code == 403
    assert any(r.name == "django.security.csrf" for r in all_logs.records)
    assert_nothing_personal(all_logs)


def test_bad_host_is_logged_without_the_request(client, all_logs):
    response = client.post("/", {"email": EMAIL}, HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    assert any(r.name == "django.security.DisallowedHost" for r in all_logs.records)
    assert_nothing_personal(all_logs)


def test_access_policy_error_names_the_url_name_only(client, person, all_logs, monkeypatch):
    monkeypatch.delitem(ACCESS_POLICY, "people:profile_edit")
    client.force_login(person)
    response = client.post(reverse("people:profile_edit"), {"display_name": NEW_NAME})
    assert response.status_code == 404
    errors = [r.getMessage() for r in all_logs.records if r.name == "kreds.core.middleware"]
    assert errors == ["URL name missing from the access policy: people:profile_edit"]
    assert_nothing_personal(all_logs)


# Django's own DEBUG records can hold personal data: django.template's "Exception while
# resolving variable" carries the whole template context (people's names, the CSRF
# token), and django.db.backends the SQL parameters. Even with LOG_LEVEL=DEBUG those
# loggers stay at INFO: Django's default logging sets the "django" logger to INFO, and
# our LOGGING keeps it (disable_existing_loggers False, no level of its own for it).
# (Tests that force every logger to DEBUG, like the canary test, see those records;
# production does not write them.)

QUIET_LOGGERS = ("django.template", "django.db.backends", "django.request")


def test_loggers_that_dump_data_stay_quiet_even_at_log_level_debug():
    root = Path(__file__).resolve().parents[2]
    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    code = (
        "import logging; print([logging.getLogger(n).getEffectiveLevel() "
        f"for n in {QUIET_LOGGERS!r}])"
    )
    result = subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=root,
        env=base
        | {
            "KREDS_DEBUG": "1",
            "LOG_LEVEL": "DEBUG",
            "DATABASE_URL": "sqlite:///:memory:",
            "DJANGO_SETTINGS_MODULE": "kreds.config.settings",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    levels = [int(level) for level in result.stdout.strip().splitlines()[-1][1:-1].split(",")]
    assert levels == [logging.INFO] * len(QUIET_LOGGERS)


def test_request_refused_by_the_access_policy_is_logged_with_the_path_only(
    client, participant, organization, all_logs
):
    """A participant trying a coordinator's page: answered 404 and logged like any 404."""
    client.force_login(participant)
    staff_page = reverse("organizations:manage_dashboard", kwargs={"org": organization.slug})

    response = client.get(f"{staff_page}?email={participant.email}")

    assert response.status_code == 404
    messages = [r.getMessage() for r in all_logs.records if r.name == "django.request"]
    assert messages == [f"Not Found: {staff_page}"]
    assert participant.email not in written(all_logs)
    assert participant.display_name not in written(all_logs)
