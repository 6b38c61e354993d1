"""The open search index with its freshness check, and the kit's default one.

Why it looks like this:

* **Built from the files, never edited by hand.** A signature of every file's path, size and
  modification time is stored in the index; when the files on disk give another signature
  (a file added, changed or removed), only the changed files are read again and their rows
  replaced in place (``incremental.py``); another drop-in folder, or many changed files,
  rebuild it. The check is one ``stat`` per file (about 10 ms per 1,000 files), so it runs
  when a page starts.
* **Rebuilt beside, then swapped in.** A workshop may open forty kernels at once; each builds
  into its own temporary file and renames it over the index, so nobody reads a half-built one.
* **Built by one kernel at a time.** Building costs a kernel about a quarter of a CPU-second
  (mostly Dutch stemming) and ten MiB; on a new data folder the first kernels would each pay
  it. A lock file beside the index lets the first build it while the others wait and then
  open what it built. Where the folder cannot be locked (no ``fcntl``, some network file
  systems), each builds its own, as before.

What goes into the file, and why, is in ``index_build.py``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import private_sqlite
from ..content import Problem
from ..paths import data_dir
from .incremental import apply_changes
from .index_build import INDEX_VERSION, Stamp, folders_key, stamps, write_index
from .model import (
    LibraryFolder,
    library_files,
    library_folders,
    load_files,
    parse_resource,
)

if TYPE_CHECKING:
    from .resource import Resource

log = logging.getLogger("alliance_kit.library")

INDEX_FILE = "library-index.sqlite"
#: A freshness check slower than this (seconds; a very large library) runs in the background.
BACKGROUND_AFTER = 0.05
#: Seconds a kernel waits for another's build of the index before building its own.
BUILD_WAIT = 120.0


@contextlib.contextmanager
def build_lock(index_path: Path) -> Iterator[None]:
    """Hold the index's build lock: kernels started together wait for the first one's build
    instead of each building the same index. Without a lock (see the module), no waiting."""
    try:
        import fcntl
    except ImportError:  # Windows
        yield
        return
    try:
        fd = os.open(f"{index_path}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        yield
        return
    try:
        deadline = time.monotonic() + BUILD_WAIT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                # Another kernel is building. A build that takes far longer than any library
                # needs is stuck: build our own rather than leave the visitor waiting.
                if time.monotonic() > deadline:
                    break
                time.sleep(0.05)
            except OSError:  # a file system without locks: build as before
                break
        yield
    finally:
        os.close(fd)  # releases the lock


@dataclass(frozen=True)
class BuildStats:
    resources: int
    problems: int
    seconds: float
    path: Path


class LibraryIndex:
    """An open index with its freshness check; thread-safe (the page searches from a timer).

    ``check_interval`` is how often (seconds) ``maybe_refresh`` looks at the files again;
    ``None`` never looks again after opening (benchmarks, fixed libraries).
    """

    def __init__(
        self,
        path: Path,
        folders: list[LibraryFolder] | None = None,
        check_interval: float | None = 5.0,
    ) -> None:
        self.path = Path(path)
        self.folders = library_folders() if folders is None else list(folders)
        self.check_interval = check_interval
        self.lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        self._checked = 0.0
        self._vocab_by_len: dict[int, list[tuple[str, int]]] | None = None
        self._hidden: dict[int, int] = {}
        self._dutch: int | None = None
        self._rows: int | None = None
        self._seen: str | None = None
        self._check_seconds = 0.0
        self._background: threading.Thread | None = None
        self._background_lock = threading.Lock()
        self.last_build: BuildStats | None = None
        #: what the last in-place update did (``incremental.UpdateStats``)
        self.last_update: Any = None
        self.refresh()

    # --- freshness -------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection | None:
        if not self.path.is_file():
            return None
        try:
            conn = private_sqlite.connect(self.path, read_only=True, check_same_thread=False)
            version = conn.execute("SELECT value FROM meta WHERE key='version'").fetchone()
        except sqlite3.Error:
            return None
        if not version or version[0] != INDEX_VERSION:
            conn.close()
            return None
        return conn

    def _meta(self, key: str, conn: sqlite3.Connection | None = None) -> str | None:
        conn = conn or self._conn
        if conn is None:
            return None
        row = conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def refresh(self, force: bool = False) -> bool:
        """Make sure the index matches the files; returns True when it was rebuilt or updated.

        A change to a few files re-reads only those (``incremental.py``); the check itself
        only stats the files.
        """
        started = time.monotonic()
        current, sig = stamps(self.folders)  # outside the lock: searches go on meanwhile
        self._check_seconds = time.monotonic() - started
        with self.lock:
            self._checked = time.monotonic()
            if not force and self._conn is not None and self._meta("signature") == sig:
                if sig != self._seen:  # another process updated the file in place
                    self._forget(sig)
                return False
            with build_lock(self.path):
                return self._bring_up_to_date(sig, current, force)

    def _bring_up_to_date(self, sig: str, current: dict[str, Stamp], force: bool) -> bool:
        """The rest of ``refresh``, holding ``self.lock`` and the build lock."""
        if not force:
            # Another process may already have rebuilt it: look at the file first.
            fresh = self._open()
            if fresh is not None and self._meta("signature", fresh) == sig:
                self._swap(fresh)
                return False
            if fresh is not None:
                fresh.close()
                update = apply_changes(self.path, self.folders, current, sig)
                if update is not None:
                    self.last_update = update
                    fresh = self._open()
                    if fresh is not None:
                        self._swap(fresh)
                        return True
        self.rebuild(sig, current)
        return True

    def maybe_refresh(self) -> None:
        """Check the files when ``check_interval`` has passed: at once for a library that is
        quick to check, else in the background, so that a search never waits for a walk over
        100,000 files (it uses the index as it is until the check has finished)."""
        if self.check_interval is None:
            return
        if time.monotonic() - self._checked < self.check_interval:
            return
        if self._check_seconds < BACKGROUND_AFTER:
            self.refresh()
            return
        with self._background_lock:
            if self._background is not None and self._background.is_alive():
                return
            self._checked = time.monotonic()
            self._background = threading.Thread(target=self._refresh_quietly, daemon=True)
            self._background.start()

    def _refresh_quietly(self) -> None:
        try:
            self.refresh()
        except Exception:  # a background check must not end the kernel; the next one retries
            log.exception("the library index could not be brought up to date")

    def rebuild(
        self, sig: str | None = None, current: dict[str, Stamp] | None = None
    ) -> BuildStats:
        """Read every file and write a new index over the old one."""
        with self.lock:
            start = time.perf_counter()
            if sig is None or current is None:
                current, sig = stamps(self.folders)
            files, problems = library_files(self.folders)
            parsed = {path: parse_resource(path, local) for path, local in files}
            resources, found = load_files(files, parsed)
            problems += found
            stored = [
                (str(p), current[str(p)], r.id if r is not None else None)
                for p, (r, _) in parsed.items()
                if str(p) in current
            ]
            tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.{threading.get_ident()}")
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            try:
                write_index(tmp, resources, problems, sig, stored, folders_key(self.folders))
                os.replace(tmp, self.path)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    tmp.unlink()
            conn = self._open()
            if conn is None:  # pragma: no cover - the file we just wrote is unreadable
                raise RuntimeError(f"the library index {self.path} cannot be opened")
            self._swap(conn)
            self.last_build = BuildStats(
                len(resources), len(problems), time.perf_counter() - start, self.path
            )
            return self.last_build

    def _swap(self, conn: sqlite3.Connection) -> None:
        old, self._conn = self._conn, conn
        self._forget(self._meta("signature"))
        if old is not None:
            old.close()

    def _forget(self, sig: str | None) -> None:
        """Drop what was cached from the index as it was before ``sig``."""
        self._seen = sig
        self._vocab_by_len = None
        self._hidden = {}
        self._dutch = None
        self._rows = None

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            self.refresh()
        assert self._conn is not None
        return self._conn

    # --- what other modules read -----------------------------------------------------------

    def problems(self) -> list[Problem]:
        raw = self._meta("problems")
        return [Problem(**p) for p in json.loads(raw)] if raw else []

    def count(self) -> int:
        """How many rows (versions) the index holds (read once per index)."""
        with self.lock:
            if self._rows is None:
                self._rows = self.conn.execute("SELECT count(*) FROM resources").fetchone()[0]
            return self._rows

    def resource(self, resource_id: str, language: str | None = None) -> Resource | None:
        """The version in ``language`` when there is one, else the original."""
        lang = (language or "").split("-")[0].lower()
        with self.lock:
            row = self.conn.execute(
                "SELECT d.data FROM resources r JOIN resource_data d ON d.rowid = r.rowid "
                "WHERE r.id = ? ORDER BY (r.language = ? OR r.language LIKE ? || '-%') DESC, "
                "r.is_translation, r.rowid LIMIT 1",
                (resource_id, lang, lang),
            ).fetchone()
        if row is None:
            return None
        data = json.loads(row[0])
        from .resource import Resource

        return Resource.from_front_matter(data, data["body"], data["path"], data["local"])

    def languages(self, resource_id: str) -> list[str]:
        """The languages a resource can be read in, the original's first."""
        rows = self.conn.execute(
            "SELECT language FROM resources WHERE id = ? ORDER BY is_translation, language",
            (resource_id,),
        ).fetchall()
        return [r[0] for r in rows]

    def word_languages(self, term: str) -> tuple[int, int]:
        """(resources in English, resources in Dutch) that use the word as written."""
        row = self.conn.execute("SELECT df, nl FROM vocab WHERE term = ?", (term,)).fetchone()
        return (row[0] - row[1], row[1]) if row else (0, 0)

    def known(self, term: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM vocab WHERE term = ?", (term,)).fetchone()
        return row is not None

    def stem_known(self, term: str) -> bool:
        """True when the index has the word's stem ("phones" finds "phone") though not the word."""
        row = self.conn.execute(
            "SELECT 1 FROM docs WHERE docs MATCH ? LIMIT 1", ('"' + term.replace('"', "") + '"',)
        ).fetchone()
        return row is not None

    def stem_languages(self, word: str, nl_stem: str) -> tuple[bool, bool]:
        """(an English row has the word's stem, a Dutch row has its Dutch stem).

        Each half looks through the word's matches for a row in its language, which in a
        large library in one language means every match: a library without rows in a
        language is not looked through for them.
        """
        dutch = self.dutch_rows()
        english = self.count() - dutch
        row = self.conn.execute(
            "SELECT (SELECT 1 FROM docs JOIN resources r ON r.rowid = docs.rowid "
            "WHERE ?3 AND docs MATCH ?1 AND r.language NOT LIKE 'nl%' LIMIT 1), "
            "(SELECT 1 FROM docs JOIN resources r ON r.rowid = docs.rowid "
            "WHERE ?4 AND docs MATCH ?2 AND r.language LIKE 'nl%' LIMIT 1)",
            (
                '"' + word.replace('"', "") + '"',
                '"' + nl_stem.replace('"', "") + '"',
                english > 0,
                dutch > 0,
            ),
        ).fetchone()
        return bool(row[0]), bool(row[1])

    def dutch_rows(self) -> int:
        """How many rows are Dutch versions (read once per index)."""
        with self.lock:
            if self._dutch is None:
                self._dutch = self.conn.execute(
                    "SELECT count(*) FROM resources WHERE language LIKE 'nl%'"
                ).fetchone()[0]
            return self._dutch

    def hidden_rows(self, language_bit: int) -> int:
        """How many rows are not shown when this language is preferred (other versions)."""
        with self.lock:
            conn = self.conn
            if language_bit not in self._hidden:
                self._hidden[language_bit] = conn.execute(
                    "SELECT count(*) FROM facets WHERE (show_mask & ?) = 0", (language_bit,)
                ).fetchone()[0]
            return self._hidden[language_bit]

    def completions(self, prefix: str, limit: int = 8) -> list[str]:
        """The most common indexed words that start with ``prefix``."""
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        rows = self.conn.execute(
            "SELECT term FROM vocab WHERE term >= ? AND term < ? ORDER BY df DESC LIMIT ?",
            (prefix, upper, limit),
        ).fetchall()
        return [r[0] for r in rows]

    def vocabulary_by_length(self) -> dict[int, list[tuple[str, int]]]:
        """Indexed words grouped by length, loaded once per index, for typo suggestions."""
        with self.lock:
            if self._vocab_by_len is None:
                grouped: dict[int, list[tuple[str, int]]] = {}
                for term, df in self.conn.execute("SELECT term, df FROM vocab"):
                    grouped.setdefault(len(term), []).append((term, df))
                self._vocab_by_len = grouped
            return self._vocab_by_len


_DEFAULT: dict[tuple, LibraryIndex] = {}
_DEFAULT_LOCK = threading.Lock()


def default_index() -> LibraryIndex:
    """The index of this kit's library (and drop-in folders) under the user's data folder."""
    folders = library_folders()
    path = data_dir() / INDEX_FILE
    key = (str(path), tuple((str(f.path), f.local) for f in folders))
    with _DEFAULT_LOCK:
        index = _DEFAULT.get(key)
        if index is None:
            index = LibraryIndex(path, folders)
            _DEFAULT.clear()
            _DEFAULT[key] = index
        else:
            index.maybe_refresh()
        return index
