"""The scenario player's step as HTML: the case, the scene, what the channel lets you perceive,
the meters and the feedback on the last choice. Text from the case files comes in the page's
language (the case was loaded in it); the words around it go through the catalogue.

What the page shows when it opens (the first case, its first channel, its first step) is
content alone, the same for every trainee, and is kept between kernels (``render_kept``): the
page opens without Jinja2. Everything a trainee's own choice led to (another case or channel,
a step after a choice) is drawn afresh and never kept: which way they went is theirs."""

from __future__ import annotations

import hashlib

from ..alliance import CHARACTERISTICS, PHASES
from ..fragments import render, render_if_shared, render_kept
from ..i18n import N_, _
from ..scenarios.model import CHANNEL_PERCEPTION, PERCEPTION_KINDS, RISK_LEVELS, SITUATIONS, Case
from ..scenarios.player import Player
from .common import decimal
from .practise_labels import channel_name, direction, name, signed

#: A cue's kind as the short heading in front of it ("Voice: ..."); the longer descriptions
#: of what a channel carries are the engine's ``PERCEPTION_KINDS``.
CUE_KINDS: dict[str, str] = {
    "voice": N_("Voice"),
    "face": N_("Face"),
    "body": N_("Body"),
    "surroundings": N_("Surroundings"),
    "text": N_("Text"),
    "timing": N_("Timing"),
}


def perception(kind: str) -> str:
    return _(PERCEPTION_KINDS[kind])


def case_html(case: Case, *, opening: bool = False) -> str:
    situations = [_(SITUATIONS.get(s, s)) for s in case.situation]
    situation = ", ".join(situations) or _("none in particular")
    return render_if_shared(
        opening,
        "scenario_case.html.j2",
        case_id=case.id,
        phase=_(PHASES[case.phase]),
        risk=_(RISK_LEVELS[case.risk]),
        situation=situation,
        summary=case.summary,
        client=case.client,
    )


def choices_class(player: Player) -> str:
    """A class for this step's choice buttons, named again on the scene (``data-choices``).

    A browser draws the new buttons a moment after the new scene, so for that moment the
    buttons on the page are the last step's, already gone from the kernel: a click on one
    does nothing. The class lets the page (and a test) tell the two apart. It is the same
    for everyone who reaches the same step, so the opening scene can still be kept."""
    step = f"{player.case.id}\0{player.channel}\0{player.scene.id}\0{len(player.steps)}"
    return "ak-choices-" + hashlib.blake2b(step.encode(), digest_size=4).hexdigest()


def scene_html(player: Player, *, opening: bool = False) -> str:
    return render_if_shared(
        opening,
        "scenario_scene.html.j2",
        scene_id=player.scene.id,
        choices=choices_class(player),
        channel=channel_name(player.channel),
        finished=player.finished,
        step=len(player.steps) + 1,
        text=player.text(),
    )


def prompt_html() -> str:
    return render_kept("scenario_prompt.html.j2")


def cues_html(player: Player, *, opening: bool = False) -> str:
    hidden = player.hidden_cues()
    return render_if_shared(
        opening,
        "scenario_cues.html.j2",
        channel=channel_name(player.channel),
        perceivable=", ".join(perception(k) for k in CHANNEL_PERCEPTION[player.channel]),
        cues=[(c.kind, _(CUE_KINDS[c.kind]), c.text) for c in player.cues()],
        hidden=len(hidden),
        hidden_kinds="; ".join(sorted({perception(c.kind) for c in hidden})),
    )


def meters_html(meters: dict[str, float], *, opening: bool = False) -> str:
    rows = [
        {
            "id": c.id,
            "name": name(c.id),
            "raw": f"{meters[c.id]:.1f}",
            "value": decimal(meters[c.id]),
            "percent": f"{meters[c.id] * 10:.0f}",
            "colour": c.colour,
            "direction": direction(c.id),
        }
        for c in CHARACTERISTICS
    ]
    return render_if_shared(opening, "scenario_meters.html.j2", meters=rows)


def feedback_html(player: Player) -> str:
    if not player.steps:
        return ""
    step = player.steps[-1]
    signals = player.case.signals
    moved = ", ".join(f"{name(k)} {signed(v)}" for k, v in step.effects.items() if v)
    return render(
        "scenario_feedback.html.j2",
        choice=step.label,
        feedback=step.feedback,
        noticed="; ".join(signals[s].label for s in step.noticed),
        missed="; ".join(signals[s].label for s in step.missed),
        moved=moved,
    )
