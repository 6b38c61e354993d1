"""Search the library: any text a user types, with facets, snippets and typo tolerance.

Users type into a search box during a supervision session, and raw FTS5 query syntax turns
ordinary text (``C++``, a URL, ``don't``, a lone quote, ``NOT``) into syntax errors. So the
user's text is never passed to MATCH: it is split into words, and the FTS5 expression is built
from those words, each one quoted. The word being typed is matched as a prefix, a word the
index does not know is replaced by the nearest known words, and when no resource has every
word the search falls back to any of them, saying so.

Dutch and English: each word is searched as written (English rows are porter-stemmed) and as
its Dutch stem (Dutch rows are indexed as Dutch stems), so "gesprekken" finds "gesprek". The
query's language (given, or told by its words) decides which version of a resource is listed
and puts resources in that language first.
"""

from __future__ import annotations

import html
import logging
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from ..i18n import _
from .index import MASK_FACETS, PACK_BITS, PACKED, LibraryIndex, default_index, fold, words
from .model import FACETS, LANGUAGES, Resource, base_language
from .stemming import stem_nl

log = logging.getLogger("alliance_kit.library")

MAX_QUERY_CHARS = 2000
MAX_WORDS = 12
MAX_LIMIT = 500
COMPLETIONS = 6
#: Words that say little about what a resource is about; ignored when other words are present.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "do",
        "for",
        "from",
        "how",
        "i",
        "if",
        "in",
        "is",
        "it",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "so",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "this",
        "to",
        "we",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "you",
        "your",
        "http",
        "https",
        "www",
        "com",
        "org",
        "net",
        "html",
    ]
)
#: Dutch words that say as little; they also tell that a query is Dutch.
STOPWORDS_NL = frozenset(
    [
        "de",
        "het",
        "een",
        "en",
        "van",
        "op",
        "te",
        "dat",
        "die",
        "dit",
        "deze",
        "niet",
        "met",
        "voor",
        "aan",
        "er",
        "ook",
        "als",
        "bij",
        "om",
        "dan",
        "naar",
        "hoe",
        "wat",
        "wie",
        "waar",
        "wanneer",
        "waarom",
        "ik",
        "jij",
        "je",
        "u",
        "wij",
        "ze",
        "zij",
        "hij",
        "mijn",
        "mij",
        "ons",
        "onze",
        "hun",
        "hem",
        "haar",
        "kan",
        "kun",
        "kunt",
        "moet",
        "wordt",
        "worden",
        "door",
        "over",
        "tot",
        "uit",
        "nog",
        "maar",
        "wel",
        "geen",
        "al",
        "zo",
        "of",
    ]
)
ALL_STOPWORDS = STOPWORDS | STOPWORDS_NL
#: Offered when nothing matched at all.
#: Searches to offer when nothing is found, by the language the results are listed in.
STARTERS = {
    "en": ("trust", "phone", "safety plan", "role clarification", "reactance", "video"),
    "nl": (
        "vertrouwen",
        "telefoon",
        "veiligheidsplan",
        "rolverduidelijking",
        "stroefheid",
        "video",
    ),
}


def _clipped() -> str:
    return _(
        "The search text is longer than {characters} characters; only its start was read "
        "(at most {words} different words)."
    ).format(characters=_number(MAX_QUERY_CHARS), words=MAX_WORDS)


def _number(n: int) -> str:
    from babel.numbers import format_decimal

    from ..i18n import active

    return format_decimal(n, locale=active())


def _starters(language: str) -> tuple[str, ...]:
    return STARTERS.get(language, STARTERS["en"])


_ENDS_IN_WORD = re.compile(r"[^\W_]$")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Hit:
    """One result card: enough to show it without opening the resource."""

    id: str
    title: str
    summary: str
    type: str
    characteristics: tuple[str, ...]
    channels: tuple[str, ...]
    phases: tuple[str, ...]
    minutes: int
    audience: str
    snippet_html: str
    local: bool
    language: str = "en"


