"""The Dutch mirror of the content (``modules/content/nl/``) and the check that keeps it a mirror.

A translated file has the same shape as its English twin: the same ids in the same places, the
same option counts, scores, scene links, channels and citations. Only the text differs. That is
what keeps the journal, search facets, scores and grades independent of the language a page is
shown in. ``alliance-kit check content-nl`` compares every Dutch file with its English twin,
reports per file how much of the text is translated, and names every difference by file, item
and field.

Every mirrored file is translated, so a missing Dutch file (0%) fails the check like any
missing text. ``ALLIANCE_KIT_REQUIRE_TRANSLATIONS=none`` makes it a note instead, for an
organisation that adds English content and translates it later. A Dutch file that exists is
always checked in full: a partly translated file is an error.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .content import (
    ContentError,
    Problem,
    display_path,
    read_yaml,
    register_checker,
    register_notes,
    required_translations,
)
from .declared import prose_fields
from .i18n import N_, _
from .learn.model import ModuleText, PracticeFile, QuestionFile
from .learn.quiz import parse_file
from .learn.texts import read_text
from .learn.trainer import read_items
from .paths import content_dir, modules_dir

LANG = "nl"

#: The keys whose values are prose, per kind of file (for a declared kind, the fields its
#: declaration marks ``PROSE``). Everything else (ids, scores, ``next``
#: links, channels, phases, characteristics, ``cites``) is language-neutral and must equal the
#: English value. A text key holding a mapping (``by_channel``) has text values. A library
#: search (``query``) is text: the library indexes Dutch versions by Dutch stems, so a Dutch
#: page's search finds the Dutch resources first only with Dutch words.
TEXT_KEYS: dict[str, frozenset[str]] = {
    "learn-text": prose_fields(ModuleText),
    "questions": prose_fields(QuestionFile),
    "practice-items": prose_fields(PracticeFile),
    "scenario": frozenset(
        {
            *("title", "summary", "client", "label", "why", "text", "feedback", "debrief"),
            *("by_channel", "query"),
        }
    ),
    "channel-model": frozenset({"label", "unit", "source", "note"}),
    "questionnaire": frozenset(
        {"professional", "client", "rules", "why", "label", "hint", "drop", "gap", "query"}
    ),
}

#: Values the code reads as markers: they stay in English in every language.
KEYWORDS: frozenset[str] = frozenset({"teaching assumption"})

#: An identical text this long is English left in a Dutch file, not a shared word like "Video".
_UNTRANSLATED_WORDS = 4


def _kind(relative: str) -> str:
    if relative.startswith("learn/texts/"):
        return "learn-text"
    if relative.startswith("learn/questions/"):
        return "questions"
    if relative == "learn/practice_items.yaml":
        return "practice-items"
    if relative.startswith("scenarios/"):
        return "scenario"
    if relative == "questionnaire.yaml":
        return "questionnaire"
    return "channel-model"


def mirrored_files() -> list[str]:
    """The English content files that have a Dutch twin, relative to ``modules/content``
    (the bibliography is not mirrored: its titles are the publications' own)."""
    english = modules_dir() / "content"
    files = [
        "channel_model.yaml",
        "questionnaire.yaml",
        "learn/practice_items.yaml",
        "learn/texts/overview.md",
    ]
    for folder in ("learn/texts", "learn/questions", "scenarios"):
        files += [f"{folder}/{p.name}" for p in sorted((english / folder).glob("*.yaml"))]
    return sorted(f for f in files if (english / f).is_file())


@dataclass(frozen=True)
class Coverage:
    """How much of one file's text has a Dutch version."""

    file: str
    texts: int
    translated: int

    @property
    def percent(self) -> int:
        return 100 if not self.texts else int(100 * self.translated / self.texts)

    def __str__(self) -> str:
        return _("%(file)s: %(percent)s%% (%(done)s of %(count)s texts)") % {
            "file": self.file,
            "percent": self.percent,
            "done": self.translated,
            "count": self.texts,
        }


@dataclass
class _Comparison:
    where: str
    text_keys: frozenset[str]
    texts: int = 0
    translated: int = 0

    def __post_init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, item: str | None, field: str, message: str) -> None:
        self.problems.append(Problem(self.where, message, item, field or None))

    def text(self, english: Any, dutch: Any, item: str | None, field: str) -> None:
        self.texts += 1
        if not isinstance(dutch, str) or not dutch.strip():
            self.problem(item, field, _("has no Dutch text"))
        elif isinstance(english, str) and english.strip().lower() in KEYWORDS:
            if dutch.strip().lower() != english.strip().lower():
                self.problem(
                    item,
                    field,
                    _("must stay %(word)r (the kit reads it)") % {"word": english.strip()},
                )
            else:
                self.translated += 1
        elif dutch.strip() == str(english).strip() and len(dutch.split()) >= _UNTRANSLATED_WORDS:
            self.problem(item, field, _("is still the English text"))
        else:
            self.translated += 1

    def compare(self, english: Any, dutch: Any, item: str | None, field: str) -> None:
        if isinstance(english, dict):
            if not isinstance(dutch, dict):
                self.problem(item, field, _("should be a mapping, as in the English file"))
                return
            here = str(english["id"]) if isinstance(english.get("id"), str) else item
            for key in english.keys() - dutch.keys():
                missing = _("is in the English file but missing here")
                self.problem(here, _join(field, key), missing)
            for key in dutch.keys() - english.keys():
                self.problem(here, _join(field, key), _("is not in the English file"))
            for key in english.keys() & dutch.keys():
                path = _join(field, key)
                if key in self.text_keys and isinstance(english[key], dict):
                    self.compare_text_mapping(english[key], dutch[key], here, path)
                elif key in self.text_keys and isinstance(english[key], str):
                    self.text(english[key], dutch[key], here, path)
                elif key in self.text_keys and _strings(english[key]):
                    self.compare_text_list(english[key], dutch[key], here, path)
                else:
                    self.compare(english[key], dutch[key], here, path)
        elif isinstance(english, list):
            if not isinstance(dutch, list) or len(dutch) != len(english):
                count = len(dutch) if isinstance(dutch, list) else _("no")
                self.problem(
                    item,
                    field,
                    _("has %(count)s entries; the English file has %(english)s")
                    % {"count": count, "english": len(english)},
                )
                return
            for index, (en, nl) in enumerate(zip(english, dutch, strict=True)):
                self.compare(en, nl, item, f"{field}[{index}]")
        elif english != dutch:
            self.problem(
                item,
                field,
                _("is %(dutch)r; it must stay %(english)r as in English")
                % {"dutch": dutch, "english": english},
            )

    def compare_text_mapping(self, english: Any, dutch: Any, item: str | None, field: str) -> None:
        if not isinstance(dutch, dict) or dutch.keys() != english.keys():
            keys = ", ".join(map(str, english))
            self.problem(item, field, _("should have the keys %(keys)s") % {"keys": keys})
            return
        for key, value in english.items():
            self.text(value, dutch[key], item, _join(field, key))

    def compare_text_list(self, english: list, dutch: Any, item: str | None, field: str) -> None:
        if not isinstance(dutch, list) or len(dutch) != len(english):
            self.problem(
                item,
                field,
                _("should have %(count)s texts, as in the English file") % {"count": len(english)},
            )
            return
        for index, (en, nl) in enumerate(zip(english, dutch, strict=True)):
            self.text(en, nl, item, f"{field}[{index}]")


