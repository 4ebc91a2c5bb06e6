"""Applying and the intake pages in real Chromium at 360 px: no axe-core violation, no sideways scroll."""

import os
import shutil
from pathlib import Path

import pytest

from kreds.intake.models import ApplicationStatus

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "intake"


@pytest.fixture
def open_page(live_server, client, monkeypatch):
    """open_page(person) -> a Chromium page 360 px wide, logged in as the person."""
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright runs an event loop
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-background-networking"]
        )

        def open_as(person):
            client.force_login(person)
            context = browser.new_context(viewport={"width": 360, "height": 800})
            cookie = client.cookies["sessionid"].value
            context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
            return context.new_page()

        yield open_as
        browser.close()


def violations(page) -> list[tuple[str, str]]:
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [(item["id"], node["html"]) for item in found for node in item["nodes"]]


def check(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    assert page.locator("h1").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert violations(page) == []


def test_apply_page_is_accessible_at_360px(
    open_page, live_server, applicant, organization, topic, municipality
):
    organization.membership_required = True
    organization.offers_mixed_groups = True
    organization.save()
    page = open_page(applicant)
    page.goto(f"{live_server.url}/{organization.slug}/apply/")
    check(page, "apply")
    page.locator("table.availability-grid").screenshot(path=str(ARTIFACTS / "grid.png"))

    page.check("input[value=tue-evening]")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".form-errors").is_visible()
    check(page, "apply-errors")


def test_my_page_and_intake_pages_are_accessible_at_360px(
    open_page,
    live_server,
    applicant,
    coordinator,
    organization,
    topic,
    age_band,
    municipality,
    make_application,
):
    application = make_application(
        organization,
        topic=topic,
        person=applicant,
        status=ApplicationStatus.WAITING,
        note="Evenings suit me best.",
    )
    make_application(organization, topic=topic)
    page = open_page(applicant)
    page.goto(f"{live_server.url}/me/")
    check(page, "my-page")
    page.goto(f"{live_server.url}/{organization.slug}/apply/{application.pk}/edit/")
    check(page, "application-edit")
    page.goto(f"{live_server.url}/{organization.slug}/apply/{application.pk}/withdraw/")
    check(page, "application-withdraw")

    page = open_page(coordinator)
    for path in ("", "waiting/", f"{application.pk}/"):
        page.goto(f"{live_server.url}/{organization.slug}/manage/intake/{path}")
        check(page, f"manage-{path.strip('/') or 'list'}")
    page.goto(f"{live_server.url}/{organization.slug}/manage/municipalities/")
    check(page, "municipalities")
