"""A what-if model of a supervision period: how a contact plan might shape the alliance.

This is a *teaching* model. Its job is to make the reasoning behind a channel choice visible
(remote works better once an alliance exists; phone sessions are shorter; substance use pulls
the alliance down; higher risk asks for more in-person contact), and to show spread rather than
a single line, so that nobody reads it as a forecast for one client. Every number lives in
``modules/content/channel_model.yaml`` with its range and its source, or the label
"teaching assumption"; risk-signal noticing by channel in particular has never been measured.

The simulation is vectorised over runs (one numpy row per simulated client) and loops over
weeks only, so 10,000 runs of 26 weeks take a few milliseconds.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from .alliance import CHANNELS, CHARACTERISTIC_IDS
from .alliance import REMOTE_CHANNELS as REMOTE
from .content import (
    ContentError,
    Problem,
    display_path,
    load_schema,
    read_yaml,
    register_checker,
    schema_problems,
)
from .paths import modules_dir

TEACHING_ASSUMPTION = "teaching assumption"
LEVELS: dict[str, float] = {"low": 0.0, "medium": 0.5, "high": 1.0}
COMPLEX_NEEDS: dict[str, str] = {
    "none": "None",
    "mental-health": "Mental-health needs",
    "substance-use": "Substance use",
    "both": "Mental health and substance use",
}
DIGITAL_ACCESS: dict[str, str] = {
    "good": "Good (own device, data, a private space)",
    "limited": "Limited (no private space or no data for video)",
    "none": "None (no usable device)",
}

#: Every parameter the simulation reads; the data file must define exactly these.
PARAMETER_IDS: tuple[str, ...] = (
    *(f"start.{c}" for c in CHARACTERISTIC_IDS),
    "growth.goals-and-conditions",
    "growth.trust",
    "growth.bond",
    "relief.reactance",
    "ceiling",
    "floor.reactance",
    *(f"channel.{ch}.{what}" for ch in REMOTE for what in ("alliance", "length")),
    "remote.early-penalty",
    "remote.video-share",
    "remote.established-at",
    "remote.risk-penalty",
    "attendance.base",
    "attendance.childcare-in-person",
    "attendance.limited-access-video",
    "attendance.limited-access-messaging",
    "attendance.no-access-remote",
    "attendance.no-access-phone",
    "attendance.low-motivation",
    "missed.decay",
    "missed.reactance",
    "complex.substance-drift",
    "complex.mental-health-drift",
    "complex.remote-penalty",
    "abuse.remote-trust-penalty",
    "motivation.growth",
    "motivation.stability",
    "noise.weekly",
    "variation.client",
    "setback.weekly",
    "setback.complex-extra",
    "setback.size",
    *(f"detection.{ch}" for ch in CHANNELS),
    "detection.trust-weight",
    "detection.abuse-remote",
)


def model_file() -> Path:
    return modules_dir() / "content" / "channel_model.yaml"


# --- parameters --------------------------------------------------------------------------


@dataclass(frozen=True)
class Parameter:
    id: str
    label: str
    default: float
    low: float
    high: float
    unit: str
    source: str
    note: str = ""
    cites: tuple[str, ...] = ()

    @property
    def teaching_assumption(self) -> bool:
        return self.source.strip().lower() == TEACHING_ASSUMPTION

    @property
    def source_text(self) -> str:
        """The cited studies in author-year form, then what they support."""
        if self.teaching_assumption or not self.cites:
            return self.source
        from .bibliography import cite_label

        return f"{cite_label(self.cites)} ({self.source})"


@dataclass(frozen=True)
class ModelSpec:
    weeks: int
    band: tuple[float, float]
    runs: int
    parameters: Mapping[str, Parameter]

    def values(self) -> dict[str, float]:
        return {pid: p.default for pid, p in self.parameters.items()}


def check_spec_data(data: object, where: str) -> list[Problem]:
    problems = schema_problems(
        data, load_schema("channel_model"), where, lambda fld: _param_label(data, fld)
    )
    if problems or not isinstance(data, dict):
        return problems
    seen: set[str] = set()
    for i, raw in enumerate(data["parameters"]):
        pid = raw["id"]
        low, high = raw["range"]
        if pid in seen:
            problems.append(Problem(where, "duplicate id (ids must be unique)", pid, "id"))
        seen.add(pid)
        if pid not in PARAMETER_IDS:
            problems.append(
                Problem(where, "is not a parameter the model reads (check the spelling)", pid, "id")
            )
        cited = bool(raw.get("cites"))
        if raw["source"].strip().lower() == TEACHING_ASSUMPTION and cited:
            problems.append(
                Problem(
                    where,
                    "is a teaching assumption but cites a study; put the study in the note, "
                    "or say in source what it supports",
                    pid,
                    f"parameters[{i}].cites",
                )
            )
        elif raw["source"].strip().lower() != TEACHING_ASSUMPTION and not cited:
            problems.append(
                Problem(
                    where,
                    "names no study in cites: cite the bibliography entry that supports it, or "
                    "write 'teaching assumption' as its source",
                    pid,
                    f"parameters[{i}].source",
                )
            )
        if low > high:
            problems.append(
                Problem(where, f"range is back to front ({low} > {high})", pid, "range")
            )
        elif not low <= raw["default"] <= high:
            problems.append(
                Problem(
                    where,
                    f"default {raw['default']} is outside its range {low} to {high}",
                    pid,
                    f"parameters[{i}].default",
                )
            )
    for pid in PARAMETER_IDS:
        if pid not in seen:
            problems.append(Problem(where, f"parameter {pid!r} is missing; the model needs it"))
    lo, hi = data["band"]
    if not lo < hi:
        problems.append(Problem(where, "band must be two percentiles, low then high", None, "band"))
    return problems


def _param_label(data: object, fld: str) -> str | None:
    match = re.match(r"parameters\[(\d+)\]", fld)
    if not match or not isinstance(data, dict):
        return None
    try:
        raw = data["parameters"][int(match.group(1))]
    except (IndexError, KeyError, TypeError):
        return None
    return str(raw.get("id")) if isinstance(raw, dict) and raw.get("id") else None


def load_spec(path: Path | None = None) -> tuple[ModelSpec | None, list[Problem]]:
    """The model's parameters from the data file; None (with the problems) if it is unusable."""
    path = path if path is not None else model_file()
    where = display_path(path)
    try:
        data = read_yaml(path)
    except ContentError as exc:
        return None, [exc.problem]
    problems = check_spec_data(data, where)
    if problems:
        return None, problems
    params = {
        raw["id"]: Parameter(
            raw["id"],
            raw["label"],
            float(raw["default"]),
            float(raw["range"][0]),
            float(raw["range"][1]),
            raw["unit"],
            raw["source"],
            raw.get("note", ""),
            tuple(raw.get("cites", ())),
        )
        for raw in data["parameters"]
    }
    band = (float(data["band"][0]), float(data["band"][1]))
    return ModelSpec(int(data["weeks"]), band, int(data["runs"]), params), []


