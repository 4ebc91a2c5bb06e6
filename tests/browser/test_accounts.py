"""Sign-in security in the browser: two-step login, passkeys, sessions, roles.

Each page is checked by axe-core (WCAG 2.2 AA) at phone width, and once under the real
Content-Security-Policy for console errors: allauth's passkey scripts must run with it.
"""

import pytest
from django.urls import reverse

from kreds.organizations.models import RoleKind
from tests import factories as f
from tests.browser.conftest import PHONE, describe_violations, run_axe, screenshot, scroll_width
from tests.browser.test_flows import log_in
from tests.browser.test_pages import strict_csp_problems

pytestmark = pytest.mark.browser


def reauthenticate(page) -> None:
    page.goto(reverse("account_reauthenticate"))
    form = page.locator("main form:has(input[name=password])")
    form.locator("input[name=password]").fill(f.PASSWORD)
    with page.expect_navigation():
        form.locator("[type=submit]").first.click()


def problems_on(strict, page, url: str) -> list[str]:
    """Console errors under the real CSP (`strict`), then axe-core and width on `page`."""
    problems = strict_csp_problems(strict, url)
    response = page.goto(url)
    assert response is not None, url
    assert response.status == 200, f"{url}: {response.status}"
    if scroll_width(page) > PHONE["width"] + 1:
        problems.append(f"{url}: scrolls sideways at {PHONE['width']} px")
    violations = run_axe(page)
    if violations:
        problems.append(f"{url}: axe-core found\n{describe_violations(violations)}")
    return problems


def test_account_pages_are_accessible_and_run_under_the_csp(new_context, site):
    organization = site["organization"]
    admin = site["people"]["admin"]
    strict = new_context(person=admin, language="en", viewport=PHONE)
    reauthenticate(strict.new_page())
    context = new_context(person=admin, language="en", viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    reauthenticate(page)
    urls = [
        reverse("security:overview"),
        reverse("mfa_index"),
        reverse("mfa_add_webauthn"),
        reverse("usersessions_list"),
        reverse("organizations:role_grant", kwargs={"org": organization.slug}),
    ]
    problems = []
    for url in urls:
        problems += problems_on(strict, page, url)
    assert not problems, "\n".join(problems)


def test_new_coordinator_is_guided_through_setting_up_an_app(new_context, site):
    organization = site["organization"]
    person = f.PersonFactory(display_name="New Nina")
    f.RoleFactory(organization=organization, person=person, kind=RoleKind.COORDINATOR)
    page = new_context(language="en", viewport=PHONE, bypass_csp=True).new_page()
    page.goto(reverse("account_login"))
    form = page.locator("main form:has(input[name=password])")
    form.locator("input[name=login]").fill(person.email)
    form.locator("input[name=password]").fill(f.PASSWORD)
    form.locator("[type=submit]").first.click()
    page.wait_for_url(f"**{reverse('people:my_page')}")

    page.goto(reverse("organizations:manage_dashboard", kwargs={"org": organization.slug}))
    assert page.get_by_role("heading", name="Your role needs two-step login").count() == 1
    screenshot(page, "security-staff-needs-two-step-phone")
    violations = run_axe(page)
    assert not violations, describe_violations(violations)

    page.get_by_role("link", name="Set up an authenticator app").click()
    page.locator("main input[name=password]").fill(f.PASSWORD)
    with page.expect_navigation():
        page.locator("main form:has(input[name=password]) [type=submit]").first.click()
    secret = page.get_by_label("Authenticator secret").input_value()
    screenshot(page, "security-activate-app-phone")
    violations = run_axe(page)
    assert not violations, describe_violations(violations)
    page.locator("main input[name=code]").fill(f.totp_code(secret))
    with page.expect_navigation():
        page.locator("main form:has(input[name=code]) [type=submit]").first.click()

    page.get_by_role("link", name="Continue where you were going").click()
    page.wait_for_url(f"**/{organization.slug}/manage/")
    assert page.locator("h1").count() == 1


def test_coordinator_logs_in_with_a_code(new_context, site):
    page = new_context(language="en").new_page()
    log_in(page, site["people"]["coordinator"])
    page.goto(reverse("organizations:manage_dashboard", kwargs={"org": site["organization"].slug}))
    assert "/accounts/" not in page.url


def test_person_adds_a_passkey_and_logs_in_with_it(new_context, site):
    """Chromium's virtual authenticator stands in for a phone or security key."""
    from allauth.mfa.models import Authenticator

    participant = site["people"]["participant"]
    context = new_context(person=participant, language="en")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    reauthenticate(page)
    page.goto(reverse("mfa_add_webauthn"))
    page.get_by_label("Passwordless").check()
    with page.expect_navigation():
        page.locator("#mfa_webauthn_add").click()
    assert Authenticator.objects.filter(user=participant, type=Authenticator.Type.WEBAUTHN).exists()

    page.goto(reverse("people:my_page"))
    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()
    page.goto(reverse("account_login"))
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in with a passkey").click()
    page.goto(reverse("people:my_page"))
    assert reverse("people:my_page") in page.url
    assert "Participant Pia" in page.content()
