"""Edits in Django's technical admin are in the audit log, masked like every other event."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from kreds.audit.models import ERASED_PREFIX, MASK, AuditEvent
from kreds.audit.services import record_change
from kreds.organizations.models import Organization
from kreds.people.models import Person
from tests import factories as f

pytestmark = pytest.mark.usefixtures("plain_force_login")


class _Form(HTMLParser):
    """The values a browser would send for the admin's change form, as the page shows them."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs) -> None:
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:  # a browser sends "on" for a box without a value
                    self.data.setdefault(name, []).append(a.get("value") or "on")
                return
            self.data.setdefault(name, []).append(a.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data.setdefault(name, []).append("")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.data.setdefault(self._select, []).append(a.get("value") or "")

    def handle_data(self, data) -> None:
        if self._textarea:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def form_values(page: str) -> dict[str, list[str]]:
    parser = _Form()
    parser.feed(page)
    return parser.data


@pytest.fixture
def root_client(client, db):
    superuser = f.PersonFactory(is_superuser=True, is_staff=True, display_name="Root")
    f.give_totp(superuser)
    client.post(reverse("account_login"), {"login": superuser.email, "password": f.PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": f.totp_code()})
    client.superuser = superuser
    return client


def admin_events(action: str) -> list[AuditEvent]:
    with scopes_disabled():
        return list(AuditEvent.objects.filter(action=action))


def test_changing_an_organization_in_the_admin_is_in_its_audit_log(root_client, organization):
    url = f"/admin/organizations/organization/{organization.pk}/change/"
    values = form_values(root_client.get(url).content.decode())
    values["slug"] = ["renamed-centre"]

    response = root_client.post(url, values, HTTP_X_REQUEST_ID="req-admin-1")

    assert response.status_code == 302, response.content.decode()[:2000]
    (event,) = admin_events("admin.organization.changed")
    assert event.organization == organization
    assert event.actor == root_client.superuser
    assert event.changes == {"slug": [organization.slug, "renamed-centre"]}
    assert event.request_id == "req-admin-1"


def test_saving_an_unchanged_organization_records_nothing(root_client, organization):
    url = f"/admin/organizations/organization/{organization.pk}/change/"
    values = form_values(root_client.get(url).content.decode())

    assert root_client.post(url, values).status_code == 302
    assert admin_events("admin.organization.changed") == []


def test_changing_a_person_in_the_admin_masks_personal_values(root_client, participant):
    url = f"/admin/people/person/{participant.pk}/change/"
    values = form_values(root_client.get(url).content.decode())
    values["display_name"] = ["Pia Renamed"]
    values["is_staff"] = ["on"]

    assert root_client.post(url, values).status_code == 302

    (event,) = admin_events("admin.person.changed")
    assert event.organization is None
    assert event.changes == {"display_name": [MASK, MASK], "is_staff": [False, True]}
    assert "Pia" not in str(event.changes)
    assert event.object_label == ""
    participant.refresh_from_db()
    assert participant.display_name == "Pia Renamed"


def test_deleting_a_person_in_the_admin_is_recorded_before_the_row_goes(root_client, db):
    person = f.PersonFactory(display_name="Leaving Lars")
    url = f"/admin/people/person/{person.pk}/delete/"

    assert root_client.post(url, {"post": "yes"}).status_code == 302

    assert not Person.objects.filter(pk=person.pk).exists()
    (event,) = admin_events("admin.person.deleted")
    assert (event.object_id, event.actor) == (str(person.pk), root_client.superuser)
    assert event.changes["display_name"] == [MASK, MASK]
    assert event.changes["is_active"] == [True, None]


def test_deleting_a_person_in_the_admin_erases_them_and_pseudonymises_their_events(
    root_client, organization
):
    person = f.PersonFactory(display_name="Acting Anna")
    record_change(
        organization=organization,
        actor=person,
        action="topic.updated",
        obj=organization,
        changes={},
    )

    response = root_client.post(f"/admin/people/person/{person.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    (event,) = admin_events("topic.updated")
    assert event.actor is None
    assert event.actor_label.startswith(ERASED_PREFIX)
    assert admin_events("person.erased")


def test_adding_an_organization_in_the_admin_is_recorded(root_client, organization):
    url = f"/admin/organizations/organization/{organization.pk}/change/"
    values = form_values(root_client.get(url).content.decode())
    values.update(slug=["new-centre"], contact_email=["kontakt@new-centre.example"])
    for key in [k for k in values if k.startswith("name")]:
        values[key] = ["New centre"]

    response = root_client.post("/admin/organizations/organization/add/", values)

    assert response.status_code == 302, response.content.decode()[:3000]
    added = Organization.objects.get(slug="new-centre")
    (event,) = admin_events("admin.organization.added")
    assert event.organization == added
    assert event.changes["slug"] == [None, "new-centre"]
