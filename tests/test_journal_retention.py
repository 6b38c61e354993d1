"""Retention and erase: only the setting in force deletes, shorter periods show what goes first,
and every copy the kit keeps (migration backups, saved reflections) follows the journal."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from datetime import date

import pytest
from journal_cli import cli

from alliance_kit.journal import open_journal
from alliance_kit.learn import reflections
from alliance_kit.questionnaire import load

TODAY = dt.date.today()


def record(code: str, days_ago: int, note: str = "") -> dict:
    return {
        "session_date": (TODAY - dt.timedelta(days=days_ago)).isoformat(),
        "channel": "phone",
        "phase": "early",
        "client_code": code,
        "answers": {i.id: 3 for i in load().items},
        "note": note,
    }


@pytest.fixture()
def jpath(tmp_path):
    return tmp_path / "data" / "journal.sqlite"


def codes(path) -> list[str]:
    with open_journal(path, apply_retention=False) as j:
        return j.client_codes()


def test_lengthening_the_period_keeps_a_session_the_new_period_covers(jpath):
    with open_journal(jpath) as j:
        j.add_session(record("K-15", 15 * 31))  # about 15 months old, default period is 12
    res = cli("retention", "--months", "24", "--journal", str(jpath))
    assert res.returncode == 0, res.stderr
    assert "now kept for 24 months" in res.stdout
    assert "removed" not in res.stdout + res.stderr
    assert codes(jpath) == ["K-15"]


def test_shortening_the_period_lists_what_goes_and_asks_first(jpath):
    with open_journal(jpath) as j:
        j.add_session(record("OLD-1", 200))
        j.add_session(record("OLD-2", 120))
        j.add_session(record("NEW-1", 10))
    res = cli("retention", "--months", "3", "--journal", str(jpath), stdin="no\n")
    assert res.returncode == 1
    assert "removes 2 session(s)" in res.stdout
    assert "OLD-1" in res.stdout and "OLD-2" in res.stdout and "NEW-1" not in res.stdout
    assert "Nothing was changed; sessions are still kept for 12 months." in res.stdout
    assert codes(jpath) == ["NEW-1", "OLD-1", "OLD-2"]
    # no terminal to answer from: nothing happens either
    res = cli("retention", "--months", "3", "--journal", str(jpath))
    assert res.returncode == 1 and codes(jpath) == ["NEW-1", "OLD-1", "OLD-2"]
    res = cli("retention", "--months", "3", "--journal", str(jpath), stdin="remove\n")
    assert res.returncode == 0 and "Removed 2 session(s)" in res.stdout
    assert codes(jpath) == ["NEW-1"]


def test_shortening_with_yes_goes_ahead_without_asking(jpath):
    with open_journal(jpath) as j:
        j.add_session(record("OLD-1", 200))
    res = cli("retention", "--months", "3", "--yes", "--journal", str(jpath))
    assert res.returncode == 0, res.stderr
    assert "OLD-1" in res.stdout and "Removed 1 session(s)" in res.stdout
    assert codes(jpath) == []


@pytest.mark.parametrize(
    ("stored", "months"),
    [("0", 1), ("-7", 1), ("100000", 120), ("9" * 5000, 120), ("soon", 12), ("", 12)],
)
def test_a_stored_period_out_of_range_is_clamped_when_read(jpath, stored, months):
    with open_journal(jpath) as j:
        j.add_session(record("K-1", 3))
        j._conn.execute("INSERT OR REPLACE INTO settings VALUES ('retention_months', ?)", (stored,))
        assert j.retention_months() == months
    # a period of 0 months would have removed every session before today
    with open_journal(jpath) as j:
        assert j.client_codes() == ["K-1"]


V1_DDL = """
CREATE TABLE sessions (id TEXT PRIMARY KEY, session_date TEXT NOT NULL, channel TEXT NOT NULL,
  phase TEXT NOT NULL, client_code TEXT NOT NULL, answers TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL);
