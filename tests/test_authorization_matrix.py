"""The authorization matrix: every URL of the project, opened by every kind of person.

The URL names come from walking Django's resolver, so a URL added tomorrow is tested
tomorrow: it fails here until it is in `kreds.core.policy.ACCESS_POLICY` and, when it
takes an object id, until `PK_OBJECTS` below says which object to open.

The personas are the issue's eight: anonymous; a participant in the group and one in
another group; the group's starter and another group's starter; a coordinator; an
organization admin; and an admin of another organization. The level in the policy says
who may open a URL; a page about one person's own object (their application, their
offer) lists its audience in `AUDIENCE`. Everyone else gets 404, never 403, and another
organization's object is always 404.

tests/test_canaries.py and tests/test_fuzz_forms.py reuse this walk (`PERSONAS`,
`build_url`, `open_url`, `expected_answer`, the fixtures), so a page added here is
checked there too.
"""

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kreds.core.policy import ACCESS_POLICY, LIBRARY_PREFIXES, Access, access_for
from kreds.groups.models import GroupStatus, MembershipRole
from kreds.intake.models import Application
from kreds.organizations.models import Municipality, RoleKind
from kreds.privacy.models import Purpose
from kreds.privacy.services import give_consent
from tests import factories as f

# Where urls.py mounts libraries (Django admin, django-allauth). Only these may hold
# unnamed patterns or names guarded by LIBRARY_PREFIXES.
LIBRARY_ROUTES = ("admin/", "accounts/")

PROJECT_LEVELS = (Access.PUBLIC, Access.PERSON, Access.STAFF, Access.ORG_ADMIN)

# For each URL name taking `pk`: which object of the organization it opens.
PK_OBJECTS = {
    "groups:public_detail": "joinable_group",
    "groups_manage:detail": "group",
    "groups_manage:edit": "group",
    "organizations:topic_edit": "topic",
    "organizations:age_band_edit": "age_band",
    "meetings:venue_edit": "venue",
    "organizations:municipality_edit": "municipality",
    "intake:application_edit": "application",
    "intake:application_withdraw": "application",
    "intake_manage:detail": "application",
    "placement:run_detail": "matching_run",
    "placement:run_progress": "matching_run",
    "placement:run_move": "matching_run",
    "placement:run_accept": "matching_run",
    "placement:capacity_edit": "starter_person",
    "placement:group_offers": "group",
    "organizations:role_remove": "role",
    "organizations:person_end_sessions": "starter_person",
}

# URLs that answer something other than a GET with 200 when the visitor may use them.
SPECIAL_REQUESTS = {
    # Django's set_language stores the choice from a POST and redirects back.
    "set_language": {"method": "post", "data": {"language": "en", "next": "/"}, "ok": 302},
    # Moves and accepting a proposal are POST-only; an empty form goes back to the proposal.
    "placement:run_move": {"method": "post", "data": {}, "ok": 302},
    "placement:run_accept": {"method": "post", "data": {}, "ok": 302},
    # Role management asks for the password again first (kreds.core.auth).
    "organizations:role_grant": {"ok": 302},
    "organizations:role_remove": {"ok": 302},
    "organizations:person_end_sessions": {"ok": 302},
    # A person's rights (kreds.privacy): the download and erasure ask for the password
    # again first; withdrawing a consent is POST-only and an empty form goes back.
    "privacy:my_data_download": {"ok": 302},
    "privacy:erase_account": {"ok": 302},
    "privacy:consent_withdraw": {"method": "post", "data": {}, "ok": 302},
}

# For URLs about one person's own object: the personas who may open them (the object in
# PK_OBJECTS belongs to them). Every other logged-in persona gets 404.
AUDIENCE: dict[str, set[str]] = {
    "intake:application_edit": {"participant"},
    "intake:application_withdraw": {"participant"},
}

