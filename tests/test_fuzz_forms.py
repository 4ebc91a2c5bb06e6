"""Generated input posted to every form of every page: the answer is never a 500.

The pages come from the authorization matrix's walk of the resolver, so a form added
tomorrow is fuzzed tomorrow. Each page is opened as the personas that may open it; every
<form> on it is parsed with the standard library, and Hypothesis fills its fields with
values a browser would send and values no browser sends: unicode, NUL bytes, very long
text, numbers out of range, impossible dates, nonsense ids, several values for one field,
missing fields and extra fields. The CSRF token is kept. Every page is also opened with
nonsense query parameters. An exception in a view fails the test with its traceback; so
does any answer of 500 or more.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kreds.core.policy import access_for
from tests.test_authorization_matrix import (  # noqa: F401 (fixtures used by name)
    LIBRARY_ROUTES,
    OK,
    PERSONAS,
    PROJECT_NAMES,
    ROUTES_BY_NAME,
    build_url,
    expected_answer,
    log_in,
    objects,
    other_admin,
    other_starter,
    outsider,
    second_group,
)

POST_EXAMPLES = 12
GET_EXAMPLES = 5
LIBRARY_PERSONAS = ("anonymous", "participant", "coordinator")
CSRF = "csrfmiddlewaretoken"


# --- Reading forms -------------------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str
    values: list[str] = field(default_factory=list)


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, Field] = field(default_factory=dict)

    def add(self, name: str, kind: str, value: str | None) -> Field:
        entry = self.fields.setdefault(name, Field(name=name, kind=kind))
        if value is not None and value not in entry.values:
            entry.values.append(value)
        return entry


class FormParser(HTMLParser):
    """Collects every <form> with its inputs, selects (and options), textareas and buttons."""

    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._option: dict | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {key: value or "" for key, value in attrs}
        if tag == "form":
            action = urljoin(self.page_url, attrs.get("action") or self.page_url)
            self._form = Form(method=(attrs.get("method") or "get").lower(), action=action)
            self.forms.append(self._form)
            return
        form, name = self._form, attrs.get("name")
        if form is None:
            return
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            default = "on" if kind in ("checkbox", "radio") else ""
            form.add(name, kind, attrs.get("value", default))
        elif tag == "button" and name:
            form.add(name, "submit", attrs.get("value", ""))
        elif tag == "select" and name:
            self._select = form.add(name, "select", None)
        elif tag == "option" and self._select is not None:
            self._option = {"value": attrs.get("value"), "text": ""}
        elif tag == "textarea" and name:
            self._textarea = form.add(name, "textarea", None)

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea.values = [*self._textarea.values, data]

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None and self._select is not None:
            value = self._option["value"]
            self._select.values.append(value if value is not None else self._option["text"])
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._textarea is not None and not self._textarea.values:
                self._textarea.values = [""]
            self._textarea = None
        elif tag == "form":
            self._form = None


def forms_on(page_url: str, html: str) -> list[Form]:
    parser = FormParser(page_url)
    parser.feed(html)
    return [form for form in parser.forms if urlsplit(form.action).netloc in ("", "testserver")]


# --- What Hypothesis sends -----------------------------------------------------------------

ODD_TEXT = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "x" * 10_000,
        "ø" * 3_000,
        "😀" * 200,
        "\u202eevil",
        "<script>alert(1)</script>",
        "'; DROP TABLE x; --",
        "%s %n {0} {{ 7|add:7 }}",
        "\r\n\r\nInjected: header",
        "../../etc/passwd",
    ]
)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["NaN", "inf", "-0", "1e309", "0x10", "1,5", "٣", "2147483648"]),
)
IDS = st.sampled_from(["0", "-1", "9223372036854775808", "abc", "1.5", "[]", "null", "1 OR 1=1"])
DATES = st.sampled_from(
    ["2026-02-30", "0000-00-00", "9999-12-31", "10000-01-01", "2026-13-01", "01/02/2026"]
)
JUNK = st.one_of(st.text(max_size=60), ODD_TEXT, NUMBERS, IDS, DATES)


def field_values(entry: Field):
    plausible = st.sampled_from(entry.values) if entry.values else st.just("")
    single = st.one_of(plausible, JUNK)
    return st.one_of(single, single, st.none(), st.lists(single, min_size=2, max_size=3))


@st.composite
def form_data(draw, form: Form):
    data = {}
    for name, entry in form.fields.items():
        if name == CSRF:
            data[name] = entry.values[0] if entry.values else ""
            continue
        value = draw(field_values(entry))
        if value is not None:
            data[name] = value
    extra = draw(st.dictionaries(st.text(min_size=1, max_size=12), JUNK, max_size=2))
    return {**extra, **data}


# --- Which pages, as whom ------------------------------------------------------------------


def personas_for(name: str) -> list[str]:
    return [p for p in PERSONAS if expected_answer(access_for(name), p, name) == OK]


LIBRARY_NAMES = [
    name
    for name, route in sorted(ROUTES_BY_NAME.items())
    if route.route.startswith(LIBRARY_ROUTES) and not route.kwargs and not name.startswith("admin:")
]


def signature(form: Form, persona: str) -> tuple:
    """Forms already fuzzed in this test are skipped (the language switcher is everywhere)."""
    try:
        target = resolve(urlsplit(form.action).path).view_name
    except Resolver404:
        target = urlsplit(form.action).path
    return (persona == "anonymous", form.method, target, tuple(sorted(form.fields)))


# Sent to every form before the generated examples: each value in every field at once.
EDGE_VALUES = ["9223372036854775808", "-1", "\x00", "x" * 10_000, "2026-02-30", "NaN", "😀"]


def edge_cases(form: Form) -> list[dict]:
    token = {CSRF: form.fields[CSRF].values[:1]} if CSRF in form.fields else {}
    names = [name for name in form.fields if name != CSRF]
    cases = [token, {**token, **{name: [*form.fields[name].values[:2], "1"] for name in names}}]
    cases += [{**token, **dict.fromkeys(names, value)} for value in EDGE_VALUES]
    return cases


def fuzz(client, form: Form) -> None:
    method = client.post if form.method == "post" else client.get
    examples = POST_EXAMPLES if form.method == "post" else GET_EXAMPLES
    for data in edge_cases(form):
        response = method(form.action, data)
        assert response.status_code < 500, f"{form.method.upper()} {form.action}: {data!r}"

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=form_data(form))
    def send(data):
        response = method(form.action, data)
        assert response.status_code < 500, f"{form.method.upper()} {form.action}: {data!r}"

    send()


def fuzz_page(request, client, persona: str, name: str, url: str, done: set) -> None:
    client.logout()
    log_in(request, client, persona)
    page = client.get(url)
    assert page.status_code < 500, url
    if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
        return
    # Forms that end the session (log out) go last; everyone else is fuzzed logged in.
    forms = sorted(forms_on(url, page.content.decode()), key=ends_session)
    for form in forms:
        key = signature(form, persona)
        if key not in done:
            done.add(key)
            log_in(request, client, persona)
            fuzz(client, form)


def ends_session(form: Form) -> bool:
    return urlsplit(form.action).path == reverse("account_logout")


# Query parameters pages read, or might: each gets every edge value in turn.
QUERY_NAMES = ["page", "status", "topic", "age_band", "q", "sort", "next", "date", "from", "to"]


def sweep_query(client, url: str) -> None:
    """Nonsense query parameters are ignored: never a 500."""
    for value in EDGE_VALUES[:-1] + ["", "-", "[]"]:
        response = client.get(url, dict.fromkeys(QUERY_NAMES, value))
        assert response.status_code < 500, f"GET {url} with {value[:20]!r}"


@pytest.mark.parametrize("name", PROJECT_NAMES)
def test_forms_never_answer_500(request, client, organization, name):
    url = build_url(name, organization, request.getfixturevalue("objects"))
    done: set[tuple] = set()
    for persona in personas_for(name):
        fuzz_page(request, client, persona, name, url, done)
    for persona in personas_for(name)[:1]:
        log_in(request, client, persona)
        sweep_query(client, url)


@pytest.mark.parametrize("persona", LIBRARY_PERSONAS)
def test_library_forms_never_answer_500(request, client, organization, persona):
    done: set[tuple] = set()
    for name in LIBRARY_NAMES:
        fuzz_page(request, client, persona, name, reverse(name), done)


# --- The parser itself ---------------------------------------------------------------------


def test_parser_reads_every_kind_of_field():
    html = """
    <form method="post" action="/x/"><input type="hidden" name="csrfmiddlewaretoken" value="t">
      <input name="title" value="Hi"><input type="checkbox" name="days" value="mon">
      <input type="checkbox" name="days" value="tue"><textarea name="note">Old</textarea>
      <select name="topic"><option value="">---</option><option value="3">Grief</option>
      </select><button name="save" value="1">Save</button></form>
    <form><input name="q"></form>
    """
    post, get = forms_on("/page/", html)
    assert (post.method, post.action) == ("post", "/x/")
    assert post.fields["days"].values == ["mon", "tue"]
    assert post.fields["topic"].values == ["", "3"]
    assert post.fields["note"].values == ["Old"]
    assert post.fields["save"].kind == "submit"
    assert (get.method, get.action) == ("get", "/page/")
    assert "q" in get.fields
