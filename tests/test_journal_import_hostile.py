"""Import files nobody should trust: each bad row gets a sentence, the good rows still come in,
and nothing is ever called "damaged" unless the journal file is."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json
import os
import re
import sqlite3
import stat
import subprocess
import threading
import time

import pytest
from journal_cli import cli

from alliance_kit.journal import JournalError, open_journal
from alliance_kit.journal.exchange import (
    MAX_IMPORT_BYTES,
    export_csv,
    import_file,
    neutralise_cell,
    restore_cell,
)
from alliance_kit.questionnaire import load

TODAY = dt.date.today()
ITEMS = [i.id for i in load().items]


def record(code: str = "K-1", days_ago: int = 5, **extra) -> dict:
    return {
        "session_date": (TODAY - dt.timedelta(days=days_ago)).isoformat(),
        "channel": "video",
        "phase": "early",
        "client_code": code,
        "answers": {i: 3 for i in ITEMS},
        "note": "",
        **extra,
    }


@pytest.fixture()
def journal(tmp_path):
    with open_journal(tmp_path / "j" / "journal.sqlite") as j:
        yield j


def import_json(journal, tmp_path, sessions: list) -> object:
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"sessions": sessions}), encoding="utf-8")
    return import_file(journal, path, today=TODAY)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("channel", ["video"]),
        ("phase", {"early": 1}),
        ("client_code", ["K-1"]),
        ("client_code", {"code": "K-1"}),
        ("note", ["a", "list"]),
        ("risk_band", ["high"]),
        ("duration_min", "4²"),
        ("duration_min", "²"),
        ("duration_min", 10**30),
        ("questionnaire_version", 10**30),
        ("questionnaire_version", "١٢"),
        ("created_at", ["2025"]),
        ("created_at", "x" * 5000),
        ("id", ["abcdefgh"]),
        ("id", "abcdefgh\n"),
        ("note", "lone \ud800 surrogate"),
        ("client_code", "K-\udfff"),
        ("session_date", ["2025-01-01"]),
        ("session_date", "２０２５-01-01"),
        ("answers", ["gc-1", 3]),
        ("answers", {ITEMS[0]: "³"}),
        ("answers", {ITEMS[0]: 10**40}),
        ("answers", {ITEMS[0]: [[[[3]]]]}),
    ],
)
def test_a_hostile_value_refuses_its_row_with_a_sentence_and_the_rest_come_in(
    journal, tmp_path, field, value
):
    bad = record("K-2", **{field: value})
    report = import_json(journal, tmp_path, [record("K-1"), bad, record("K-3", days_ago=6)])
    assert report.imported == 2, report.lines()
    assert journal.client_codes() == ["K-1", "K-3"]
    [line] = report.invalid
    assert line.startswith(f"session 2: [{field}] "), line
    assert len(line) < 400, "a huge or nested value is never echoed whole"


def test_a_json_session_holding_client_answers_too_big_for_sqlite(journal, tmp_path):
    bad = record("K-2", client_answers={ITEMS[0]: 2**70}, client_source="paper")
    report = import_json(journal, tmp_path, [bad, record("K-1")])
    assert report.imported == 1
    assert report.invalid[0].startswith("session 1: [client_answers] Client answers: the answer")


def test_deep_json_nesting_is_a_sentence_not_a_crash(journal, tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    with pytest.raises(JournalError, match="nested too deeply"):
        import_file(journal, path)
    path.write_text('{"sessions": [' + "1" * 5000 + "]}", encoding="utf-8")
    with pytest.raises(JournalError, match="not a journal export"):
        import_file(journal, path)
    assert journal.count() == 0


def test_a_file_over_the_size_cap_is_refused_before_reading_it_all(journal, tmp_path):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as fh:
        fh.truncate(MAX_IMPORT_BYTES + 1)
    with pytest.raises(JournalError, match="larger than 8 MiB"):
        import_file(journal, path)


def csv_text(rows: list[dict]) -> str:
    header = ["id", "session_date", "channel", "phase", "client_code", "note"]
    header += [f"officer:{i}" for i in ITEMS]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for r in rows:
        writer.writerow(
            [r.get(h, "") for h in header[:6]] + [r["answers"].get(i, "") for i in ITEMS]
        )
    return out.getvalue()


def test_a_csv_field_over_128_kib_refuses_that_row_only(journal, tmp_path):
    path = tmp_path / "big-field.csv"
    rows = [record("K-1"), record("K-2", note="x" * 200_000), record("K-3", days_ago=7)]
    path.write_text(csv_text(rows), encoding="utf-8")
    report = import_file(journal, path, today=TODAY)
    assert report.imported == 2, report.lines()
    assert journal.client_codes() == ["K-1", "K-3"]
    assert report.invalid == [
        "row 3: cannot be read as CSV (field larger than field limit (131072))."
    ]


def test_csv_superscript_digits_are_a_sentence_per_row(journal, tmp_path):
    path = tmp_path / "digits.csv"
    rows = [record("K-1"), record("K-2", answers={**record()["answers"], ITEMS[1]: "²"})]
    path.write_text(csv_text(rows), encoding="utf-8")
    report = import_file(journal, path, today=TODAY)
    assert report.imported == 1
    assert report.invalid == [
        f"row 3: [answers] Officer answers: the answer to {ITEMS[1]} should be 1 to 5, not '²'."
    ]


def test_not_utf8_is_a_sentence(journal, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(csv_text([record("K-1", note="café")]).encode("latin-1"))
    with pytest.raises(JournalError, match="not UTF-8 text"):
        import_file(journal, path)


def test_a_duplicate_id_written_by_another_writer_mid_import_is_a_duplicate(journal, tmp_path):
    """Another program stores the same session while the import waits for the write lock."""
    rec = record("K-9", id="shared-id-1")
    path = tmp_path / "race.json"
    path.write_text(json.dumps({"sessions": [rec, record("K-8")]}), encoding="utf-8")
    other = sqlite3.connect(journal.path, isolation_level=None, timeout=30)
    other.execute("BEGIN IMMEDIATE")
    other.execute(
        "INSERT INTO sessions (id, session_date, channel, phase, client_code, answers, note,"
        " created_at) VALUES ('shared-id-1', ?, 'video', 'early', 'K-9', '{}', '', 'x')",
        (rec["session_date"],),
    )
    result: dict = {}

    def run() -> None:
        try:
            result["report"] = import_file(journal, path, today=TODAY)
        except Exception as exc:
            result["error"] = exc

    worker = threading.Thread(target=run)
    worker.start()
    time.sleep(1.5)  # the import has read the file and waits for the lock
    other.execute("COMMIT")
    other.close()
    worker.join(60)
    assert "error" not in result, getattr(result.get("error"), "sentence", result.get("error"))
    report = result["report"]
    assert report.imported == 1
    assert report.duplicates == ["session 1: session shared-id-1 is already in the journal"]


def test_only_a_damaged_file_is_called_damaged(journal):
    from alliance_kit.journal.store import _locked_or_corrupt

    said = _locked_or_corrupt(sqlite3.IntegrityError("UNIQUE constraint failed"), journal.path)
    assert "is damaged" not in said.sentence and "same id" in said.sentence
    said = _locked_or_corrupt(sqlite3.OperationalError("disk I/O error"), journal.path)
    assert "is damaged" not in said.sentence
    said = _locked_or_corrupt(
        sqlite3.DatabaseError("database disk image is malformed"), journal.path
    )
    assert "is damaged" in said.sentence


# --- identifiers ----------------------------------------------------------------------------


def test_identifiers_in_imported_rows_are_warned_about(journal, tmp_path):
    path = tmp_path / "ids.csv"
    rows = [
        record("Thomas"),
        record("K-2", note="Mail him at someone@example.org"),
        record("K-3", note="Call 06 1234 5678 tomorrow"),
        record("K-4", note="Agreed on two steps."),
    ]
    path.write_text(csv_text(rows), encoding="utf-8")
    report = import_file(journal, path, today=TODAY)
    assert report.imported == 4
    text = "\n".join(report.lines())
    assert "row 2: [client_code]" in text and "a name ('Thomas')" in text
    assert "row 3: [note]" in text and "an email address" in text
    assert "row 4: [note]" in text and "a phone number" in text
    assert "row 5" not in text


def test_add_session_returns_identifier_warnings(journal):
    s = journal.add_session(record("Thomas", note="Phone +31 6 12345678 after the meeting"))
    assert any("a name" in w for w in s.warnings)
    assert any("a phone number" in w for w in s.warnings)
    assert journal.add_session(record("K-7")).warnings == ()


def test_cli_import_prints_identifier_warnings(journal, tmp_path):
    path = tmp_path / "ids.csv"
    path.write_text(csv_text([record("K-2", note="Mail a@b.org")]), encoding="utf-8")
    res = cli("import", str(path), "--journal", str(journal.path))
    assert "Imported 1 session(s)." in res.stdout
    assert "may identify a client" in res.stdout and "an email address" in res.stdout


# --- export ---------------------------------------------------------------------------------

FORMULAS = ["=1+2", "+31 6", "-dash", "@SUM(A1)", "'=already quoted", "''-twice"]


@pytest.mark.parametrize("cell", [*FORMULAS, "\tTab", "\rCR", "plain", "", "'plain"])
def test_neutralise_and_restore_are_inverse(cell):
    safe = neutralise_cell(cell)
    assert not safe.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert restore_cell(safe) == cell


def exported_cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text)) for c in row]


def test_csv_export_makes_formula_cells_inert_and_round_trips(journal, tmp_path):
    for n, note in enumerate(FORMULAS):
        journal.add_session(record(f"K-{n}", days_ago=n + 1, note=note))
    journal.add_session(record("-17", days_ago=9))
    text = export_csv(journal)
    for cell in exported_cells(text):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    path = tmp_path / "out.csv"
    path.write_text(text, encoding="utf-8")
    with open_journal(tmp_path / "other" / "journal.sqlite") as other:
        assert import_file(other, path).imported == len(FORMULAS) + 1
        assert other.sessions() == journal.sessions()


def test_page_csv_download_is_neutralised(tmp_path):
    from alliance_kit.pages.my_trends import Trends

    path = tmp_path / "journal.sqlite"
    with open_journal(path) as j:
        j.add_session(record("K-1", note="=HYPERLINK(0)"))
    page = Trends(path)
    try:
        page._on_export("csv")
        data = re.search(r"base64,([^\"]+)", page.links.value).group(1)
        text = base64.b64decode(data).decode("utf-8")
        assert "'=HYPERLINK(0)" in text
        assert all(not c.startswith("=") for c in exported_cells(text))
    finally:
        page.journal.close()


def run_export(journal, out) -> subprocess.CompletedProcess:
    return cli("export", "--format", "csv", "--out", str(out), "--journal", str(journal.path))


def test_export_replaces_the_target_file_owner_only(journal, tmp_path):
    journal.add_session(record("K-1"))
    out = tmp_path / "export.csv"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o644)
    res = run_export(journal, out)
    assert res.returncode == 0, res.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "K-1" in out.read_text(encoding="utf-8")


def test_export_never_follows_a_symlink(journal, tmp_path):
    journal.add_session(record("K-1"))
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    victim.chmod(0o644)
    out = tmp_path / "link.csv"
    os.symlink(victim, out)
    res = run_export(journal, out)
    assert res.returncode == 0, res.stderr
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not out.is_symlink() and "K-1" in out.read_text(encoding="utf-8")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_export_to_a_folder_is_a_sentence(journal, tmp_path):
    res = run_export(journal, tmp_path)
    assert res.returncode == 1
    assert "is a folder" in res.stderr and "Traceback" not in res.stderr


def test_score_page_shows_the_journals_warnings_after_save_anyway(tmp_path):
    from alliance_kit.pages.score_session import ScoreForm

    form = ScoreForm(tmp_path / "journal.sqlite")
    try:
        for buttons in form.items.buttons.values():
            buttons.value = 3
        form.code.value = "K-1"
        form.note.value = "Mail me at someone@example.org"
        form._on_save()  # first press: the form's own warning
        assert form.save.description == "Save anyway"
        form._on_save()
        assert "Saved the session" in form.status.value
        assert "an email address" in form.status.value
        assert form.journal.count() == 1
        form.duration.value = "4²"  # superscript digits: a sentence, not a failure
        assert "Minutes should be a whole number from 1 to 600, or left empty." in form.problems()
    finally:
        form.journal.close()
