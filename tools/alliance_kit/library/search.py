"""Search the library: any text a user types, with facets, snippets and typo tolerance.

The words become an FTS5 expression (``query.py``), which runs against the index with the
filters chosen (``ranking.py``); when no resource has every word the search falls back to any
of them, saying so. The query's language (given, or told by its words) decides which version
of a resource is listed and puts resources in that language first.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ..i18n import _, number
from . import ranking
from .index import LibraryIndex, default_index
from .index_build import words
from .model import FACETS, LANGUAGES, base_language
from .query import MAX_QUERY_CHARS, MAX_WORDS, detect_language, plan_query
from .ranking import Filters, Runner, as_tuple, decode, selection
from .results import SearchResult

if TYPE_CHECKING:
    from .resource import Resource

log = logging.getLogger("alliance_kit.library")
MAX_LIMIT = 500
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
    ).format(characters=number(MAX_QUERY_CHARS), words=MAX_WORDS)


def _starters(language: str) -> tuple[str, ...]:
    return STARTERS.get(language, STARTERS["en"])


def _quoted(words_: Sequence[str], longest: int = 40) -> str:
    """Words of the user's query in a message; a pasted run of 2,000 letters is shortened."""
    shown = (w if len(w) <= longest else w[: longest - 1] + "…" for w in words_)
    return "“" + " ".join(shown) + "”"


def _run(
    index: LibraryIndex,
    query: str,
    filters: Filters,
    limit: int,
    language: str | None = None,
) -> SearchResult:
    plan = plan_query(index, query)
    notes: list[str] = []
    language = language or detect_language(index, plan.all_words)
    filters = filters.preferring(language).shown_by(index)
    result = SearchResult(searched=list(plan.searched), language=language)
    with index.lock:
        runner = Runner(index, filters, limit)
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
        joiner = " AND "
        expression = joiner.join(plan.clauses)
        whole = plan.ranked_by_whole_word(joiner)
        matched, result.total, result.facets = runner.facets(expression, whole)
        if not matched and len(plan.clauses) > 1:
            joiner = " OR "
            expression = joiner.join(plan.clauses)
            whole = plan.ranked_by_whole_word(joiner)
            matched, result.total, result.facets = runner.facets(expression, whole)
            if matched:
                notes.append(_("No resource has all of your words; these have some of them."))
        if matched and not result.total and not filters.masks["language"]:
            # The words are only in the other language's versions ("ochtends"): show those.
            for other in LANGUAGES:
                if other != language:
                    runner.filters = filters.preferring(other).shown_by(index)
                    _matched, total, facets = runner.facets(expression, whole)
                    if total:
                        result.total, result.facets, result.language = total, facets, other
                        break
        stems = plan.stems
        rows = []
        if result.total and limit:
            rows = runner.top(_ranked(whole, expression, matched), stems)
            if len(rows) < min(limit, result.total):  # the whole word alone: too few
                rows = runner.top(expression, stems)
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


def _ranked(whole: str | None, expression: str, matched: int) -> str:
    """What the best matches are ranked by: the query itself, or, when the word being typed
    is a prefix of much of the library, the query with that word whole.

    Ranking costs a bm25 score per match, and a short prefix matches most of a large
    library ("off" is "off", "offer", "office", "officer"...): ranked by the word typed so
    far, or the commonest word it begins, the best matches cost what the finished word
    costs. The total and the counts are still those of the prefix.
    """
    if whole is None or matched <= ranking.WHOLE_WORD_AFTER:
        return expression
    return whole


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
    filters = Filters(
        {
            "characteristic": selection("characteristic", characteristics),
            "channel": selection("channel", channels),
            "phase": selection("phase", phases),
            "type": selection("type", types),
            "audience": selection("audience", audiences),
            "language": selection("language", [base_language(v) for v in as_tuple(languages)]),
        },
        None if max_minutes is None else max(0, int(max_minutes)),
    )
    limit = min(max(int(limit), 0), MAX_LIMIT)
    query = query if isinstance(query, str) else ("" if query is None else str(query))
    try:
        index = index or default_index()
        chosen = decode(filters.masks["language"], "language")
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
