"""A learner's answers to a module's reflection prompts, kept on this machine only.

One small SQLite file in the kit's data folder, private to its owner (0o600): the answers are
personal and may touch on real supervision work. Only the latest answer per prompt is kept
(data minimisation); nothing here talks to the network.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .. import private_sqlite
from ..paths import data_dir

DB_NAME = "reflections.sqlite"
MAX_CHARS = 4000
_SCHEMA = """
CREATE TABLE IF NOT EXISTS reflections (
    module    TEXT NOT NULL,
    prompt_id TEXT NOT NULL,
    text      TEXT NOT NULL,
    saved_on  TEXT NOT NULL,
    PRIMARY KEY (module, prompt_id)
)
"""


@dataclass(frozen=True)
class Reflection:
    module: str
    prompt_id: str
    text: str
    saved_on: str  # ISO date, YYYY-MM-DD


def db_path() -> Path:
    return data_dir() / DB_NAME


def _connect(path: Path) -> sqlite3.Connection:
    # Overwrite what is deleted, so an erased or expired answer does not linger in free pages.
    conn = private_sqlite.connect(path, pragmas=["secure_delete = ON"], tighten=True)
    with conn:
        conn.execute(_SCHEMA)
    return conn


def save(
    module: str, prompt_id: str, text: str, *, on: date | None = None, path: Path | None = None
) -> Reflection:
    """Keep ``text`` as the answer to one prompt (replacing an earlier one), in one transaction."""
    text = text.strip()
    if not text:
        raise ValueError("Write an answer before saving.")
    if len(text) > MAX_CHARS:
        raise ValueError(
            f"An answer can be at most {MAX_CHARS} characters; this one has {len(text)}."
        )
    entry = Reflection(module, prompt_id, text, (on or date.today()).isoformat())
    conn = _connect(path or db_path())
    try:
        with conn:
            conn.execute(
                "INSERT INTO reflections (module, prompt_id, text, saved_on) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (module, prompt_id) DO UPDATE SET "
                "text = excluded.text, saved_on = excluded.saved_on",
                (entry.module, entry.prompt_id, entry.text, entry.saved_on),
            )
    finally:
        conn.close()
    return entry


def latest(module: str, *, path: Path | None = None) -> dict[str, Reflection]:
    """The saved answers of one module by prompt id; opening a module never creates the file."""
    path = path or db_path()
    if not path.is_file():
        return {}
    conn = _connect(path)
    try:
        rows = conn.execute(
            "SELECT module, prompt_id, text, saved_on FROM reflections WHERE module = ?", (module,)
        ).fetchall()
    finally:
        conn.close()
    return {row[1]: Reflection(*row) for row in rows}


def _delete(path: Path | None, where: str, args: tuple) -> int:
    """Delete matching answers and overwrite them on disk; returns how many went."""
    path = path or db_path()
    if not path.is_file():
        return 0
    conn = _connect(path)
    try:
        with conn:
            cur = conn.execute(f"DELETE FROM reflections WHERE {where}", args)
        if cur.rowcount:
            private_sqlite.vacuum_quietly(conn)
        return cur.rowcount
    finally:
        conn.close()


def erase(
    module: str | None = None, prompt_id: str | None = None, *, path: Path | None = None
) -> int:
    """Remove one answer, one module's answers, or all of them; returns how many went."""
    if module is None:
        return _delete(path, "1", ())
    if prompt_id is None:
        return _delete(path, "module = ?", (module,))
    return _delete(path, "module = ? AND prompt_id = ?", (module, prompt_id))


def apply_retention(before: date, *, path: Path | None = None) -> int:
    """Remove answers last saved before ``before`` (the journal's retention cut-off, so one
    setting governs every personal record the kit keeps); returns how many went."""
    return _delete(path, "saved_on < ?", (before.isoformat(),))
