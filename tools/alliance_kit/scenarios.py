"""Branching channel scenarios: loading, checking, playing and comparing them.

A case is one supervision situation written once and played over several channels. The
channel decides what the officer can perceive (voice only by phone; face and surroundings by
video; words and timing in messaging; everything in the room), so the same case teaches what
each channel gives and hides. Risk signals are facts of the case: a signal the channel hides is
still there, and the debrief says so when the trainee did not ask for it.

The engine is pure Python (no ipywidgets), so the page, the CLI, the checker and the tests all
drive the same state machine.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .alliance import CHANNELS, CHARACTERISTIC_IDS, PHASES
from .content import (
    ContentError,
    Problem,
    display_path,
    load_schema,
    read_yaml,
    register_checker,
    schema_problems,
)
from .i18n import N_
from .paths import SOURCE_LANGUAGE, content_dir, modules_dir

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
DEFAULT_METERS: dict[str, float] = {
    "goals-and-conditions": 4.0,
    "trust": 4.0,
    "bond": 4.0,
    "reactance": 5.0,
}


def scenarios_dir() -> Path:
    return modules_dir() / "content" / "scenarios"


# --- the model ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Signal:
    id: str
    label: str
    why: str


@dataclass(frozen=True)
class Cue:
    kind: str
    text: str
    signal: str | None = None
    channels: tuple[str, ...] = ()

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


@dataclass(frozen=True)
class Choice:
    label: str
    feedback: str
    next: str
    effects: Mapping[str, float] = field(default_factory=dict)
    notices: tuple[str, ...] = ()
    misses: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()

    def offered_on(self, channel: str) -> bool:
        return not self.channels or channel in self.channels


@dataclass(frozen=True)
class Scene:
    id: str
    text: str
    by_channel: Mapping[str, str] = field(default_factory=dict)
    cues: tuple[Cue, ...] = ()
    raises: tuple[str, ...] = ()
    choices: tuple[Choice, ...] = ()
    ending: str | None = None
    debrief: str = ""
    cites: tuple[str, ...] = ()

    def text_on(self, channel: str) -> str:
        return self.by_channel.get(channel, self.text)

    def choices_on(self, channel: str) -> list[tuple[int, Choice]]:
        """Choices offered on this channel, with their index in the scene (stable ids)."""
        return [(i, c) for i, c in enumerate(self.choices) if c.offered_on(channel)]

    def signals_present(self, channel: str) -> set[str]:
        """Signals that are part of this scene on ``channel``, perceivable there or not."""
        return set(self.raises) | {c.signal for c in self.cues if c.signal and c.exists_on(channel)}


@dataclass(frozen=True)
class Case:
    id: str
    title: str
    summary: str
    phase: str
    risk: str
    situation: tuple[str, ...]
    client: str
    channels: tuple[str, ...]
    start: str
    scenes: Mapping[str, Scene]
    signals: Mapping[str, Signal]
    meters: Mapping[str, float]
    resource_query: str = ""
    resource_characteristics: tuple[str, ...] = ()
    file: str = ""

    def scene(self, scene_id: str) -> Scene:
        return self.scenes[scene_id]

    @property
    def situation_label(self) -> str:
        return ", ".join(SITUATIONS.get(s, s) for s in self.situation) or "none in particular"


# --- loading and checking ----------------------------------------------------------------


def _build_case(data: dict, where: str) -> Case:
    scenes = {}
    for raw in data["scenes"]:
        scenes[raw["id"]] = Scene(
            id=raw["id"],
            text=raw["text"],
            by_channel=dict(raw.get("by_channel") or {}),
            cues=tuple(
                Cue(c["kind"], c["text"], c.get("signal"), tuple(c.get("channels", ())))
                for c in raw.get("cues", ())
            ),
            raises=tuple(raw.get("raises", ())),
            choices=tuple(
                Choice(
                    label=c["label"],
                    feedback=c["feedback"],
                    next=c["next"],
                    effects={k: float(v) for k, v in (c.get("effects") or {}).items()},
                    notices=tuple(c.get("notices", ())),
                    misses=tuple(c.get("misses", ())),
                    channels=tuple(c.get("channels", ())),
                )
                for c in raw.get("choices", ())
            ),
            ending=raw.get("ending"),
            debrief=raw.get("debrief", ""),
            cites=tuple(raw.get("cites", ())),
        )
    resources = data.get("resources") or {}
    return Case(
        id=data["id"],
        title=data["title"],
        summary=data["summary"],
        phase=data["phase"],
        risk=data["risk"],
        situation=tuple(data.get("situation", ())),
        client=data["client"],
        channels=tuple(data["channels"]),
        start=data["start"],
        scenes=scenes,
        signals={s["id"]: Signal(s["id"], s["label"], s["why"]) for s in data.get("signals", ())},
        meters={**DEFAULT_METERS, **{k: float(v) for k, v in (data.get("meters") or {}).items()}},
        resource_query=resources.get("query", ""),
        resource_characteristics=tuple(resources.get("characteristics", ())),
        file=where,
    )


def _scene_label(data: Any, field_path: str) -> str | None:
    """Turn ``scenes[3].choices[0].feedback`` into the scene's id, for messages by scene."""
    if not field_path.startswith("scenes[") or not isinstance(data, dict):
        return None
    try:
        index = int(field_path[len("scenes[") : field_path.index("]")])
        scene = data["scenes"][index]
    except (ValueError, IndexError, KeyError, TypeError):
        return None
    if isinstance(scene, dict) and isinstance(scene.get("id"), str):
        return f"scene {scene['id']}"
    return f"scene #{index + 1}"


