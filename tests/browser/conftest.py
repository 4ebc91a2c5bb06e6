"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

One browser for the directory and a new browser context per test. Data is committed
(`live_server` makes the `db` fixture transactional), so the server thread sees it.
"""

import json
import os
from pathlib import Path

import axe_playwright_python
import pytest
from django.conf import settings
from django.test import Client

from kreds.groups.models import GroupStatus
from kreds.organizations.models import RoleKind
from tests import factories as f

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
# in a thread with a running loop unless told it is safe (the loop never runs our code).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_JS = Path(axe_playwright_python.__file__).parent / "axe.min.js"
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    },
    "resultTypes": ["violations"],  # skip the details of passing checks: faster
}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
LANGUAGES = ["da", "nb", "en"]


@pytest.fixture(scope="package")
def browser():
    """One Chromium for this directory's tests.

    Package scope, not session: Playwright's sync API allows one running instance per
    thread, and browser tests elsewhere start their own; this one closes when pytest
    leaves tests/browser/.
    """
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: run bin/install-system-deps"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser, live_server):
    """Opens a browser context, optionally logged in as a person and in a language."""
    contexts = []

    def open_context(*, person=None, language=None, bypass_csp=False, viewport=DESKTOP):
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport, bypass_csp=bypass_csp
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        if person is not None:
            log_in_by_cookie(context, live_server.url, person)
        if language is not None:
            set_language_cookie(context, live_server.url, language)
        return context

    yield open_context
    for context in contexts:
        context.close()


def log_in_by_cookie(context, url: str, person) -> None:
    client = Client()
    client.force_login(person)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": url}])


def set_language_cookie(context, url: str, language: str) -> None:
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": url}])


@pytest.fixture
def site(organization, topic, age_band, venue, group, participant, starter, coordinator, org_admin):
    """The organization with enough rows that every list and form has something to show."""
    joinable = f.GroupFactory(
        organization=organization,
        topic=topic,
        age_band=age_band,
        venue=venue,
        status=GroupStatus.FORMING,
        name="Ny sorggruppe torsdag",
    )
    f.TopicFactory(organization=organization)
    f.VenueFactory(organization=organization, municipality="Ikast-Brande")
    f.AgeBandFactory(organization=organization, name=f.i18n("Young"), min_age=18, max_age=24)
    from tests.test_authorization_matrix import make_application, placement_objects

    application = make_application(organization, participant, topic)
    return {
        "organization": organization,
        "people": {
            "participant": participant,
            "starter": starter,
            "coordinator": coordinator,
            "admin": org_admin,
        },
        "objects": {
            "topic": topic,
            "age_band": age_band,
            "venue": venue,
            "group": group,
            "joinable_group": joinable,
            "municipality": application.municipality,
            "application": application,
            **placement_objects(organization),
            "role": f.RoleFactory(organization=organization, kind=RoleKind.STARTER),
        },
    }


# --- What every page is checked for --------------------------------------------------------


def run_axe(page) -> list[dict]:
    """The WCAG 2.2 AA violations axe-core finds on the page, as plain dicts."""
    page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(
        "async (options) => (await axe.run(document, options)).violations", AXE_OPTIONS
    )


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(
            f"    {json.dumps(node['target'])}: {node.get('failureSummary', '')[:200]}"
            for node in violation["nodes"][:8]
        )
    return "\n".join(lines)


def scroll_width(page) -> int:
    """The page's full width in CSS pixels: more than the window means sideways scrolling."""
    return page.evaluate("() => document.documentElement.scrollWidth")


def html_lang(page) -> str:
    return page.evaluate("() => document.documentElement.lang")


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