@dataclass
class SearchResult:
    """What ``search`` found: the best hits, the count of all, facet counts and help text.

    ``facets`` maps facet name (characteristic, channel, phase, type, audience, duration) to
    value -> count. A facet's counts apply every filter except its own, so the page can show how
    many results each other value of that facet would give.
    """

    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    total: int = 0
    suggestions: list[str] = field(default_factory=list)
    message: str | None = None
    #: the words actually searched (after corrections), for display
    searched: list[str] = field(default_factory=list)
    #: the language whose versions are listed first ("en" or "nl")
    language: str = "en"
    #: set when more resources matched than ``FACET_CAP``: the facet counts are then those of
    #: the first ``counted`` matches only (``total`` is still exact)
    counted: int | None = None


@dataclass
class _Plan:
    clauses: list[str] = field(default_factory=list)
    searched: list[str] = field(default_factory=list)
    #: what marks a matching word in snippets and lifts a title: a stem, a prefix, or "word$"
    stems: list[str] = field(default_factory=list)
    corrections: dict[str, str] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)
    truncated: bool = False
    #: the query was longer than MAX_QUERY_CHARS and only its start was read
    clipped: bool = False
    had_words: bool = False
    #: every word of the query, stopwords included, to tell its language
    all_words: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Filters:
    masks: dict[str, int]
    max_minutes: int | None
    #: bit of the preferred language: without a language filter, each resource is listed once,
    #: in that language where it has a version (``show_mask``, see index.py)
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

    def preferring(self, language: str) -> _Filters:
        order = MASK_FACETS["language"][1]
        bit = 1 << order.index(language) if language in order else 1
        return _Filters(self.masks, self.max_minutes, bit)

    def shown_by(self, index: LibraryIndex) -> _Filters:
        """These filters, knowing whether the index hides any row in the preferred language."""
        hidden = index.hidden_rows(self.prefer)
        return _Filters(self.masks, self.max_minutes, self.prefer, not hidden)


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _as_tuple(values: str | Iterable[str] | None) -> tuple[str, ...]:
    if values is None:
        return ()
    if isinstance(values, str):
        return (values,)
    return tuple(values)


def _selection(facet: str, values: str | Iterable[str] | None) -> int:
    """Bit mask of the chosen values; accepts ids or display names, in any case."""
    _column, order = MASK_FACETS[facet]
    labels = {fold(label): key for key, label in FACETS[facet].items()}
    bits = 0
    for value in _as_tuple(values):
        key = str(value).strip().lower()
        key = key if key in order else labels.get(fold(key), key)
        if key not in order:
            raise ValueError(f"unknown {facet} {value!r}; use one of: {', '.join(order)}") from None
        bits |= 1 << order.index(key)
    return bits


def close_words(index: LibraryIndex, term: str, n: int = 2) -> list[str]:
    """Indexed words that look like ``term`` (one or two letters off), commonest first."""
    if len(term) < 4 or term.isdigit():
        return []
    spread = 1 if len(term) < 7 else 2
    by_len = index.vocabulary_by_length()
    matcher = SequenceMatcher(autojunk=False)
    matcher.set_seq2(term)
    cutoff = 0.75 if len(term) > 4 else 0.7
    scored: list[tuple[float, int, str]] = []
    for length in range(len(term) - spread, len(term) + spread + 1):
        for candidate, df in by_len.get(length, ()):
            if candidate[0] != term[0] and candidate[-1] != term[-1]:
                continue
            matcher.set_seq1(candidate)
            if matcher.real_quick_ratio() < cutoff or matcher.quick_ratio() < cutoff:
                continue
            ratio = matcher.ratio()
            if ratio >= cutoff:
                scored.append((ratio, df, candidate))
    scored.sort(key=lambda s: (-s[0], -s[1]))
    # A second candidate only when it looks as close as the first: extra words dilute ranking.
    return [c for ratio, _df, c in scored[:n] if ratio >= scored[0][0] - 0.02]


def _alternatives(word: str) -> str:
    """The word as an FTS5 phrase, or it and its Dutch stem: "gesprekken" OR "gesprek"."""
    nl = stem_nl(word)
    if nl == word:
        return _quote(word)
    return f"({_quote(word)} OR {_quote(nl)})"


