"""Export, import, erase and retention, through the engine and through ``alliance-kit journal``."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
import stat

import pytest
from journal_cli import cli

from alliance_kit.journal import open_journal
from alliance_kit.journal.exchange import export_csv, export_json, import_file
from alliance_kit.questionnaire import load

TODAY = dt.date.today()


def record(code: str, days_ago: int, value: int = 4, **extra) -> dict:
    return {
        "session_date": (TODAY - dt.timedelta(days=days_ago)).isoformat(),
        "channel": "video",
        "phase": "established",
        "client_code": code,
        "answers": {i.id: value for i in load().items},
        "note": 'Said "yes, but", then agreed; line\nbreak',
        **extra,
    }


@pytest.fixture()
def filled(tmp_path):
    path = tmp_path / "a" / "journal.sqlite"
    with open_journal(path) as j:
        j.add_session(record("K-1", 20, risk_band="high", duration_min=50))
        s = j.add_session(record("K-1", 10, value=2))
        j.set_client_rating(s.id, {i.id: 5 for i in load().items}, "client-page")
        j.add_session(record("K-2", 5, value=3))
        yield j


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_import_round_trip(filled, tmp_path, fmt):
    text = export_csv(filled) if fmt == "csv" else export_json(filled)
    out = tmp_path / f"export.{fmt}"
    out.write_text(text, encoding="utf-8")
    with open_journal(tmp_path / "b" / "journal.sqlite") as other:
        report = import_file(other, out)
        assert report.imported == 3 and report.duplicates == [] and report.invalid == []
        assert other.sessions() == filled.sessions()
        # importing the same file again refuses every row as a duplicate
        again = import_file(other, out)
        assert again.imported == 0
        assert len(again.duplicates) == 3
        assert "already in the journal" in again.lines()[2]
        assert other.count() == 3


def test_csv_export_is_one_row_per_session_with_answer_columns(filled):
    rows = list(csv.DictReader(io.StringIO(export_csv(filled))))
    assert len(rows) == 3
    first_item = load().items[0].id
    assert rows[0][f"officer:{first_item}"] == "4"
    assert rows[1][f"client:{first_item}"] == "5" and rows[1]["client_source"] == "client-page"
    assert rows[0]["client_source"] == "" and rows[0]["risk_band"] == "high"


def test_import_reports_invalid_and_duplicate_rows_and_imports_the_rest(filled, tmp_path):
    doc = json.loads(export_json(filled))
    good_new = {**doc["sessions"][0], "id": "brand-new-1", "session_date": "2025-02-02"}
    future = {**doc["sessions"][0], "id": "future-1", "session_date": "2999-01-01"}
    bad_answer = {**doc["sessions"][0], "id": "bad-answer-1", "answers": {"gc-1": 8}}
    same_content = {**doc["sessions"][2], "id": "other-id-1"}  # same session, new id
    doc["sessions"] = [good_new, future, bad_answer, doc["sessions"][1], same_content, "junk"]
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    before = filled.count()
    report = import_file(filled, path, today=TODAY)
    assert report.imported == 1
    assert filled.count() == before + 1
    assert len(report.duplicates) == 2
    assert len(report.invalid) == 3
    text = "\n".join(report.lines())
    assert "session 2: [session_date] The session date 2999-01-01 is in the future." in text
    assert "session 3: [answers] Officer answers: the answer to gc-1 should be 1 to 5" in text
    assert "session 6: is not a session record." in text
    assert "the same session (K-2," in text


def test_import_of_unreadable_file_is_a_clear_error(filled, tmp_path):
    from alliance_kit.journal import JournalError

    bad = tmp_path / "x.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(JournalError, match="not valid JSON"):
        import_file(filled, bad)
    with pytest.raises(JournalError, match="does not exist"):
        import_file(filled, tmp_path / "missing.csv")


# --- the command line ----------------------------------------------------------------------


def test_cli_export_import_erase_retention(filled, tmp_path):
    src = str(filled.path)
    out = tmp_path / "out.csv"
    res = cli("export", "--format", "csv", "--out", str(out), "--journal", src)
    assert res.returncode == 0, res.stderr
    assert "Exported 3 session(s)" in res.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    res = cli("--journal", src, "export", "--format", "json")
    assert json.loads(res.stdout)["format"] == "alliance-kit-journal"

    dest = str(tmp_path / "c" / "journal.sqlite")
    res = cli("import", str(out), "--journal", dest)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "Imported 3 session(s)." in res.stdout
    res = cli("import", str(out), "--journal", dest)
    assert res.returncode == 1 and "Refused 3 duplicate(s)" in res.stdout

    res = cli("erase", "--journal", dest, stdin="no\n")
    assert res.returncode == 1 and "Nothing was erased." in res.stdout
    res = cli("erase", "--journal", dest, stdin="erase\n")
    assert res.returncode == 0 and "Erased 3 session(s)." in res.stdout
    res = cli("import", str(out), "--journal", dest)
    res = cli("erase", "--yes", "--journal", dest)
    assert "Erased 3 session(s)." in res.stdout

    res = cli("retention", "--journal", src)
    assert res.stdout.strip() == "Sessions are kept for 12 months."
    res = cli("retention", "--months", "0", "--journal", src)
    assert res.returncode == 2 and "1 to 120 months" in res.stderr
    res = cli("retention", "--months", "6", "--journal", src)
    assert res.returncode == 0 and "kept for 6 months" in res.stdout


def test_cli_export_holds_expired_sessions_then_retention_removes_them(tmp_path):
    path = tmp_path / "journal.sqlite"
    with open_journal(path) as j:
        j.add_session(record("OLD-1", 500))
    res = cli("export", "--journal", str(path))
    # the export is taken before retention runs, so it is a copy of what the journal held
    assert [s["client_code"] for s in json.loads(res.stdout)["sessions"]] == ["OLD-1"]
    assert "1 session(s) older than 12 months were removed" in res.stderr
    with open_journal(path, apply_retention=False) as j:
        assert j.count() == 0


def test_cli_refuses_bad_files_with_a_sentence(tmp_path):
    bad = tmp_path / "journal.sqlite"
    bad.write_bytes(b"garbage" * 100)
    res = cli("export", "--journal", str(bad))
    assert res.returncode == 1
    assert "is not a journal" in res.stderr and "Traceback" not in res.stderr
    newer = tmp_path / "newer.sqlite"
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    res = cli("export", "--journal", str(newer))
    assert res.returncode == 1 and "newer version of alliance-kit" in res.stderr
