"""What ``modules/content/questionnaire.yaml`` may hold, declared once: the check, the typed
items the kit scores with, and the JSON Schema editors get (``schemas/questionnaire.schema.json``).

The rules that span the whole file (each characteristic has enough statements and one
reflection prompt, a retired statement was retired by an earlier version) live with the loader
in :mod:`alliance_kit.questionnaire`, since they name the item they concern and must not stop
the other items from loading.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from .alliance import CharacteristicId
from .declared import Declared, ships_schema
from .i18n import _

StatementId = Annotated[
    str,
    Meta(
        pattern="^[a-z][a-z0-9]*(-[a-z0-9]+)*$",
        max_length=30,
        description="Stable id: sessions store answers by it, so a changed meaning gets a new id.",
    ),
]


def _text(low: int, high: int, description: str = "") -> object:
    return Annotated[str, Meta(min_length=low, max_length=high, description=description or None)]


class Item(Declared, frozen=True):
    """One statement, asked of the officer and, in its own words, of the client."""

    id: StatementId
    characteristic: CharacteristicId
    professional: Annotated[
        str,
        Meta(
            pattern="^(I|Ik) ",
            min_length=10,
            max_length=120,
            description="The officer's statement in the first person ('I ...', Dutch 'Ik ...').",
        ),
    ]
    client: _text(5, 80, "The client's statement about the same thing.")  # type: ignore[valid-type]
    reverse: Annotated[
        bool, Meta(description="True when agreeing means less of the characteristic.")
    ]


class RetiredItem(Item, frozen=True):
    """A statement earlier versions asked: never shown again, still scored where an old
    session answered it."""

    professional: _text(10, 120)  # type: ignore[valid-type]
    retired_in: Annotated[int, Meta(ge=2, description="The version that stopped asking it.")]
    why: _text(10, 200, "Why it was retired, shown on the trends page.")  # type: ignore[valid-type]


class SessionPart(Declared, frozen=True):
    """One part of a structured session (check-in, review...), ticked on the session form."""

    id: StatementId
    label: _text(1, 40)  # type: ignore[valid-type]
    hint: _text(1, 80)  # type: ignore[valid-type]


class ScalePoint(Declared, frozen=True):
    value: Annotated[int, Meta(ge=1, le=5)]
    professional: _text(1, 40)  # type: ignore[valid-type]
    client: _text(1, 20)  # type: ignore[valid-type]


class Reflection(Declared, frozen=True):
    """What the trends page asks when a characteristic drops, or when officer and client
    see it very differently."""

    characteristic: CharacteristicId
    drop: _text(20, 400)  # type: ignore[valid-type]
    gap: _text(20, 400)  # type: ignore[valid-type]
    query: _text(1, 80, "What the library is searched for beside the prompt.")  # type: ignore[valid-type]


class Scale(Declared, frozen=True):
    min: Literal[1]
    max: Literal[5]
    points: Annotated[list[ScalePoint], Meta(min_length=5, max_length=5)]

    def __post_init__(self) -> None:
        if [p.value for p in self.points] != list(range(self.min, self.max + 1)):
            raise ValueError(
                _("should list the values %(min)s to %(max)s in order")
                % {"min": self.min, "max": self.max}
            )


class Scoring(Declared, frozen=True):
    method: Literal["mean"]
    min_answered: Annotated[
        int, Meta(ge=1, le=4, description="Fewer answered statements give no score.")
    ]
    rules: Annotated[list[_text(1, 200)], Meta(min_length=1)]  # type: ignore[valid-type]


@ships_schema("questionnaire")
class QuestionnaireFile(Declared, frozen=True):
    """The session questionnaire (modules/content/questionnaire.yaml)."""

    version: Annotated[int, Meta(ge=1)]
    scale: Scale
    scoring: Scoring
    items: Annotated[list[Item], Meta(min_length=4)]
    reflection: Annotated[list[Reflection], Meta(min_length=4, max_length=4)]
    retired: list[RetiredItem] = msgspec.field(default_factory=list)
    session_parts: Annotated[list[SessionPart], Meta(min_length=1, max_length=8)] = msgspec.field(
        default_factory=list
    )


#: The lists of the file, each checked one item at a time, and what an item of each is.
LISTS: dict[str, type] = {
    "items": Item,
    "reflection": Reflection,
    "retired": RetiredItem,
    "session_parts": SessionPart,
}
