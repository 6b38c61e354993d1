"""The search index: one SQLite file (FTS5, bm25) built from the resource files.

Why it looks like this:

* **Built from the files, never edited by hand.** A signature of every file's path, size and
  modification time is stored in the index; when the files on disk give another signature
  (a file added, changed or removed), only the changed files are read again and their rows
  replaced in place (``incremental.py``); another drop-in folder, or many changed files,
  rebuild it. The check is one ``stat`` per file (about 10 ms per 1,000 files), so it runs
  when a page starts.
* **Rebuilt beside, then swapped in.** A workshop may open forty kernels at once; each builds
  into its own temporary file and renames it over the index, so nobody reads a half-built one.
* **Facet masks beside the text.** Each resource's characteristics, channels, phases, type and
  audience are stored as bit masks, so the counts of every facet value come from one SQL
  aggregate over the matching rows instead of a Python loop.
* **Title and tag words beside the text.** FTS5's bm25 gives a word that appears in more than
  half of the resources almost no weight, and in a library about the working alliance "trust"
  and "phone" are such words. So results are ordered first by how many of the searched words
  are in the title (and the tags: characteristics, channels, phases), then by bm25.
* **A vocabulary of the words as written** (the FTS5 table stems them), for prefix expansion
  as the user types and for "did you mean" suggestions; it counts Dutch uses apart, so a
  query's words tell which language it is in.
* **Every language version is a row.** A translation shares its original's id. Dutch rows are
  indexed as Snowball Dutch stems (``stemming.py``); the plain text for snippets is kept in
  ``texts``. ``show_mask`` has a bit per language: the row to show when that language is
  preferred (its own version, or the original when there is none), so a search lists each
  resource once, in the reader's language where it can.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import sqlite3
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from .. import private_sqlite
from ..content import Problem
from ..paths import data_dir
from .model import (
    AUDIENCES,
    CHARACTERISTIC_NAMES,
    FACETS,
    LANGUAGES,
    TYPES,
    LibraryFolder,
    Resource,
    library_files,
    library_folders,
    load_files,
    parse_resource,
    resource_file_stats,
)
from .render import plain_text
from .stemming import stem_text_nl

log = logging.getLogger("alliance_kit.library")

#: Bump when the tables or what goes into them change: every index is then rebuilt once.
INDEX_VERSION = "9"
INDEX_FILE = "library-index.sqlite"
#: bm25 weights of the columns title, summary, tags, body: a word in the title counts most.
WEIGHTS = (10.0, 5.0, 3.0, 1.0)
TOKENIZER = "porter unicode61 remove_diacritics 2"

#: Facets stored as bit masks: facet name -> (column, value ids in bit order).
MASK_FACETS: dict[str, tuple[str, tuple[str, ...]]] = {
    "characteristic": ("char_mask", tuple(FACETS["characteristic"])),
    "channel": ("chan_mask", tuple(FACETS["channel"])),
    "phase": ("phase_mask", tuple(FACETS["phase"])),
    "type": ("type_mask", tuple(TYPES)),
    "audience": ("aud_mask", tuple(AUDIENCES)),
    "language": ("lang_mask", tuple(LANGUAGES)),
}

#: Facet counts are summed as packed integers: three 20-bit counters per 64-bit column, so
#: counting every value of every facet over the matches is ~11 column sums instead of ~27
#: per-row expressions. A counter holds a million matches.
PACK_BITS = 20
#: A freshness check slower than this (seconds; a very large library) runs in the background.
BACKGROUND_AFTER = 0.05
PACK_WIDTH = 3


def _facet_values() -> dict[str, tuple[str, ...]]:
    from .model import DURATIONS

    values = {name: order for name, (_, order) in MASK_FACETS.items()}
    values["duration"] = tuple(DURATIONS)
    return values


FACET_VALUES: dict[str, tuple[str, ...]] = _facet_values()
#: facet -> [(packed column, [values in its counters])]
PACKED: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    name: [
        (f"p_{name}_{i // PACK_WIDTH}", values[i : i + PACK_WIDTH])
        for i in range(0, len(values), PACK_WIDTH)
    ]
    for name, values in FACET_VALUES.items()
}


def packed_values(r: Resource) -> list[int]:
    """The packed counter columns of one resource, in ``PACKED`` order."""
    from .model import DURATIONS

    chosen = {
        "characteristic": set(r.characteristics),
        "channel": set(r.channels),
        "phase": set(r.phases),
        "type": {r.type},
        "audience": {r.audience},
        "duration": {k for k, limit in DURATIONS.items() if limit is None or r.minutes <= limit},
        "language": {r.lang},
    }
    out = []
    for name, columns in PACKED.items():
        for _, values in columns:
            out.append(sum(1 << (PACK_BITS * j) for j, v in enumerate(values) if v in chosen[name]))
    return out


#: Extra words in the "tags" column, so people find a resource by the words they use.
TAG_WORDS: dict[str, str] = {
    "face-to-face": "face-to-face in person office meeting",
    "phone": "phone telephone call",
    "video": "video call camera screen",
    "messaging": "messaging message text sms chat app",
    "intake": "intake start first meeting",
    "early": "early first months",
    "established": "established later",
    "closing": "closing ending end",
    "officer": "officer professional",
    "client": "client",
    "both": "officer client together",
}
#: The same for Dutch versions, so "telefoon" or "binding" finds them by their tags.
TAG_WORDS_NL: dict[str, str] = {
    "goals-and-conditions": "richting en kader doelen voorwaarden",
    "trust": "vertrouwen",
    "bond": "binding",
    "reactance": "stroefheid weerstand",
    "face-to-face": "face-to-face persoonlijk gesprek kantoor",
    "phone": "telefoon telefonisch bellen",
    "video": "video beeldbellen camera scherm",
    "messaging": "berichten appen sms chat app",
    "intake": "intake begin eerste gesprek",
    "early": "beginfase eerste maanden",
    "established": "lopend later",
    "closing": "afsluiting einde afronden",
    "conversation-guide": "gespreksleidraad",
    "worksheet": "werkblad",
    "checklist": "checklist",
    "script": "script",
    "exercise": "oefening",
    "background": "achtergrond",
    "officer": "reclasseringswerker professional",
    "client": "cliënt",
    "both": "reclasseringswerker cliënt samen",
}

_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower-case without diacritics, as the FTS5 tokenizer sees words."""
    text = text.lower()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """The words of a text as the index splits them (letters and digits)."""
    return _WORD.findall(fold(text))


