"""Canary strings: personal and special data shows up only where the policy allows it.

Every personal or special text field that the data-class registry knows
(`kreds.core.data_classes.FIELDS`) gets a distinct canary string in every row of the
test data: names, email addresses, phone numbers, application notes, and whatever field
is classified tomorrow. Then every URL is opened as every persona of the authorization
matrix, under both organizations, and each answer is searched for canaries:

- a person's canary reaches the person, and the coordinators and admins of an
  organization the person is linked to (a role, a membership, an application), on that
  organization's pages;
- a row of an organization (an application's note) reaches its owner, and the
  organization's coordinators and admins on its pages;
- an organization's own contact details are public, but never on another
  organization's pages;
- nothing else, ever: not in another organization's pages, not in any email to someone
  else, not in any log record (captured at DEBUG), not in an audit row.
"""

import logging
import time
from dataclasses import dataclass

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import models
from django.urls import reverse
from django_scopes import scopes_disabled

from kreds.audit.models import AuditEvent
from kreds.core.data_classes import DataClass, data_class, project_models
from kreds.core.fields import EncryptedTextField
from kreds.groups.services import add_participant
from kreds.intake.services import submit_application
from kreds.organizations.models import Municipality, Organization, Role, RoleKind
from kreds.people.models import Person
from tests import factories as f
from tests.core.test_scopes import scope_path
from tests.test_authorization_matrix import (  # noqa: F401 (fixtures used by name)
    LIBRARY_ROUTES,
    PERSONAS,
    PROJECT_NAMES,
    ROUTES_BY_NAME,
    build_url,
    log_in,
    objects,
    open_url,
    other_admin,
    other_objects,
    other_starter,
    outsider,
    second_group,
)

CANARY_FIELDS = (DataClass.PERSONAL, DataClass.SPECIAL)
# Rows the application may not change once written: their values are checked, not planted.
NOT_PLANTED = {"audit.AuditEvent"}
NOT_PLANTED_FIELDS = {"password", "email_hash"}
STAFF_KINDS = (RoleKind.COORDINATOR, RoleKind.ADMIN)


@dataclass(frozen=True)
class Canary:
    token: str
    where: str  # "app.Model.field#pk"
    model: str
    owner_id: int | None  # the person the row is about
    organization_id: int | None  # the organization the row belongs to


# --- Planting ------------------------------------------------------------------------------


def plantable_fields(model) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField | EncryptedTextField)
        and not field.choices
        and field.name not in NOT_PLANTED_FIELDS
        and data_class(model, field.name) in CANARY_FIELDS
    ]


def owner_of(model, row) -> int | None:
    if model is Person:
        return row.pk
    for field in model._meta.concrete_fields:
        if isinstance(field, models.ForeignKey) and field.related_model is Person:
            return getattr(row, field.attname)
    return None


def organization_of(model, row) -> int | None:
    if model is Organization:
        return row.pk
    path = scope_path(model)
    if path is None:
        return None
    return model._base_manager.filter(pk=row.pk).values_list(path, flat=True).first()


def plant_canaries() -> list[Canary]:
    canaries = []
    for model in project_models():
        label = model._meta.label
        fields = plantable_fields(model)
        if label in NOT_PLANTED or not fields:
            continue
        for row in model._base_manager.order_by("pk"):
            for field in fields:
                token = f"canary{len(canaries):04d}x"
                value = f"{token}@example.org" if isinstance(field, models.EmailField) else token
                setattr(row, field.attname, value)
                canaries.append(
                    Canary(
                        token=token,
                        where=f"{label}.{field.name}#{row.pk}",
                        model=label,
                        owner_id=owner_of(model, row),
                        organization_id=organization_of(model, row),
                    )
                )
            row.save(update_fields=[field.name for field in fields])
    for address in EmailAddress.objects.select_related("user"):
        address.email = address.user.email
        address.save(update_fields=["email"])
    return canaries


def linked_organizations() -> dict[int, set[int]]:
    """For every person: the organizations where they hold a role or any row of theirs."""
    linked: dict[int, set[int]] = {}
    for model in project_models():
        path = scope_path(model)
        person_fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.ForeignKey) and field.related_model is Person
        ]
        if path is None:
            continue
        for name in person_fields:
            for person_id, organization_id in model._base_manager.values_list(name, path):
                if person_id is not None:
                    linked.setdefault(person_id, set()).add(organization_id)
    return linked


