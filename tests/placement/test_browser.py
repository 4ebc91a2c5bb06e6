"""Forming groups in real Chromium: no axe-core violations, and the progress page updates itself."""

import os
import shutil
from pathlib import Path

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from kreds.placement.models import MatchingRun, RunStatus

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "placement"


@pytest.fixture
def browser_page(live_server, client, coordinator, monkeypatch):
    """A Chromium page at 360 px, logged in as the coordinator."""
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright runs an event loop
    client.force_login(coordinator)
    cookie = client.cookies["sessionid"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-background-networking"]
        )
        context = browser.new_context(viewport={"width": 360, "height": 800})
        context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
        yield context.new_page()
        browser.close()


def violations(page) -> list[tuple[str, str]]:
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [(item["id"], node["html"]) for item in found for node in item["nodes"]]


def test_proposal_pages_have_no_accessibility_violations(
    browser_page, live_server, world, make_waiting, make_run, organization
):
    (left_out,) = make_waiting(name="Left Out")
    run = make_run([(make_waiting(3), [world])], unassigned=[left_out])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, kwargs in [
        ("run_detail", {"pk": run.pk}),
        ("runs", {}),
        ("run_start", {}),
        ("capacity_list", {}),
        ("capacity_edit", {"pk": world.pk}),
    ]:
        url = reverse(f"placement:{name}", kwargs={"org": organization.slug, **kwargs})
        browser_page.goto(live_server.url + url)
        browser_page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        assert violations(browser_page) == [], name


def test_progress_page_shows_the_proposal_when_the_run_is_done(
    browser_page, live_server, world, make_waiting, make_run, organization
):
    run = make_run([(make_waiting(3, name="Member"), [world])])
    with scopes_disabled():
        MatchingRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, percent=40)
    url = reverse("placement:run_detail", kwargs={"org": organization.slug, "pk": run.pk})
    browser_page.goto(live_server.url + url)
    assert browser_page.locator("progress").count() == 1
    assert violations(browser_page) == []
    with scopes_disabled():
        MatchingRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE, percent=100)
    browser_page.get_by_role("cell", name="Member 1", exact=True).wait_for(timeout=10_000)
