"""The journal store on real SQLite files: writing, validation, migration, refusal of bad files."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import stat

import pytest

from alliance_kit.journal import (
    SCHEMA_VERSION,
    JournalCorrupt,
    JournalInvalid,
    JournalLocked,
    JournalTooNew,
    months_before,
    open_journal,
)
from alliance_kit.questionnaire import load

TODAY = dt.date.today()


def record(code: str = "K-17", days_ago: int = 3, value: int = 4, **extra) -> dict:
    qn = load()
    return {
        "session_date": (TODAY - dt.timedelta(days=days_ago)).isoformat(),
        "channel": "phone",
        "phase": "early",
        "client_code": code,
        "answers": {i.id: value for i in qn.items},
        "note": "Agreed on two steps.",
        **extra,
    }


@pytest.fixture()
def jpath(tmp_path):
    return tmp_path / "j" / "journal.sqlite"


def test_new_journal_is_private_and_in_the_data_dir(data_dir):
    with open_journal() as j:
        j.add_session(record())
        assert j.path == data_dir / "journal.sqlite"
        mode = stat.S_IMODE(j.path.stat().st_mode)
        assert mode == 0o600, oct(mode)
        for side in (
            j.path.with_name("journal.sqlite-wal"),
            j.path.with_name("journal.sqlite-shm"),
        ):
            if side.exists():
                assert stat.S_IMODE(side.stat().st_mode) & 0o077 == 0
        mode_wal = j._conn.execute("PRAGMA journal_mode").fetchone()[0]
        sync = j._conn.execute("PRAGMA synchronous").fetchone()[0]
        assert (mode_wal, sync) == ("wal", 2)  # 2 = FULL
        assert j._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_session_round_trip_with_client_rating(jpath):
    with open_journal(jpath) as j:
        s = j.add_session(record(risk_band="medium", duration_min="45"))
        assert s.duration_min == 45 and s.risk_band == "medium"
        assert s.client_answers is None
        rated = j.set_client_rating(s.id, {i.id: 2 for i in load().items}, "paper")
        assert rated.client_source == "paper"
        assert set(rated.client_answers.values()) == {2}
    with open_journal(jpath) as j:
        [again] = j.sessions("K-17")
        assert again == rated
        assert j.client_codes() == ["K-17"]
        assert j.latest_session("K-17").id == s.id
        assert j.latest_session("nobody") is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"session_date": (TODAY + dt.timedelta(days=1)).isoformat()}, "is in the future"),
        ({"session_date": "yesterday"}, "Give the date of the session"),
        ({"channel": "pigeon"}, "Choose a channel"),
        ({"phase": "forever"}, "Choose a phase"),
        ({"client_code": ""}, "Enter a client code"),
        ({"answers": {}}, "no answers from the officer"),
        ({"answers": {"gc-1": 9}}, "the answer to gc-1 should be 1 to 5"),
        ({"duration_min": "long"}, "whole number of minutes"),
        ({"duration_min": 900}, "1 to 600 minutes"),
        ({"risk_band": "extreme"}, "risk band"),
        ({"note": "x" * 501}, "Keep the note to 500 characters"),
        ({"client_answers": {"gc-1": 3}}, "where the client's answers came from"),
    ],
)
def test_invalid_sessions_are_refused_with_a_sentence(jpath, change, message):
    with open_journal(jpath) as j:
        with pytest.raises(JournalInvalid) as err:
            j.add_session({**record(), **change})
        assert message in err.value.sentence
        assert j.count() == 0


V1_DDL = """
CREATE TABLE sessions (id TEXT PRIMARY KEY, session_date TEXT NOT NULL, channel TEXT NOT NULL,
  phase TEXT NOT NULL, client_code TEXT NOT NULL, answers TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL);
