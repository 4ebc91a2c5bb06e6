"""The committed compiled catalogues (.mo) match their sources (.po).

`make run` uses the committed .mo files so that a fresh machine needs no gettext;
`make messages` regenerates both.
"""

from pathlib import Path

import polib
import pytest

LOCALE_DIR = Path(__file__).resolve().parents[2] / "src" / "kreds" / "locale"
LANGUAGES = ["da", "nb", "en"]


def _translations(catalogue) -> dict[tuple[str | None, str], str]:
    return {
        (entry.msgctxt, entry.msgid): entry.msgstr or str(entry.msgstr_plural)
        for entry in catalogue
        if entry.msgid and not entry.obsolete and "fuzzy" not in entry.flags
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_source(language):
    po_path = LOCALE_DIR / language / "LC_MESSAGES" / "django.po"
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run `make messages`"
    source = _translations(polib.pofile(str(po_path)))
    compiled = _translations(polib.mofile(str(mo_path)))
    stale = sorted(key[1][:60] for key in source if source[key] != compiled.get(key))
    assert not stale, f"{language}: .mo is older than .po for {stale[:5]}; run `make messages`"