def _graph_problems(data: dict, where: str) -> list[Problem]:
    """The checks a schema cannot express: ids, references, reachability and endings."""
    problems: list[Problem] = []

    def add(message: str, scene: str | None = None, fld: str | None = None) -> None:
        problems.append(Problem(where, message, f"scene {scene}" if scene else None, fld))

    channels = list(data["channels"])
    signal_ids = [s["id"] for s in data.get("signals", ())]
    for sid in {s for s in signal_ids if signal_ids.count(s) > 1}:
        add(f"signal id {sid!r} is used more than once (ids must be unique)", None, "signals")
    signals = set(signal_ids)
    scenes: dict[str, dict] = {}
    for raw in data["scenes"]:
        if raw["id"] in scenes:
            add("duplicate scene id (ids must be unique)", raw["id"], "id")
            continue
        scenes[raw["id"]] = raw
    if data["start"] not in scenes:
        add(f"the start scene {data['start']!r} does not exist", None, "start")
        return problems
    used_signals: set[str] = set()
    for sid, raw in scenes.items():
        for key in raw.get("by_channel") or {}:
            if key not in channels:
                add(f"has text for {key!r}, which the case is not played on", sid, "by_channel")
        for i, cue in enumerate(raw.get("cues", ())):
            if cue.get("signal"):
                used_signals.add(cue["signal"])
                if cue["signal"] not in signals:
                    add(f"names an unknown signal {cue['signal']!r}", sid, f"cues[{i}].signal")
            for ch in cue.get("channels", ()):
                if ch not in channels:
                    add(f"names channel {ch!r}, not one of the case's", sid, f"cues[{i}].channels")
        for sig in raw.get("raises", ()):
            used_signals.add(sig)
            if sig not in signals:
                add(f"raises an unknown signal {sig!r}", sid, "raises")
        is_ending = bool(raw.get("ending"))
        if is_ending and raw.get("choices"):
            add("is an ending but also offers choices", sid, "choices")
        if not is_ending and not raw.get("choices"):
            add("is a dead end: no choices and not an ending", sid, "choices")
        if is_ending and not raw.get("debrief"):
            add("is an ending without a debrief", sid, "debrief")
        for i, choice in enumerate(raw.get("choices", ())):
            if choice["next"] not in scenes:
                add(
                    f"leads to a scene that does not exist: {choice['next']!r}",
                    sid,
                    f"choices[{i}].next",
                )
            for key in ("notices", "misses"):
                for sig in choice.get(key, ()):
                    if sig not in signals:
                        add(f"names an unknown signal {sig!r}", sid, f"choices[{i}].{key}")
            for ch in choice.get("channels", ()):
                if ch not in channels:
                    add(
                        f"names channel {ch!r}, not one of the case's",
                        sid,
                        f"choices[{i}].channels",
                    )
    for sig in sorted(signals - used_signals):
        add(f"signal {sig!r} is never raised by any scene or cue", None, "signals")
    if problems:
        return problems

    reached: set[str] = set()
    for channel in channels:
        seen = _walk(scenes, data["start"], channel)
        reached |= seen
        for sid in sorted(seen):
            raw = scenes[sid]
            offered = [c for c in raw.get("choices", ()) if _offered(c, channel)]
            if not raw.get("ending") and not offered:
                add(f"is a dead end on {channel}: no choice is offered on that channel", sid)
        loop = _find_loop(scenes, data["start"], channel)
        if loop:
            add(
                "a path never ends: the scenes " + " → ".join(loop) + f" form a loop on {channel}",
                loop[0],
            )
    for sid in scenes:
        if sid not in reached:
            add("cannot be reached from the start scene on any channel", sid)
    return problems


def _offered(choice: dict, channel: str) -> bool:
    return not choice.get("channels") or channel in choice["channels"]


