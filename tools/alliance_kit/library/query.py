"""What the user typed, turned into an FTS5 expression and a guess at its language.

Users type into a search box during a supervision session, and raw FTS5 query syntax turns
ordinary text (``C++``, a URL, ``don't``, a lone quote, ``NOT``) into syntax errors. So the
user's text is never passed to MATCH: it is split into words, and the FTS5 expression is built
from those words, each one quoted. The word being typed is matched as a prefix, a word the
index does not know is replaced by the nearest known words, and a word nobody uses is left out.

Dutch and English: each word is searched as written (English rows are porter-stemmed) and as
its Dutch stem (Dutch rows are indexed as Dutch stems), so "gesprekken" finds "gesprek". The
query's words tell its language when the caller does not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .index import LibraryIndex
from .index_build import fold, words
from .stemming import porter_token, stem_nl

MAX_QUERY_CHARS = 2000
MAX_WORDS = 12
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

_ENDS_IN_WORD = re.compile(r"[^\W_]$")


@dataclass
class Plan:
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
    #: the clause of the word being typed (its position in ``clauses``) as one whole word:
    #: itself when the library knows it, else its commonest completion. A prefix that
    #: matches much of a large library is ranked by this word (``ranking.WHOLE_WORD_AFTER``).
    typed: tuple[int, str] | None = None

    def ranked_by_whole_word(self, joiner: str) -> str | None:
        """The query with the word being typed as a whole word; None when nothing is typed."""
        if self.typed is None:
            return None
        position, whole = self.typed
        clauses = list(self.clauses)
        clauses[position] = whole
        return joiner.join(clauses)


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def close_words(index: LibraryIndex, term: str, n: int = 2) -> list[str]:
    """Indexed words that look like ``term`` (one or two letters off), commonest first."""
    if len(term) < 4 or term.isdigit():
        return []
    spread = 1 if len(term) < 7 else 2
    from difflib import SequenceMatcher  # only once a word is not in the library

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


def _dutch_stem(index: LibraryIndex, word: str) -> str | None:
    """The word's Dutch stem, to search beside the word, when a Dutch row could hold it.

    Not in a library without Dutch versions: there the "stem" finds only English words that
    look like it ("note" would find "not"), and ranking looks for it in every match, which
    in a large library costs a fifth more. Nor when no row holds it at all.
    """
    nl = stem_nl(word)
    if nl == word or not index.dutch_rows():
        return None
    return nl if index.stem_known(nl) else None


def _alternatives(index: LibraryIndex, word: str) -> str:
    """The word as an FTS5 phrase, or it and its Dutch stem: "gesprekken" OR "gesprek".

    A Dutch word as written, which no row holds (Dutch rows hold stems), is left out.
    """
    nl = _dutch_stem(index, word)
    if nl is None:
        return _quote(word)
    if not index.stem_known(word):
        return _quote(nl)
    return f"({_quote(word)} OR {_quote(nl)})"


def _not_found_by(index: LibraryIndex, prefix: str, completions: Sequence[str]) -> list[str]:
    """The word being typed and its completions, as written and as Dutch stems, that its
    prefix search does not find already (the tokenizer cut them shorter than the prefix)
    and that some row holds.

    Each phrase of a query costs its ranking a pass over every match: a short prefix in a
    library of 100,000 matches most of it, and "off" searched "officer", "office" and four
    more beside "off*", which found them all.
    """
    start = porter_token(prefix)
    out: list[str] = []
    for completion in completions:
        for form in dict.fromkeys((completion, _dutch_stem(index, completion) or completion)):
            found_already = porter_token(form).startswith(start) or _quote(form) in out
            if not found_already and index.stem_known(form):
                out.append(_quote(form))
    return out


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


def plan_query(index: LibraryIndex, query: str) -> Plan:
    plan = Plan(clipped=len(query) > MAX_QUERY_CHARS)
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
                alternatives = [
                    _quote(word) + "*",
                    *_not_found_by(index, word, [word, *completions]),
                ]
                whole = word if index.known(word) else completions[0]
                plan.typed = (len(plan.clauses), _alternatives(index, whole))
                plan.clauses.append("(" + " OR ".join(alternatives) + ")")
                plan.searched.append(word)
                plan.stems.append(word)  # being typed: any word that starts with it
                continue
            if stem_nl(word) != word and index.stem_known(stem_nl(word)):
                # a whole Dutch word whose stem is known ("gesprekken"): no typo to correct
                plan.clauses.append(_alternatives(index, word))
                plan.searched.append(word)
                plan.stems.append(_mark_stem(word))
                continue
        elif index.known(word) or index.stem_known(word) or index.stem_known(stem_nl(word)):
            plan.clauses.append(_alternatives(index, word))
            plan.searched.append(word)
            plan.stems.append(_mark_stem(word))
            continue
        close = close_words(index, word)
        if close:
            plan.corrections[word] = close[0]
            plan.clauses.append("(" + " OR ".join(_alternatives(index, w) for w in close) + ")")
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
