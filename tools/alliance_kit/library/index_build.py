"""What the search index holds: one SQLite file (FTS5, bm25) built from the resource files.

Why it looks like this:

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

import hashlib
import json
import re
import sqlite3
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .. import private_sqlite
from ..content import Problem
from .model import (
    AUDIENCES,
    CHARACTERISTIC_NAMES,
    DURATIONS,
    FACETS,
    LANGUAGES,
    TYPES,
    LibraryFolder,
    resource_file_stats,
)
from .stemming import TOKENIZER, stem_text_nl

if TYPE_CHECKING:
    from .resource import Resource

#: Bump when the tables or what goes into them change: every index is then rebuilt once.
INDEX_VERSION = "9"
#: bm25 weights of the columns title, summary, tags, body: a word in the title counts most.
WEIGHTS = (10.0, 5.0, 3.0, 1.0)

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
PACK_WIDTH = 3


def _facet_values() -> dict[str, tuple[str, ...]]:
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


def plain_text(text: str) -> str:
    """``markdown.plain_text``, loaded when an index is built, not when a page opens one."""
    from ..markdown import plain_text as words_of

    return words_of(text)


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
