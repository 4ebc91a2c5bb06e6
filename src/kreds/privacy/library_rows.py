"""Exporters and erasers for the libraries' tables holding a person's data.

allauth's email addresses, two-step login devices and user sessions, Django's sessions and
the technical admin's log; and the erasure hook of the audit log. privacy/registry.py
wires them into `SECTIONS`.
"""

import datetime as dt

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import LogEntry
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db.models import Q
from django.utils import timezone

from kreds.audit.services import pseudonymise_actor
from kreds.core.auth import SESSION_STARTED
from kreds.people.models import Person
from kreds.privacy.rows import Row, delete_rows, text

# --- allauth: email addresses and two-step login ------------------------------------------


def export_email_addresses(person: Person) -> list[Row]:
    return [
        {"email": address.email, "verified": address.verified, "primary": address.primary}
        for address in EmailAddress.objects.filter(user=person).order_by("-primary", "email")
    ]


def erase_email_addresses(person: Person) -> int:
    return delete_rows(EmailAddress.objects.filter(user=person), "account.EmailAddress")


def export_authenticators(person: Person) -> list[Row]:
    """The kind of each two-step login device and when it was used; never its secret."""
    return [
        {
            "type": text(device.get_type_display()),
            "created_at": device.created_at,
            "last_used_at": device.last_used_at,
        }
        for device in Authenticator.objects.filter(user=person).order_by("created_at", "id")
    ]


def erase_authenticators(person: Person) -> int:
    return delete_rows(Authenticator.objects.filter(user=person), "mfa.Authenticator")


# --- Login sessions ------------------------------------------------------------------------


def person_sessions(person: Person, *, live_only: bool = True) -> list[Session]:
    """The person's stored login sessions (by default those that have not expired).

    Django's session table does not index sessions by person, so every session is
    decoded; the daily retention run keeps the table small.
    """
    sessions = Session.objects.order_by("expire_date")
    if live_only:
        sessions = sessions.filter(expire_date__gt=timezone.now())
    return [
        session
        for session in sessions.iterator()
        if session.get_decoded().get(SESSION_KEY) == str(person.pk)
    ]


def export_sessions(person: Person) -> list[Row]:
    rows = []
    for session in person_sessions(person):
        started = session.get_decoded().get(SESSION_STARTED)
        rows.append(
            {
                "started_at": (
                    dt.datetime.fromtimestamp(started, tz=dt.UTC)
                    if isinstance(started, int | float)
                    else None
                ),
                "expires_at": session.expire_date,
            }
        )
    return rows


def export_user_sessions(person: Person) -> list[Row]:
    """allauth's list of the devices the person logged in from (when installed)."""
    from allauth.usersessions.models import UserSession

    return [
        {
            "device": session.user_agent,
            "ip": session.ip,
            "created_at": session.created_at,
            "last_seen_at": session.last_seen_at,
        }
        for session in UserSession.objects.filter(user=person).order_by("-last_seen_at")
    ]


def erase_user_sessions(person: Person) -> int:
    from allauth.usersessions.models import UserSession

    return delete_rows(UserSession.objects.filter(user=person), "usersessions.UserSession")


def erase_sessions(person: Person) -> int:
    keys = [session.session_key for session in person_sessions(person, live_only=False)]
    return delete_rows(Session.objects.filter(session_key__in=keys), "sessions.Session")


def erase_audit(person: Person) -> int:
    return pseudonymise_actor(person=person)


def erase_admin_log(person: Person) -> int:
    """Entries of the technical admin made by the person or about the person's account."""
    about = Q(content_type=ContentType.objects.get_for_model(Person), object_id=str(person.pk))
    return delete_rows(LogEntry.objects.filter(Q(user=person) | about), "admin.LogEntry")


def erase_nothing(person: Person) -> int:
    return 0