@lru_cache(maxsize=1)
def spec() -> tuple[ModelSpec | None, tuple[Problem, ...]]:
    """The shipped parameters, parsed once per process."""
    found, problems = load_spec()
    return found, tuple(problems)


@register_checker("channel-model", "parameters of the channel-plan model (channel_model.yaml)")
def check_channel_model() -> list[Problem]:
    return load_spec()[1]


# --- the client and the plan -------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """What the model knows about the client; no identifying detail, only levels."""

    risk: str = "medium"
    complex_needs: str = "none"
    domestic_abuse: bool = False
    childcare: bool = False
    digital_access: str = "good"
    motivation: str = "medium"

    def __post_init__(self) -> None:
        for name, value, allowed in (
            ("risk", self.risk, LEVELS),
            ("motivation", self.motivation, LEVELS),
            ("complex_needs", self.complex_needs, COMPLEX_NEEDS),
            ("digital_access", self.digital_access, DIGITAL_ACCESS),
        ):
            if value not in allowed:
                raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")


PRESETS: dict[str, str] = {
    "Face-to-face every week": "face-to-face",
    "Face-to-face for 6 weeks, then alternate video and phone": (
        "in person for the first 6 weeks, then alternate video and phone"
    ),
    "Alternate video and phone from the start": "alternate video and phone",
    "Phone every week": "phone",
    "Video every week": "video",
    "Face-to-face for 4 weeks, then monthly in person with messaging between": (
        "face-to-face for 4 weeks, then alternate face-to-face, messaging, messaging, messaging"
    ),
}

