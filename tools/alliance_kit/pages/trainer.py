"""The practice trainer page: one utterance at a time, two quick choices, immediate feedback.

All state lives in a ``trainer.Round``; this module only turns it into widgets, so the rules
(no repeats, per-characteristic score, which module to revisit) are tested without a browser.
"""

from __future__ import annotations

import ipywidgets as widgets
from markupsafe import Markup

from .. import i18n
from ..alliance import BY_ID, CHANNELS, CHARACTERISTICS, PHASES
from ..fragments import render
from ..i18n import N_, _, ngettext
from ..learn.model import module_id
from ..learn.trainer import DEFAULT_ROUND_SIZE, ROUND_SIZES, Round, Summary, Verdict, load_items
from .common import Status, message_html, page, safe
from .language import href

SPEAKERS = {"officer": N_("Officer"), "client": N_("Client")}
#: The effect buttons, by the engine's effect ids.
EFFECT_CHOICES = {
    "strengthens": N_("Strengthens the alliance"),
    "strains": N_("Strains the alliance"),
}
REACTANCE = BY_ID["reactance"]


def _name(cid: str) -> str:
    return BY_ID[cid].label


def utterance_html(round_: Round) -> str:
    item = round_.current
    if item is None:
        return ""
    meta = [_(SPEAKERS[item.speaker]), _(CHANNELS[item.channel])]
    if item.phase:
        meta.append(_(PHASES[item.phase]))
    return render(
        "trainer_utterance.html.j2",
        item=item,
        number=round_.position + 1,
        total=len(round_.items),
        meta=meta,
        speaker=_(SPEAKERS[item.speaker]),
    )


def verdict_html(v: Verdict) -> str:
    return render(
        "trainer_verdict.html.j2",
        v=v,
        at_stake=_name(v.item.characteristic),
        chosen=_name(v.chosen_characteristic),
    )


def score_html(round_: Round) -> str:
    tallies = round_.tallies()
    return render("trainer_score.html.j2", rows=[(c, tallies[c.id]) for c in CHARACTERISTICS])


def summary_html(summary: Summary) -> str:
    revisit = BY_ID[summary.revisit] if summary.revisit else None
    return render(
        "trainer_summary.html.j2",
        summary=summary,
        revisit=revisit,
        tally=summary.tallies[revisit.id] if revisit else None,
        revisit_href=href(f"{module_id(revisit.id)}.ipynb") if revisit else None,
        overview_href=href("learn_overview.ipynb"),
    )


class TrainerView:
    def __init__(self) -> None:
        self.status = Status()
        items, problems = load_items(lang=i18n.active())
        self.pool = items
        warn = ""
        if problems:
            warn = message_html(
                ngettext(
                    "{count} practice item could not be loaded and is left out (first: "
                    "{first}). An educator can run 'alliance-kit check'.",
                    "{count} practice items could not be loaded and are left out (first: "
                    "{first}). An educator can run 'alliance-kit check'.",
                    len(problems),
                ).format(count=len(problems), first=problems[0]),
                "warn",
            )
        self.size = widgets.Dropdown(
            options=[(_("{count} items").format(count=n), n) for n in ROUND_SIZES],
            value=DEFAULT_ROUND_SIZE,
            description=_("Items per round"),
            style={"description_width": "initial"},
        )
        self.size.add_class("ak-trainer-size")
        self.utterance = widgets.HTML()
        self.characteristic = widgets.ToggleButtons(
            options=[(c.shown_name, c.id) for c in CHARACTERISTICS],
            value=None,
            description=_("Most at stake"),
            tooltips=[
                f"{c.shown_name}: {c.shown_one_line} ({c.direction_label})" for c in CHARACTERISTICS
            ],
            style={"description_width": "initial"},
        )
        self.characteristic.add_class("ak-trainer-characteristic")
        self.effect = widgets.ToggleButtons(
            options=[(_(label), key) for key, label in EFFECT_CHOICES.items()],
            value=None,
            description=_("This line"),
            style={"description_width": "initial"},
        )
        self.effect.add_class("ak-trainer-effect")
        self.submit = widgets.Button(description=_("Submit"), button_style="primary")
        self.next = widgets.Button(description=_("Next"), disabled=True)
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
        self.again = widgets.Button(description=_("New round"), icon="refresh")
        self.summary_box = widgets.VBox([self.summary, self.again])
        self.summary_box.add_class("ak-trainer-summary")
        self.summary_box.layout.display = "none"

        self.submit.on_click(safe(self.status)(self._submit))
        self.next.on_click(safe(self.status)(self._next))
        self.again.on_click(safe(self.status)(lambda _event: self.new_round()))
        self.size.observe(safe(self.status)(lambda _event: self.new_round()), names="value")

        self.box = widgets.VBox(
            [
                widgets.HTML(
                    render("trainer_howto.html.j2", reactance=REACTANCE, warn=Markup(warn))
                ),
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
            self.status.show(_("There are no practice items in this kit yet."), "warn")
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
        self.next.description = _("Next")
        self.feedback.value = ""
        self.score.value = score_html(self.round)

    def _submit(self, _button: widgets.Button) -> None:
        assert self.round is not None
        if self.characteristic.value is None or self.effect.value is None:
            self.feedback.value = message_html(
                _(
                    "Choose a characteristic and whether the line strengthens or strains the "
                    "alliance, then press Submit."
                ),
                "warn",
            )
            return
        verdict = self.round.answer(self.characteristic.value, self.effect.value)
        self.characteristic.disabled = self.effect.disabled = self.submit.disabled = True
        self.feedback.value = verdict_html(verdict)
        self.score.value = score_html(self.round)
        self.next.disabled = False
        if self.round.finished:
            self.next.description = _("See summary")

    def _next(self, _button: widgets.Button) -> None:
        assert self.round is not None
        if self.round.next() is None:
            self.play.layout.display = "none"
            self.summary.value = summary_html(self.round.summary())
            self.summary_box.layout.display = None
            return
        self._show_item()


def build() -> widgets.VBox:
    box = page(
        _("Which characteristic is this?"),
        TrainerView().box,
        intro=_("Short lines from supervision sessions: in person, by phone, video and message."),
    )
    return box


def show() -> None:
    from .language import show as show_in_language

    show_in_language(build)