CREATE INDEX sessions_by_code ON sessions (client_code, session_date);
PRAGMA user_version = 1;
"""


def write_v1(path, n: int = 3) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.executescript(V1_DDL)
    answers = json.dumps({i.id: 3 for i in load().items})
    for k in range(n):
        day = (TODAY - dt.timedelta(days=10 + k)).isoformat()
        conn.execute(
            "INSERT INTO sessions VALUES (?, ?, 'video', 'established', 'B-2', ?, '', ?)",
            (f"v1-session-{k}", day, answers, "2024-01-01T00:00:00+00:00"),
        )
    conn.commit()
    conn.close()
    return path.read_bytes()


def test_v1_file_is_backed_up_then_migrated(jpath):
    before = write_v1(jpath)
    with open_journal(jpath) as j:
        assert j.backup_path is not None
        assert j.backup_path.name.startswith("journal.sqlite.bak-v1-")
        assert stat.S_IMODE(j.backup_path.stat().st_mode) == 0o600
        assert j.count() == 3
        s = j.get("v1-session-0")
        assert s.channel == "video" and s.risk_band is None and s.client_answers is None
        j.set_client_rating(s.id, {i.id: 5 for i in load().items})
        assert j._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    # the backup is the v1 file, content for content
    backup = sqlite3.connect(j.backup_path)
    assert backup.execute("PRAGMA user_version").fetchone()[0] == 1
    assert backup.execute("SELECT count(*) FROM sessions").fetchone()[0] == 3
    backup.close()
    assert j.backup_path.stat().st_size == len(before)
    # opening again needs no migration and makes no new backup
    with open_journal(jpath) as j2:
        assert j2.backup_path is None
    assert len(list(jpath.parent.glob("*.bak-*"))) == 1


def test_corrupt_file_is_refused_and_left_byte_identical(jpath):
    jpath.parent.mkdir(parents=True)
    garbage = b"this is not a database\x00" * 200
    jpath.write_bytes(garbage)
    with pytest.raises(JournalCorrupt) as err:
        open_journal(jpath)
    assert "not a journal" in err.value.sentence and "untouched" in err.value.sentence
    assert jpath.read_bytes() == garbage
    assert sorted(p.name for p in jpath.parent.iterdir()) == ["journal.sqlite"]


def test_damaged_pages_are_refused_and_left_byte_identical(jpath):
    with open_journal(jpath) as j:
        for k in range(40):
            j.add_session(record(code=f"K-{k}", days_ago=k + 1))
        j._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        j._conn.execute("PRAGMA journal_mode = DELETE")
    data = bytearray(jpath.read_bytes())
    assert len(data) > 4096 * 3
    data[4096 * 2 : 4096 * 3] = b"\xff" * 4096  # wreck one page in the middle
    jpath.write_bytes(bytes(data))
    with pytest.raises(JournalCorrupt) as err:
        open_journal(jpath)
    assert "damaged" in err.value.sentence
    assert jpath.read_bytes() == bytes(data)


def test_other_sqlite_file_is_refused(jpath):
    jpath.parent.mkdir(parents=True)
    conn = sqlite3.connect(jpath)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    before = jpath.read_bytes()
    with pytest.raises(JournalCorrupt) as err:
        open_journal(jpath)
    assert "not an alliance-kit journal" in err.value.sentence
    assert jpath.read_bytes() == before


def test_newer_version_is_refused_and_left_byte_identical(jpath):
    jpath.parent.mkdir(parents=True)
    conn = sqlite3.connect(jpath)
    conn.executescript(V1_DDL + f"PRAGMA user_version = {SCHEMA_VERSION + 1};")
    conn.close()
    before = jpath.read_bytes()
    with pytest.raises(JournalTooNew) as err:
        open_journal(jpath)
    assert "newer version of alliance-kit" in err.value.sentence
    assert jpath.read_bytes() == before
    assert sorted(p.name for p in jpath.parent.iterdir()) == ["journal.sqlite"]


def test_locked_file_gives_a_clear_message(jpath):
    with open_journal(jpath) as j:
        j.add_session(record())
    other = sqlite3.connect(jpath, isolation_level=None)
    other.execute("PRAGMA locking_mode = EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(JournalLocked) as err:
            open_journal(jpath, timeout=0.2)
        assert "in use by another program" in err.value.sentence
    finally:
        other.execute("ROLLBACK")
        other.close()
    with open_journal(jpath) as j:
        assert j.count() == 1


def test_write_while_another_writer_holds_the_file(jpath):
    with open_journal(jpath, timeout=0.2) as j:
        other = sqlite3.connect(jpath, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(JournalLocked):
                j.add_session(record())
        finally:
            other.execute("ROLLBACK")
            other.close()
        j.add_session(record())
        assert j.count() == 1


def test_retention_removes_old_sessions_at_start_with_a_count(jpath):
    with open_journal(jpath) as j:
        j.add_session(record(code="OLD-1", days_ago=800))
        j.add_session(record(code="OLD-2", days_ago=400))
        j.add_session(record(code="NEW-1", days_ago=45))
        assert j.retention_months() == 12
        # the retention rule ran on this open already, before the old ones were added
        assert j.removed_on_open == 0
    with open_journal(jpath) as j:
        assert j.removed_on_open == 2
        assert j.client_codes() == ["NEW-1"]
        j.set_retention_months(1)
    with open_journal(jpath) as j:
        assert j.removed_on_open == 1
        assert j.count() == 0
        with pytest.raises(JournalInvalid):
            j.set_retention_months(0)


def test_months_before_clamps_to_month_end():
    assert months_before(dt.date(2025, 3, 31), 1) == dt.date(2025, 2, 28)
    assert months_before(dt.date(2025, 1, 15), 12) == dt.date(2024, 1, 15)
    assert months_before(dt.date(2024, 3, 31), 1) == dt.date(2024, 2, 29)


def test_erase_removes_sessions_ratings_and_backups(jpath):
    write_v1(jpath)
    with open_journal(jpath) as j:
        assert j.backup_path.exists()
        s = j.add_session(record(note="Discussed the weekend plan"))
        j.set_client_rating(s.id, {i.id: 1 for i in load().items})
        assert j.erase() == 4
        assert j.count() == 0
        assert j._conn.execute("SELECT count(*) FROM client_ratings").fetchone()[0] == 0
    assert list(jpath.parent.glob("*.bak-*")) == []
    raw = jpath.read_bytes() + (
        jpath.with_name("journal.sqlite-wal").read_bytes()
        if jpath.with_name("journal.sqlite-wal").exists()
        else b""
    )
    assert b"weekend plan" not in raw
    assert b"B-2" not in raw


def test_file_mode_of_an_existing_journal_is_not_widened(jpath):
    with open_journal(jpath):
        pass
    assert stat.S_IMODE(os.stat(jpath).st_mode) == 0o600
