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

from . import schema as _schema
from .alliance import BY_ID, CHARACTERISTIC_IDS
from .content import (
    ContentError,
    Problem,
    definition_schema,
    display_path,
    load_schema,
    read_yaml,
    register_checker,
    schema_problems,
    validate_items,
)
from .paths import SOURCE_LANGUAGE, content_file, modules_dir

SCALE_MIN = 1
SCALE_MAX = 5
#: A client statement longer than this is probably too hard for a reading age of about 11.
CLIENT_MAX_WORDS = 14
#: Unknown statements named one by one in ``answer_problems``; the rest are counted.
MAX_PROBLEMS_LISTED = 5


@dataclass(frozen=True)
class Item:
    id: str
    characteristic: str
    professional: str
    client: str
    reverse: bool
    #: the questionnaire version that stopped asking this item (None: still asked)
    retired_in: int | None = None
    #: why it was retired, in a sentence the trends page can show
    why: str = ""


@dataclass(frozen=True)
class SessionPart:
    """One part of a structured session (check-in, review...), ticked on the session form."""

    id: str
    label: str
    hint: str


@dataclass(frozen=True)
class ScalePoint:
    value: int
    professional: str
    client: str


@dataclass(frozen=True)
class Reflection:
    characteristic: str
    drop: str
    gap: str
    query: str


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
    retired: tuple[Item, ...] = ()
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

    def changes_between(self, first: int, last: int) -> tuple[Item, ...]:
        """The items retired by a version after ``first`` and up to ``last``: what makes
        sessions scored with those two versions differ."""
        return tuple(
            i for i in self.retired if i.retired_in is not None and first < i.retired_in <= last
        )

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
    from babel.numbers import format_decimal

    from .i18n import _, active

    char = BY_ID[cid]
    if value is None:
        return _("{name}: not enough answers").format(name=_(char.name))
    text = f"{_(char.name)}: {format_decimal(value, format='0.0', locale=active())}"
    if not char.higher_is_better:
        text += f" ({_(char.direction_label)})"
    return text


def default_path() -> Path:
    return modules_dir() / "content" / "questionnaire.yaml"


def _parse(path: Path) -> Questionnaire:
    where = display_path(path)
    full = load_schema("questionnaire")
    try:
        data = read_yaml(path)
    except ContentError as exc:
        return Questionnaire(0, (), (), 2, (), {}, (exc.problem,))
    if not isinstance(data, dict):
        return Questionnaire(0, (), (), 2, (), {}, (Problem(where, "should be a mapping"),))
    # Everything except the item list must be right; items are checked one by one below.
    listed = ("items", "reflection", "retired", "session_parts")
    top = {k: v for k, v in data.items() if k not in listed}
    shape = dict(full, required=[r for r in full["required"] if r not in listed])
    problems = schema_problems(top, shape, where)
    raw_items = data.get("items") if isinstance(data.get("items"), list) else []
    if not isinstance(data.get("items"), list):
        problems.append(Problem(where, "should be a list of statements", None, "items"))
    good, item_problems = validate_items(
        where, raw_items, definition_schema("questionnaire", "item")
    )
    problems.extend(item_problems)
    items = tuple(
        Item(i["id"], i["characteristic"], i["professional"], i["client"], i["reverse"])
        for i in good
    )
    version = data.get("version") if isinstance(data.get("version"), int) else 0
    retired, retired_problems = _retired(where, data.get("retired"), items, version)
    problems.extend(retired_problems)
    parts, part_problems = _parts(where, data.get("session_parts"))
    problems.extend(part_problems)
    raw_refl = data.get("reflection") if isinstance(data.get("reflection"), list) else []
    refl_good, refl_problems = validate_items(
        where,
        raw_refl,
        definition_schema("questionnaire", "reflection"),
        id_field="characteristic",
    )
    problems.extend(refl_problems)
    reflections = {r["characteristic"]: Reflection(**r) for r in refl_good}
    scale = data.get("scale") if isinstance(data.get("scale"), dict) else {}
    points_raw = scale.get("points") if isinstance(scale.get("points"), list) else []
    points = tuple(
        ScalePoint(p["value"], p["professional"], p["client"])
        for p in points_raw
        if isinstance(p, dict)
        and not _schema.errors(p, full["properties"]["scale"]["properties"]["points"]["items"])
    )
    if [p.value for p in points] != list(range(SCALE_MIN, SCALE_MAX + 1)) and not problems:
        problems.append(Problem(where, "should list the values 1 to 5 in order", None, "scale"))
    if len(points) != SCALE_MAX:
        points = tuple(ScalePoint(v, str(v), str(v)) for v in range(SCALE_MIN, SCALE_MAX + 1))
    scoring = data.get("scoring") if isinstance(data.get("scoring"), dict) else {}
    min_answered = scoring.get("min_answered")
    if not isinstance(min_answered, int) or isinstance(min_answered, bool):
        min_answered = 2
    for cid in CHARACTERISTIC_IDS:
        count = sum(1 for i in items if i.characteristic == cid)
        if count < max(min_answered, 2):
            problems.append(
                Problem(
                    where,
                    f"{BY_ID[cid].name} has {count} statement(s); it needs at least "
                    f"{max(min_answered, 2)} to be scored",
                    None,
                    "items",
                )
            )
        if cid not in reflections:
            problems.append(
                Problem(where, f"has no reflection prompt for {cid}", None, "reflection")
            )
    for item in items:
        words = len(item.client.split())
        if words > CLIENT_MAX_WORDS:
            problems.append(
                Problem(
                    where,
                    f"the client statement has {words} words; keep it to {CLIENT_MAX_WORDS} "
                    "or fewer so it stays easy to read",
                    item.id,
                    "client",
                )
            )
    return Questionnaire(
        version,
        points,
        items,
        min_answered,
        tuple(r for r in scoring.get("rules", []) if isinstance(r, str)),
        reflections,
        tuple(problems),
        retired,
        parts,
    )


