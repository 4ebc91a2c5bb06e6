"""What people do in the browser, end to end, under the real Content-Security-Policy."""

import pytest
from django.urls import reverse

from kreds.organizations.models import Topic
from tests.browser.conftest import describe_violations, html_lang, run_axe, screenshot
from tests.factories import PASSWORD, totp_code

pytestmark = pytest.mark.browser


def log_in(page, person) -> None:
    """Through the real login form; staff then type the code their authenticator app shows."""
    page.goto(reverse("account_login"))
    form = page.locator("main form:has(input[name=password])")
    form.locator("input[name=login]").fill(person.email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("[type=submit]").first.click()
    page.wait_for_load_state("load")
    if reverse("mfa_authenticate") in page.url:
        code_form = page.locator("main form:has(input[name=code])")
        code_form.locator("input[name=code]").fill(totp_code())
        code_form.locator("[type=submit]").first.click()
    page.wait_for_url(f"**{reverse('people:my_page')}")


def test_person_logs_in_and_lands_on_my_page(new_context, site):
    page = new_context(language="en").new_page()
    log_in(page, site["people"]["participant"])
    assert page.locator("h1").count() == 1
    assert "Participant Pia" in page.content()


def test_coordinator_creates_topic_and_sees_it_in_the_list(new_context, site):
    organization = site["organization"]
    page = new_context(language="en").new_page()
    log_in(page, site["people"]["coordinator"])

    page.goto(reverse("organizations:topic_create", kwargs={"org": organization.slug}))
    names = page.get_by_role("group", name="Name", exact=True)
    names.get_by_label("Danish").fill("Pårørende til en med demens")
    names.get_by_label("English").fill("Close to someone with dementia")
    form = page.locator("main form:has(input[name^=name])")
    form.locator("[type=submit]").last.click()
    page.wait_for_load_state("load")

    page.goto(reverse("organizations:topic_list", kwargs={"org": organization.slug}))
    assert page.get_by_text("Close to someone with dementia").count() >= 1
    screenshot(page, "flow-topic-list-after-create")
    topic = Topic.objects.get(organization=organization, name__icontains="dementia")
    assert topic.name.localize("da") == "Pårørende til en med demens"


def test_language_switcher_changes_page_language(new_context, site):
    organization = site["organization"]
    page = new_context().new_page()
    page.goto(reverse("public:home", kwargs={"org": organization.slug}))
    assert html_lang(page) == organization.languages[0]
    for language in ("nb", "en", "da"):
        switch = page.locator("form.language-switch")
        switch.locator("select").select_option(language)
        with page.expect_navigation():
            switch.locator("[type=submit]").click()
        assert html_lang(page) == language
        assert page.url.endswith(f"/{organization.slug}/")


@pytest.mark.parametrize(
    ("name", "persona"),
    [
        ("organizations:topic_create", "coordinator"),
        ("groups_manage:create", "coordinator"),
        ("meetings:venue_create", "coordinator"),
        ("organizations:settings_edit", "admin"),
    ],
)
def test_form_with_errors_is_accessible(new_context, site, name, persona):
    """A form sent back with errors: the errors show, and axe-core finds nothing wrong."""
    organization = site["organization"]
    context = new_context(person=site["people"][persona], language="en", bypass_csp=True)
    page = context.new_page()
    page.goto(reverse(name, kwargs={"org": organization.slug}))
    form = page.locator("main form[method=post]").last
    form.evaluate("form => { form.noValidate = true }")
    for field in form.locator("input[type=text], input[type=email], input:not([type])").all():
        field.fill("")
    for field in form.locator("input[type=number]").all():
        field.fill("-1")
    with page.expect_navigation():
        form.locator("[type=submit]").last.click()
    assert page.locator("[role=alert]").count() >= 1
    violations = run_axe(page)
    assert not violations, describe_violations(violations)
    if name == "groups_manage:create":
        screenshot(page, "flow-group-form-with-errors")
