"""What a channel scenario is: one declaration gives the file check, the objects the player
plays and the JSON Schema editors get (``schemas/scenario.schema.json``).

A case is one supervision situation written once and played over several channels. The
channel decides what the officer can perceive (voice only by phone; face and surroundings by
video; words and timing in messaging; everything in the room), so the same case teaches what
each channel gives and hides. Risk signals are facts of the case: a signal the channel hides is
still there, and the debrief says so when the trainee did not ask for it.

A file lists its scenes and signals; code reads them by id (``case.scenes``, ``case.signals``),
so the lists are declared under their file names and read through mappings built once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache, cached_property
from typing import Annotated, Any, Literal, TypeVar

import msgspec
from msgspec import Meta

from ..alliance import CHANNELS, CHARACTERISTIC_IDS, PHASES
from ..declared import Declared, ships_schema
from ..i18n import N_

T = TypeVar("T")

#: What an officer can perceive, and on which channel. "Everything in the room" is every kind
#: but the two that only exist in writing.
PERCEPTION_KINDS: dict[str, str] = {
    "voice": N_("voice and sounds"),
    "face": N_("face and expression"),
    "body": N_("posture, hands, smell, appearance"),
    "surroundings": N_("surroundings and who else is there"),
    "text": N_("the words as written"),
    "timing": N_("when and how fast replies come"),
}
CHANNEL_PERCEPTION: dict[str, tuple[str, ...]] = {
    "face-to-face": ("voice", "face", "body", "surroundings"),
    "phone": ("voice",),
    "video": ("voice", "face", "surroundings"),
    "messaging": ("text", "timing"),
}
RISK_LEVELS: dict[str, str] = {
    "low": N_("Low risk"),
    "medium": N_("Medium risk"),
    "high": N_("High risk"),
}
SITUATIONS: dict[str, str] = {
    "complex-needs-mental-health": N_("mental-health needs"),
    "complex-needs-substance-use": N_("substance use"),
    "domestic-abuse": N_("possible domestic abuse"),
    "domestic-abuse-perpetrator": N_("domestic-abuse perpetrator on a programme"),
    "women-specific": N_("women-specific needs"),
    "interpreter": N_("works through an interpreter"),
    "learning-disability-or-autism": N_("learning disability or autism"),
    "young-adult": N_("young adult"),
    "breach-and-enforcement": N_("breach or enforcement"),
    "childcare": N_("childcare duties"),
    "physical-disability": N_("physical disability"),
    "no-private-space": N_("no private space for calls"),
    "no-data": N_("no data or device for video"),
    "first-offence": N_("first time under supervision"),
    "unemployed": N_("looking for work"),
}
ENDINGS: dict[str, str] = {
    "good": N_("Good ending"),
    "mixed": N_("Mixed ending"),
    "poor": N_("Poor ending"),
}
METER_MIN, METER_MAX = 0.0, 10.0

# Literal of a tuple is the Literal of its members: the allowed values stay defined once.
Channel = Literal[tuple(CHANNELS)]  # type: ignore[valid-type]
Phase = Literal[tuple(PHASES)]  # type: ignore[valid-type]
Risk = Literal[tuple(RISK_LEVELS)]  # type: ignore[valid-type]
Situation = Literal[tuple(SITUATIONS)]  # type: ignore[valid-type]
Characteristic = Literal[tuple(CHARACTERISTIC_IDS)]  # type: ignore[valid-type]
PerceptionKind = Literal[tuple(PERCEPTION_KINDS)]  # type: ignore[valid-type]
Ending = Literal[tuple(ENDINGS)]  # type: ignore[valid-type]

#: Lists whose entries must differ; the graph check names a repeated one by file and field.
UNIQUE = {"uniqueItems": True}
Id = Annotated[str, Meta(pattern="^[a-z][a-z0-9-]*$")]
Text = Annotated[str, Meta(min_length=1)]
SignalIds = Annotated[tuple[Id, ...], Meta(extra_json_schema=UNIQUE)]
Channels = Annotated[tuple[Channel, ...], Meta(min_length=1, extra_json_schema=UNIQUE)]
CiteId = Annotated[str, Meta(pattern="^[a-z0-9][a-z0-9-]*$", max_length=80)]
Effect = Annotated[float, Meta(ge=-10, le=10)]
Meter = Annotated[float, Meta(ge=METER_MIN, le=METER_MAX)]
ChannelText = Annotated[str, Meta(min_length=1)] | None


@cache
def _attributes(kind: type) -> dict[str, str]:
    return {f.encode_name: f.name for f in msgspec.structs.fields(kind)}


class ById(Declared, frozen=True):
    """Fields named after a characteristic or channel, read like a mapping by that id; an
    absent (None) field is not a key."""

    def __getitem__(self, key: str) -> Any:
        value = getattr(self, _attributes(type(self))[key])
        if value is None:
            raise KeyError(key)
        return value

    def get(self, key: str, default: Any = None) -> Any:
        name = _attributes(type(self)).get(key)
        value = getattr(self, name) if name else None
        return default if value is None else value

    def keys(self) -> list[str]:
        return [k for k, name in _attributes(type(self)).items() if getattr(self, name) is not None]

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def values(self) -> list[Any]:
        return [self[k] for k in self.keys()]

    def items(self) -> list[tuple[str, Any]]:
        return [(k, self[k]) for k in self.keys()]


class Effects(ById, frozen=True):
    """How much a choice moves each characteristic (reactance up is worse)."""

    goals_and_conditions: Effect = msgspec.field(default=0.0, name="goals-and-conditions")
    trust: Effect = 0.0
    bond: Effect = 0.0
    reactance: Effect = 0.0


class Meters(ById, frozen=True):
    """Where each characteristic starts, 0 to 10."""

    goals_and_conditions: Meter = msgspec.field(default=4.0, name="goals-and-conditions")
    trust: Meter = 4.0
    bond: Meter = 4.0
    reactance: Meter = 5.0


class ByChannel(ById, frozen=True):
    """The scene's text as it comes over one channel, where it differs from the scene's text."""

    face_to_face: ChannelText = msgspec.field(default=None, name="face-to-face")
    phone: ChannelText = None
    video: ChannelText = None
    messaging: ChannelText = None


class Signal(Declared, frozen=True):
    """A risk signal: a fact of the case, there whether or not the channel shows it."""

    id: Id
    label: Text
    why: Text


class Cue(Declared, frozen=True):
    """Something in the scene an officer may perceive, if the channel carries its kind."""

    kind: PerceptionKind
    text: Text
    signal: Id | None = None
    channels: Channels = ()

    def perceivable_on(self, channel: str) -> bool:
        if self.channels and channel not in self.channels:
            return False
        return self.kind in CHANNEL_PERCEPTION.get(channel, ())

    def exists_on(self, channel: str) -> bool:
        """Whether the cue is part of the situation on this channel (seen or not)."""
        return not self.channels or channel in self.channels

    def hidden_by(self, channel: str) -> bool:
        """Whether this channel hides the cue: something about the client or their
        surroundings (what the room shows) that this channel cannot carry. A cue written for
        some channels only (the face on video) is still there on the phone, unseen; the
        words and timing of messaging are not something other channels hide."""
        room = CHANNEL_PERCEPTION["face-to-face"]
        return (
            self.kind in room
            and self.kind not in CHANNEL_PERCEPTION.get(channel, ())
            and not self.perceivable_on(channel)
        )


class Choice(Declared, frozen=True):
    """One thing the officer can do, what it teaches and where it leads."""

    label: Text
    feedback: Text
    next: Id
    effects: Effects = msgspec.field(default_factory=Effects)
    notices: SignalIds = ()
    misses: SignalIds = ()
    channels: Channels = ()

    def offered_on(self, channel: str) -> bool:
        return not self.channels or channel in self.channels


class Scene(Declared, frozen=True):
    """One moment of the case: its text, cues and choices, or an ending with its debrief."""

    id: Id
    text: Text
    by_channel: ByChannel = msgspec.field(default_factory=ByChannel)
    cues: tuple[Cue, ...] = ()
    raises: SignalIds = ()
    choices: tuple[Choice, ...] = ()
    ending: Ending | None = None
    debrief: Text = ""
    cites: Annotated[
        tuple[CiteId, ...],
        Meta(
            min_length=1,
            extra_json_schema=UNIQUE,
            description="Ids of entries in modules/content/bibliography.yaml, for the claims "
            "in the debrief.",
        ),
    ] = ()

    def text_on(self, channel: str) -> str:
        return self.by_channel.get(channel, self.text)

    def choices_on(self, channel: str) -> list[tuple[int, Choice]]:
        """Choices offered on this channel, with their index in the scene (stable ids)."""
        return [(i, c) for i, c in enumerate(self.choices) if c.offered_on(channel)]

    def signals_present(self, channel: str) -> set[str]:
        """Signals that are part of this scene on ``channel``, perceivable there or not."""
        return set(self.raises) | {c.signal for c in self.cues if c.signal and c.exists_on(channel)}


def _by_id(items: Iterable[T]) -> dict[str, T]:
    """Entries by id; the first of a repeated id (the graph check reports the others)."""
    found: dict[str, T] = {}
    for item in items:
        found.setdefault(item.id, item)  # type: ignore[attr-defined]
    return found


class Resources(Declared, frozen=True):
    """What the debrief searches the resource library for."""

    query: str = ""
    characteristics: Annotated[tuple[Characteristic, ...], Meta(extra_json_schema=UNIQUE)] = ()


@ships_schema("scenario")
class Case(Declared, frozen=True, kw_only=True, dict=True):
    """alliance-kit channel scenario: one case, played on several channels (scenarios/*.yaml)."""

    id: Id
    title: Annotated[str, Meta(min_length=1, max_length=120)]
    summary: Text
    phase: Phase
    risk: Risk
    situation: Annotated[tuple[Situation, ...], Meta(extra_json_schema=UNIQUE)]
    client: Text
    channels: Annotated[tuple[Channel, ...], Meta(min_length=3, extra_json_schema=UNIQUE)]
    start: Text
    meters: Meters = msgspec.field(default_factory=Meters)
    resources: Resources = msgspec.field(default_factory=Resources)
    signal_list: tuple[Signal, ...] = msgspec.field(name="signals")
    scene_list: Annotated[tuple[Scene, ...], Meta(min_length=2)] = msgspec.field(name="scenes")

    @cached_property
    def scenes(self) -> dict[str, Scene]:
        """The scenes by id, in file order."""
        return _by_id(self.scene_list)

    @cached_property
    def signals(self) -> dict[str, Signal]:
        """The signals by id, in file order."""
        return _by_id(self.signal_list)

    def scene(self, scene_id: str) -> Scene:
        return self.scenes[scene_id]

    @property
    def resource_query(self) -> str:
        return self.resources.query

    @property
    def resource_characteristics(self) -> tuple[str, ...]:
        return self.resources.characteristics

    @property
    def situation_label(self) -> str:
        return ", ".join(SITUATIONS.get(s, s) for s in self.situation) or "none in particular"