def _strings(value: Any) -> bool:
    """A list of texts (the questionnaire's scoring rules) rather than a list of items."""
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)


def _join(field: str, key: str) -> str:
    return f"{field}.{key}" if field else key


def compare_file(relative: str) -> tuple[Coverage, list[Problem]]:
    """One Dutch file against its English twin: its coverage and every difference."""
    english_path = modules_dir() / "content" / relative
    dutch_path = modules_dir() / "content" / LANG / relative
    where = display_path(dutch_path)
    if not dutch_path.is_file():
        return Coverage(where, _count_texts(english_path, relative), 0), []
    if relative.endswith(".md"):
        text = dutch_path.read_text(encoding="utf-8").strip()
        english_text = english_path.read_text(encoding="utf-8").strip()
        if not text:
            return Coverage(where, 1, 0), [Problem(where, _("has no Dutch text"))]
        if text == english_text:
            return Coverage(where, 1, 0), [Problem(where, _("is still the English text"))]
        return Coverage(where, 1, 1), []
    try:
        english = read_yaml(english_path)
        dutch = read_yaml(dutch_path)
    except ContentError as exc:
        return Coverage(where, 0, 0), [exc.problem]
    comparison = _Comparison(where, TEXT_KEYS[_kind(relative)])
    comparison.compare(english, dutch, None, "")
    problems = comparison.problems + _loader_problems(relative, dutch_path, dutch)
    return Coverage(where, comparison.texts, comparison.translated), problems


