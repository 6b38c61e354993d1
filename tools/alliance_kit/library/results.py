"""What a search gives back: the hit cards, the result with its counts, and their snippets."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

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
