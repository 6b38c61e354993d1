"""The session questionnaire: its items, its one answer scale, and how answers become scores.

The wording lives in ``modules/content/questionnaire.yaml`` so an organisation can adapt it
without touching code; the rules that turn answers into numbers live here, in one place, so a
reversed item or the direction of Reactance can never be handled two different ways.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import msgspec

from .alliance import BY_ID, CHARACTERISTIC_IDS
from .content import ContentError, Problem, display_path, read_yaml, register_checker
from .declared import convert_items, problem, without
from .i18n import N_, _
from .paths import SOURCE_LANGUAGE, content_file, modules_dir
from .questionnaire_file import (
    LISTS,
    Item,
    QuestionnaireFile,
    Reflection,
    RetiredItem,
    Scale,
    ScalePoint,
    Scoring,
    SessionPart,
)

__all__ = [
    "Item",
    "Questionnaire",
    "Reflection",
    "RetiredItem",
    "ScalePoint",
    "SessionPart",
    "format_score",
    "item_score",
    "load",
]

SCALE_MIN = 1
SCALE_MAX = 5
#: A client statement longer than this is probably too hard for a reading age of about 11.
CLIENT_MAX_WORDS = 14
#: Unknown statements named one by one in ``answer_problems``; the rest are counted.
MAX_PROBLEMS_LISTED = 5


@dataclass(frozen=True)
class Questionnaire:
    version: int
    points: tuple[ScalePoint, ...]
    items: tuple[Item, ...]
    min_answered: int
    rules: tuple[str, ...]
    reflections: dict[str, Reflection] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    #: items earlier versions asked: never shown again, still scored where a session has them
    retired: tuple[RetiredItem, ...] = ()
    parts: tuple[SessionPart, ...] = ()

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.items)

    @property
    def all_item_ids(self) -> tuple[str, ...]:
        """Current items first, then retired ones: the columns of an export."""
        return self.item_ids + tuple(i.id for i in self.retired)

    @property
    def part_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.parts)

    def changes_between(self, first: int, last: int) -> tuple[RetiredItem, ...]:
        """The items retired by a version after ``first`` and up to ``last``: what makes
        sessions scored with those two versions differ."""
        return tuple(i for i in self.retired if first < i.retired_in <= last)

    def items_for(self, cid: str) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.characteristic == cid)

    def item(self, item_id: str) -> Item:
        for i in self.items + self.retired:
            if i.id == item_id:
                return i
        raise KeyError(f"unknown item {item_id!r}")

    def score(self, answers: Mapping[str, int | None]) -> dict[str, float | None]:
        """Score per characteristic (1-5, mean of scored items); None with too few answers.

        A session is scored on the statements it was answered with: a retired item counts
        where an older session answered it. Unknown item ids are ignored.
        """
        scores: dict[str, float | None] = {}
        for cid, items, needed in self._groups:
            values = [
                item_score(item, answers[item.id])
                for item in items
                if answers.get(item.id) is not None
            ]
            scores[cid] = round(sum(values) / len(values), 2) if len(values) >= needed else None
        return scores

    def score_many(self, rows: Sequence[Mapping[str, int] | None]) -> dict[str, Any]:
        """``score`` for many answer sets at once: a numpy array per characteristic, NaN where
        a set has too few answers (same rules, same rounding, much faster)."""
        import numpy as np

        out: dict[str, Any] = {}
        n = len(rows)
        for cid, items, needed in self._groups:
            if not items or not n:
                out[cid] = np.full(n, np.nan)
                continue
            matrix = np.vstack(
                [
                    item_score(
                        item,
                        np.array([r.get(item.id) if r else None for r in rows], dtype=float),
                    )
                    for item in items
                ]
            )
            count = (~np.isnan(matrix)).sum(axis=0)
            with np.errstate(invalid="ignore", divide="ignore"):
                mean = np.round(np.nansum(matrix, axis=0) / count, 2)
            mean[count < needed] = np.nan
            out[cid] = mean
        return out

    @cached_property
    def _groups(self) -> tuple[tuple[str, tuple[Item, ...], int], ...]:
        """Items per characteristic (current and retired) and the answers needed for a score,
        worked out once: the trends page scores every session of five years."""
        out = []
        for cid in CHARACTERISTIC_IDS:
            items = self.items_for(cid)
            known = items + tuple(i for i in self.retired if i.characteristic == cid)
            out.append((cid, known, max(1, min(self.min_answered, len(items)))))
        return tuple(out)

    def answer_problems(
        self, answers: Mapping[str, object], *, require_all: bool = True, who: str = "officer"
    ) -> list[str]:
        """Plain sentences for every missing or impossible answer (empty list = all fine).

        Answers may come from a file or a form, so anything is accepted and described in a
        short sentence, never raised on; at most ``MAX_PROBLEMS_LISTED`` unknown statements
        are named, so a huge input gives a short answer.
        """
        from .i18n import _

        if not isinstance(answers, Mapping):
            return [
                _(
                    "The answers should pair each statement with a number from {low} to "
                    "{high}, not be {value}."
                ).format(low=SCALE_MIN, high=SCALE_MAX, value=_shown(answers))
            ]
        messages: list[str] = []
        numbers = {item.id: n for n, item in enumerate(self.items, start=1)}
        unknown = 0
        for key, value in answers.items():
            if not isinstance(key, str) or key not in numbers:
                unknown += 1
                if unknown <= MAX_PROBLEMS_LISTED:
                    messages.append(
                        _("Answer for an unknown statement {key}.").format(key=_shown(key))
                    )
            elif value is not None and (
                isinstance(value, bool)
                or not isinstance(value, int)
                or not SCALE_MIN <= value <= SCALE_MAX
            ):
                messages.append(
                    _("Statement {number}: {value} is not on the scale {low} to {high}.").format(
                        number=numbers[key], value=_shown(value), low=SCALE_MIN, high=SCALE_MAX
                    )
                )
        if unknown > MAX_PROBLEMS_LISTED:
            messages.append(
                _("Answers for {count} more unknown statements.").format(
                    count=unknown - MAX_PROBLEMS_LISTED
                )
            )
        missing = [numbers[i.id] for i in self.items if answers.get(i.id) is None]
        if require_all and missing:
            listed = ", ".join(str(n) for n in missing)
            messages.append(
                _("Please answer every statement; still open: {numbers}.").format(numbers=listed)
                if who == "officer"
                else _("Please choose an answer for every question.")
            )
        return messages


def _shown(value: object, limit: int = 40) -> str:
    """A value as it appears in a message: short, and never an error of its own (the repr of
    a number with thousands of digits raises)."""
    try:
        text = repr(value)
    except Exception:  # any object may come from an imported file
        text = f"a {type(value).__name__} that cannot be shown"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def item_score(item: Item, answer: Any) -> Any:
    """The one place where a reversed statement is turned round (5 <-> 1, 4 <-> 2).

    ``answer`` is one answer, or a numpy array of answers (NaN = not answered) when the
    trends page scores years of sessions at once.
    """
    if isinstance(answer, int) and not SCALE_MIN <= answer <= SCALE_MAX:
        raise ValueError(f"answer {answer!r} is outside {SCALE_MIN}-{SCALE_MAX}")
    return SCALE_MIN + SCALE_MAX - answer if item.reverse else answer


def format_score(cid: str, value: float | None) -> str:
    """A score as text in the page's language, with Reactance's direction beside it so it is
    never misread."""
    from .i18n import _, number

    char = BY_ID[cid]
    if value is None:
        return _("{name}: not enough answers").format(name=char.shown_name)
    text = f"{char.shown_name}: {number(value, '0.0')}"
    if not char.higher_is_better:
        text += f" ({char.direction_label})"
    return text


def default_path() -> Path:
    return modules_dir() / "content" / "questionnaire.yaml"


#: The scale every questionnaire uses, shown with its numbers when the file's own is unusable.
_PLAIN_POINTS = tuple(
    ScalePoint(value=v, professional=str(v), client=str(v)) for v in range(SCALE_MIN, SCALE_MAX + 1)
)
_HEAD = without(QuestionnaireFile, LISTS)
_OPTIONAL = {f.name for f in msgspec.structs.fields(QuestionnaireFile) if not f.required}
_LIST_WORDS = {
    "items": N_("should be a list of statements"),
    "reflection": N_("should be a list of reflection prompts"),
    "retired": N_("should be a list of retired statements"),
    "session_parts": N_("should be a list of session parts"),
}


def _parse(path: Path) -> Questionnaire:
    where = display_path(path)
    try:
        data = read_yaml(path)
    except ContentError as exc:
        return Questionnaire(0, (), (), 2, (), {}, (exc.problem,))
    if not isinstance(data, dict):
        return Questionnaire(0, (), (), 2, (), {}, (Problem(where, _("should be a mapping")),))
    # The file's own fields first, then each list item by item, so one broken statement is
    # named and the others still load.
    head = {k: v for k, v in data.items() if k not in LISTS}
    problems: list[Problem] = []
    try:
        msgspec.convert(head, _HEAD, strict=True)
    except msgspec.ValidationError as exc:
        problems.append(problem(exc, head, where, None))
    version = _part(data, "version", int, 0)
    scale = _part(data, "scale", Scale, None)
    scoring = _part(data, "scoring", Scoring, None)
    items: tuple[Item, ...] = tuple(_items(where, data, "items", problems))
    retired = _retired(where, data, items, version, problems)
    parts = tuple(_items(where, data, "session_parts", problems))
    reflections = {
        r.characteristic: r
        for r in _items(where, data, "reflection", problems, id_field="characteristic")
    }
    if not problems:
        # What only the whole file shows: how many entries each list has.
        try:
            msgspec.convert(data, QuestionnaireFile, strict=True)
        except msgspec.ValidationError as exc:
            problems.append(problem(exc, data, where, None))
    min_answered = scoring.min_answered if scoring else 2
    problems += _coverage(where, items, reflections, min_answered)
    return Questionnaire(
        version,
        tuple(scale.points) if scale else _PLAIN_POINTS,
        items,
        min_answered,
        tuple(scoring.rules) if scoring else (),
        reflections,
        tuple(problems),
        retired,
        parts,
    )


def _part(data: dict, name: str, kind: Any, default: Any) -> Any:
    """One field of the file as declared, or ``default`` when it is not (the problem is
    reported by the check of the file's own fields)."""
    try:
        return msgspec.convert(data.get(name), kind, strict=True)
    except msgspec.ValidationError:
        return default


def _items(
    where: str,
    data: dict,
    name: str,
    problems: list[Problem],
    *,
    id_field: str = "id",
    seen_ids: set[str] | None = None,
) -> list[Any]:
    raw = data.get(name)
    if raw is None and name in _OPTIONAL:
        return []
    if not isinstance(raw, list):
        problems.append(Problem(where, _(_LIST_WORDS[name]), None, name))
        return []
    good, found = convert_items(where, raw, LISTS[name], id_field=id_field, seen_ids=seen_ids)
    problems += found
    return good


def _retired(
    where: str, data: dict, items: tuple[Item, ...], version: int, problems: list[Problem]
) -> tuple[RetiredItem, ...]:
    """Retired items: each keeps an id no current item uses (old answers refer to it) and was
    retired by a version not later than the file's own."""
    out = []
    for r in _items(where, data, "retired", problems, seen_ids={i.id for i in items}):
        if r.retired_in > version:
            problems.append(
                Problem(
                    where,
                    _("is retired in version %(retired)s, after this file's version %(version)s")
                    % {"retired": r.retired_in, "version": version},
                    r.id,
                    "retired_in",
                )
            )
            continue
        out.append(r)
    return tuple(out)


def _coverage(
    where: str, items: tuple[Item, ...], reflections: dict[str, Reflection], min_answered: int
) -> list[Problem]:
    """Every characteristic can be scored and has a reflection prompt; client statements stay
    short enough to read."""
    problems = []
    for cid in CHARACTERISTIC_IDS:
        count = sum(1 for i in items if i.characteristic == cid)
        if count < max(min_answered, 2):
            problems.append(
                Problem(
                    where,
                    _(
                        "%(characteristic)s has %(count)s statement(s); it needs at least "
                        "%(needed)s to be scored"
                    )
                    % {
                        "characteristic": _(BY_ID[cid].name),
                        "count": count,
                        "needed": max(min_answered, 2),
                    },
                    None,
                    "items",
                )
            )
        if cid not in reflections:
            problems.append(
                Problem(
                    where,
                    _("has no reflection prompt for %(characteristic)s") % {"characteristic": cid},
                    None,
                    "reflection",
                )
            )
    for item in items:
        words = len(item.client.split())
        if words > CLIENT_MAX_WORDS:
            problems.append(
                Problem(
                    where,
                    _(
                        "the client statement has %(count)s words; keep it to %(max)s or fewer "
                        "so it stays easy to read"
                    )
                    % {"count": words, "max": CLIENT_MAX_WORDS},
                    item.id,
                    "client",
                )
            )
    return problems


@lru_cache(maxsize=4)
def _cached(path: str, mtime: float) -> Questionnaire:
    return _parse(Path(path))


def load_file(path: Path) -> Questionnaire:
    """One questionnaire file as it is written, problems included (cached per file version)."""
    try:
        mtime = path.stat().st_mtime
    except OSError:
        mtime = -1.0
    return _cached(str(path), mtime)


def load(path: Path | None = None, lang: str = SOURCE_LANGUAGE) -> Questionnaire:
    """The questionnaire (cached per process; re-read when the file changes), worded in
    ``lang`` where its content folder has a translation.

    Only the words come from the translation: ids, reversals, versions and the scale stay the
    English file's, so a session scored in any language stores the same answers and scores.
    """
    english = load_file(path or default_path())
    if path is not None or lang == SOURCE_LANGUAGE:
        return english
    translated = content_file("questionnaire.yaml", lang)
    if translated == default_path():
        return english
    return _worded_as(english, load_file(translated))


def _worded_as(english: Questionnaire, words: Questionnaire) -> Questionnaire:
    """``english`` with the texts of ``words``; a translation with problems is not used at all
    (``alliance-kit check content-nl`` names them), since a half-read file could put a text
    beside the wrong answer."""
    if words.problems:
        return english
    # The items are frozen msgspec Structs, the questionnaire a frozen dataclass.
    reword = msgspec.structs.replace
    items = {i.id: i for i in words.items + words.retired}
    parts = {p.id: p for p in words.parts}

    def item(i: Item) -> Item:
        t = items.get(i.id)
        if t is None:
            return i
        texts = {"professional": t.professional, "client": t.client}
        if isinstance(i, RetiredItem) and isinstance(t, RetiredItem):
            texts["why"] = t.why
        return reword(i, **texts)

    return replace(
        english,
        points=tuple(
            reword(p, professional=t.professional, client=t.client)
            for p, t in zip(english.points, words.points, strict=True)
        ),
        items=tuple(item(i) for i in english.items),
        retired=tuple(item(i) for i in english.retired),
        parts=tuple(
            reword(p, label=parts[p.id].label, hint=parts[p.id].hint) if p.id in parts else p
            for p in english.parts
        ),
        rules=words.rules or english.rules,
        reflections={
            cid: reword(r, drop=(w := words.reflections[cid]).drop, gap=w.gap, query=w.query)
            if cid in words.reflections
            else r
            for cid, r in english.reflections.items()
        },
    )


@register_checker("questionnaire", N_("session questionnaire items, scale and scoring rules"))
def check_questionnaire() -> list[Problem]:
    return list(_parse(default_path()).problems)
