"""The statements of one search: filters as SQL, facet counts, ranking and the hit cards.

Facet counts come from one aggregate over the packed counter columns of the matching rows
(``index_build.PACKED``); the best matches are picked by bm25 and reordered by how many of the
searched words are in their title and tags.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .index import LibraryIndex
from .index_build import MASK_FACETS, PACK_BITS, PACKED, WEIGHTS, fold
from .model import FACETS
from .query import MAX_WORDS
from .results import Hit, make_snippet


@dataclass(frozen=True)
class Filters:
    masks: dict[str, int]
    max_minutes: int | None
    #: bit of the preferred language: without a language filter, each resource is listed once,
    #: in that language where it has a version (``show_mask``, see index_build.py)
    prefer: int = 1
    #: no row is hidden when that language is preferred (no other versions): no test needed
    all_shown: bool = False

    def passes(self, skip: str | None = None) -> str:
        """SQL that is true when a row passes every filter but ``skip``'s (literal ints only)."""
        parts = [
            f"(r.{MASK_FACETS[name][0]} & {bits}) != 0"
            for name, bits in self.masks.items()
            if bits and name != skip
        ]
        if not self.masks.get("language") and skip != "language" and not self.all_shown:
            parts.append(f"(r.show_mask & {int(self.prefer)}) != 0")
        if self.max_minutes is not None and skip != "duration":
            parts.append(f"r.minutes <= {int(self.max_minutes)}")
        return " AND ".join(parts) or "1"

    @property
    def active(self) -> bool:
        return any(self.masks.values()) or self.max_minutes is not None

    def preferring(self, language: str) -> Filters:
        order = MASK_FACETS["language"][1]
        bit = 1 << order.index(language) if language in order else 1
        return Filters(self.masks, self.max_minutes, bit)

    def shown_by(self, index: LibraryIndex) -> Filters:
        """These filters, knowing whether the index hides any row in the preferred language."""
        hidden = index.hidden_rows(self.prefer)
        return Filters(self.masks, self.max_minutes, self.prefer, not hidden)


def as_tuple(values: str | Iterable[str] | None) -> tuple[str, ...]:
    if values is None:
        return ()
    if isinstance(values, str):
        return (values,)
    return tuple(values)


def selection(facet: str, values: str | Iterable[str] | None) -> int:
    """Bit mask of the chosen values; accepts ids or display names, in any case."""
    _column, order = MASK_FACETS[facet]
    labels = {fold(label): key for key, label in FACETS[facet].items()}
    bits = 0
    for value in as_tuple(values):
        key = str(value).strip().lower()
        key = key if key in order else labels.get(fold(key), key)
        if key not in order:
            raise ValueError(f"unknown {facet} {value!r}; use one of: {', '.join(order)}") from None
        bits |= 1 << order.index(key)
    return bits


def decode(bits: int, facet: str) -> tuple[str, ...]:
    order = MASK_FACETS[facet][1]
    return tuple(v for i, v in enumerate(order) if bits & (1 << i))


_HIT_COLUMNS = (
    "res.rowid, res.id, res.title, res.summary, res.type, res.char_mask, res.chan_mask, "
    "res.phase_mask, res.minutes, res.audience, res.local, res.language"
)
#: Matches ranked by bm25 that the title-and-tags boost may reorder (see index_build.py).
RERANK = 50
#: Facet values are counted over at most this many matches. Counting them over every match of
#: a common word in a very large library costs as much again as finding the best ten; past
#: this many, the counts guide the choice of a filter just as well, and the page says so.
FACET_CAP = 500
#: Past this many matches, a word still being typed ranks as a whole word (``search._ranked``).
WHOLE_WORD_AFTER = 1000
#: How many of the best matches by bm25 alone are looked at to find the best ``RERANK``
#: that pass the filters, before ranking every match with the filters applied.
CANDIDATES = 120


