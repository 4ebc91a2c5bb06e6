"""The demo's coordinators and admins log in in two steps, with a published demo secret."""

import time
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.urls import reverse

from kreds.demo.mfa import DEMO_TOTP_SECRET
from kreds.demo.spec import DEMO_PASSWORD
from kreds.organizations.models import Role, RoleKind
from kreds.organizations.queries import STAFF_ROLES
from kreds.people.models import Person

STAFF_LOGINS = ["koordinator@herning.kreds.example", "admin@herning.kreds.example"]


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())


def command_output(*args) -> str:
    out = StringIO()
    call_command("demo_code", *args, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def test_every_demo_coordinator_and_admin_has_the_demo_authenticator(demo):
    staff = Person.objects.filter(roles__kind__in=STAFF_ROLES).distinct()
    assert staff.count() >= 4  # Herning and Norway
    for person in staff:
        authenticator = Authenticator.objects.get(user=person, type=Authenticator.Type.TOTP)
        assert DEMO_TOTP_SECRET not in str(authenticator.data)  # stored encrypted


def test_starters_and_participants_of_the_demo_have_no_authenticator(demo):
    starter = Role.objects.filter(kind=RoleKind.STARTER).first().person
    assert not Authenticator.objects.filter(user=starter).exists()


def test_loading_the_demo_twice_keeps_one_authenticator_each(demo):
    call_command("load_demo", stdout=StringIO())
    person = Person.objects.get(email=STAFF_LOGINS[0])
    assert Authenticator.objects.filter(user=person).count() == 1


@pytest.mark.parametrize("email", STAFF_LOGINS)
def test_demo_staff_log_in_with_password_and_the_printed_code(client, demo, email):
    client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})

    response = client.post(reverse("mfa_authenticate"), {"code": command_output()})

    assert response.status_code == 302
    assert (
        client.get(reverse("organizations:manage_dashboard", kwargs={"org": "herning"})).status_code
        == 200
    )


def test_demo_code_prints_six_digits_and_the_intro_names_the_secret(db):
    code = command_output()
    assert code.isdigit()
    assert len(code) == 6
    assert DEMO_TOTP_SECRET in command_output("--intro")
    assert "make demo-code" in command_output("--intro")


def test_demo_code_changes_every_30_seconds():
    from kreds.demo.mfa import demo_code

    now = time.time()
    assert demo_code(now) != demo_code(now + 30) or demo_code(now) != demo_code(now + 60)
