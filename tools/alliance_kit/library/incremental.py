"""Bring an index up to date by re-reading only the files that changed.

At 100,000 resources a full rebuild takes minutes, and an organisation edits one file at a
time. The index stores each file's stamp (size, modification time) and the id it declares, so a
change re-reads the changed files plus the other versions of the resources they touch (a
translation takes its facets from its original, and a duplicate id is decided by file order):
with every version of those ids at hand, the loader's own rules decide exactly as for the
whole library. The rows of those ids are replaced inside one write transaction; readers keep
seeing the old rows until it commits. Another process that saw the same change finds the
stamps already stored and does nothing.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .. import private_sqlite
from ..content import Problem, display_path
from .index_build import INDEX_VERSION, Stamp, folders_key, insert_resources, resource_words
from .model import LibraryFolder, load_files, parse_resource

#: Past this share of changed files a rebuild is as quick and leaves a compact index.
REBUILD_SHARE = 0.2


@dataclass(frozen=True)
class UpdateStats:
    """What one update did: files read and index rows (one per version) replaced."""

    files_read: int
    rows_removed: int
    rows_written: int
    seconds: float


def apply_changes(
    path: Path, folders: list[LibraryFolder], current: dict[str, Stamp], sig: str
) -> UpdateStats | None:
    """Update the index file in place; None when only a full rebuild can (or should) do it."""
    start = time.perf_counter()
    try:
        conn = private_sqlite.connect(path, isolation_level=None, timeout=30)
    except sqlite3.Error:
        return None
    try:
        conn.execute("BEGIN IMMEDIATE")
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("version") != INDEX_VERSION or meta.get("folders") != folders_key(folders):
            conn.execute("ROLLBACK")
            return None
        if meta.get("signature") == sig:  # another process has just done it
            conn.execute("ROLLBACK")
            return UpdateStats(0, 0, 0, time.perf_counter() - start)
        stats = _update(conn, current, sig, meta, start)
        conn.execute("COMMIT" if stats else "ROLLBACK")
        return stats
    except sqlite3.Error:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        return None
    finally:
        conn.close()


def _stored_ids(conn: sqlite3.Connection, column: str, values: list[str]) -> list[tuple]:
    """(path, id) of the stored files whose ``column`` (path or id) is one of ``values``."""
    found: list[tuple] = []
    for start in range(0, len(values), 500):  # SQLite takes a few hundred parameters
        chunk = values[start : start + 500]
        found += conn.execute(
            f"SELECT path, id FROM files WHERE {column} IN ({','.join('?' * len(chunk))})",
            chunk,
        ).fetchall()
    return found


def _update(
    conn: sqlite3.Connection, current: dict[str, Stamp], sig: str, meta: dict, start: float
) -> UpdateStats | None:
    from .resource import Resource

    # Set differences of (path, size, time): a library of 100,000 files is compared in C.
    rows = conn.execute("SELECT path, size, mtime_ns FROM files").fetchall()
    now = {(p, st.size, st.mtime_ns) for p, st in current.items()}
    changed = sorted({p for p, _size, _mtime in now.difference(rows)})
    removed = sorted({p for p, _size, _mtime in rows}.difference(current))
    if len(changed) + len(removed) > max(20, REBUILD_SHARE * len(rows)):
        return None
    parsed: dict[Path, tuple[Resource | None, list[Problem]]] = {
        Path(p): parse_resource(Path(p), current[p].local) for p in changed
    }
    ids = {rid for _p, rid in _stored_ids(conn, "path", [*changed, *removed]) if rid}
    ids |= {r.id for r, _ in parsed.values() if r is not None}
    touched = set(changed) | {p for p, _rid in _stored_ids(conn, "id", sorted(ids)) if p in current}
    files = sorted(
        ((Path(p), current[p].local) for p in touched),
        key=lambda f: (current[str(f[0])].folder, f[0]),
    )
    resources, problems = load_files(files, parsed)

    marks = ",".join("?" * len(ids))
    old = conn.execute(
        f"SELECT r.rowid, d.data FROM resources r JOIN resource_data d "
        f"ON d.rowid = r.rowid WHERE r.id IN ({marks})",
        tuple(ids),
    ).fetchall()
    gone: Counter[str] = Counter()
    gone_nl: Counter[str] = Counter()
    for _rowid, raw in old:
        data = json.loads(raw)
        was = Resource.from_front_matter(data, data["body"], data["path"])
        seen = resource_words(was)
        gone.update(seen)
        if was.lang == "nl":
            gone_nl.update(seen)
    rowids = [(r[0],) for r in old]
    for table in ("resources", "facets", "texts", "resource_data", "docs"):
        conn.executemany(f"DELETE FROM {table} WHERE rowid = ?", rowids)
    first = (conn.execute("SELECT max(rowid) FROM resources").fetchone()[0] or 0) + 1
    added, added_nl = insert_resources(conn, resources, first)
    for term in set(gone) | set(added):
        df, nl = added[term] - gone[term], added_nl[term] - gone_nl[term]
        if df or nl:
            conn.execute(
                "INSERT INTO vocab VALUES (?, ?, ?) "
                "ON CONFLICT(term) DO UPDATE SET df = df + excluded.df, nl = nl + excluded.nl",
                (term, df, nl),
            )
    conn.execute("DELETE FROM vocab WHERE df <= 0")

    shown = {display_path(Path(p)) for p in [*touched, *removed]}
    kept = [p for p in json.loads(meta.get("problems") or "[]") if p.get("file") not in shown]
    conn.executemany("DELETE FROM files WHERE path = ?", ((p,) for p in removed))
    conn.executemany(
        "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)",
        (
            (
                p,
                current[p].size,
                current[p].mtime_ns,
                parsed[Path(p)][0].id if parsed[Path(p)][0] is not None else None,
            )
            for p in changed
        ),
    )
    conn.executemany(
        "INSERT OR REPLACE INTO meta VALUES (?, ?)",
        [
            ("signature", sig),
            ("built", str(time.time())),
            ("problems", json.dumps(kept + [p.__dict__ for p in problems])),
        ],
    )
    return UpdateStats(len(files), len(old), len(resources), time.perf_counter() - start)