_CHANNEL_WORDS = re.compile(
    r"\b(?:(?P<video>video(?:[- ]?calls?)?)"
    r"|(?P<f2f>face[- ]to[- ]face|in[- ]person|f2f|office|home[- ]visits?)"
    r"|(?P<messaging>messag\w*|texts?|texting|chat|whatsapp)"
    r"|(?P<phone>(?:tele)?phone(?:[- ]?calls?)?|calls?))\b"
)
_GROUP_CHANNEL = {
    "video": "video",
    "f2f": "face-to-face",
    "messaging": "messaging",
    "phone": "phone",
}
_COUNT = re.compile(
    r"(\d+)\s*(?:x\b|weeks?\b|times\b)"
    r"|\bfor\s+(?:the\s+)?(?:first\s+|next\s+)?(\d+)(?:\s*(?:weeks?|x|times)\b)?"
)
#: Words a rule may hold that change nothing: anything else is reported, never guessed at.
_FILLER = re.compile(
    r"\b(?:alternat\w*|cycl\w*|rotat\w*|take\s+turns|in\s+turns|between|through|and|or|of|"
    r"the|a|an|every\s+week|each\s+week|weekly|per\s+week|a\s+week|from\s+the\s+start|"
    r"from\s+then\s+on|after\s+that|afterwards|rest(?:\s+of\s+the\s+(?:plan|weeks|period))?|"
    r"remaining(?:\s+weeks)?|sessions?|contacts?|appointments?|meetings?|by|via|on|all|"
    r"only|start|first|next|for|until\s+the\s+end)\b"
)
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
CHANNEL_HELP = "face-to-face (or: in person), phone, video, messaging"
#: A rule is a sentence or two; anything longer is not a plan and must not cost the kernel time.
MAX_RULE_CHARS = 500
#: Ten years of weekly contact: the longest plan the model accepts.
MAX_WEEKS = 520
RULE_HELP = (
    'A rule knows channel names, "for N weeks", "alternate" and "then"; the model '
    "plans one contact every week."
)


def _channels_in(segment: str) -> list[str]:
    found = []
    for match in _CHANNEL_WORDS.finditer(segment):
        group = match.lastgroup
        found.append(_GROUP_CHANNEL[group or "phone"])
    return found


def _shown(text: str, limit: int = 60) -> str:
    """Part of the user's rule, quoted in a message: short enough to read."""
    return '"' + (text if len(text) <= limit else text[: limit - 1] + "…") + '"'


def _not_understood(masked: str) -> list[str]:
    """The runs of words left once channels, the count and filler words are taken out."""
    pieces = _FILLER.sub("|", masked).split("|")
    return [" ".join(found) for piece in pieces if (found := _WORD.findall(piece))]