def _mark_stem(word: str) -> str:
    """What marks the word in snippets: the crude stem, or the Dutch one when it is shorter."""
    crude = _stem(word)
    if len(crude) > 4 and crude[-1] == crude[-2] and not crude.endswith("$"):
        crude = crude[:-1]  # Dutch doubles a consonant before -en: "gesprekken", "gesprek"
    nl = stem_nl(word)
    if len(nl) >= 4 and word.startswith(nl) and len(nl) < len(crude.rstrip("$")):
        return nl
    return crude


def detect_language(index: LibraryIndex, found: Sequence[str]) -> str:
    """ "nl" when the query's words are Dutch rather than English, else "en".

    Function words count most ("de", "het", "hoe"); then words only Dutch (or only English)
    resources use, as written or as a stem.
    """
    nl = en = 0
    for word in found:
        if word in STOPWORDS_NL and word not in STOPWORDS:
            nl += 2
        elif word in STOPWORDS and word not in STOPWORDS_NL:
            en += 2
        elif word not in ALL_STOPWORDS:
            in_en, in_nl = index.word_languages(word)
            if not (in_en or in_nl):
                in_en, in_nl = index.stem_languages(word, stem_nl(word))
            if in_nl and not in_en:
                nl += 1
            elif in_en and not in_nl:
                en += 1
    return "nl" if nl > en else "en"


#: Dutch separable particles: "bouw ... op" is "opbouwen" in the resources.
PARTICLES_NL = ("op", "aan", "af", "uit", "mee", "in", "door", "terug", "weg", "toe", "na", "bij")


def _join_separable(index: LibraryIndex, found: list[str], every: list[str]) -> list[str]:
    """A Dutch verb split from its particle is searched as the whole verb, when only that is
    in the library ("hoe bouw ik vertrouwen op" searches "opbouw")."""
    particles = [p for p in PARTICLES_NL if p in every]
    if not particles:
        return found
    out = []
    used: set[str] = set()
    for word in found:
        if word not in particles and len(word) > 2:
            for particle in particles:
                if index.stem_known(stem_nl(particle + word)):
                    word = particle + word
                    used.add(particle)
                    break
        out.append(word)
    return [w for w in out if w not in used]


def _plan(index: LibraryIndex, query: str) -> _Plan:
    plan = _Plan(clipped=len(query) > MAX_QUERY_CHARS)
    text = query[:MAX_QUERY_CHARS]
    typing = bool(_ENDS_IN_WORD.search(fold(text))) and len(query) <= MAX_QUERY_CHARS
    found: list[str] = []
    for word in words(text):
        if word not in found:
            found.append(word)
    plan.had_words = bool(found)
    plan.all_words = list(found[:MAX_WORDS])
    last = found[-1] if found and typing else None
    if len(found) > MAX_WORDS:
        plan.truncated = True
        found = found[:MAX_WORDS]
        last = None
    meaningful = [w for w in found if w not in ALL_STOPWORDS or w == last]
    if meaningful:
        found = meaningful
    found = _join_separable(index, found, plan.all_words)
    if len(found) > 1:
        # Single letters ("C++", "a", a URL's "b=c") narrow nothing; a lone one is a prefix.
        found = [w for w in found if len(w) > 1 or w.isdigit()] or found[-1:]
        last = last if last in found else None
    for word in found:
        if word == last:
            completions = [c for c in index.completions(word, COMPLETIONS) if c != word]
            if completions or index.known(word):
                # Dutch rows hold stems, which a prefix of the whole word would miss.
                own = [_quote(stem_nl(word))] if stem_nl(word) != word else []
                alternatives = [_quote(word) + "*", *own, *map(_alternatives, completions)]
                plan.clauses.append("(" + " OR ".join(alternatives) + ")")
                plan.searched.append(word)
                plan.stems.append(word)  # being typed: any word that starts with it
                continue
            if stem_nl(word) != word and index.stem_known(stem_nl(word)):
                # a whole Dutch word whose stem is known ("gesprekken"): no typo to correct
                plan.clauses.append(_alternatives(word))
                plan.searched.append(word)
                plan.stems.append(_mark_stem(word))
                continue
        elif index.known(word) or index.stem_known(word) or index.stem_known(stem_nl(word)):
            plan.clauses.append(_alternatives(word))
            plan.searched.append(word)
            plan.stems.append(_mark_stem(word))
            continue
        close = close_words(index, word)
        if close:
            plan.corrections[word] = close[0]
            plan.clauses.append("(" + " OR ".join(map(_alternatives, close)) + ")")
            plan.searched.append(close[0])
            plan.stems.append(_mark_stem(close[0]))
        else:
            plan.dropped.append(word)
    return plan


