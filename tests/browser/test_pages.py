"""Every page in a real browser: WCAG 2.2 AA by axe-core, three languages, desktop and phone.

The pages come from the URL resolver (through the authorization matrix), so a page added
tomorrow is checked tomorrow, opened by the kind of person who may see it.
"""

import pytest
from django.urls import reverse

from kreds.core.policy import access_for
from tests.browser.conftest import (
    DESKTOP,
    LANGUAGES,
    PHONE,
    describe_violations,
    html_lang,
    run_axe,
    screenshot,
    scroll_width,
    set_language_cookie,
)
from tests.test_authorization_matrix import (
    OWN_PERSONA,
    PROJECT_NAMES,
    SPECIAL_REQUESTS,
    build_url,
)

pytestmark = pytest.mark.browser

LIBRARY_PAGES = ["account_login", "account_signup", "account_reset_password"]
PAGES = [
    *(
        (name, OWN_PERSONA[access_for(name)])
        for name in PROJECT_NAMES
        if access_for(name) in OWN_PERSONA and name not in SPECIAL_REQUESTS
    ),
    *((name, "anonymous") for name in LIBRARY_PAGES),
]
SIZES = [("desktop", DESKTOP), ("phone", PHONE)]
SCREENSHOTS = {
    "public:home",
    "public:find_group",
    "groups:public_detail",
    "organizations:manage_dashboard",
    "organizations:topic_create",
    "groups_manage:edit",
    "people:my_page",
    "account_login",
}


def page_url(name: str, site: dict) -> str:
    if name in LIBRARY_PAGES:
        return reverse(name)
    return build_url(name, site["organization"], site["objects"])


def check_one_view(page, url: str, language: str, size_name: str) -> list[str]:
    """Problems with the page as it stands in one language at one window size."""
    where = f"{url} [{language}, {size_name}]"
    response = page.goto(url)
    if response is None or response.status != 200:
        return [f"{where}: answered {response.status if response else 'nothing'}"]
    problems = []
    if html_lang(page) != language:
        problems.append(f"{where}: <html lang> is {html_lang(page)!r}")
    if size_name == "phone" and scroll_width(page) > PHONE["width"] + 1:
        problems.append(f"{where}: scrolls sideways, {scroll_width(page)} px wide")
    violations = run_axe(page)
    if violations:
        problems.append(f"{where}: axe-core found\n{describe_violations(violations)}")
    return problems


def strict_csp_problems(context, url: str) -> list[str]:
    """Console errors (CSP refusals among them), script errors and failed loads on the page."""
    page = context.new_page()
    problems = []
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and not message.location.get("url", "").endswith("/favicon.ico")
            and problems.append(f"console: {message.text} ({message.location.get('url')})")
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and response.request.resource_type != "document"
            and problems.append(f"{response.status} for {response.url}")
        ),
    )
    response = page.goto(url)
    page.wait_for_load_state("load")
    if response is None or response.status != 200:
        problems.append(f"answered {response.status if response else 'nothing'}")
    page.close()
    return [f"{url} under the real CSP: {problem}" for problem in problems]


@pytest.mark.parametrize(("name", "persona"), PAGES, ids=[name for name, _persona in PAGES])
def test_page_is_accessible_in_every_language_and_width(
    new_context, live_server, site, name, persona
):
    url = page_url(name, site)
    person = site["people"].get(persona)
    problems = strict_csp_problems(new_context(person=person), url)
    context = new_context(person=person, bypass_csp=True)
    page = context.new_page()
    for language in LANGUAGES:
        set_language_cookie(context, live_server.url, language)
        for size_name, size in SIZES:
            page.set_viewport_size(size)
            problems += check_one_view(page, url, language, size_name)
            if language == LANGUAGES[0] and name in SCREENSHOTS:
                screenshot(page, f"{name.replace(':', '-')}-{size_name}")
    assert not problems, "\n".join(problems)


def test_not_found_page_is_accessible(new_context, site):
    page = new_context(language="en", bypass_csp=True).new_page()
    response = page.goto("/herning/groups/999999/")
    assert response.status == 404
    violations = run_axe(page)
    assert not violations, describe_violations(violations)


def test_checks_catch_a_broken_page(new_context):
    """The harness itself: axe-core and the width check do report problems."""
    page = new_context(bypass_csp=True, viewport=PHONE).new_page()
    page.set_content(
        '<html lang="en"><head><title>Broken</title></head><body><main>'
        '<input type="text"><img src="data:,"><div class="wide"></div></main></body></html>'
    )
    page.add_style_tag(content=".wide { width: 2000px; height: 10px; }")
    violations = {violation["id"] for violation in run_axe(page)}
    assert {"label", "image-alt"} <= violations, violations
    assert scroll_width(page) > PHONE["width"] + 1