# Persona -> the fixture that makes the person (None: not logged in).
PERSONAS = {
    "anonymous": None,
    "participant": "participant",  # a participant in `group`
    "outsider": "outsider",  # a participant in another group of the organization
    "starter": "starter",  # the starter of `group`
    "other_starter": "other_starter",  # the starter of another group of the organization
    "coordinator": "coordinator",
    "admin": "org_admin",
    "other_coordinator": "other_coordinator",  # a coordinator of another organization
    "other_admin": "other_admin",  # an admin of another organization
}
STAFF_PERSONAS = ("coordinator", "admin")

LOGIN = "login"
OK = "ok"
NOT_FOUND = 404


@dataclass(frozen=True)
class Route:
    name: str | None
    route: str
    kwargs: tuple[str, ...]

    @property
    def in_library(self) -> bool:
        return self.route.startswith(LIBRARY_ROUTES)


def _walk(patterns, namespaces=(), route="", kwargs=()):
    for pattern in patterns:
        here = route + str(pattern.pattern)
        found = kwargs + tuple(pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from _walk(pattern.url_patterns, inner, here, found)
        elif isinstance(pattern, URLPattern):
            name = ":".join((*namespaces, pattern.name)) if pattern.name else None
            yield Route(name=name, route=here, kwargs=found)


ROUTES = list(_walk(get_resolver().url_patterns))
ROUTES_BY_NAME = {route.name: route for route in ROUTES if route.name}
# Every named URL outside the libraries, including any the policy table forgot.
PROJECT_NAMES = sorted(name for name, route in ROUTES_BY_NAME.items() if not route.in_library)
PK_NAMES = [
    name
    for name in PROJECT_NAMES
    if "pk" in ROUTES_BY_NAME[name].kwargs and access_for(name) in PROJECT_LEVELS
]


# --- The table covers every URL ------------------------------------------------------------


def test_every_named_url_is_in_the_access_policy():
    missing = sorted(name for name in ROUTES_BY_NAME if access_for(name) is None)
    assert not missing, f"URL names missing from kreds.core.policy.ACCESS_POLICY: {missing}"


def test_every_unnamed_url_belongs_to_a_library():
    unnamed = [route.route for route in ROUTES if route.name is None and not route.in_library]
    assert not unnamed, f"Give these URL patterns a name and an access level: {unnamed}"


def test_library_access_levels_only_cover_library_urls():
    outside = sorted(
        name
        for name, route in ROUTES_BY_NAME.items()
        if access_for(name) in LIBRARY_PREFIXES.values() and not route.in_library
    )
    assert not outside, f"Project URLs named like library URLs: {outside}"


def test_every_policy_entry_is_a_real_url():
    stale = sorted(name for name in ACCESS_POLICY if name not in ROUTES_BY_NAME)
    assert not stale, f"ACCESS_POLICY names no URL pattern has: {stale}"


# --- Fixtures ------------------------------------------------------------------------------


@pytest.fixture
def second_group(organization, topic, age_band, venue):
    return f.GroupFactory(
        organization=organization,
        topic=topic,
        age_band=age_band,
        venue=venue,
        status=GroupStatus.RUNNING,
        name="Second group",
    )


@pytest.fixture
def outsider(second_group):
    """A participant of the organization, but in another group."""
    person = f.PersonFactory(display_name="Outsider Otto")
    f.GroupMembershipFactory(group=second_group, person=person)
    return person


@pytest.fixture
def other_starter(organization, second_group):
    """A starter of the organization, starting another group."""
    person = f.PersonFactory(display_name="Starter Sigrid")
    f.RoleFactory(organization=organization, person=person, kind=RoleKind.STARTER)
    f.GroupMembershipFactory(group=second_group, person=person, role=MembershipRole.STARTER)
    return person


@pytest.fixture
def other_admin(other_organization):
    """An admin of another organization: sees nothing of ours."""
    person = f.PersonFactory(display_name="Other Astrid")
    f.RoleFactory(organization=other_organization, person=person, kind=RoleKind.ADMIN)
    return person


def log_in(request, client, persona: str):
    """Log the persona in (conftest completes a staff login with its second step)."""
    fixture = PERSONAS[persona]
    person = request.getfixturevalue(fixture) if fixture else None
    if person is not None:
        client.force_login(person)
    return person


def make_application(organization, person, topic):
    """An application with its consent and municipality, as the intake pages open it."""
    municipality = Municipality.objects.create(
        organization=organization, name="Herning", latitude="56.13856", longitude="8.97340"
    )
    consent = give_consent(
        person=person, organization=organization, purpose=Purpose.TOPIC, language="en"
    )
    return Application.objects.create(
        organization=organization,
        person=person,
        topic=topic,
        birth_year=1970,
        municipality=municipality,
        consent=consent,
    )


@pytest.fixture
def objects(organization, topic, age_band, venue, group, participant):
    application = make_application(organization, participant, topic)
    joinable = f.GroupFactory(
        organization=organization,
        topic=topic,
        age_band=age_band,
        venue=venue,
        status=GroupStatus.FORMING,
        name="New grief group",
    )
    return {
        "topic": topic,
        "age_band": age_band,
        "venue": venue,
        "group": group,
        "joinable_group": joinable,
        "municipality": application.municipality,
        "application": application,
        **placement_objects(organization),
        "role": f.RoleFactory(organization=organization, kind=RoleKind.STARTER),
    }


def placement_objects(organization) -> dict:
    """A finished group proposal and a starter whose capacity can be edited."""
    from kreds.placement.models import MatchingRun, RunStatus

    starter = f.PersonFactory(display_name="Starter Sanne")
    f.RoleFactory(organization=organization, person=starter, kind=RoleKind.STARTER)
    run = MatchingRun.objects.create(
        organization=organization,
        status=RunStatus.DONE,
        proposal={"groups": [], "unassigned": []},
    )
    return {"matching_run": run, "starter_person": starter}


@pytest.fixture
def other_objects(other_organization):
    group = f.GroupFactory(organization=other_organization, status=GroupStatus.RUNNING)
    joinable = f.GroupFactory(
        organization=other_organization,
        topic=group.topic,
        age_band=group.age_band,
        venue=group.venue,
        status=GroupStatus.FORMING,
    )
    application = make_application(other_organization, f.PersonFactory(), group.topic)
    return {
        "topic": group.topic,
        "age_band": group.age_band,
        "venue": group.venue,
        "group": group,
        "joinable_group": joinable,
        "municipality": application.municipality,
        "application": application,
        **placement_objects(other_organization),
        "role": f.RoleFactory(organization=other_organization, kind=RoleKind.STARTER),
    }


@pytest.fixture
def staff_of_both(organization, other_organization):
    """Coordinator and admin in both organizations: only the URL's organization counts."""
    person = f.PersonFactory(display_name="Both Bente")
    for org in (organization, other_organization):
        for kind in (RoleKind.COORDINATOR, RoleKind.ADMIN):
            f.RoleFactory(organization=org, person=person, kind=kind)
    return person


def build_url(name: str, organization, objects: dict) -> str:
    kwargs = {}
    for kwarg in ROUTES_BY_NAME[name].kwargs:
        if kwarg == "org":
            kwargs["org"] = organization.slug
        elif kwarg == "pk" and name in PK_OBJECTS:
            kwargs["pk"] = objects[PK_OBJECTS[name]].pk
        else:
            pytest.fail(
                f"No value for {kwarg!r} of {name!r}: extend PK_OBJECTS or build_url in "
                "tests/test_authorization_matrix.py"
            )
    return reverse(name, kwargs=kwargs)


def open_url(client, name: str, url: str):
    special = SPECIAL_REQUESTS.get(name, {})
    method = getattr(client, special.get("method", "get"))
    return method(url, special.get("data", {}))


def expected_answer(access: Access | None, persona: str, name: str | None = None):
    if access not in PROJECT_LEVELS:
        pytest.fail(
            f"{access} is not a level for project URLs: add the URL to ACCESS_POLICY, or "
            "teach expected_answer in tests/test_authorization_matrix.py the new level"
        )
    if access == Access.PUBLIC:
        return OK
    if persona == "anonymous":
        return LOGIN
    if name in AUDIENCE:
        return OK if persona in AUDIENCE[name] else NOT_FOUND
    if access == Access.PERSON:
        return OK
    if access == Access.STAFF:
        return OK if persona in STAFF_PERSONAS else NOT_FOUND
    return OK if persona == "admin" else NOT_FOUND


def assert_answer(response, name: str, url: str, expected) -> None:
    where = f"{name} ({url})"
    assert response.status_code != 403, f"{where}: 403 confirms the page exists; answer 404"
    if expected == LOGIN:
        assert response.status_code == 302, f"{where}: {response.status_code}"
        login = reverse("account_login")
        assert response["Location"].startswith(f"{login}?next="), response["Location"]
    elif expected == OK:
        ok = SPECIAL_REQUESTS.get(name, {}).get("ok", 200)
        assert response.status_code == ok, f"{where}: {response.status_code}, wanted {ok}"
        if ok == 302:
            assert not response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected, f"{where}: {response.status_code}"


# --- Every project URL, every persona ------------------------------------------------------


@pytest.mark.parametrize("persona", list(PERSONAS))
@pytest.mark.parametrize("name", PROJECT_NAMES)
def test_url_answers_persona_as_policy_says(request, client, organization, objects, name, persona):
    log_in(request, client, persona)
    url = build_url(name, organization, objects)
    response = open_url(client, name, url)
    assert_answer(response, name, url, expected_answer(access_for(name), persona, name))


# --- Objects never cross organizations -----------------------------------------------------

OWN_PERSONA = {
    Access.PUBLIC: "anonymous",
    Access.PERSON: "participant",
    Access.STAFF: "coordinator",
    Access.ORG_ADMIN: "admin",
}


def own_persona(name: str) -> str:
    """A persona who may open the URL with our own object."""
    if name in AUDIENCE:
        return sorted(AUDIENCE[name])[0]
    return OWN_PERSONA[access_for(name)]


@pytest.mark.parametrize("name", PK_NAMES)
def test_other_organizations_object_under_our_slug_is_404(
    request, client, organization, objects, other_objects, name
):
    log_in(request, client, own_persona(name))
    ours = build_url(name, organization, objects)
    assert_answer(open_url(client, name, ours), name, ours, OK)
    theirs = build_url(name, organization, other_objects)
    assert open_url(client, name, theirs).status_code == 404, theirs


@pytest.mark.parametrize("name", PK_NAMES)
def test_our_object_under_other_organizations_slug_is_404(
    request, client, organization, other_organization, objects, other_objects, name
):
    access = access_for(name)
    log_in(request, client, own_persona(name))
    url = build_url(name, other_organization, objects)
    assert open_url(client, name, url).status_code == 404, url
    if access in (Access.STAFF, Access.ORG_ADMIN):
        client.force_login(request.getfixturevalue("staff_of_both"))
        theirs = build_url(name, other_organization, other_objects)
        assert_answer(open_url(client, name, theirs), name, theirs, OK)
        assert open_url(client, name, url).status_code == 404, url
        mixed = build_url(name, organization, other_objects)
        assert open_url(client, name, mixed).status_code == 404, mixed


# --- Library pages: guarded by the library itself ------------------------------------------


def test_login_page_answers_anonymous(client, organization):
    assert client.get(reverse("account_login")).status_code == 200


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_technical_admin_sends_non_superusers_to_its_login(request, client, organization, persona):
    log_in(request, client, persona)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_technical_admin_opens_for_superuser(client, db):
    superuser = f.PersonFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    assert client.get(reverse("admin:index")).status_code == 200