def _read_part(part: str, weeks: int) -> tuple[list[str], int | None, list[str]]:
    """(channels, weeks or None, phrases not understood) of one part of a rule."""
    channels = _channels_in(part)
    if not channels:
        raise ValueError(f"Could not find a channel in {_shown(part)}. Use {CHANNEL_HELP}.")
    if len(channels) > 1 and not re.search(r"\balternat|\bcycl|\brotat|\bturns\b", part):
        raise ValueError(
            f'{_shown(part)} names more than one channel: say "alternate" to take turns, or '
            'split it with "then".'
        )
    masked = _CHANNEL_WORDS.sub("|", part)
    count = _COUNT.search(masked)
    n = None
    if count:
        digits = count.group(1) or count.group(2)
        n = int(digits) if len(digits) <= 6 else MAX_WEEKS + 1
        if n < 1:
            raise ValueError(f"{_shown(part)}: the number of weeks must be at least 1.")
        if n > weeks:
            raise ValueError(
                f"{_shown(part)}: {digits if len(digits) <= 6 else 'that many'} weeks is longer "
                f"than the whole plan ({weeks} weeks)."
            )
        masked = masked[: count.start()] + "|" + masked[count.end() :]
    return channels, n, _not_understood(masked)


def parse_plan(rule: str | Sequence[str], weeks: int = 26) -> tuple[str, ...]:
    """Turn a rule such as "in person for the first 6 weeks, then alternate video and phone"
    into one channel per week.

    Parts are joined by "then" or ";". A part names one channel, or "alternate A and B (and
    C...)"; it may say for how many weeks ("for 6 weeks", "6 weeks of", "6x"). A part without a
    count fills the remaining weeks, so it must come last; if all parts have counts and do not
    reach the end, the whole rule repeats (e.g. a monthly rhythm). Words the parser does not
    know (e.g. "every other week") make it refuse with a sentence naming them, rather than
    quietly reading the rest: a plan that differs from what was typed would teach the wrong
    thing. Every ``ValueError`` carries a sentence for the user.
    """
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= MAX_WEEKS:
        raise ValueError(f"A plan covers 1 to {MAX_WEEKS} weeks, not {weeks!r}.")
    if not isinstance(rule, str):
        plan = tuple(rule)
        unknown = [c for c in plan if c not in CHANNELS]
        if unknown:
            shown = ", ".join(_shown(str(c), 30) for c in unknown[:5])
            raise ValueError(f"unknown channel(s) {shown}; use {CHANNEL_HELP}")
        if len(plan) != weeks:
            raise ValueError(f"a plan needs one channel per week: {weeks}, not {len(plan)}")
        return plan
    if len(rule) > MAX_RULE_CHARS:
        raise ValueError(
            f"The rule is {len(rule):,} characters long; keep it to {MAX_RULE_CHARS} "
            "(a sentence or two)."
        )
    text = rule.strip().lower()
    if not text:
        raise ValueError(f"The plan is empty. Name a channel: {CHANNEL_HELP}.")
    parts = [p.strip(" ,.") for p in re.split(r";|\bthen\b|\n", text) if p.strip(" ,.")]
    if not parts:
        raise ValueError(f"The rule has no words, only separators. Name a channel: {CHANNEL_HELP}.")
    segments: list[tuple[list[str], int | None]] = []
    unclear: list[str] = []
    for part in parts:
        channels, n, phrases = _read_part(part, weeks)
        segments.append((channels, n))
        unclear.extend(p for p in phrases if p not in unclear)
    if unclear:
        listed = ", ".join(_shown(p, 40) for p in unclear[:5])
        raise ValueError(f"Did not understand {listed}, so the rule was not used. {RULE_HELP}")
    for channels, n in segments[:-1]:
        if n is None:
            raise ValueError(
                "Only the last part of a rule may leave out the number of weeks "
                f'(say e.g. "{" and ".join(channels)} for 4 weeks").'
            )
    plan: list[str] = []
    while len(plan) < weeks:
        for channels, n in segments:
            span = n if n is not None else weeks - len(plan)
            plan.extend(channels[i % len(channels)] for i in range(span))
            if len(plan) >= weeks:
                break
    return tuple(plan[:weeks])


