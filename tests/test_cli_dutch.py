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


def _broken_content(tmp_path):
    """The kit's content with one thing wrong in several kinds, and a broken local resource."""
    import yaml

    content = tmp_path / "content"
    shutil.copytree(REPO / "modules", content / "modules")
    base = content / "modules" / "content"

    def edit(relative: str, change) -> None:
        path = base / relative
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")

    def scenario(data):
        data["risk"] = "very high"  # not one of the levels

    def scene(data):
        data["scenes"][0]["raises"] = ["no-such-signal"]

    def questions(data):
        for option in data["questions"][0]["options"]:
            option["best"] = True  # more than one best option
        data["questions"][1]["colour"] = "blue"  # a field the kind does not have

    def model(data):
        data["parameters"][0]["range"] = [9, 1]

    def dutch_text(data):
        english = yaml.safe_load((base / "questionnaire.yaml").read_text(encoding="utf-8"))
        data["reflection"][0]["drop"] = english["reflection"][0]["drop"]

    edit("scenarios/intake-childcare.yaml", scenario)
    edit("scenarios/intake-mental-health.yaml", scene)
    edit("learn/questions/trust.yaml", questions)
    edit("channel_model.yaml", model)
    edit("nl/questionnaire.yaml", dutch_text)
    local = tmp_path / "own-resources"
    local.mkdir()
    (local / "no-front-matter.md").write_text("Just text, no fields.\n", encoding="utf-8")
    return {"ALLIANCE_KIT_CONTENT_DIR": str(content), "ALLIANCE_KIT_RESOURCES": str(local)}


def test_every_kinds_problem_sentences_come_in_dutch(tmp_path):
    broken = run_cli("check", env=_env(tmp_path, {**DUTCH, **_broken_content(tmp_path)}))
    assert broken.returncode == 1, broken.stdout + broken.stderr
    out = broken.stdout
    # file names, field names, ids and values stay as they are; the sentences are Dutch
    for sentence in (
        "veld risk: 'very high' is niet toegestaan; gebruik een van: 'high', 'low', 'medium'",
        "onderdeel scène opening · veld raises: laat een onbekend signaal 'no-such-signal' zien",
        "moet precies één optie met 'best: true' hebben, gevonden: 4",
        "veld colour: is geen bekend veld (bekende velden: id, characteristic",
        "het bereik staat andersom (9 > 1)",
        "veld reflection[0].drop: is nog de Engelse tekst",
        "heeft geen kopgegevens (front matter)",
        "vertaald: modules/content/nl/learn/questions/trust.yaml: 100% (",
    ):
        assert sentence in out, f"{sentence!r} not in:\n{out}"
    for english in ("is not allowed", "unknown signal", "· item ", "· field ", "translated:"):
        assert english not in out
    assert english_left(out) == []
    listed = run_cli("check", "--list", env=_env(tmp_path, DUTCH))
    assert "de paginalijst achter de startpagina (modules/pages.yaml)" in listed.stdout
    assert english_left(listed.stdout) == []
    # and the same check in English is worded as before
    english = run_cli(
        "check", env=_env(tmp_path, {"ALLIANCE_KIT_LANG": "en", **_broken_content(tmp_path / "en")})
    )
    assert "field risk: 'very high' is not allowed; use one of: 'high', 'low', 'medium'" in (
        english.stdout
    )