def _walk(scenes: dict[str, dict], start: str, channel: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        sid = todo.pop()
        if sid in seen:
            continue
        seen.add(sid)
        todo.extend(c["next"] for c in scenes[sid].get("choices", ()) if _offered(c, channel))
    return seen


def _find_loop(scenes: dict[str, dict], start: str, channel: str) -> list[str] | None:
    """A list of scene ids that form a cycle reachable on ``channel``, or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(sid: str) -> list[str] | None:
        state[sid] = 1
        path.append(sid)
        for choice in scenes[sid].get("choices", ()):
            if not _offered(choice, channel):
                continue
            nxt = choice["next"]
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[sid] = 2
        return None

    return visit(start)


def check_case_data(data: Any, where: str) -> list[Problem]:
    """Every problem in one parsed case file, each located by file, scene and field."""
    problems = schema_problems(
        data, load_schema("scenario"), where, lambda fld: _scene_label(data, fld)
    )
    if problems:
        return problems
    return _graph_problems(data, where)


@dataclass(frozen=True)
class Catalogue:
    cases: tuple[Case, ...]
    problems: tuple[Problem, ...]

    def by_id(self, case_id: str) -> Case:
        for case in self.cases:
            if case.id == case_id:
                return case
        raise KeyError(f"no scenario case with id {case_id!r}")


def load_cases(directory: Path | None = None) -> Catalogue:
    """Load every case file; broken files are reported and left out, the rest still load."""
    folder = directory if directory is not None else scenarios_dir()
    cases: list[Case] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    if not folder.is_dir():
        return Catalogue((), (Problem(display_path(folder), "the scenario folder is missing"),))
    for path in sorted(folder.glob("*.y*ml")):
        where = display_path(path)
        try:
            data = read_yaml(path)
        except ContentError as exc:
            problems.append(exc.problem)
            continue
        found = check_case_data(data, where)
        if not found and data["id"] in seen:
            found = [
                Problem(
                    where,
                    f"duplicate case id (also used in {seen[data['id']]})",
                    data["id"],
                    "id",
                )
            ]
        problems.extend(found)
        if found:
            continue
        seen[data["id"]] = where
        cases.append(_build_case(data, where))
    return Catalogue(tuple(cases), tuple(problems))


@lru_cache(maxsize=4)
def catalogue(lang: str = SOURCE_LANGUAGE) -> Catalogue:
    """The shipped cases in ``lang`` (English while it has none), parsed once per process
    (a page validates on every kernel start)."""
    if lang == SOURCE_LANGUAGE:
        return load_cases()
    return load_cases(content_dir(lang) / "scenarios")


@register_checker("scenarios", "branching channel scenarios (modules/content/scenarios/*.yaml)")
def check_scenarios() -> list[Problem]:
    return list(load_cases().problems)


# --- playing -----------------------------------------------------------------------------


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


# --- coverage ----------------------------------------------------------------------------


def coverage_rows(cases: Iterable[Case]) -> list[dict[str, str]]:
    """One row per case for the educator's coverage table (``alliance-kit scenarios``)."""
    rows = []
    for case in cases:
        row = {
            "case": case.id,
            "phase": PHASES.get(case.phase, case.phase),
            "risk": case.risk,
            "situation": case.situation_label,
        }
        for ch in CHANNELS:
            row[ch] = "yes" if ch in case.channels else "-"
        rows.append(row)
    return rows


#: The spread a workshop needs: enough cases, most playable by messaging, every phase.
MIN_CASES = 10
MIN_MESSAGING_SHARE = 0.75


@dataclass(frozen=True)
class Coverage:
    """The figures an educator plans a workshop with."""

    cases: int
    by_channel: Mapping[str, int]
    by_phase: Mapping[str, int]

    @property
    def messaging_share(self) -> float:
        return self.by_channel.get("messaging", 0) / self.cases if self.cases else 0.0

    def lines(self) -> list[str]:
        share = round(100 * self.messaging_share)
        return [
            f"Messaging: playable in {self.by_channel.get('messaging', 0)} of {self.cases} "
            f"case(s) ({share}%; the kit aims for at least {round(100 * MIN_MESSAGING_SHARE)}%)",
            "Phases: " + ", ".join(f"{PHASES[p]} {n}" for p, n in self.by_phase.items()),
        ]


def coverage(cases: Sequence[Case]) -> Coverage:
    return Coverage(
        cases=len(cases),
        by_channel={ch: sum(ch in c.channels for c in cases) for ch in CHANNELS},
        by_phase={p: sum(c.phase == p for c in cases) for p in PHASES},
    )


def missing_coverage(cases: Sequence[Case]) -> list[str]:
    """What the required spread of cases (phases, risks, situations) still lacks."""
    figures = coverage(cases)
    wanted = {
        f"at least {MIN_CASES} cases": figures.cases >= MIN_CASES,
        f"messaging in at least {round(100 * MIN_MESSAGING_SHARE)}% of cases": (
            figures.messaging_share >= MIN_MESSAGING_SHARE
        ),
        **{f"a case in the {PHASES[p].lower()} phase": n > 0 for p, n in figures.by_phase.items()},
        "an intake case": any(c.phase == "intake" for c in cases),
        "a later-phase case": any(c.phase != "intake" for c in cases),
        "a low-risk case": any(c.risk == "low" for c in cases),
        "a high-risk case": any(c.risk == "high" for c in cases),
        "complex needs (mental health or substance use)": any(
            s.startswith("complex-needs") for c in cases for s in c.situation
        ),
        "possible domestic abuse": any("domestic-abuse" in c.situation for c in cases),
        "childcare duties": any("childcare" in c.situation for c in cases),
        "a physical disability": any("physical-disability" in c.situation for c in cases),
        "no private space or data for video": any(
            {"no-private-space", "no-data"} & set(c.situation) for c in cases
        ),
    }
    return [label for label, ok in wanted.items() if not ok]
