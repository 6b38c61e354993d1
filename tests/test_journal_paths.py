"""A data folder whose path holds ``#``, ``?``, ``%`` or spaces works for every store the kit
opens: the journal, saved reflections, the library index and the gradebook reader."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from alliance_kit.journal import open_journal
from alliance_kit.learn import reflections
from alliance_kit.paths import sqlalchemy_sqlite_url, sqlite_uri
from alliance_kit.questionnaire import load

AWKWARD = ["with space", "hash#1", "what?mode=rw", "pct%20and%41", "all # ? % [x] of them"]


def record(days_ago: int = 3) -> dict:
    return {
        "session_date": (dt.date.today() - dt.timedelta(days=days_ago)).isoformat(),
        "channel": "phone",
        "phase": "early",
        "client_code": "K-17",
        "answers": {i.id: 3 for i in load().items},
    }


@pytest.fixture(params=AWKWARD)
def folder(request, tmp_path, monkeypatch):
    path = tmp_path / request.param / "data"
    monkeypatch.setenv("ALLIANCE_KIT_DATA_DIR", str(path))
    return path


def test_sqlite_uri_opens_exactly_that_file(folder):
    folder.mkdir(parents=True)
    target = folder / "x.sqlite"
    conn = sqlite3.connect(target)
    conn.execute("CREATE TABLE t (v)")
    conn.execute("INSERT INTO t VALUES ('here')")
    conn.commit()
    conn.close()
    uri = sqlite_uri(target, mode="ro")
    assert "#" not in uri and uri.count("?") == 1 and " " not in uri
    ro = sqlite3.connect(uri, uri=True)
    try:
        assert ro.execute("SELECT v FROM t").fetchone() == ("here",)
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            ro.execute("INSERT INTO t VALUES ('no')")
    finally:
        ro.close()
    assert sorted(p.name for p in folder.iterdir()) == ["x.sqlite"], "no stray file was made"


def test_journal_and_reflections_in_an_awkward_folder(folder):
    with open_journal() as j:
        j.add_session(record())
    with open_journal() as j:
        assert j.path.parent == folder and j.count() == 1
    reflections.save("learn_trust", "p", "kept here")
    assert reflections.latest("learn_trust")["p"].text == "kept here"
    assert (folder / reflections.DB_NAME).is_file()


def test_library_index_in_an_awkward_folder(folder):
    from alliance_kit.library.index import LibraryIndex
    from alliance_kit.library.model import library_folders

    index = LibraryIndex(folder / "library-index.sqlite", library_folders(), check_interval=None)
    assert index.count() > 0
    # a second reader finds the file fresh and opens it read-only instead of rebuilding
    again = LibraryIndex(index.path, library_folders(), check_interval=None)
    assert again.last_build is None and again.count() == index.count()


def test_gradebook_reader_urls_in_an_awkward_folder(folder):
    from sqlalchemy import create_engine, text

    from alliance_kit.exercises.gradebook import _course_id

    folder.mkdir(parents=True)
    path = folder / "gradebook.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE course (id TEXT)")
    conn.execute("INSERT INTO course VALUES ('alliance-kit')")
    conn.commit()
    conn.close()
    assert _course_id(path) == "alliance-kit"
    engine = create_engine(sqlalchemy_sqlite_url(path, mode="ro"))
    try:
        with engine.connect() as c:
            assert c.execute(text("SELECT id FROM course")).fetchall() == [("alliance-kit",)]
    finally:
        engine.dispose()


def test_erase_finds_the_backups_of_a_journal_named_with_glob_characters(tmp_path):
    path = tmp_path / "journal[1].sqlite"
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE sessions (id TEXT PRIMARY KEY, session_date TEXT NOT NULL, channel TEXT"
        " NOT NULL, phase TEXT NOT NULL, client_code TEXT NOT NULL, answers TEXT NOT NULL,"
        " note TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL);"
        " CREATE INDEX sessions_by_code ON sessions (client_code, session_date);"
        " PRAGMA user_version = 1;"
    )
    conn.close()
    with open_journal(path) as j:
        assert j.backup_path is not None and j.backup_path.exists()
        j.erase()
    assert not j.backup_path.exists()


def test_nbgrader_gradebook_read_in_an_awkward_folder(tmp_path, monkeypatch):
    """The real reader, through nbgrader's own Gradebook (which runs alembic from PATH); one
    folder with every awkward character, as nbgrader takes seconds to create a gradebook."""
    import os
    import sys

    from nbgrader.api import Gradebook

    from alliance_kit.exercises.gradebook import read_overview

    monkeypatch.setenv("PATH", os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"])
    folder = tmp_path / AWKWARD[-1]
    folder.mkdir(parents=True)
    path = folder / "gradebook.db"
    with Gradebook(sqlalchemy_sqlite_url(path), course_id="alliance-kit") as gb:
        gb.add_assignment("practice-1")
    assert sorted(p.name for p in folder.iterdir()) == ["gradebook.db"]
    overview = read_overview(path, tags={})
    assert overview.course_id == "alliance-kit"
    assert [a.name for a in overview.assignments] == ["practice-1"]
