"""The one way the kit opens its owner-only SQLite files (journal, reflections, library index)."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from alliance_kit import private_sqlite
from alliance_kit.journal.store import open_journal
from alliance_kit.learn import reflections


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_store_in_a_new_folder_makes_every_missing_folder_owner_only(tmp_path: Path) -> None:
    journal_path = tmp_path / "usb" / "kit" / "journal.sqlite"
    with open_journal(journal_path):
        pass
    assert _mode(journal_path) == 0o600
    assert _mode(tmp_path / "usb") == 0o700
    assert _mode(tmp_path / "usb" / "kit") == 0o700

    answers = tmp_path / "other" / reflections.DB_NAME
    reflections.save("bond", "p1", "What I noticed.", path=answers)
    assert _mode(answers) == 0o600
    assert _mode(answers.parent) == 0o700


def test_an_existing_folder_keeps_the_mode_its_owner_gave_it(tmp_path: Path) -> None:
    shared = tmp_path / "team"
    shared.mkdir()
    shared.chmod(0o750)
    with open_journal(shared / "journal.sqlite"):
        pass
    assert _mode(shared) == 0o750


def test_saved_reflections_made_readable_by_others_are_made_private_again(tmp_path: Path) -> None:
    answers = tmp_path / reflections.DB_NAME
    reflections.save("bond", "p1", "What I noticed.", path=answers)
    answers.chmod(0o644)
    assert reflections.latest("bond", path=answers)["p1"].text == "What I noticed."
    assert _mode(answers) == 0o600


def test_pragmas_run_in_order_and_a_bad_one_closes_the_file(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    conn = private_sqlite.connect(path, pragmas=["journal_mode = WAL", "secure_delete = ON"])
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
    finally:
        conn.close()
    with pytest.raises(sqlite3.Error):
        private_sqlite.connect(path, pragmas=["no such pragma syntax ("])


def test_a_new_file_must_not_exist_yet(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite.tmp"
    private_sqlite.connect(path, new=True).close()
    with pytest.raises(FileExistsError):
        private_sqlite.connect(path, new=True)


def test_read_only_opens_a_folder_name_with_uri_characters_and_never_creates(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "data #1 ?x=%20"
    path = folder / "index.sqlite"
    conn = private_sqlite.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    ro = private_sqlite.connect(path, read_only=True)
    try:
        assert ro.execute("SELECT count(*) FROM t").fetchone() == (0,)
        with pytest.raises(sqlite3.OperationalError):
            ro.execute("INSERT INTO t VALUES (1)")
    finally:
        ro.close()
    with pytest.raises(sqlite3.OperationalError):
        private_sqlite.connect(folder / "missing.sqlite", read_only=True)
    assert not (folder / "missing.sqlite").exists()


def test_failures_are_told_apart_on_real_files(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    holder = private_sqlite.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x PRIMARY KEY)")
    holder.execute("BEGIN IMMEDIATE")
    other = private_sqlite.connect(path, timeout=0.05, isolation_level=None)
    try:
        with pytest.raises(sqlite3.Error) as locked:
            other.execute("BEGIN IMMEDIATE")
        assert private_sqlite.failure(locked.value) == "locked"
        holder.execute("INSERT INTO t VALUES (1)")
        with pytest.raises(sqlite3.Error) as twice:
            holder.execute("INSERT INTO t VALUES (1)")
        assert private_sqlite.failure(twice.value) == "duplicate"
    finally:
        holder.close()
        other.close()

    garbage = tmp_path / "notes.sqlite"
    garbage.write_bytes(b"these are not the pages of a database\n" * 200)
    assert not private_sqlite.has_sqlite_header(garbage)
    conn = private_sqlite.connect(garbage)
    try:
        with pytest.raises(sqlite3.Error) as damaged:
            conn.execute("SELECT * FROM sqlite_master")
        assert private_sqlite.failure(damaged.value) == "damaged"
    finally:
        conn.close()
    assert private_sqlite.has_sqlite_header(path)