# --- Who may see what ----------------------------------------------------------------------


@dataclass
class Viewer:
    person_id: int | None
    staff_of: set[int]
    email: str | None = None


def viewer_for(person) -> Viewer:
    if person is None:
        return Viewer(person_id=None, staff_of=set())
    staff_of = set(
        Role.objects.filter(person=person, kind__in=STAFF_KINDS).values_list(
            "organization_id", flat=True
        )
    )
    return Viewer(person_id=person.pk, staff_of=staff_of, email=person.email)


def allowed(canary: Canary, viewer: Viewer, url_organization: int | None, linked) -> bool:
    if canary.model == "organizations.Organization":
        return url_organization in (None, canary.organization_id)
    if viewer.person_id is not None and canary.owner_id == viewer.person_id:
        return True
    if url_organization is None or url_organization not in viewer.staff_of:
        return False
    if canary.model == "people.Person":
        return url_organization in linked.get(canary.owner_id, set())
    return canary.organization_id == url_organization


def leaks(text: str, canaries, viewer, url_organization, linked) -> list[str]:
    lowered = text.lower()
    return [
        canary.where
        for canary in canaries
        if canary.token in lowered and not allowed(canary, viewer, url_organization, linked)
    ]


def body(response) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode("utf-8", errors="replace")


# --- The walk ------------------------------------------------------------------------------


def library_names() -> list[str]:
    return sorted(
        name
        for name, route in ROUTES_BY_NAME.items()
        if route.route.startswith(LIBRARY_ROUTES)
        and not route.kwargs
        and not name.startswith("admin:")
    )


def urls_to_walk(organization, other_organization, ours, theirs):
    """(name, url, organization id or None) for every URL we can build."""
    found = []
    for name in PROJECT_NAMES:
        if "org" not in ROUTES_BY_NAME[name].kwargs:
            found.append((name, build_url(name, organization, ours), None))
            continue
        for org, objs in ((organization, ours), (other_organization, theirs)):
            try:
                found.append((name, build_url(name, org, objs), org.pk))
            except (KeyError, pytest.fail.Exception):
                continue  # the matrix reports URLs it cannot build
    found.extend((name, reverse(name), None) for name in library_names())
    return found


@pytest.fixture
def world(request, organization, other_organization, group, participant, coordinator):
    """Every persona, a few more members and applicants, and audit events about them."""
    for fixture in PERSONAS.values():
        if fixture:
            request.getfixturevalue(fixture)
    theirs = request.getfixturevalue("other_objects")
    fellow = f.PersonFactory(display_name="Fellow")
    add_participant(group=group, person=fellow, by=coordinator)
    far_member = f.PersonFactory(display_name="Far member")
    add_participant(group=theirs["group"], person=far_member, by=None)
    for org, person, topic in (
        (organization, participant, group.topic),
        (other_organization, far_member, theirs["topic"]),
    ):
        municipality = Municipality.objects.create(
            organization=org, name=f"Town of {org.slug}", latitude="56.1", longitude="9.0"
        )
        submit_application(
            organization=org,
            person=person,
            data={
                "topic": topic,
                "birth_year": 1970,
                "municipality": municipality,
                "availability": ["tue-evening"],
                "note": "A note",
                "consent": True,
            },
            language="en",
        )
    return {
        "urls": urls_to_walk(
            organization, other_organization, request.getfixturevalue("objects"), theirs
        )
    }


@pytest.fixture
def all_logs(caplog, settings):
    """Every log record of every logger from DEBUG up, as with LOG_LEVEL=DEBUG in production.

    Only a level that settings.LOGGING pins on a logger of its own is kept: that logger
    stays at its level whatever LOG_LEVEL says.
    """
    pinned = {
        name: logging.getLevelName(config["level"])
        for name, config in settings.LOGGING.get("loggers", {}).items()
        if "level" in config
    }
    caplog.set_level(logging.DEBUG)
    for name in [*logging.root.manager.loggerDict, *pinned]:
        caplog.set_level(pinned.get(name, logging.DEBUG), logger=name)
    return caplog


