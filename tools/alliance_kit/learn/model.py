"""The Learn content kinds, each declared once: module texts, questions with feedback and the
practice trainer's items. A declaration is at the same time the check of a file, the typed
object the engines and pages use, and the JSON Schema shipped for editors
(``schemas/learn_text``, ``question``, ``practice_item``). The Dutch mirror under
``modules/content/nl/`` is read through the same declarations.

Fields marked ``PROSE`` are what a translator translates; everything else must stay as in
English (``alliance_kit.translations`` reads the marks).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import msgspec
from msgspec import Meta, field

from ..alliance import BY_ID, CHANNELS, CHARACTERISTIC_IDS, PHASES
from ..content import ContentError, Problem, display_path, read_yaml
from ..declared import PROSE, Declared, convert, convert_items, field_error, ships_schema
from ..i18n import _
from ..paths import SOURCE_LANGUAGE, content_dir

T = TypeVar("T", bound=Declared)

CharacteristicId = Literal[CHARACTERISTIC_IDS]  # type: ignore[valid-type]
ChannelId = Literal[tuple(CHANNELS)]  # type: ignore[valid-type]
PhaseId = Literal[tuple(PHASES)]  # type: ignore[valid-type]
Speaker = Literal["client", "officer"]
Id = Annotated[str, Meta(pattern="^[a-z][a-z0-9-]*$", max_length=60)]
Cites = Annotated[
    tuple[Annotated[str, Meta(pattern="^[a-z0-9][a-z0-9-]*$", max_length=80)], ...],
    Meta(
        min_length=1,
        extra_json_schema={"uniqueItems": True},
        description="Ids of entries in modules/content/bibliography.yaml.",
    ),
]


def prose(max_length: int | None = None, description: str | None = None) -> Any:
    """A text a translator writes: not empty, at most ``max_length`` characters."""
    return Annotated[
        str, Meta(min_length=1, max_length=max_length, description=description, extra=PROSE)
    ]


def _strip(obj: Declared, *names: str, optional: tuple[str, ...] = ()) -> None:
    """YAML block text ends in a newline the page should not show; an optional text that is
    only blanks counts as absent."""
    for name in (*names, *optional):
        value = getattr(obj, name)
        if isinstance(value, str):
            stripped = value.strip()
            if not stripped and name in optional:
                msgspec.structs.force_setattr(obj, name, None)
            else:
                msgspec.structs.force_setattr(obj, name, stripped)


def _unique(values: Iterable[str], where: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise field_error(
                where, _("has %(value)s more than once") % {"value": f"{value!r:.40}"}
            )
        seen.add(value)


# --- module texts (texts/<characteristic>.yaml) ----------------------------------------------


class Section(Declared, frozen=True):
    id: Literal["what", "why", "research", "channels", "phases"]
    heading: prose(120)
    body: prose(description="Markdown (raw HTML is escaped).")
    cites: Cites = ()

    def __post_init__(self) -> None:
        _unique(self.cites, "cites")


class Line(Declared, frozen=True):
    speaker: Speaker
    line: prose(500)

    def __post_init__(self) -> None:
        _strip(self, "line")


class Example(Declared, frozen=True):
    title: prose(120)
    dialogue: Annotated[tuple[Line, ...], Meta(min_length=2)]
    commentary: prose()
    channel: ChannelId | None = None
    phase: PhaseId | None = None

    def __post_init__(self) -> None:
        _strip(self, "commentary")


class Prompt(Declared, frozen=True):
    id: Id
    prompt: prose(300)

    def __post_init__(self) -> None:
        _strip(self, "prompt")


@ships_schema("learn_text")
class ModuleText(Declared, frozen=True):
    """The reading part of one Learn module (modules/content/learn/texts/<characteristic>.yaml):
    its sections, worked dialogues and reflection prompts."""

    characteristic: CharacteristicId
    summary: prose(400)
    sections: Annotated[tuple[Section, ...], Meta(min_length=1)]
    examples: Annotated[tuple[Example, ...], Meta(min_length=3)]
    prompts: Annotated[tuple[Prompt, ...], Meta(min_length=1)] = field(name="reflection_prompts")

    def __post_init__(self) -> None:
        _strip(self, "summary")
        _unique((p.id for p in self.prompts), "reflection_prompts")


# --- questions (questions/<characteristic>.yaml) ---------------------------------------------


class Option(Declared, frozen=True):
    text: prose(400)
    feedback: prose(800)
    best: bool = False

    def __post_init__(self) -> None:
        _strip(self, "text", "feedback")


class Question(Declared, frozen=True):
    """One question: exactly one option is the best answer, and every option says why."""

    id: Id
    characteristic: CharacteristicId
    kind: Annotated[
        Literal["multiple-choice", "best-response"],
        Meta(
            description="best-response: a scenario and realistic officer responses to choose from."
        ),
    ]
    prompt: prose(300)
    options: Annotated[tuple[Option, ...], Meta(min_length=2, max_length=6)]
    scenario: prose(1200) | None = None
    channel: ChannelId | None = None
    phase: PhaseId | None = None
    source: (
        Annotated[
            str,
            Meta(
                min_length=1,
                max_length=200,
                description="Free text, for an organisation's own questions; the kit's "
                "questions use cites.",
            ),
        ]
        | None
    ) = None
    cites: Cites = ()

    def __post_init__(self) -> None:
        _strip(self, "prompt", optional=("scenario",))
        bests = sum(1 for o in self.options if o.best)
        if bests != 1:
            raise field_error(
                "options",
                _("should have exactly one option with 'best: true', found %(count)s")
                % {"count": bests},
            )
        _unique((o.text for o in self.options), "options")
        _unique(self.cites, "cites")

    @property
    def source_label(self) -> str | None:
        """The cited bibliography entries in author-year form, else the free-text source."""
        if self.cites:
            # The bibliography is read only when a question cites one: a page without
            # citations does not pay for it at kernel start.
            from ..bibliography import cite_label

            return cite_label(self.cites) or None
        return self.source

    @property
    def best_index(self) -> int:
        return next(i for i, o in enumerate(self.options) if o.best)


@ships_schema("question")
class QuestionFile(Declared):
    """The questions of one Learn module (modules/content/learn/questions/<characteristic>.yaml).
    Each question has exactly one option with best: true and feedback on every option."""

    questions: list[Question]
    characteristic: CharacteristicId | None = None


# --- practice trainer (practice_items.yaml) --------------------------------------------------


class PracticeItem(Declared, frozen=True):
    """One line from a session and the characteristic most at stake in it."""

    id: Id
    speaker: Speaker
    channel: ChannelId
    line: prose(400)
    characteristic: CharacteristicId
    effect: Annotated[
        Literal["strengthens", "strains"],
        Meta(
            description="Effect on the alliance as a whole. A line that adds friction (more "
            "Reactance, which is worse) strains it."
        ),
    ]
    explanation: prose(600)
    context: prose(300) | None = None
    phase: PhaseId | None = None

    def __post_init__(self) -> None:
        _strip(self, "line", "explanation", optional=("context",))


@ships_schema("practice_item")
class PracticeFile(Declared):
    """The practice trainer's utterances (modules/content/learn/practice_items.yaml)."""

    items: list[PracticeItem]


# --- where the content lives, and the shared loader ------------------------------------------


def learn_dir(lang: str = SOURCE_LANGUAGE) -> Path:
    return content_dir(lang) / "learn"


def module_id(cid: str) -> str:
    """The page and reflection id of a module, e.g. ``learn_goals_and_conditions``."""
    return "learn_" + BY_ID[cid].id.replace("-", "_")


def read_listed(
    path: Path,
    file_kind: type[Declared],
    key: str,
    item_kind: type[T],
    seen_ids: set[str] | None = None,
) -> tuple[list[T], list[Problem]]:
    """The valid items of a file shaped ``{key: [items]}`` and a problem for everything else,
    so one broken item never takes the others down."""
    where = display_path(path)
    try:
        data: Any = read_yaml(path)
    except ContentError as exc:
        return [], [exc.problem]
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        sentence = _("should be a mapping with a list under '%(key)s:'") % {"key": key}
        return [], [Problem(where, sentence, None, key)]
    problems: list[Problem] = []
    try:
        convert({**data, key: []}, file_kind, where)
    except ContentError as exc:
        problems.append(exc.problem)
    good, item_problems = convert_items(where, data[key], item_kind, seen_ids=seen_ids)
    return good, problems + item_problems
