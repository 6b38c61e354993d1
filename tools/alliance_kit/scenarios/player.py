"""Playing a case: the state machine the scenario page drives, and two plays side by side.

Pure Python (no ipywidgets), so the page, the tests and any other front end drive the same
engine: choose, back, restart, result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..alliance import CHARACTERISTIC_IDS
from .model import (
    CHANNEL_PERCEPTION,
    METER_MAX,
    METER_MIN,
    PERCEPTION_KINDS,
    Case,
    Choice,
    Cue,
    Scene,
    Signal,
)


@dataclass(frozen=True)
class Step:
    """One choice made: what the trainee picked and what came of it."""

    scene_id: str
    choice_index: int
    label: str
    feedback: str
    effects: Mapping[str, float]
    noticed: tuple[str, ...]
    missed: tuple[str, ...]


@dataclass(frozen=True)
class _State:
    scene_id: str
    meters: tuple[float, ...]
    noticed: frozenset[str]
    missed: frozenset[str]
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class PlayResult:
    """A finished (or abandoned) play of one case on one channel, for debrief and comparison."""

    case_id: str
    channel: str
    ending_scene: str
    ending: str | None
    debrief: str
    steps: tuple[Step, ...]
    visited: tuple[str, ...]
    start_meters: Mapping[str, float]
    end_meters: Mapping[str, float]
    signals_present: tuple[str, ...]
    noticed: tuple[str, ...]
    missed: tuple[str, ...]
    cues_perceived: tuple[tuple[str, Cue], ...]
    cues_hidden: tuple[tuple[str, Cue], ...]
    cites: tuple[str, ...] = ()

    @property
    def moved(self) -> dict[str, float]:
        return {c: self.end_meters[c] - self.start_meters[c] for c in CHARACTERISTIC_IDS}


class Player:
    """The state machine behind the player page: choose, back, restart, result.

    Every state is an immutable snapshot on a stack, so Back is exact: it restores the meters,
    the signals and the path as they were before the last choice.
    """

    def __init__(self, case: Case, channel: str) -> None:
        if channel not in case.channels:
            offered = ", ".join(case.channels)
            raise ValueError(f"case {case.id!r} is not written for {channel!r}; try: {offered}")
        self.case = case
        self.channel = channel
        self._stack: list[_State] = []
        self.restart()

    # state -----------------------------------------------------------------------------
    @property
    def _state(self) -> _State:
        return self._stack[-1]

    @property
    def scene(self) -> Scene:
        return self.case.scene(self._state.scene_id)

    @property
    def meters(self) -> dict[str, float]:
        return dict(zip(CHARACTERISTIC_IDS, self._state.meters, strict=True))

    @property
    def steps(self) -> tuple[Step, ...]:
        return self._state.steps

    @property
    def noticed(self) -> frozenset[str]:
        return self._state.noticed

    @property
    def finished(self) -> bool:
        return self.scene.ending is not None

    @property
    def can_go_back(self) -> bool:
        return len(self._stack) > 1

    def text(self) -> str:
        return self.scene.text_on(self.channel)

    def choices(self) -> list[tuple[int, Choice]]:
        return [] if self.finished else self.scene.choices_on(self.channel)

    def cues(self) -> list[Cue]:
        """What the officer can perceive in this scene on this channel."""
        return [c for c in self.scene.cues if c.perceivable_on(self.channel)]

    def hidden_cues(self) -> list[Cue]:
        """What is there in the situation but this channel does not carry."""
        return [c for c in self.scene.cues if c.hidden_by(self.channel)]

    def hidden_kinds(self) -> list[str]:
        perceived = CHANNEL_PERCEPTION[self.channel]
        return [k for k in PERCEPTION_KINDS if k not in perceived]

    # transitions -----------------------------------------------------------------------
    def restart(self) -> None:
        start = tuple(float(self.case.meters[c]) for c in CHARACTERISTIC_IDS)
        self._stack = [_State(self.case.start, start, frozenset(), frozenset(), ())]

    def back(self) -> bool:
        """Undo the last choice; False when already at the start."""
        if not self.can_go_back:
            return False
        self._stack.pop()
        return True

    def choose(self, index: int) -> Step:
        """Take choice ``index`` (its index in the scene, as ``choices()`` reports it)."""
        offered = dict(self.choices())
        if index not in offered:
            raise ValueError(f"choice {index} is not offered in this scene on {self.channel}")
        choice = offered[index]
        state = self._state
        meters = tuple(
            min(METER_MAX, max(METER_MIN, value + choice.effects.get(cid, 0.0)))
            for cid, value in zip(CHARACTERISTIC_IDS, state.meters, strict=True)
        )
        step = Step(
            state.scene_id,
            index,
            choice.label,
            choice.feedback,
            dict(choice.effects),
            choice.notices,
            choice.misses,
        )
        self._stack.append(
            _State(
                choice.next,
                meters,
                state.noticed | set(choice.notices),
                state.missed | set(choice.misses),
                (*state.steps, step),
            )
        )
        return step

    def result(self) -> PlayResult:
        state = self._state
        visited = [s.scene_id for s in state.steps] + [state.scene_id]
        present: set[str] = set()
        perceived: list[tuple[str, Cue]] = []
        hidden: list[tuple[str, Cue]] = []
        for sid in visited:
            scene = self.case.scene(sid)
            present |= scene.signals_present(self.channel)
            for cue in scene.cues:
                if cue.perceivable_on(self.channel):
                    perceived.append((sid, cue))
                elif cue.hidden_by(self.channel):
                    hidden.append((sid, cue))
        present |= state.missed
        order = list(self.case.signals)
        missed = (present | state.missed) - state.noticed
        scene = self.scene
        return PlayResult(
            case_id=self.case.id,
            channel=self.channel,
            ending_scene=scene.id,
            ending=scene.ending,
            debrief=scene.debrief,
            cites=scene.cites,
            steps=state.steps,
            visited=tuple(visited),
            start_meters=dict(self.case.meters),
            end_meters=self.meters,
            signals_present=tuple(s for s in order if s in present | state.noticed),
            noticed=tuple(s for s in order if s in state.noticed),
            missed=tuple(s for s in order if s in missed),
            cues_perceived=tuple(perceived),
            cues_hidden=tuple(hidden),
        )


# --- comparing two channels --------------------------------------------------------------


@dataclass(frozen=True)
class SignalRow:
    signal: Signal
    status: tuple[str, str]  # each "caught", "missed" or "not met"


@dataclass(frozen=True)
class MeterRow:
    characteristic: str
    moved: tuple[float, float]
    end: tuple[float, float]


@dataclass(frozen=True)
class Comparison:
    """Two plays of one case side by side: what each channel showed, caught and moved."""

    case: Case
    channels: tuple[str, str]
    results: tuple[PlayResult, PlayResult]
    cues: tuple[tuple[str, ...], tuple[str, ...]]
    hidden_counts: tuple[int, int]
    signals: tuple[SignalRow, ...]
    meters: tuple[MeterRow, ...]


def _status(result: PlayResult, sid: str) -> str:
    if sid in result.noticed:
        return "caught"
    if sid in result.missed:
        return "missed"
    return "not met"


def compare(case: Case, a: PlayResult, b: PlayResult) -> Comparison:
    """Side by side view of two plays; both must be of ``case``."""
    for result in (a, b):
        if result.case_id != case.id:
            raise ValueError(f"a play of {result.case_id!r} cannot be compared within {case.id!r}")
    signals = tuple(
        SignalRow(sig, (_status(a, sid), _status(b, sid)))
        for sid, sig in case.signals.items()
        if sid in a.signals_present or sid in b.signals_present
    )
    meters = tuple(
        MeterRow(c, (a.moved[c], b.moved[c]), (a.end_meters[c], b.end_meters[c]))
        for c in CHARACTERISTIC_IDS
    )
    return Comparison(
        case=case,
        channels=(a.channel, b.channel),
        results=(a, b),
        cues=(
            tuple(c.text for _, c in a.cues_perceived),
            tuple(c.text for _, c in b.cues_perceived),
        ),
        hidden_counts=(len(a.cues_hidden), len(b.cues_hidden)),
        signals=signals,
        meters=meters,
    )