def mask(values: Iterable[str], order: tuple[str, ...]) -> int:
    out = 0
    for value in values:
        if value in order:
            out |= 1 << order.index(value)
    return out


def tags_text(resource: Resource) -> str:
    if resource.lang == "nl":
        facets = [*resource.characteristics, *resource.channels, *resource.phases]
        parts = [TAG_WORDS_NL.get(v, v) for v in (*facets, resource.type, resource.audience)]
        return " ".join([*parts, *resource.keywords])
    parts = [CHARACTERISTIC_NAMES.get(c, c) for c in resource.characteristics]
    parts += [TAG_WORDS.get(c, c) for c in resource.channels]
    parts += [TAG_WORDS.get(p, p) for p in resource.phases]
    parts.append(TYPES.get(resource.type, resource.type))
    parts.append(TAG_WORDS.get(resource.audience, resource.audience))
    parts += resource.keywords
    return " ".join(parts)


class Stamp(NamedTuple):
    """What the freshness check knows of a file without reading it."""

    folder: int
    local: bool
    size: int
    mtime_ns: int


def stamps(folders: list[LibraryFolder]) -> tuple[dict[str, Stamp], str]:
    """Every file's stamp by path, and the signature of them all (one ``stat`` per file)."""
    digest = hashlib.sha256(INDEX_VERSION.encode())
    out: dict[str, Stamp] = {}
    for i, folder in enumerate(folders):
        digest.update(f"\0{folder.path}\0{int(folder.local)}\0".encode())
        for path, st in resource_file_stats(folder.path):
            digest.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
            out[str(path)] = Stamp(i, folder.local, st.st_size, st.st_mtime_ns)
    return out, digest.hexdigest()


def signature(folders: list[LibraryFolder]) -> str:
    """What the index was built from: every file's path, size and modification time."""
    return stamps(folders)[1]


def folders_key(folders: list[LibraryFolder]) -> str:
    return json.dumps([[str(f.path), f.local] for f in folders])


PACKED_COLUMNS = [column for columns in PACKED.values() for column, _ in columns]