PRAGMA user_version = 1;
"""


def write_v1(path, sessions: list[tuple[str, int, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.executescript(V1_DDL)
    answers = json.dumps({i.id: 3 for i in load().items})
    for sid, days_ago, note in sessions:
        day = (TODAY - dt.timedelta(days=days_ago)).isoformat()
        conn.execute(
            "INSERT INTO sessions VALUES (?, ?, 'video', 'early', ?, ?, ?, '2024-01-01')",
            (sid, day, f"C-{sid[-1]}", answers, note),
        )
    conn.commit()
    conn.close()


def backup_rows(j) -> list[str]:
    conn = sqlite3.connect(j.backup_path)
    try:
        return [r[0] for r in conn.execute("SELECT id FROM sessions ORDER BY id")]
    finally:
        conn.close()


def test_retention_on_open_and_a_shortened_period_reach_the_migration_backup(jpath):
    write_v1(
        jpath,
        [
            ("expired-1", 500, "talked about the expired matter"),
            ("kept-0002", 10, "recent"),
            ("shorter-3", 60, "the one a shorter period removes"),
        ],
    )
    with open_journal(jpath) as j:
        assert j.removed_on_open == 1
        assert backup_rows(j) == ["kept-0002", "shorter-3"]
        j.set_retention_months(1)
        assert j.apply_retention() == 1
        assert backup_rows(j) == ["kept-0002"]
        raw = j.backup_path.read_bytes()
        assert b"expired matter" not in raw and b"a shorter period removes" not in raw


def test_reflections_follow_the_journal_retention_and_erase(data_dir):
    reflections.save("learn_trust", "old", "An old private thought", on=date(2020, 1, 1))
    reflections.save("learn_trust", "new", "A recent thought")
    db = data_dir / reflections.DB_NAME
    with open_journal() as j:  # the journal beside the reflections, default period 12 months
        assert list(reflections.latest("learn_trust")) == ["new"]
        assert b"old private thought" not in db.read_bytes()
        j.add_session(record("K-1", 3))
        j.erase()
    assert reflections.latest("learn_trust") == {}
    assert b"recent thought" not in db.read_bytes()
    conn = reflections._connect(db)
    try:
        # every connection the kit makes overwrites deleted answers
        assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
    finally:
        conn.close()


def test_page_notice_names_what_went_and_what_goes_within_a_month(jpath):
    from alliance_kit.pages.common import Status, open_journal_for_page

    with open_journal(jpath) as j:
        j.add_session(record("GONE-1", 400))
        # 12 months ago minus a week: passes the period within 30 days
        j.add_session(record("SOON-1", 358))
        j.add_session(record("KEEP-1", 10))
    notice = Status()
    journal = open_journal_for_page(jpath, notice)
    try:
        assert journal is not None and journal.removed_on_open == 1
        gone = (TODAY - dt.timedelta(days=400)).strftime("%d %b %Y")
        assert f"1 session(s) of {gone} were older than 12 months" in notice.value
        assert "1 session(s) of" in notice.value and "within 30 days" in notice.value
        assert journal.client_codes() == ["KEEP-1", "SOON-1"]
    finally:
        journal.close()


def test_cli_erase_names_and_removes_the_reflections_beside_the_journal(data_dir):
    reflections.save("learn_bond", "p", "A private answer")
    with open_journal() as j:
        j.add_session(record("K-1", 3))
    res = cli("erase", stdin="no\n")
    assert "saved reflection answers" in res.stdout and res.returncode == 1
    assert list(reflections.latest("learn_bond")) == ["p"]
    res = cli("erase", "--yes")
    assert res.returncode == 0, res.stderr
    assert "Erased 1 session(s)." in res.stdout
    assert "Erased 1 saved reflection answer(s)." in res.stdout
    assert reflections.latest("learn_bond") == {}


def test_an_unreadable_reflections_file_never_stops_the_journal(jpath):
    jpath.parent.mkdir(parents=True)
    (jpath.parent / reflections.DB_NAME).write_bytes(b"not a database" * 100)
    with open_journal(jpath) as j:  # retention ran and could not reach it: no failure
        j.add_session(record("K-1", 3))
        from alliance_kit.journal import JournalError

        with pytest.raises(JournalError, match="saved reflection answers beside it could not"):
            j.erase()
        assert j.count() == 0