class Runner:
    """Runs the statements of one search against one index."""

    def __init__(self, index: LibraryIndex, filters: Filters, limit: int) -> None:
        self.index = index
        self.conn = index.conn
        self.filters = filters
        self.limit = limit

    def facets(
        self, expression: str | None, whole: str | None = None
    ) -> tuple[int, int, dict[str, dict[str, int]]]:
        """(matches without filters, total with filters, counts per facet value) in one pass.

        Iterating an FTS5 match without computing bm25 is cheap; bm25 is only computed in
        ``top`` for the rows that pass the filters. Past ``FACET_CAP`` matches the counts are
        those of the first ``FACET_CAP`` (``self.counted`` says so) and the totals come from
        ``exact_totals``.

        ``whole`` is the expression with the word being typed as a whole word: a prefix has
        its matches merged before the first one is read, once per statement, so past
        ``WHOLE_WORD_AFTER`` matches the counts are taken from the first matches of the
        whole word (which ranks them too) and the prefix is matched once, for its totals.
        """
        self.counted = None
        f = self.filters
        sums: list[str] = ["count(*)", f"sum({f.passes()})"]
        keys: list[tuple[str, tuple[str, ...]]] = []
        for name, columns in PACKED.items():
            others = f.passes(skip=name)
            for column, values in columns:
                if others == "1":
                    sums.append(f"sum(r.{column})")
                else:
                    sums.append(f"sum(CASE WHEN {others} THEN r.{column} ELSE 0 END)")
                keys.append((name, values))
        if expression is None:
            row = self.conn.execute(f"SELECT {', '.join(sums)} FROM facets r").fetchone()
        else:
            totals = None
            sample = expression
            if whole is not None:
                totals = self.exact_totals(expression)
                if totals[0] > WHOLE_WORD_AFTER:
                    sample = whole
            row = self.conn.execute(
                f"SELECT {', '.join(sums)} FROM (SELECT rowid FROM docs WHERE docs MATCH ? "
                f"LIMIT {FACET_CAP}) m JOIN facets r ON r.rowid = m.rowid",
                (sample,),
            ).fetchone()
            counted = int(row[0] or 0)
            if sample is not expression or counted >= FACET_CAP:
                row = (*(totals or self.exact_totals(expression)), *row[2:])
                self.counted = counted if row[0] > counted else None
        counts: dict[str, dict[str, int]] = {name: {} for name in FACETS}
        mask = (1 << PACK_BITS) - 1
        for (name, values), packed in zip(keys, row[2:], strict=True):
            for j, value in enumerate(values):
                counts[name][value] = (int(packed or 0) >> (PACK_BITS * j)) & mask
        return int(row[0] or 0), int(row[1] or 0), counts

    def exact_totals(self, expression: str) -> tuple[int, int]:
        """(matches without filters, matches with them), without counting facet values."""
        if not self.filters.active and self.filters.all_shown:
            # Every row is shown in this language: counting the match alone is enough.
            n = self.conn.execute(
                "SELECT count(*) FROM docs WHERE docs MATCH ?", (expression,)
            ).fetchone()[0]
            return n, n
        row = self.conn.execute(
            f"SELECT count(*), sum({self.filters.passes()}) FROM (SELECT rowid FROM docs "
            "WHERE docs MATCH ?) m JOIN facets r ON r.rowid = m.rowid",
            (expression,),
        ).fetchone()
        return int(row[0] or 0), int(row[1] or 0)

    def browse(self) -> list[tuple]:
        """Without words: the first ``limit`` resources that pass the filters, by title."""
        sql = (
            f"SELECT {_HIT_COLUMNS} FROM resources res WHERE "
            f"{self.filters.passes().replace('r.', 'res.')} "
            f"ORDER BY (res.lang_mask & {int(self.filters.prefer)}) DESC, "
            "res.title COLLATE NOCASE, res.rowid LIMIT ?"
        )
        return self.conn.execute(sql, (self.limit,)).fetchall()

    def top(self, expression: str, stems: Sequence[str] = ()) -> list[tuple]:
        """The best ``limit`` matches: bm25 picks candidates, title and tag words reorder them."""
        params: list = [expression]
        order = "h.first DESC, h.score, h.rid"
        if stems:
            parts = []
            for stem in stems[:MAX_WORDS]:
                parts.append("2 * (instr(res.heading, ?) > 0) + (instr(res.tagwords, ?) > 0)")
                needle = f" {stem[:-1]} " if stem.endswith("$") else f" {stem}"
                params += [needle, needle]
            order = f"h.first DESC, ({' + '.join(parts)}) DESC, h.score, h.rid"
        need = max(RERANK, self.limit)
        # With filters chosen, few of the best matches may pass them: rank the passing ones.
        picked = None if self.filters.active else self.candidates(expression, need)
        if picked is None:  # too few of the best matches pass the filters: rank them all
            passes = self.filters.passes()
            first = f"(r.lang_mask & {int(self.filters.prefer)}) != 0"
            picked = self.conn.execute(
                f"SELECT docs.rowid, {first} AS first, "
                f"bm25(docs, {', '.join(map(str, WEIGHTS))}) AS score FROM docs "
                "JOIN facets r ON r.rowid = docs.rowid "
                f"WHERE docs MATCH ? AND {passes} ORDER BY first DESC, score LIMIT {need}",
                (expression,),
            ).fetchall()
        if not picked:
            return []
        # Resources in the preferred language come first, then the best of the rest.
        values = ",".join("(?, ?, ?)" for _row in picked)
        sql = (
            f"WITH h(rid, first, score) AS (VALUES {values}) SELECT {_HIT_COLUMNS} FROM h "
            f"JOIN resources res ON res.rowid = h.rid ORDER BY {order} LIMIT ?"
        )
        flat = [v for row in picked for v in row]
        return self.conn.execute(sql, (*flat, *params[1:], self.limit)).fetchall()

    def candidates(self, expression: str, need: int) -> list[tuple] | None:
        """The ``need`` best matches that pass the filters, found among the best few hundred
        by bm25 alone (as cheap as a bare MATCH); None when those hold too few of them.

        Exact: a match outside the few hundred ranks below all of them, so when enough of
        them pass, the best of them are the best of all.
        """
        wide = CANDIDATES * need // RERANK
        rows = self.conn.execute(
            f"SELECT c.rid, (r.lang_mask & {int(self.filters.prefer)}) != 0, c.score, "
            f"{self.filters.passes()} FROM (SELECT rowid AS rid, "
            f"bm25(docs, {', '.join(map(str, WEIGHTS))}) AS score FROM docs "
            f"WHERE docs MATCH ? ORDER BY score LIMIT {wide}) c "
            "JOIN facets r ON r.rowid = c.rid",
            (expression,),
        ).fetchall()
        passing = [row[:3] for row in rows if row[3]]
        if len(rows) == wide and sum(row[1] for row in passing) < need:
            return None
        passing.sort(key=lambda row: (-row[1], row[2], row[0]))
        return passing[:need]

    def snippets(self, rowids: list[int], stems: Sequence[str]) -> dict[int, str]:
        """Highlighted passages, cut in Python from the stored text of the few hits shown.

        FTS5's snippet() would run the whole match again to find ten rows; the words to mark
        are already known, so reading ten bodies is much cheaper.
        """
        if not rowids:
            return {}
        out = {}
        # From the stored text (the FTS5 table holds Dutch as stems), in one statement.
        marks = ",".join("?" * len(rowids))
        found = self.conn.execute(
            f"SELECT rowid, body, summary FROM texts WHERE rowid IN ({marks})", rowids
        )
        for rowid, body, summary in found:
            out[rowid] = make_snippet(body, stems) or make_snippet(summary, stems, 40) or ""
        return out

    def hits(self, rows: list[tuple], snippets: dict[int, str]) -> list[Hit]:
        hits = []
        for rowid, rid, title, summary, rtype, cm, hm, pm, minutes, audience, local, lang in rows:
            snippet = snippets.get(rowid)
            hits.append(
                Hit(
                    id=rid,
                    title=title,
                    summary=summary,
                    type=rtype,
                    characteristics=decode(cm, "characteristic"),
                    channels=decode(hm, "channel"),
                    phases=decode(pm, "phase"),
                    minutes=minutes,
                    audience=audience,
                    snippet_html=snippet or html.escape(summary, quote=False),
                    local=bool(local),
                    language=lang,
                )
            )
        return hits