SCHEMA_SQL = f"""
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE resources(
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    type TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    audience TEXT NOT NULL,
    local INTEGER NOT NULL,
    char_mask INTEGER NOT NULL,
    chan_mask INTEGER NOT NULL,
    phase_mask INTEGER NOT NULL,
    type_mask INTEGER NOT NULL,
    aud_mask INTEGER NOT NULL,
    heading TEXT NOT NULL,
    tagwords TEXT NOT NULL,
    language TEXT NOT NULL,
    is_translation INTEGER NOT NULL,
    lang_mask INTEGER NOT NULL,
    show_mask INTEGER NOT NULL,
    UNIQUE(id, language)
);
-- Small rows only, so that copying the masks of thousands of matches stays cheap.
CREATE TABLE facets(
    rowid INTEGER PRIMARY KEY,
    char_mask INTEGER NOT NULL,
    chan_mask INTEGER NOT NULL,
    phase_mask INTEGER NOT NULL,
    type_mask INTEGER NOT NULL,
    aud_mask INTEGER NOT NULL,
    lang_mask INTEGER NOT NULL,
    show_mask INTEGER NOT NULL,
    minutes INTEGER NOT NULL,
    {", ".join(f"{c} INTEGER NOT NULL" for c in PACKED_COLUMNS)}
);
CREATE TABLE resource_data(rowid INTEGER PRIMARY KEY, data TEXT NOT NULL);
-- The unstemmed text of each row, for snippets (Dutch rows are indexed as stems).
CREATE TABLE texts(rowid INTEGER PRIMARY KEY, summary TEXT NOT NULL, body TEXT NOT NULL);
CREATE VIRTUAL TABLE docs USING fts5(
    title, summary, tags, body, tokenize='{TOKENIZER}', prefix='2 3'
);
CREATE TABLE vocab(term TEXT PRIMARY KEY, df INTEGER NOT NULL, nl INTEGER NOT NULL)
    WITHOUT ROWID;
-- Each file's stamp and the id it declares (NULL when unreadable), so that a change re-reads
-- only the changed files and the other versions of the resources they touch.
CREATE TABLE files(
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, id TEXT
);
CREATE INDEX resources_id ON resources(id);
CREATE INDEX files_id ON files(id);
"""


@dataclass(frozen=True)
class BuildStats:
    resources: int
    problems: int
    seconds: float
    path: Path


def show_masks(resources: list[Resource]) -> list[int]:
    """Per resource, the bits of the languages in which it is the version to show."""
    have: dict[str, set[str]] = {}
    for r in resources:
        have.setdefault(r.id, set()).add(r.lang)
    out = []
    for r in resources:
        bits = 0
        for i, language in enumerate(LANGUAGES):
            if r.lang == language or (not r.translation_of and language not in have[r.id]):
                bits |= 1 << i
        out.append(bits)
    return out


def _resource_row(rowid: int, r: Resource, show: int) -> tuple:
    return (
        rowid,
        r.id,
        r.title,
        r.summary,
        r.type,
        r.minutes,
        r.audience,
        int(r.local),
        mask(r.characteristics, MASK_FACETS["characteristic"][1]),
        mask(r.channels, MASK_FACETS["channel"][1]),
        mask(r.phases, MASK_FACETS["phase"][1]),
        mask([r.type], MASK_FACETS["type"][1]),
        mask([r.audience], MASK_FACETS["audience"][1]),
        " " + " ".join(words(r.title)) + " ",
        " " + " ".join(words(tags_text(r))) + " ",
        r.language,
        int(bool(r.translation_of)),
        mask([r.lang], MASK_FACETS["language"][1]),
        show,
    )


def _searchable(r: Resource, text: str) -> str:
    """What the FTS table gets: English as written (porter stems it), Dutch as Dutch stems."""
    return stem_text_nl(fold(text)) if r.lang == "nl" else text


def _data_row(rowid: int, r: Resource) -> tuple:
    data = {**r.front_matter(), "body": r.body, "path": r.path, "local": r.local}
    return (rowid, json.dumps(data, ensure_ascii=False))


def resource_words(r: Resource, body: str | None = None) -> set[str]:
    """The words a resource adds to the vocabulary."""
    body = plain_text(r.body) if body is None else body
    return set(words(f"{r.title} {r.summary} {tags_text(r)} {body}"))