def _loader_problems(relative: str, path: Path, data: Any) -> list[Problem]:
    """What the engine that reads this kind of file refuses: Dutch text is longer than English,
    so a length limit in a schema can fail in Dutch only."""
    kind = _kind(relative)
    if kind == "learn-text":
        return read_text(path.stem, path.parent)[1]
    if kind == "questions":
        return parse_file(path, set())[1]
    if kind == "practice-items":
        return list(read_items(path)[1])
    if kind == "scenario":
        from .scenarios.loading import check_case_data

        return check_case_data(data, display_path(path))
    if kind == "questionnaire":
        from .questionnaire import load_file

        return list(load_file(path).problems)
    from .channel_model.parameters import load_spec

    return load_spec(path)[1]


def _count_texts(english_path: Path, relative: str) -> int:
    if relative.endswith(".md"):
        return 1
    try:
        data = read_yaml(english_path)
    except ContentError:
        return 0
    return sum(1 for _ in _texts(data, TEXT_KEYS[_kind(relative)]))


def _texts(data: Any, keys: frozenset[str]) -> Iterator[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key in keys and isinstance(value, str):
                yield value
            elif key in keys and _strings(value):
                yield from value
            elif key in keys and isinstance(value, dict):
                yield from (v for v in value.values() if isinstance(v, str))
            else:
                yield from _texts(value, keys)
    elif isinstance(data, list):
        for value in data:
            yield from _texts(value, keys)


def require_complete() -> bool:
    """A missing Dutch file fails the check while Dutch is a required translation."""
    return LANG in required_translations()


def coverage() -> list[Coverage]:
    """Translation coverage of every mirrored file, in file order."""
    return [compare_file(relative)[0] for relative in mirrored_files()]


@register_checker(
    "content-nl", N_("the Dutch content (modules/content/nl/) mirrors the English files")
)
def check_dutch() -> list[Problem]:
    problems: list[Problem] = []
    strict = require_complete()
    dutch_root = content_dir(LANG)
    for relative in mirrored_files():
        covered, found = compare_file(relative)
        problems += found
        if strict and covered.percent < 100 and not found:
            problems.append(Problem(covered.file, _("has no Dutch version yet (0% translated)")))
    if dutch_root.name == LANG:
        english = set(mirrored_files())
        for path in sorted(dutch_root.rglob("*")):
            relative = path.relative_to(dutch_root).as_posix()
            if path.is_file() and relative not in english:
                problems.append(Problem(display_path(path), _("has no English twin")))
    return problems


@register_notes("content-nl")
def dutch_coverage() -> list[str]:
    return [_("translated: %(coverage)s") % {"coverage": c} for c in coverage()]
