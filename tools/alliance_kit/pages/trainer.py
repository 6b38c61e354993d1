"""The practice trainer page: one utterance at a time, two quick choices, immediate feedback.

All state lives in a ``trainer.Round``; this module only turns it into widgets, so the rules
(no repeats, per-characteristic score, which module to revisit) are tested without a browser.
"""

from __future__ import annotations

from html import escape

import ipywidgets as widgets

from ..alliance import BY_ID, CHANNELS, CHARACTERISTICS, PHASES
from ..learn.model import module_id
from ..learn.trainer import (
    DEFAULT_ROUND_SIZE,
    EFFECTS,
    ROUND_SIZES,
    Round,
    Summary,
    Verdict,
    load_items,
)
from .common import Status, message_html, page, safe

SPEAKERS = {"officer": "Officer", "client": "Client"}
REACTANCE = BY_ID["reactance"]
HOW_TO = (
    "Read the line, then choose the characteristic most at stake and whether the line "
    "strengthens or strains the working alliance. For Reactance, remember the direction: "
    f"{REACTANCE.direction_label}; a line that adds friction strains the alliance, a line that "
    "eases friction strengthens it."
)


def _name(cid: str) -> str:
    c = BY_ID[cid]
    return c.name if c.higher_is_better else f"{c.name} ({c.direction_label})"


def utterance_html(round_: Round) -> str:
    item = round_.current
    if item is None:
        return ""
    meta = [SPEAKERS[item.speaker], CHANNELS[item.channel]]
    if item.phase:
        meta.append(PHASES[item.phase])
    context = f'<p class="ak-utterance-context">{escape(item.context)}</p>' if item.context else ""
    return (
        f'<div class="ak-utterance" data-item="{escape(item.id)}">'
        f'<p class="ak-progress">Item {round_.position + 1} of {len(round_.items)}</p>'
        f'<p class="ak-utterance-meta">{escape(" · ".join(meta))}</p>{context}'
        f'<blockquote class="ak-utterance-line ak-line-{escape(item.speaker)}">'
        f'<span class="ak-speaker">{escape(SPEAKERS[item.speaker])}:</span> '
        f"{escape(item.line)}</blockquote></div>"
    )


def verdict_html(v: Verdict) -> str:
    right, wrong = '<span class="ak-mark">✓</span>', '<span class="ak-mark">✗</span>'
    item = v.item
    if v.characteristic_ok:
        char = f"{right} Yes: {escape(_name(item.characteristic))} is most at stake."
    else:
        char = (
            f"{wrong} You chose {escape(_name(v.chosen_characteristic))}; most at stake is "
            f"{escape(_name(item.characteristic))}."
        )
    effect_word = "strengthens" if item.effect == "strengthens" else "strains"
    if v.effect_ok:
        eff = f"{right} Yes: this line {effect_word} the alliance."
    else:
        eff = f"{wrong} Not quite: this line {effect_word} the alliance."
    kind = "ak-feedback-correct" if v.correct else "ak-feedback-wrong"
    return (
        f'<div class="ak-feedback ak-trainer-feedback {kind}" role="status">'
        f'<p>{char}</p><p>{eff}</p><p class="ak-explanation">{escape(item.explanation)}</p></div>'
    )


def score_html(round_: Round) -> str:
    rows = []
    for c in CHARACTERISTICS:
        t = round_.tallies()[c.id]
        rows.append(
            f'<tr data-characteristic="{c.id}"><th scope="row"><span class="ak-chip '
            f'ak-chip-{c.id}">{escape(c.name)}</span>'
            + ("" if c.higher_is_better else f" <small>{escape(c.direction_label)}</small>")
            + f"</th><td>{t.seen}</td><td>{t.characteristic_ok}</td><td>{t.effect_ok}</td></tr>"
        )
    return (
        '<table class="ak-trainer-score"><caption>Your score so far, by the characteristic '
        'really at stake</caption><thead><tr><th scope="col">Characteristic</th>'
        '<th scope="col">Items</th><th scope="col">Named right</th>'
        '<th scope="col">Effect right</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table>"
    )


def summary_html(summary: Summary) -> str:
    parts = [
        '<div class="ak-trainer-summary-text">',
        "<h2>Round finished</h2>",
        f'<p class="ak-trainer-total">You got {summary.correct} of {summary.total} items fully '
        "right (characteristic and effect).</p>",
    ]
    if summary.revisit:
        c = BY_ID[summary.revisit]
        t = summary.tallies[c.id]
        parts.append(
            f'<p class="ak-revisit">Most worth revisiting: <a href="{module_id(c.id)}.ipynb">'
            f"the {escape(c.name)} module</a> ({t.both_ok} of {t.seen} {escape(c.name)} items "
            "fully right).</p>"
        )
    else:
        parts.append(
            '<p class="ak-revisit">Nothing missed this round. Try a longer round, or read '
            '<a href="learn_overview.ipynb">the overview</a> again before a workshop.</p>'
        )
    parts.append("</div>")
    return "".join(parts)