def insert_resources(
    conn: sqlite3.Connection, resources: list[Resource], first_rowid: int
) -> tuple[Counter[str], Counter[str]]:
    """Insert every row of these resources (all versions of each); returns the words they
    use (all, Dutch) for the vocabulary."""
    vocab: Counter[str] = Counter()
    vocab_nl: Counter[str] = Counter()
    rows = []
    docs = []
    texts = []
    for (rowid, r), show in zip(
        enumerate(resources, start=first_rowid), show_masks(resources), strict=True
    ):
        body = plain_text(r.body)
        tags = tags_text(r)
        rows.append(_resource_row(rowid, r, show))
        docs.append((rowid, *(_searchable(r, t) for t in (r.title, r.summary, tags, body))))
        texts.append((rowid, r.summary, body))
        seen = resource_words(r, body)
        vocab.update(seen)
        if r.lang == "nl":
            vocab_nl.update(seen)
    conn.executemany(f"INSERT INTO resources VALUES ({','.join('?' * 19)})", rows)
    conn.executemany(
        f"INSERT INTO facets VALUES ({','.join('?' * (9 + len(PACKED_COLUMNS)))})",
        (
            (row[0], *row[8:13], *row[17:19], row[5], *packed_values(r))
            for row, r in zip(rows, resources, strict=True)
        ),
    )
    conn.executemany("INSERT INTO texts VALUES (?, ?, ?)", texts)
    conn.executemany(
        "INSERT INTO resource_data VALUES (?, ?)",
        (_data_row(rowid, r) for rowid, r in enumerate(resources, start=first_rowid)),
    )
    conn.executemany(
        "INSERT INTO docs(rowid, title, summary, tags, body) VALUES (?, ?, ?, ?, ?)", docs
    )
    return vocab, vocab_nl


def write_index(
    path: Path,
    resources: list[Resource],
    problems: list[Problem],
    sig: str,
    files: Iterable[tuple[str, Stamp, str | None]] = (),
    folders: str = "",
) -> None:
    """Write a complete index to ``path`` (a new file, private to its owner)."""
    # No journal and no syncing: a half-written file is never renamed into place.
    conn = private_sqlite.connect(path, new=True, pragmas=["journal_mode=OFF", "synchronous=OFF"])
    try:
        conn.executescript(SCHEMA_SQL)
        with conn:
            vocab, vocab_nl = insert_resources(conn, resources, 1)
            conn.executemany(
                "INSERT INTO vocab VALUES (?, ?, ?)",
                ((term, df, vocab_nl[term]) for term, df in vocab.items()),
            )
            conn.executemany(
                "INSERT INTO files VALUES (?, ?, ?, ?)",
                ((p, st.size, st.mtime_ns, rid) for p, st, rid in files),
            )
            conn.execute("INSERT INTO docs(docs) VALUES ('optimize')")
            meta = {
                "signature": sig,
                "version": INDEX_VERSION,
                "built": str(time.time()),
                "problems": json.dumps([p.__dict__ for p in problems]),
                "folders": folders,
            }
            conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    finally:
        conn.close()


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
        from .incremental import apply_changes

        started = time.monotonic()
        current, sig = stamps(self.folders)  # outside the lock: searches go on meanwhile
        self._check_seconds = time.monotonic() - started
        with self.lock:
            self._checked = time.monotonic()
            if not force and self._conn is not None and self._meta("signature") == sig:
                if sig != self._seen:  # another process updated the file in place
                    self._forget(sig)
                return False
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
        return self.conn.execute("SELECT count(*) FROM resources").fetchone()[0]

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
        """(an English row has the word's stem, a Dutch row has its Dutch stem)."""
        row = self.conn.execute(
            "SELECT (SELECT 1 FROM docs JOIN resources r ON r.rowid = docs.rowid "
            "WHERE docs MATCH ? AND r.language NOT LIKE 'nl%' LIMIT 1), "
            "(SELECT 1 FROM docs JOIN resources r ON r.rowid = docs.rowid "
            "WHERE docs MATCH ? AND r.language LIKE 'nl%' LIMIT 1)",
            ('"' + word.replace('"', "") + '"', '"' + nl_stem.replace('"', "") + '"'),
        ).fetchone()
        return bool(row[0]), bool(row[1])

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
