"""The coordinator area in real Chromium: axe-core finds no accessibility violation."""

import os
import shutil

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def browser_page(live_server, client, coordinator, monkeypatch):
    """A Chromium page logged in as the coordinator (session cookie from the test client)."""
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


@pytest.mark.parametrize(
    "path", ["", "topics/", "topics/new/", "groups/", "groups/new/", "venues/new/"]
)
def test_manage_page_has_no_axe_violations(browser_page, live_server, organization, group, path):
    browser_page.goto(f"{live_server.url}/{organization.slug}/manage/{path}")
    assert browser_page.locator("h1").count() == 1
    assert violations(browser_page) == []


def test_invalid_group_form_has_no_axe_violations(browser_page, live_server, organization, group):
    browser_page.goto(f"{live_server.url}/{organization.slug}/manage/groups/new/")
    browser_page.fill("input[name=min_size]", "9")
    browser_page.click("main form button[type=submit]")
    browser_page.wait_for_load_state()
    assert browser_page.locator(".form-errors").is_visible()
    assert violations(browser_page) == []


def test_manage_pages_fit_a_narrow_screen(browser_page, live_server, organization, group):
    browser_page.goto(f"{live_server.url}/{organization.slug}/manage/groups/")
    width = browser_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360


@pytest.mark.parametrize(
    ("path", "label"), [("groups/", "Status"), ("people/", "Roles"), ("venues/", "Groups")]
)
def test_wide_lists_show_every_column_on_a_phone(
    browser_page, live_server, organization, group, venue, coordinator, path, label
):
    """Each row becomes a card: the last columns are on screen, not hidden to the right."""
    browser_page.goto(f"{live_server.url}/{organization.slug}/manage/{path}")
    cell = browser_page.locator(f'table.stack-on-phone td[data-label="{label}"]').first
    box = cell.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 360
    assert violations(browser_page) == []