def test_no_canary_leaks_in_any_page_email_log_or_audit_row(request, client, world, all_logs):
    with scopes_disabled():
        canaries = plant_canaries()
        linked = linked_organizations()
    assert any(c.model == "people.Person" for c in canaries)
    assert any(c.model == "intake.Application" for c in canaries), "no application note planted"
    urls = world["urls"]
    client.raise_request_exception = False  # a 500 is reported below with the leaks
    found: list[str] = []
    shown = 0  # canaries seen where they are allowed: proof that planting reached the pages
    for persona in PERSONAS:
        client.logout()
        with scopes_disabled():
            person = log_in(request, client, persona)
            viewer = viewer_for(person)
        if person is not None:
            reauthenticate(client)  # so the data download and other guarded pages render
        for name, url, url_organization in urls:
            response = open_url(client, name, url)
            if response.status_code >= 500:
                found.append(f"{persona} {url}: answered {response.status_code}")
            text = body(response)
            shown += sum(canary.token in text.lower() for canary in canaries)
            found += [
                f"{persona} {url}: {where}"
                for where in leaks(text, canaries, viewer, url_organization, linked)
            ]
        if person is not None:  # an email about the person: a password reset
            client.logout()
            client.post(reverse("account_reset_password"), {"email": person.email})

    found += email_leaks(canaries, linked)
    found += log_leaks(canaries, all_logs.records)
    found += audit_leaks(canaries)
    assert shown, "no canary reached any page: the planting did not work"
    assert not found, "Canaries where the policy does not allow them:\n" + "\n".join(found)


def reauthenticate(client) -> None:
    """As if the person had just confirmed their password (allauth's session record)."""
    session = client.session
    records = session.get(AUTHENTICATION_METHODS_SESSION_KEY, [])
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        *records,
        {"method": "password", "at": time.time(), "reauthenticated": True},
    ]
    session.save()


def log_leaks(canaries, records) -> list[str]:
    """One line per logger and level, naming the canaries its records carried."""
    by_logger: dict[str, set[str]] = {}
    for record in records:
        text = logging.Formatter().format(record).lower()
        for canary in canaries:
            if canary.token in text:
                by_logger.setdefault(f"{record.name} {record.levelname}", set()).add(canary.where)
    return [
        f"log {logger}: {len(wheres)} canaries ({', '.join(sorted(wheres)[:5])}, ...); if this "
        "is a library's DEBUG output, pin the logger's level in settings.LOGGING['loggers']"
        for logger, wheres in sorted(by_logger.items())
    ]


def email_leaks(canaries, linked) -> list[str]:
    found = []
    with scopes_disabled():
        people = {person.email.lower(): person for person in Person.objects.all()}
    for message in mail.outbox:
        parts = [message.subject, message.body]
        parts += [content for content, _type in getattr(message, "alternatives", [])]
        text = "\n".join(str(part) for part in parts)
        for recipient in message.to:
            with scopes_disabled():
                viewer = viewer_for(people.get(recipient.lower()))
            found += [
                f"email to {recipient} ({message.subject}): {where}"
                for where in leaks(text, canaries, viewer, None, linked)
            ]
    return found


def audit_leaks(canaries) -> list[str]:
    with scopes_disabled():
        rows = list(AuditEvent.objects.values_list("id", "object_label", "changes", "object_id"))
    return [
        f"audit event {row[0]}: {canary.where}"
        for row in rows
        for canary in canaries
        if canary.token in str(row[1:]).lower()
    ]


# --- The detector itself -------------------------------------------------------------------


def test_canary_detector_finds_a_planted_name_on_a_page_it_should_not_reach(
    client, organization, participant, coordinator
):
    with scopes_disabled():
        canaries = plant_canaries()
        linked = linked_organizations()
        participant.refresh_from_db()
        outsider_viewer = viewer_for(f.PersonFactory())
        staff_viewer = viewer_for(coordinator)
    page = f"<p>{participant.display_name}</p>"
    assert leaks(page, canaries, outsider_viewer, organization.pk, linked)
    assert not leaks(page, canaries, staff_viewer, organization.pk, linked)
    assert leaks(page, canaries, staff_viewer, None, linked)
