"""Finding people's names in a note without flagging ordinary words.

A long name list alone would warn about "Will", "Mark", "Rose" or "Bakker" in every other
note, so a list entry becomes a warning only with signs that a person is meant:

* a capital letter in the middle of a sentence (where neither English nor Dutch capitalises
  ordinary words), or at the start of one for names that are not also ordinary words;
* a title ("Mrs", "meneer"), "called"/"heet", or a family word before it ("her son Milan"),
  which also catches names missing from the lists;
* a possessive ("Peter's") or another name beside it ("Mark Bakker").

Lower-case words are never taken for names. Months, days, places and the kit's own words
("Trust", "Bond") and parts of place names ("Job Centre") are left alone unless a title or
family word points at a person. The lists live in ``data/names/`` (see the README there).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import lazy_re

NAMES_DIR = Path(__file__).resolve().parent / "data" / "names"

_TITLE = (
    r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Madam|Meneer|Mevrouw|Mevr|Dhr|Heer|Juffrouw"
    r"|mr|mrs|ms|dr|meneer|mevrouw|mevr|dhr|heer)"
)
_PARTICLES = r"(?:(?i:van|von|de|der|den|ter|ten|te|la|le|el|al)\s{1,3})*"
_TITLE_NAME = lazy_re.compile(rf"(?<![\w.]){_TITLE}\.?\s{{1,3}}{_PARTICLES}([A-Z][^\W\d_]+)")
_IS_TITLE = lazy_re.compile(_TITLE, re.I)
_CALLED = lazy_re.compile(
    r"\b(?:called|named|calls himself|calls herself|heet|genaamd|noemt zich|bijnaam|alias|aka)"
    r"\s{1,3}([A-Z][^\W\d_]+)"
)
_FAMILY = lazy_re.compile(
    r"\b(?:partner|girlfriend|boyfriend|wife|husband|son|daughter|mother|father|mum|mom|dad|"
    r"brother|sister|cousin|uncle|aunt|nephew|niece|grandmother|grandfather|nan|friend|"
    r"landlord|employer|boss|neighbour|neighbor|ex|stepson|stepdaughter|"
    r"vriendin|vriend|vrouw|echtgenote|echtgenoot|zoon|dochter|moeder|vader|broer|zus|neef|"
    r"nicht|oom|tante|oma|opa|buurman|buurvrouw|baas|werkgever|collega|stiefzoon|stiefdochter)"
    r",?\s{1,3}([A-Z][^\W\d_]+)"
)
# A Dutch surname with its particle: "van der Linden", "ter Horst".
_DUTCH_SURNAME = lazy_re.compile(r"\b(?:van der|van den|van de|ter|ten)\s{1,3}([A-Z][^\W\d_]+)")
_TOKEN = lazy_re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*['’]?")
_POSSESSIVE = lazy_re.compile(r"['’]s?$")
_SENTENCE_END = set(".!?:;•*–—-|>#\n")
_OPENERS = set("'‘\"“([")


@dataclass(frozen=True)
class NameLists:
    """The lists the check reads, each in lower case."""

    names: frozenset[str]
    ordinary: frozenset[str]
    not_names: frozenset[str]
    place_words: frozenset[str]


def _read(name: str) -> frozenset[str]:
    lines = (NAMES_DIR / name).read_text(encoding="utf-8").splitlines()
    return frozenset(s.strip() for s in lines if s.strip() and not s.startswith("#"))


@cache
def name_lists() -> NameLists:
    """The shipped lists, read once per process."""
    return NameLists(
        names=_read("first_names.txt") | _read("surnames.txt"),
        ordinary=_read("ordinary_words.txt"),
        not_names=_read("not_names.txt"),
        place_words=_read("place_words.txt"),
    )


@dataclass
class _Token:
    text: str
    base: str  # lower case, without a possessive ending
    start: int
    end: int
    capitalised: bool
    possessive: bool


def _tokens(text: str) -> list[_Token]:
    found = []
    for m in _TOKEN.finditer(text):
        word = m.group(0)
        stripped = _POSSESSIVE.sub("", word) if len(word) > 3 else word
        found.append(
            _Token(
                text=word,
                base=stripped.lower(),
                start=m.start(),
                end=m.end(),
                capitalised=word[0].isupper() and (len(stripped) == 1 or not stripped.isupper()),
                possessive=stripped != word,
            )
        )
    return found


def _sentence_start(text: str, start: int) -> bool:
    """Whether the word starts a sentence, a list item, a table cell or a quotation."""
    i = start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END or text[i] in _OPENERS


def _is_name(base: str, lists: NameLists) -> bool:
    if base in lists.names:
        return True
    # "Jan-Willem", "Smith-Jones": a name when every part is one ("Over-correcting" is not).
    return "-" in base and all(p in lists.names for p in base.split("-"))


def _same_run(text: str, a: _Token, b: _Token) -> bool:
    """Two capitalised words next to each other, only spaces between them."""
    return a.capitalised and b.capitalised and text[a.end : b.start].strip(" ") == ""


def find_names(text: str) -> list[str]:
    """The words of ``text`` that seem to name a person, in order of appearance."""
    lists = name_lists()
    flagged: dict[int, str] = {}
    for rx in (_TITLE_NAME, _CALLED, _FAMILY, _DUTCH_SURNAME):
        for m in rx.finditer(text):
            word = _POSSESSIVE.sub("", m.group(1))
            # A title points at a person even before "April"; a family word before "Friday"
            # ("saw her mum Friday") does not.
            if rx is not _TITLE_NAME and (
                word.lower() in lists.not_names | lists.place_words or _IS_TITLE.fullmatch(word)
            ):
                continue  # "her boss, Mr Patel": the title finds the name
            flagged.setdefault(m.start(1), word)

    tokens = _tokens(text)
    # "Hall" or "Church" is a surname too, but beside another capitalised word it is a place.
    never_alone = lists.not_names | lists.place_words
    listed = [
        t.capitalised and _is_name(t.base, lists) and t.base not in never_alone for t in tokens
    ]
    for i, t in enumerate(tokens):
        if not listed[i] or t.start in flagged:
            continue
        prev = tokens[i - 1] if i > 0 and _same_run(text, tokens[i - 1], t) else None
        nxt = tokens[i + 1] if i + 1 < len(tokens) and _same_run(text, t, tokens[i + 1]) else None
        if nxt is not None and nxt.base in lists.place_words:
            continue  # "Albert Heijn", "Victoria Street"
        if t.base not in lists.ordinary or t.possessive:
            flagged[t.start] = t.text
            continue
        # A name that is also a word needs a capital that a sentence start does not explain,
        # in a run of capitalised words that are all names ("Crown Court" is not a person).
        run_all_names = (prev is None or listed[i - 1]) and (nxt is None or listed[i + 1])
        if not run_all_names:
            continue
        next_is_name = nxt is not None and listed[i + 1]
        if not _sentence_start(text, t.start) or next_is_name:
            flagged[t.start] = t.text
    # A listed word beside a flagged name is part of it ("Mark" in "Mark Bakker").
    for i, t in enumerate(tokens):
        if listed[i] and t.start not in flagged:
            before = i > 0 and tokens[i - 1].start in flagged and _same_run(text, tokens[i - 1], t)
            after = (
                i + 1 < len(tokens)
                and tokens[i + 1].start in flagged
                and _same_run(text, t, tokens[i + 1])
            )
            if before or after:
                flagged[t.start] = t.text
    return [flagged[k] for k in sorted(flagged)]


def code_names(code: str) -> list[str]:
    """Words of a client code that are names and not also ordinary words ("fox3" is fine)."""
    lists = name_lists()
    return [
        t.text
        for t in _tokens(code)
        if _is_name(t.base, lists) and t.base not in lists.ordinary | lists.not_names
    ]