# --- the simulation ----------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    median: np.ndarray
    low: np.ndarray
    high: np.ndarray


@dataclass(frozen=True)
class SimulationResult:
    """Per-week summaries of many simulated clients on one plan."""

    plan: tuple[str, ...]
    profile: Profile
    runs: int
    seed: int
    band: tuple[float, float]
    characteristics: Mapping[str, Band]
    noticing: Band
    attendance: np.ndarray = field(repr=False)

    @property
    def weeks(self) -> np.ndarray:
        return np.arange(1, len(self.plan) + 1)

    def at(self, week: int) -> dict[str, float]:
        """Median of each characteristic (and noticing) at the end of ``week`` (1-based)."""
        out = {c: float(b.median[week - 1]) for c, b in self.characteristics.items()}
        out["noticing"] = float(self.noticing.median[week - 1])
        return out


def _attendance(p: Mapping[str, float], profile: Profile, channel: str) -> float:
    chance = p["attendance.base"] - p["attendance.low-motivation"] * (
        1 - LEVELS[profile.motivation]
    )
    if channel == "face-to-face" and profile.childcare:
        chance -= p["attendance.childcare-in-person"]
    if profile.digital_access == "limited":
        chance -= {
            "video": p["attendance.limited-access-video"],
            "messaging": p["attendance.limited-access-messaging"],
        }.get(channel, 0.0)
    elif profile.digital_access == "none":
        chance -= {
            "video": p["attendance.no-access-remote"],
            "messaging": p["attendance.no-access-remote"],
            "phone": p["attendance.no-access-phone"],
        }.get(channel, 0.0)
    return min(1.0, max(0.0, chance))


def _percentiles_over_runs(values: np.ndarray, qs: Sequence[float]) -> np.ndarray:
    """``np.percentile(values, qs, axis=1)`` (its default, linear method), the same numbers.

    ``np.percentile`` imports ``numpy.ma`` on first use, milliseconds that every autograded
    contact-plan notebook would pay again; sorting once and interpolating as numpy does avoids it.
    """
    n = values.shape[1]
    ordered = np.sort(values, axis=1)
    out = []
    for q in qs:
        quantile = q / 100
        virtual = (n - 1) * quantile
        if virtual >= n - 1:
            out.append(ordered[:, -1])
            continue
        below = math.floor(virtual)
        gamma = virtual - below
        a, b = ordered[:, below], ordered[:, below + 1]
        diff = b - a
        out.append(b - diff * (1 - gamma) if gamma >= 0.5 else a + diff * gamma)
    return np.stack(out)


