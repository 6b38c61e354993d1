"""The channel model's numbers, declared once: each with its range and its source (a cited
study, or the words "teaching assumption"), read from ``modules/content/channel_model.yaml``.

The declaration gives the check, the objects the simulation and the page read, and the JSON
Schema editors get (``schemas/channel_model.schema.json``). Each parameter is checked on its
own, so every broken one is named in one run; the file must define exactly the parameters the
simulation reads (:data:`PARAMETER_IDS`).
"""

from __future__ import annotations

from functools import cached_property, lru_cache
from pathlib import Path
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from ..alliance import CHANNELS, CHARACTERISTIC_IDS, REMOTE_CHANNELS
from ..content import ContentError, Problem, display_path, read_yaml, register_checker
from ..declared import Declared, convert_file, ships_schema
from ..i18n import N_, _
from ..paths import SOURCE_LANGUAGE, content_file, modules_dir

TEACHING_ASSUMPTION = "teaching assumption"
REMOTE = REMOTE_CHANNELS

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

Text = Annotated[str, Meta(min_length=1)]
Percentile = Annotated[float, Meta(ge=0, le=100)]


def model_file() -> Path:
    return modules_dir() / "content" / "channel_model.yaml"


class Parameter(Declared, frozen=True):
    """One number the simulation reads, with the range it may take and where it comes from."""

    id: Annotated[str, Meta(pattern=r"^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$")]
    label: Text
    default: float
    range: tuple[float, float]
    unit: Text
    source: Annotated[
        str,
        Meta(
            min_length=1,
            description="Exactly 'teaching assumption' when no study gives the number; "
            "otherwise what the cited study supports (the direction, the order...), with the "
            "study in cites.",
        ),
    ]
    cites: Annotated[
        tuple[Annotated[str, Meta(pattern="^[a-z0-9][a-z0-9-]*$", max_length=80)], ...],
        Meta(
            min_length=1,
            extra_json_schema={"uniqueItems": True},
            description="Ids of entries in modules/content/bibliography.yaml; required unless "
            "the source is 'teaching assumption'.",
        ),
    ] = ()
    note: str = ""

    def __post_init__(self) -> None:
        if self.teaching_assumption and self.cites:
            raise ValueError(
                _(
                    "is a teaching assumption but cites a study; put the study in the note, "
                    "or say in source what it supports"
                )
            )
        if not self.teaching_assumption and not self.cites:
            raise ValueError(
                _(
                    "names no study in cites: cite the bibliography entry that supports it, or "
                    "write 'teaching assumption' as its source"
                )
            )
        if len(set(self.cites)) < len(self.cites):
            raise ValueError(_("cites the same study more than once"))
        if self.low > self.high:
            raise ValueError(
                _("range is back to front (%(low)s > %(high)s)")
                % {"low": f"{self.low:g}", "high": f"{self.high:g}"}
            )
        if not self.low <= self.default <= self.high:
            raise ValueError(
                _("default %(default)s is outside its range %(low)s to %(high)s")
                % {"default": f"{self.default:g}", "low": f"{self.low:g}", "high": f"{self.high:g}"}
            )

    @property
    def low(self) -> float:
        return self.range[0]

    @property
    def high(self) -> float:
        return self.range[1]

    @property
    def teaching_assumption(self) -> bool:
        return self.source.strip().lower() == TEACHING_ASSUMPTION

    @property
    def source_text(self) -> str:
        """The cited studies in author-year form, then what they support."""
        if self.teaching_assumption or not self.cites:
            return self.source
        from ..bibliography import cite_label

        return f"{cite_label(self.cites)} ({self.source})"


@ships_schema("channel_model")
class ModelSpec(Declared, frozen=True, kw_only=True, dict=True):
    """alliance-kit channel-plan model parameters (modules/content/channel_model.yaml)."""

    weeks: Annotated[int, Meta(ge=4, le=104)]
    band: tuple[Percentile, Percentile]
    runs: Annotated[int, Meta(ge=100, le=100_000)]
    parameter_list: Annotated[tuple[Parameter, ...], Meta(min_length=1)] = msgspec.field(
        name="parameters"
    )

    def __post_init__(self) -> None:
        if not self.band[0] < self.band[1]:
            raise ValueError(_("band must be two percentiles, low then high"))

    @cached_property
    def parameters(self) -> dict[str, Parameter]:
        """The parameters by id (the check refuses a file with a repeated id)."""
        return {p.id: p for p in self.parameter_list}

    def values(self) -> dict[str, float]:
        return {pid: p.default for pid, p in self.parameters.items()}


def _id_problems(items: Any, where: str) -> list[Problem]:
    """The parameter ids against what the simulation reads: none unknown, none missing."""
    ids = (
        [raw.get("id") for raw in items if isinstance(raw, dict)] if isinstance(items, list) else []
    )
    problems = [
        Problem(where, _("is not a parameter the model reads (check the spelling)"), pid, "id")
        for pid in dict.fromkeys(i for i in ids if isinstance(i, str))
        if pid not in PARAMETER_IDS
    ]
    for pid in PARAMETER_IDS:
        if pid not in ids:
            problems.append(
                Problem(where, _("parameter %(id)r is missing; the model needs it") % {"id": pid})
            )
    return problems


def read_spec(data: Any, where: str) -> tuple[ModelSpec | None, list[Problem]]:
    """The parsed parameter file as a :class:`ModelSpec`, or None and what is wrong with it."""
    model, _, problems = convert_file(data, ModelSpec, where, {"parameters": Parameter})
    if isinstance(data, dict):
        problems += _id_problems(data.get("parameters"), where)
    return (None if problems else model), problems


def load_spec(path: Path | None = None) -> tuple[ModelSpec | None, list[Problem]]:
    """The model's parameters from the data file; None (with the problems) if it is unusable."""
    path = path if path is not None else model_file()
    try:
        data = read_yaml(path)
    except ContentError as exc:
        return None, [exc.problem]
    return read_spec(data, display_path(path))


@lru_cache(maxsize=4)
def spec(lang: str = SOURCE_LANGUAGE) -> tuple[ModelSpec | None, tuple[Problem, ...]]:
    """The shipped parameters, parsed once per process; ``lang`` gives their labels, notes and
    sources in that language (the numbers are the same in every language)."""
    path = None if lang == SOURCE_LANGUAGE else content_file("channel_model.yaml", lang)
    found, problems = load_spec(path)
    return found, tuple(problems)


@register_checker("channel-model", N_("parameters of the channel-plan model (channel_model.yaml)"))
def check_channel_model() -> list[Problem]:
    return load_spec()[1]
