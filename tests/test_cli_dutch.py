"""The ``alliance-kit`` command in Dutch, on real data: a real journal file and a real content
check, run as a subprocess the way a Dutch user runs it."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest
from dutch import english_left

from alliance_kit.journal import open_journal
from alliance_kit.questionnaire import load
from support import REPO, run_cli

DUTCH = {"ALLIANCE_KIT_LANG": "nl"}
#: A Dutch computer: the kit's own setting unset, the locale says Dutch.
DUTCH_LOCALE = {"ALLIANCE_KIT_LANG": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "nl_NL.UTF-8"}


def _session(days_ago: int, code: str) -> dict:
    return {
        "session_date": (dt.date.today() - dt.timedelta(days=days_ago)).isoformat(),
        "channel": "phone",
        "phase": "early",
        "client_code": code,
        "answers": {item.id: 3 for item in load().items},
    }


@pytest.fixture
def journal_file(tmp_path):
    """A real journal with two recent sessions and one of ten months ago."""
    path = tmp_path / "journal.sqlite"
    with open_journal(path) as journal:
        for days_ago, code in ((30, "K1"), (3, "K2"), (300, "K3")):
            journal.add_session(_session(days_ago, code))
    return path


def _env(tmp_path, extra: dict[str, str]) -> dict[str, str]:
    return {"ALLIANCE_KIT_DATA_DIR": str(tmp_path / "data"), **extra}


@pytest.mark.parametrize("language", [DUTCH, DUTCH_LOCALE], ids=["ALLIANCE_KIT_LANG", "LANG"])
def test_journal_retention_and_export_in_dutch(journal_file, tmp_path, language):
    env = _env(tmp_path, language)
    shown = run_cli("journal", "--journal", str(journal_file), "retention", env=env)
    assert shown.returncode == 0, shown.stderr
    assert "Gesprekken worden" in shown.stdout and "maanden bewaard" in shown.stdout
    out = tmp_path / "export.json"
    exported = run_cli(
        "journal", "--journal", str(journal_file), "export", "--out", str(out), env=env
    )
    assert exported.returncode == 0, exported.stderr
    assert "3 gesprek(ken) geëxporteerd naar" in exported.stderr
    for text in (shown.stdout, exported.stderr):
        assert english_left(text) == []


def test_journal_import_report_and_refusal_in_dutch(journal_file, tmp_path):
    env = _env(tmp_path, DUTCH)
    out = tmp_path / "export.json"
    run_cli("journal", "--journal", str(journal_file), "export", "--out", str(out), env=env)
    again = run_cli("journal", "--journal", str(journal_file), "import", str(out), env=env)
    # The same sessions a second time: refused as duplicates, reported in Dutch.
    assert again.returncode == 1
    assert "0 gesprek(ken) geïmporteerd." in again.stdout
    assert "3 dubbele gesprek(ken) geweigerd:" in again.stdout
    assert english_left(again.stdout) == []
    broken = tmp_path / "broken.json"
    broken.write_text('{"sessions": [', encoding="utf-8")
    refused = run_cli("journal", "--journal", str(journal_file), "import", str(broken), env=env)
    assert refused.returncode == 1
    assert "Het bestand is geen geldige JSON (regel 1)" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert english_left(refused.stderr) == []


def test_journal_that_is_no_journal_is_refused_in_dutch(tmp_path):
    not_a_journal = tmp_path / "notes.sqlite"
    not_a_journal.write_text("just some notes", encoding="utf-8")
    result = run_cli(
        "journal", "--journal", str(not_a_journal), "retention", env=_env(tmp_path, DUTCH)
    )
    assert result.returncode == 1
    assert "is geen journaal (het is geen SQLite-database)" in result.stderr
    assert english_left(result.stderr) == []


def test_retention_prompt_in_dutch(journal_file, tmp_path):
    env = _env(tmp_path, DUTCH)
    result = run_cli(
        "journal", "--journal", str(journal_file), "retention", "--months", "6",
        env=env, stdin="nee\n",
    )  # fmt: skip
    assert result.returncode == 1
    assert "Een termijn van 6 maanden verwijdert 1 gesprek(ken):" in result.stdout
    assert "Typ 'remove' om door te gaan" in result.stdout
    assert "Er is niets veranderd" in result.stdout
    assert english_left(result.stdout) == []


def test_content_check_in_dutch_on_shipped_and_broken_content(tmp_path):
    fine = run_cli("check", "pages", env=_env(tmp_path, DUTCH))
    assert fine.returncode == 0, fine.stdout + fine.stderr
    assert "pages: in orde" in fine.stdout
    assert "Alle inhoud is in orde." in fine.stdout
    content = tmp_path / "content"
    shutil.copytree(REPO / "modules", content / "modules")
    pages = content / "modules" / "pages.yaml"
    pages.write_text(
        pages.read_text(encoding="utf-8").replace("  - id: library\n", "  - id: Library Page\n"),
        encoding="utf-8",
    )
    broken = run_cli(
        "check", "pages", env=_env(tmp_path, {**DUTCH, "ALLIANCE_KIT_CONTENT_DIR": str(content)})
    )
    assert broken.returncode == 1
    assert "probleem/problemen gevonden. Los ze op" in broken.stdout
    assert english_left(broken.stdout) == []


@pytest.mark.parametrize("language", [DUTCH, DUTCH_LOCALE], ids=["ALLIANCE_KIT_LANG", "LANG"])
def test_help_and_usage_errors_in_dutch(tmp_path, language):
    env = _env(tmp_path, language)
    helped = run_cli("journal", "--help", env=env)
    assert helped.returncode == 0
    assert helped.stdout.startswith("gebruik: alliance-kit journal")
    assert "toon deze hulptekst en stop" in helped.stdout
    assert "Exporteer, importeer of wis je gespreksjournaal" in helped.stdout
    assert english_left(helped.stdout) == []
    wrong = run_cli("journal", "retention", "--months", "many", env=env)
    assert wrong.returncode == 2
    assert "'many' is geen heel getal van 1 tot en met" in wrong.stderr
    assert "fout:" in wrong.stderr
    assert english_left(wrong.stderr) == []


def test_english_stays_the_default(tmp_path):
    env = _env(tmp_path, {"ALLIANCE_KIT_LANG": "", "LC_ALL": "", "LANG": "C.UTF-8"})
    result = run_cli("journal", "--help", env=env)
    assert result.stdout.startswith("usage: alliance-kit journal")


def test_export_file_is_language_neutral(journal_file, tmp_path):
    """A Dutch export reads back into an English journal: ids and values, no Dutch words."""
    out = tmp_path / "export.json"
    run_cli(
        "journal", "--journal", str(journal_file), "export", "--out", str(out),
        env=_env(tmp_path, DUTCH),
    )  # fmt: skip
    sessions = json.loads(out.read_text(encoding="utf-8"))["sessions"]
    assert {s["channel"] for s in sessions} == {"phone"}
    assert {s["phase"] for s in sessions} == {"early"}