def _retired(
    where: str, raw: Any, items: tuple[Item, ...], version: int
) -> tuple[tuple[Item, ...], list[Problem]]:
    """Retired items: each keeps an id no current item uses (old answers refer to it) and was
    retired by a version not later than the file's own."""
    if raw is None:
        return (), []
    if not isinstance(raw, list):
        return (), [Problem(where, "should be a list of retired statements", None, "retired")]
    seen = {i.id for i in items}
    good, problems = validate_items(
        where, raw, definition_schema("questionnaire", "retired"), seen_ids=seen
    )
    out = []
    for r in good:
        if r["retired_in"] > version:
            problems.append(
                Problem(
                    where,
                    f"is retired in version {r['retired_in']}, after this file's version {version}",
                    r["id"],
                    "retired_in",
                )
            )
            continue
        fields = ("id", "characteristic", "professional", "client", "reverse", "retired_in")
        out.append(Item(*(r[f] for f in fields), why=r["why"]))
    return tuple(out), problems


def _parts(where: str, raw: Any) -> tuple[tuple[SessionPart, ...], list[Problem]]:
    if raw is None:
        return (), []
    if not isinstance(raw, list):
        return (), [Problem(where, "should be a list of session parts", None, "session_parts")]
    good, problems = validate_items(where, raw, definition_schema("questionnaire", "part"))
    return tuple(SessionPart(p["id"], p["label"], p["hint"]) for p in good), problems


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
    items = {i.id: i for i in words.items + words.retired}
    parts = {p.id: p for p in words.parts}

    def item(i: Item) -> Item:
        t = items.get(i.id)
        return replace(i, professional=t.professional, client=t.client, why=t.why) if t else i

    return replace(
        english,
        points=tuple(
            replace(p, professional=t.professional, client=t.client)
            for p, t in zip(english.points, words.points, strict=True)
        ),
        items=tuple(item(i) for i in english.items),
        retired=tuple(item(i) for i in english.retired),
        parts=tuple(
            replace(p, label=parts[p.id].label, hint=parts[p.id].hint) if p.id in parts else p
            for p in english.parts
        ),
        rules=words.rules or english.rules,
        reflections={
            cid: replace(r, drop=words.reflections[cid].drop, gap=words.reflections[cid].gap)
            if cid in words.reflections
            else r
            for cid, r in english.reflections.items()
        },
    )


@register_checker("questionnaire", "session questionnaire items, scale and scoring rules")
def check_questionnaire() -> list[Problem]:
    return list(_parse(default_path()).problems)