class TrainerView:
    def __init__(self) -> None:
        self.status = Status()
        items, problems = load_items()
        self.pool = items
        warn = ""
        if problems:
            warn = message_html(
                f"{len(problems)} practice item(s) could not be loaded and are left out "
                f"(first: {problems[0]}). An educator can run 'alliance-kit check'.",
                "warn",
            )
        self.size = widgets.Dropdown(
            options=[(f"{n} items", n) for n in ROUND_SIZES],
            value=DEFAULT_ROUND_SIZE,
            description="Items per round",
            style={"description_width": "initial"},
        )
        self.size.add_class("ak-trainer-size")
        self.utterance = widgets.HTML()
        self.characteristic = widgets.ToggleButtons(
            options=[(c.name, c.id) for c in CHARACTERISTICS],
            value=None,
            description="Most at stake",
            tooltips=[f"{c.name}: {c.one_line} ({c.direction_label})" for c in CHARACTERISTICS],
            style={"description_width": "initial"},
        )
        self.characteristic.add_class("ak-trainer-characteristic")
        self.effect = widgets.ToggleButtons(
            options=[(f"{label} the alliance", key) for key, label in EFFECTS.items()],
            value=None,
            description="This line",
            style={"description_width": "initial"},
        )
        self.effect.add_class("ak-trainer-effect")
        self.submit = widgets.Button(description="Submit", button_style="primary")
        self.next = widgets.Button(description="Next", disabled=True)
        self.feedback = widgets.HTML()
        self.score = widgets.HTML()
        self.play = widgets.VBox(
            [
                self.utterance,
                self.characteristic,
                self.effect,
                widgets.HBox([self.submit, self.next]),
                self.feedback,
            ]
        )
        self.play.add_class("ak-trainer-play")
        self.summary = widgets.HTML()
        self.again = widgets.Button(description="New round", icon="refresh")
        self.summary_box = widgets.VBox([self.summary, self.again])
        self.summary_box.add_class("ak-trainer-summary")
        self.summary_box.layout.display = "none"

        self.submit.on_click(safe(self.status)(self._submit))
        self.next.on_click(safe(self.status)(self._next))
        self.again.on_click(safe(self.status)(lambda _: self.new_round()))
        self.size.observe(safe(self.status)(lambda _: self.new_round()), names="value")

        self.box = widgets.VBox(
            [
                widgets.HTML(f'<p class="ak-howto">{escape(HOW_TO)}</p>{warn}'),
                self.size,
                self.status,
                self.play,
                self.summary_box,
                self.score,
            ]
        )
        self.box.add_class("ak-trainer")
        self.round: Round | None = None
        self.new_round()

    def new_round(self) -> None:
        if not self.pool:
            self.play.layout.display = "none"
            self.status.show("There are no practice items in this kit yet.", "warn")
            return
        self.round = Round(self.pool, self.size.value)
        self.status.clear()
        self.summary_box.layout.display = "none"
        self.play.layout.display = None
        self._show_item()

    def _show_item(self) -> None:
        assert self.round is not None
        self.utterance.value = utterance_html(self.round)
        self.characteristic.value = None
        self.effect.value = None
        self.characteristic.disabled = self.effect.disabled = self.submit.disabled = False
        self.next.disabled = True
        self.next.description = "Next"
        self.feedback.value = ""
        self.score.value = score_html(self.round)

    def _submit(self, _: widgets.Button) -> None:
        assert self.round is not None
        if self.characteristic.value is None or self.effect.value is None:
            self.feedback.value = message_html(
                "Choose a characteristic and whether the line strengthens or strains the "
                "alliance, then press Submit.",
                "warn",
            )
            return
        verdict = self.round.answer(self.characteristic.value, self.effect.value)
        self.characteristic.disabled = self.effect.disabled = self.submit.disabled = True
        self.feedback.value = verdict_html(verdict)
        self.score.value = score_html(self.round)
        self.next.disabled = False
        if self.round.finished:
            self.next.description = "See summary"

    def _next(self, _: widgets.Button) -> None:
        assert self.round is not None
        if self.round.next() is None:
            self.play.layout.display = "none"
            self.summary.value = summary_html(self.round.summary())
            self.summary_box.layout.display = None
            return
        self._show_item()


def build() -> widgets.VBox:
    box = page(
        "Which characteristic is this?",
        TrainerView().box,
        intro="Short lines from supervision sessions: in person, by phone, video and message.",
    )
    return box


def show() -> None:
    from .language import show as show_in_language

    show_in_language(build)
