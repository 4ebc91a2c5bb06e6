"""Checks on the project as a whole: migrations, translations, deployment settings, templates."""

import base64
import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "kreds"
LANGUAGES = ["da", "nb", "en"]
TEMPLATES = sorted(SRC.glob("*/templates/**/*.html"))


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Runs manage.py in a fresh process, with only the environment given on top of PATH."""
    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    return subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base | env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_models_have_all_their_migrations():
    result = manage(
        "makemigrations",
        "--check",
        "--dry-run",
        env={
            "KREDS_DEBUG": "1",
            "DATABASE_URL": "sqlite:///:memory:",
            "DJANGO_SETTINGS_MODULE": "kreds.config.settings",
            "FIELD_ENCRYPTION_KEYS": base64.b64encode(secrets.token_bytes(32)).decode(),
            "REDIS_URL": "redis://localhost:6379/0",
        },
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]


def test_deployment_check_passes_with_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "SECRET_KEY": secrets.token_urlsafe(60)[:60],
            "ALLOWED_HOSTS": "kreds.example.org",
            "DATABASE_URL": "sqlite:///:memory:",
            "DJANGO_SETTINGS_MODULE": "kreds.config.settings",
            "FIELD_ENCRYPTION_KEYS": base64.b64encode(secrets.token_bytes(32)).decode(),
            "REDIS_URL": "redis://localhost:6379/0",
        },
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]


# --- Translations --------------------------------------------------------------------------


def catalogue(language: str) -> Path:
    return SRC / "locale" / language / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_fully_translated(language):
    path = catalogue(language)
    assert path.exists(), f"missing catalogue {path.relative_to(ROOT)}: run `make messages`"
    po = polib.pofile(str(path))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} untranslated in {language}: {untranslated}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {language}: {fuzzy}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_compiles_with_matching_placeholders(language, tmp_path):
    path = catalogue(language)
    assert path.exists(), f"missing catalogue {path.relative_to(ROOT)}: run `make messages`"
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt (GNU gettext) is missing: run bin/install-system-deps"
    result = subprocess.run(  # noqa: S603 (fixed arguments)
        [msgfmt, "--check-format", "-o", str(tmp_path / "django.mo"), str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


# --- Templates and the strict Content-Security-Policy --------------------------------------

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
START_TAG = re.compile(r"<[a-zA-Z][^<>]*>")
INLINE_ATTRIBUTE = re.compile(r"(?:^|\s)(style|on[a-z]+|hx-on[:\w-]*)\s*=", re.IGNORECASE)
DATA_SCRIPT = re.compile(r"""type\s*=\s*["']application/(ld\+)?json["']""", re.IGNORECASE)


def strict_csp_problems(text: str) -> list[str]:
    problems = []
    for match in SCRIPT.finditer(text):
        attributes, body = match.groups()
        if body.strip() and not DATA_SCRIPT.search(attributes):
            problems.append(f"inline script: {body.strip()[:60]!r}")
    if re.search(r"<style\b", text, re.IGNORECASE):
        problems.append("<style> element")
    for tag in START_TAG.findall(text):
        problems.extend(
            f"{attribute}= attribute in {tag[:80]!r}" for attribute in INLINE_ATTRIBUTE.findall(tag)
        )
        if "javascript:" in tag.lower():
            problems.append(f"javascript: URL in {tag[:80]!r}")
    return problems


def test_templates_exist():
    assert TEMPLATES, f"no templates found under {SRC}"


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(SRC)))
def test_template_has_no_inline_script_or_style(template):
    problems = strict_csp_problems(template.read_text(encoding="utf-8"))
    assert not problems, f"{template.relative_to(ROOT)} breaks the strict CSP: {problems}"


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<p style="color: red">',
        '<button onclick="go()">',
        '<div hx-on:click="go()">',
        "<style>p { color: red }</style>",
        '<a href="javascript:go()">',
    ],
)
def test_inline_code_detector_catches(snippet):
    assert strict_csp_problems(snippet)


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="/static/kreds/htmx.min.js" defer></script>',
        '<script type="application/json" id="data">{"a": 1}</script>',
        '<p class="note">{% translate "Hold on=ok" %}</p>',
        '<input name="online" data-online="yes">',
    ],
)
def test_inline_code_detector_allows(snippet):
    assert not strict_csp_problems(snippet)