def simulate(
    profile: Profile,
    plan: str | Sequence[str],
    *,
    runs: int = 10_000,
    seed: int = 0,
    params: Mapping[str, float] | None = None,
    band: tuple[float, float] | None = None,
    model: ModelSpec | None = None,
) -> SimulationResult:
    """Simulate ``runs`` clients with ``profile`` through ``plan``; same seed, same result.

    ``params`` overrides single parameters on top of the data file's defaults.
    """
    if model is None:
        model, problems = spec()
        if model is None:
            raise ValueError("the channel model's parameter file has problems: " + str(problems[0]))
    p = {**model.values(), **(params or {})}
    band = band or model.band
    weeks = model.weeks if isinstance(plan, str) else len(plan)
    channels = parse_plan(plan, weeks)
    if runs < 1:
        raise ValueError("runs must be at least 1")
    rng = np.random.default_rng(seed)

    risk = LEVELS[profile.risk]
    motivation = LEVELS[profile.motivation]
    substance = profile.complex_needs in ("substance-use", "both")
    mental = profile.complex_needs in ("mental-health", "both")
    complex_needs = substance or mental
    drift = p["complex.substance-drift"] * substance + p["complex.mental-health-drift"] * mental
    growth = np.array(
        [p["growth.goals-and-conditions"], p["growth.trust"], p["growth.bond"]], dtype=float
    )
    ceiling, floor_r = p["ceiling"], p["floor.reactance"]
    start = np.array([p[f"start.{c}"] for c in CHARACTERISTIC_IDS], dtype=float)
    start_level = (start[0] + start[1] + start[2] + 10 - start[3]) / 4
    span = max(p["remote.established-at"] - start_level, 1e-6)
    motivation_mult = 1 + p["motivation.growth"] * (motivation - 0.5)
    noise_sd = p["noise.weekly"] * (1 + p["motivation.stability"] * (1 - 2 * motivation))
    setback_chance = p["setback.weekly"] + p["setback.complex-extra"] * complex_needs
    trust_weight = p["detection.trust-weight"]

    x = np.tile(start, (runs, 1))
    client_rate = np.exp(rng.normal(0.0, p["variation.client"], runs))
    values = np.empty((weeks, runs, 4))
    noticing = np.empty((weeks, runs))
    attendance = np.empty(weeks)
    for w, channel in enumerate(channels):
        remote = channel != "face-to-face"
        chance = _attendance(p, profile, channel)
        attendance[w] = chance
        attended = rng.random(runs) < chance
        mult = np.full(runs, motivation_mult) * client_rate
        if remote:
            level = (x[:, 0] + x[:, 1] + x[:, 2] + 10 - x[:, 3]) / 4
            not_yet = 1 - np.clip((level - start_level) / span, 0.0, 1.0)
            share = p["remote.video-share"] if channel == "video" else 1.0
            mult = mult * p[f"channel.{channel}.alliance"] * p[f"channel.{channel}.length"]
            mult = mult * (1 - p["remote.early-penalty"] * share * not_yet)
            mult = mult * (1 - p["remote.risk-penalty"] * risk)
            mult = mult * (1 - p["complex.remote-penalty"] * complex_needs)
        gain = attended * mult
        trust_gain = gain * (
            1 - p["abuse.remote-trust-penalty"] * (remote and profile.domestic_abuse)
        )
        x[:, 0] += gain * growth[0] * (ceiling - x[:, 0])
        x[:, 1] += trust_gain * growth[1] * (ceiling - x[:, 1])
        x[:, 2] += gain * growth[2] * (ceiling - x[:, 2])
        x[:, 3] += gain * p["relief.reactance"] * (floor_r - x[:, 3])
        missed = ~attended
        x[:, 1] -= missed * p["missed.decay"]
        x[:, 2] -= missed * p["missed.decay"]
        x[:, 3] += missed * p["missed.reactance"]
        setback = (rng.random(runs) < setback_chance) * p["setback.size"]
        x[:, 1] -= setback
        x[:, 2] -= setback / 2
        x[:, 3] += setback / 2
        x[:, :3] -= drift
        x[:, 3] += drift
        x += rng.normal(0.0, noise_sd, (runs, 4))
        np.clip(x, 0.0, 10.0, out=x)
        values[w] = x
        detect = p[f"detection.{channel}"] * chance
        if remote and profile.domestic_abuse:
            detect *= p["detection.abuse-remote"]
        noticing[w] = detect * (1 - trust_weight + trust_weight * x[:, 1] / 10)

    qs = (50.0, band[0], band[1])
    per_char = _percentiles_over_runs(values, qs)  # (3, weeks, 4)
    notice_q = _percentiles_over_runs(noticing, qs)  # (3, weeks)
    summaries = {
        c: Band(per_char[0, :, i], per_char[1, :, i], per_char[2, :, i])
        for i, c in enumerate(CHARACTERISTIC_IDS)
    }
    return SimulationResult(
        plan=channels,
        profile=profile,
        runs=runs,
        seed=seed,
        band=band,
        characteristics=summaries,
        noticing=Band(notice_q[0], notice_q[1], notice_q[2]),
        attendance=attendance,
    )
