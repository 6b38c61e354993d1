"""Interface text goes through gettext catalogues managed with Babel, and they are complete.

The catalogues are the product's Dutch: a text marked for translation but missing from a
catalogue would show in English on a Dutch page.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from alliance_kit import i18n
from support import REPO

PYBABEL = str(Path(sys.executable).with_name("pybabel"))
TRANSLATED = [lang for lang in i18n.LANGUAGES if lang != i18n.SOURCE_LANGUAGE]


def _po(lang: str):
    with (i18n.LOCALE_DIR / lang / "LC_MESSAGES" / "alliance_kit.po").open("rb") as fh:
        return read_po(fh, locale=lang)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """What Babel extracts from the code and templates right now, as ``make translations``
    does."""
    pot = tmp_path_factory.mktemp("pot") / "alliance_kit.pot"
    subprocess.run(
        [PYBABEL, "extract", "-F", "babel.cfg", "--no-location", "-o", str(pot), "."],
        cwd=REPO,
        capture_output=True,
        check=True,
    )
    with pot.open("rb") as fh:
        texts = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    # from the code and from the templates: the catalogue check below is only as good as this
    assert "Kit navigation" in texts
    assert any(t.startswith("Something went wrong and nothing was changed") for t in texts)
    return texts


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_marked_text_is_translated(lang: str, extracted: set[str]) -> None:
    catalog = _po(lang)
    missing = sorted(t for t in extracted if t not in catalog or not catalog[t].string)
    fuzzy = sorted(m.id for m in catalog if m.id and m.fuzzy)
    assert not missing, f"run make translations and translate in {lang}: {missing[:10]}"
    assert not fuzzy, f"fuzzy (unchecked) translations in {lang}: {fuzzy[:10]}"


def _plain(text: str | list[str] | tuple[str, ...]) -> str | tuple[str, ...]:
    """A text with plural forms comes back from a .mo file as a list, from a .po as a tuple."""
    return text if isinstance(text, str) else tuple(text)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_compiled_catalogue_matches_its_source(lang: str) -> None:
    with (i18n.LOCALE_DIR / lang / "LC_MESSAGES" / "alliance_kit.mo").open("rb") as fh:
        compiled = {_plain(m.id): _plain(m.string) for m in read_mo(fh) if m.id}
    source = {m.id: m.string for m in _po(lang) if m.id and m.string and not m.fuzzy}
    assert compiled == source, "the .mo file is older than the .po file: run make translations"


def test_a_translated_text_reads_in_the_active_language() -> None:
    try:
        i18n.activate("nl")
        assert i18n._("All modules") == "Alle modules"
        i18n.activate("en")
        assert i18n._("All modules") == "All modules"
    finally:
        i18n.activate("en")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("nl-NL,nl;q=0.9,en;q=0.8", "nl"),
        ("en-GB,en;q=0.9,nl;q=0.8", "en"),
        ("de-DE,de;q=0.9,nl;q=0.5", "nl"),
        ("fr;q=1, en;q=0.1, nl;q=0.4", "nl"),
        ("nl;q=0, en", "en"),
        ("nl;q=abc, en;q=0.5", "en"),
        ("", None),
        ("x" * 5000, None),
    ],
)
def test_browser_language_is_read_by_preference(header: str, expected: str | None) -> None:
    assert i18n.from_accept_language(header) == expected


def test_language_choice_order(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("ALLIANCE_KIT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("ALLIANCE_KIT_SHARED", raising=False)
    monkeypatch.delenv(i18n.LANG_ENV, raising=False)
    assert i18n.choose(None, "nl-BE,nl") == "nl", "the browser's language when nothing is set"
    monkeypatch.setenv(i18n.LANG_ENV, "en")
    assert i18n.choose(None, "nl-BE,nl") == "en", "the server default beats the browser"
    assert i18n.choose("lang=nl", "en") == "nl", "the switch beats everything"
    assert i18n.choose(None, "en") == "nl", "and is remembered for the next page"
    assert (tmp_path / i18n.PREFERENCES_FILE).stat().st_mode & 0o777 == 0o600
    assert i18n.choose("lang=xx", None) == "nl", "an unknown language is ignored"


def test_shared_server_remembers_nothing(tmp_path, monkeypatch) -> None:
    from alliance_kit.paths import SHARED_ENV

    monkeypatch.setenv("ALLIANCE_KIT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv(SHARED_ENV, "1")
    monkeypatch.delenv(i18n.LANG_ENV, raising=False)
    assert i18n.choose("lang=nl", None) == "nl"
    assert i18n.choose(None, None) == "en", "one visitor's choice must not become everyone's"
    assert not (tmp_path / i18n.PREFERENCES_FILE).exists()


def test_cli_follows_the_kit_setting_then_the_locale(monkeypatch) -> None:
    monkeypatch.setenv("ALLIANCE_KIT_SHARED", "1")
    assert i18n.cli_language({"LANG": "nl_NL.UTF-8"}) == "nl"
    assert i18n.cli_language({"LANG": "nl_NL.UTF-8", i18n.LANG_ENV: "en"}) == "en"
    assert i18n.cli_language({"LANG": "C.UTF-8"}) == "en"


def test_numbers_and_dates_are_written_the_active_languages_way() -> None:
    import datetime as dt

    try:
        i18n.activate("nl")
        assert i18n.number(1234.5, "#,##0.0") == "1.234,5"
        assert i18n.percent(0.25) == "25%"
        assert i18n.day(dt.date(2026, 12, 2)) == "2 december 2026"
        i18n.activate("en")
        assert i18n.number(1234.5, "#,##0.0") == "1,234.5"
        assert i18n.day(dt.date(2026, 12, 2)) == "2 December 2026"
    finally:
        i18n.activate("en")


#: Every number pattern the kit formats with, and a few more of the same plain shape.
PATTERNS = [None, "0", "0.0", "0.00", "0.##", "0.###", "#,##0", "#,##0.0", "#,##0.00",
            "#,##0.####", "#,##0.0#"]  # fmt: skip


def test_english_and_dutch_numbers_are_written_as_babel_writes_them() -> None:
    """The kit writes plain patterns in English and Dutch itself, to spare a page's kernel
    Babel's locale data; rounding (half to even), grouping, signs and trailing zeros must be
    Babel's to the character."""
    import random

    from babel.numbers import format_decimal, format_percent

    rng = random.Random(13)
    values: list[float] = [0, 1, -1, 0.5, 1.5, 2.5, -0.0, -0.04, 0.05, 0.125, 2.675, 99.995]
    values += [1 / 3, 2 / 3, -999.5, 1000, 1234.5, -1234567.891, 1e15, 1e-7, 10**20]
    values += [rng.uniform(-1e6, 1e6) for _ in range(300)]
    values += [rng.randint(-(10**9), 10**9) for _ in range(100)]
    values += [round(rng.uniform(-2, 2), rng.randint(0, 5)) for _ in range(300)]
    try:
        for lang in ("en", "nl"):
            i18n.activate(lang)
            for value in values:
                for pattern in PATTERNS:
                    babel = format_decimal(value, format=pattern, locale=lang)
                    assert i18n.number(value, pattern) == babel, (lang, value, pattern)
                assert i18n.percent(value) == format_percent(value, locale=lang), (lang, value)
            for odd in (float("nan"), float("inf"), float("-inf")):
                assert i18n.number(odd) == format_decimal(odd, locale=lang)
            assert i18n.number(1234.5, "#,##0.0 h") == format_decimal(1234.5, "#,##0.0 h", lang)
    finally:
        i18n.activate("en")