def _stem(word: str) -> str:
    """A crude stem for marking and the title boost: "phones" should lift "Phone calls".

    Short words end in "$" (whole word only), so that "by" does not mark "bygone".
    """
    if len(word) <= 3:
        return word + "$"
    if len(word) <= 5:
        return word
    return word[:-1] if len(word) <= 7 else word[:-2]


@lru_cache(maxsize=256)
def _stem_pattern(stems: tuple[str, ...]) -> re.Pattern:
    def one(stem: str) -> str:
        if stem.endswith("$"):
            return re.escape(stem[:-1]) + r"(?![^\W_])"
        return re.escape(stem) + r"[^\W_]*"

    alternatives = "|".join(one(s) for s in sorted(set(stems), key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{alternatives})", re.IGNORECASE)


def make_snippet(text: str, stems: Sequence[str], width: int = 160) -> str | None:
    """About ``width`` characters of ``text`` around the most searched words, marked.

    A word is marked when it starts with a searched stem, which is how the index matched it
    ("trust" marks "trusting"). Everything else is escaped. None when no word matches. Found
    with one regular expression, because this runs for every hit shown while the user types.
    """
    if not text or not stems:
        return None
    spans = [m.span() for m in _stem_pattern(tuple(stems)).finditer(text)]
    if not spans:
        return None
    # the window holding the most marked words, earliest first (two pointers)
    best, best_count, end = 0, 0, 0
    for i, (start, _end) in enumerate(spans):
        end = max(end, i)
        while end < len(spans) and spans[end][1] <= start + width:
            end += 1
        if end - i > best_count:
            best, best_count = i, end - i
    lo = max(0, spans[best][0] - 30)
    if lo:
        lo = text.find(" ", lo) + 1 or lo
    hi = min(len(text), lo + width)
    if hi < len(text):
        hi = max(text.rfind(" ", lo, hi), spans[best][1])
    pieces = ["…" if lo else ""]
    pos = lo
    for start, stop in spans:
        if start < lo or stop > hi:
            continue
        pieces.append(html.escape(text[pos:start], quote=False))
        pieces.append(f"<mark>{html.escape(text[start:stop], quote=False)}</mark>")
        pos = stop
    pieces.append(html.escape(text[pos:hi], quote=False))
    if hi < len(text):
        pieces.append("…")
    return _SPACES.sub(" ", "".join(pieces)).strip()


def _decode(bits: int, facet: str) -> tuple[str, ...]:
    order = MASK_FACETS[facet][1]
    return tuple(v for i, v in enumerate(order) if bits & (1 << i))


_HIT_COLUMNS = (
    "res.rowid, res.id, res.title, res.summary, res.type, res.char_mask, res.chan_mask, "
    "res.phase_mask, res.minutes, res.audience, res.local, res.language"
)
#: Matches ranked by bm25 that the title-and-tags boost may reorder (see index.py).
RERANK = 50
#: Facet values are counted over at most this many matches. Counting them over every match of
#: a common word in a very large library costs as much again as finding the best ten; past
#: this many, the counts guide the choice of a filter just as well, and the page says so.
FACET_CAP = 500
#: How many of the best matches by bm25 alone are looked at to find the best ``RERANK``
#: that pass the filters, before ranking every match with the filters applied.
CANDIDATES = 120


class _Runner:
    """Runs the statements of one search against one index."""

    def __init__(self, index: LibraryIndex, filters: _Filters, limit: int) -> None:
        self.index = index
        self.conn = index.conn
        self.filters = filters
        self.limit = limit

    def facets(self, expression: str | None) -> tuple[int, int, dict[str, dict[str, int]]]:
        """(matches without filters, total with filters, counts per facet value) in one pass.

        Iterating an FTS5 match without computing bm25 is cheap; bm25 is only computed in
        ``top`` for the rows that pass the filters. Past ``FACET_CAP`` matches the counts are
        those of the first ``FACET_CAP`` (``self.counted`` says so) and the totals come from
        ``exact_totals``, or from ``top``, which counts the filtered matches as it ranks them.
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
            row = self.conn.execute(
                f"SELECT {', '.join(sums)} FROM (SELECT rowid FROM docs WHERE docs MATCH ? "
                f"LIMIT {FACET_CAP}) m JOIN facets r ON r.rowid = m.rowid",
                (expression,),
            ).fetchone()
            if int(row[0] or 0) >= FACET_CAP:
                row = (*self.exact_totals(expression), *row[2:])
                self.counted = FACET_CAP if row[0] > FACET_CAP else None
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
        from .index import WEIGHTS

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
        from .index import WEIGHTS

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
                    characteristics=_decode(cm, "characteristic"),
                    channels=_decode(hm, "channel"),
                    phases=_decode(pm, "phase"),
                    minutes=minutes,
                    audience=audience,
                    snippet_html=snippet or html.escape(summary, quote=False),
                    local=bool(local),
                    language=lang,
                )
            )
        return hits


def _quoted(words_: Sequence[str], longest: int = 40) -> str:
    """Words of the user's query in a message; a pasted run of 2,000 letters is shortened."""
    shown = (w if len(w) <= longest else w[: longest - 1] + "…" for w in words_)
    return "“" + " ".join(shown) + "”"


def _run(
    index: LibraryIndex,
    query: str,
    filters: _Filters,
    limit: int,
    language: str | None = None,
) -> SearchResult:
    plan = _plan(index, query)
    notes: list[str] = []
    language = language or detect_language(index, plan.all_words)
    filters = filters.preferring(language).shown_by(index)
    result = SearchResult(searched=list(plan.searched), language=language)
    with index.lock:
        runner = _Runner(index, filters, limit)
        if not plan.had_words:
            _matched, result.total, result.facets = runner.facets(None)
            result.hits = runner.hits(runner.browse(), {})
            if query.strip():
                result.message = _(
                    "There are no words to search for in {query}; showing every resource."
                ).format(query=_quoted([query.strip()[:40]], 40))
                if plan.clipped:
                    result.message += " " + _clipped()
            if not result.total and filters.active:
                result.message = _(
                    "No resource matches all of these filters. Remove one to see more."
                )
            return result
        if not plan.clauses:
            result.facets = {name: dict.fromkeys(values, 0) for name, values in FACETS.items()}
            result.message = _(
                "Nothing found for {query}. Try other words, or one of the suggestions."
            ).format(query=_quoted([query.strip()[:80]], 80))
            if plan.clipped:
                result.message += " " + _clipped()
            result.suggestions = [
                s for s in _starters(language) if all(index.known(w) for w in s.split())
            ]
            return result
        expression = " AND ".join(plan.clauses)
        matched, result.total, result.facets = runner.facets(expression)
        if not matched and len(plan.clauses) > 1:
            expression = " OR ".join(plan.clauses)
            matched, result.total, result.facets = runner.facets(expression)
            if matched:
                notes.append(_("No resource has all of your words; these have some of them."))
        if matched and not result.total and not filters.masks["language"]:
            # The words are only in the other language's versions ("ochtends"): show those.
            for other in LANGUAGES:
                if other != language:
                    runner.filters = filters.preferring(other).shown_by(index)
                    _matched, total, facets = runner.facets(expression)
                    if total:
                        result.total, result.facets, result.language = total, facets, other
                        break
        stems = plan.stems
        rows = runner.top(expression, stems) if result.total and limit else []
        result.counted = runner.counted
        result.hits = runner.hits(rows, runner.snippets([r[0] for r in rows], stems))
    if plan.corrections:
        corrected = [plan.corrections.get(w, w) for w in words(query[:MAX_QUERY_CHARS])]
        corrected = corrected[: MAX_WORDS * 2]  # a suggestion to click, not the whole text
        suggestion = " ".join(w for w in corrected if w not in plan.dropped)
        result.suggestions.append(suggestion)
        typed = ", ".join(_quoted([w]) for w in plan.corrections)
        notes.insert(
            0,
            _("Showing results for {suggestion}: no resource has {typed}.").format(
                suggestion=_quoted([suggestion], 200), typed=typed
            ),
        )
    if plan.dropped:
        notes.append(
            _("No resource mentions {words}, so it was left out.").format(
                words=_quoted(plan.dropped[:6])
            )
        )
    if plan.clipped:
        notes.append(_clipped())
    elif plan.truncated:
        notes.append(
            _("Only the first {count} different words were searched.").format(count=MAX_WORDS)
        )
    if not matched:
        notes.insert(
            0, _("Nothing found for {query}.").format(query=_quoted([query.strip()[:80]], 80))
        )
        result.suggestions.extend(
            s for s in _starters(result.language) if all(index.known(w) for w in s.split())
        )
    elif not result.total and filters.active:
        notes.insert(
            0,
            _(
                "Nothing matches these filters; {count} resource(s) match your words without "
                "them. Remove a filter to see them."
            ).format(count=matched),
        )
    result.message = " ".join(notes) or None
    return result


def search(
    query: str = "",
    *,
    characteristics: Iterable[str] = (),
    channels: Iterable[str] = (),
    phases: Iterable[str] = (),
    types: Iterable[str] = (),
    audiences: Iterable[str] = (),
    max_minutes: int | None = None,
    limit: int = 10,
    index: LibraryIndex | None = None,
    languages: Iterable[str] = (),
    language: str | None = None,
) -> SearchResult:
    """Find resources; any text is a valid query and never raises for what a user types.

    Within one facet the chosen values are alternatives (trust OR bond); across facets they all
    apply (trust AND phone AND intake). An empty query lists every resource that passes the
    filters, by title. Unknown filter ids are a programming error and raise ``ValueError``.

    ``languages`` filters (only Dutch versions: ``["nl"]``); without it each resource is listed
    once, in the preferred language where it has a version. ``language`` is that preference
    (the page's or the command's language); without it, the query's words decide, else English.
    """
    filters = _Filters(
        {
            "characteristic": _selection("characteristic", characteristics),
            "channel": _selection("channel", channels),
            "phase": _selection("phase", phases),
            "type": _selection("type", types),
            "audience": _selection("audience", audiences),
            "language": _selection("language", [base_language(v) for v in _as_tuple(languages)]),
        },
        None if max_minutes is None else max(0, int(max_minutes)),
    )
    limit = min(max(int(limit), 0), MAX_LIMIT)
    query = query if isinstance(query, str) else ("" if query is None else str(query))
    try:
        index = index or default_index()
        chosen = _decode(filters.masks["language"], "language")
        if language is None and len(chosen) == 1:
            language = chosen[0]
        if language is not None:
            language = base_language(str(language))
            language = language if language in LANGUAGES else "en"
        return _run(index, query, filters, limit, language)
    except (sqlite3.Error, OSError, RuntimeError) as exc:
        log.exception("library search failed for %r", query[:200])
        return SearchResult(
            facets={name: dict.fromkeys(values, 0) for name, values in FACETS.items()},
            message=_(
                "The library cannot be searched just now ({error}). Try again; if it keeps "
                "happening, tell the kit's administrator."
            ).format(error=type(exc).__name__),
        )


def get_resource(
    resource_id: str, *, index: LibraryIndex | None = None, language: str | None = None
) -> Resource | None:
    """One resource with its rendered, sanitised ``html``; None when there is no such id.

    ``language`` picks a translation when there is one (else the original is given).
    """
    if not isinstance(resource_id, str) or not resource_id:
        return None
    lang = language if isinstance(language, str) else None
    return (index or default_index()).resource(resource_id.strip(), lang)


def resource_languages(resource_id: str, *, index: LibraryIndex | None = None) -> list[str]:
    """The languages a resource can be read in, the original's first (empty: no such id)."""
    if not isinstance(resource_id, str) or not resource_id:
        return []
    return (index or default_index()).languages(resource_id.strip())
