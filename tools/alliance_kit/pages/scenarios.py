"""The scenario player: one case, one channel, choices with feedback, a debrief, a comparison.

All rules live in ``alliance_kit.scenarios.player.Player``; this module turns its state into
widgets, with the HTML of each part from ``scenario_view`` (the step) and ``scenario_debrief``
(the debrief and the comparison). Finished plays are kept in memory for this page only
(nothing is stored), so that after two channels of the same case the trainee sees them side
by side.
"""

from __future__ import annotations

import ipywidgets as widgets

from .. import i18n
from ..i18n import _
from ..scenarios.loading import catalogue
from ..scenarios.model import Case
from ..scenarios.player import Player, PlayResult, compare
from . import language
from .charts import private_chart
from .common import Status, message_html, page, safe
from .looks import close_widgets, lean
from .practise_labels import channel_name
from .scenario_debrief import comparison_html, debrief_html, radar_figure, resources_html
from .scenario_view import (
    case_html,
    choices_class,
    cues_html,
    feedback_html,
    meters_html,
    prompt_html,
    scene_html,
)

__all__ = ["ScenarioPage", "debrief_html", "show"]


def intro() -> str:
    return _(
        "Play a supervision situation on one channel, then play it again on another. Each "
        "channel lets you perceive different things: only the voice by phone; face and "
        "surroundings by video; the words and their timing in messaging; everything in the "
        "room. After two channels you see them side by side."
    )


class ScenarioPage:
    def __init__(self) -> None:
        self.status = Status()
        self.catalogue = catalogue(lang=i18n.active())
        self.cases = {c.id: c for c in self.catalogue.cases}
        self.finished: dict[str, dict[str, PlayResult]] = {}
        self.order: dict[str, list[str]] = {}
        self.player: Player | None = None
        self._switching = False

        self.case_pick = lean(
            widgets.Dropdown,
            options=[(c.title, c.id) for c in self.catalogue.cases],
            description=_("Case"),
            layout={"width": "36em"},
        )
        self.case_pick.add_class("ak-scenario-case-pick")
        self.channel_pick = lean(widgets.ToggleButtons, description=_("Channel"), options=[])
        self.channel_pick.add_class("ak-scenario-channel")
        self.case_info = lean(widgets.HTML)
        self.scene = lean(widgets.HTML)
        self.prompt = widgets.HTML(prompt_html())
        self.choices = lean(widgets.VBox)
        self.choices.add_class("ak-scenario-choices")
        self.feedback = lean(widgets.HTML)
        self.back = lean(
            widgets.Button,
            description=_("Back"),
            icon="arrow-left",
            tooltip=_("Undo the last choice"),
        )
        self.back.add_class("ak-scenario-back")
        self.restart = lean(
            widgets.Button,
            description=_("Restart"),
            icon="refresh",
            tooltip=_("Start the case again"),
        )
        self.restart.add_class("ak-scenario-restart")
        self.cues = lean(widgets.HTML)
        self.meters = lean(widgets.HTML)
        self.debrief_text = lean(widgets.HTML)
        self.radar = lean(widgets.VBox)
        self.radar.add_class("ak-scenario-radar")
        self.resources = lean(widgets.HTML)
        self.debrief = widgets.VBox(
            [self.debrief_text, self.radar, self.resources],
            layout=widgets.Layout(display="none"),
        )
        self.debrief.add_class("ak-scenario-debrief")
        self.compare = widgets.HTML(layout=widgets.Layout(display="none"))
        self.compare.add_class("ak-scenario-compare")
        self.compare_hint = lean(widgets.HTML)

        pickers = lean(widgets.HBox, children=[self.case_pick, self.channel_pick])
        pickers.add_class("ak-scenario-pickers")
        main = lean(
            widgets.VBox,
            children=[
                self.scene,
                self.prompt,
                self.choices,
                self.feedback,
                lean(widgets.HBox, children=[self.back, self.restart]),
            ],
        )
        main.add_class("ak-scenario-main")
        side = lean(widgets.VBox, children=[self.cues, self.meters])
        side.add_class("ak-scenario-side")
        body = lean(widgets.HBox, children=[main, side])
        body.add_class("ak-scenario-body")
        self.box = lean(
            widgets.VBox,
            children=[
                pickers,
                self.case_info,
                body,
                self.status,
                self.debrief,
                self.compare_hint,
                self.compare,
            ],
        )
        self.box.add_class("ak-scenario-player")

        self.case_pick.observe(safe(self.status)(self._on_case), names="value")
        self.channel_pick.observe(safe(self.status)(self._on_channel), names="value")
        self.back.on_click(safe(self.status)(self._on_back))
        self.restart.on_click(safe(self.status)(self._on_restart))

        if self.catalogue.problems:
            count = len(self.catalogue.problems)
            self.status.show(
                i18n.ngettext(
                    "%(count)s problem in the scenario files kept some cases out; an educator "
                    "can run 'alliance-kit check scenarios' to see it.",
                    "%(count)s problems in the scenario files kept some cases out; an educator "
                    "can run 'alliance-kit check scenarios' to see them.",
                    count,
                )
                % {"count": count},
                "warn",
            )
        if self.cases:
            self._on_case(None)

    # callbacks ---------------------------------------------------------------------------
    def _opening(self, case: Case, channel: str | None = None, steps: int = 0) -> bool:
        """Whether this is what the page shows when it opens, before any choice of the
        trainee's (``scenario_view``: kept between kernels)."""
        first = self.catalogue.cases[0]
        return case.id == first.id and channel in (None, first.channels[0]) and not steps

    def _on_case(self, _change: object) -> None:
        case = self.cases[self.case_pick.value]
        self.case_info.value = case_html(case, opening=self._opening(case))
        self._switching = True
        try:
            self.channel_pick.options = [(channel_name(c), c) for c in case.channels]
            self.channel_pick.value = case.channels[0]
        finally:
            self._switching = False
        self._start(case, case.channels[0])

    def _on_channel(self, change: dict) -> None:
        if self._switching or not change.get("new"):
            return
        self._start(self.cases[self.case_pick.value], change["new"])

    def _on_back(self, _button: object) -> None:
        if self.player and self.player.back():
            self._render()

    def _on_restart(self, _button: object) -> None:
        if self.player:
            self.player.restart()
            self._render()

    def _on_choice(self, index: int) -> None:
        assert self.player is not None
        self.player.choose(index)
        if self.player.finished:
            self._finish()
        self._render()

    # drawing -----------------------------------------------------------------------------
    def _start(self, case: Case, channel: str) -> None:
        self.player = Player(case, channel)
        self.status.clear()
        self._render()
        self._draw_comparison(case)

    def _render(self) -> None:
        player = self.player
        assert player is not None
        # The scene goes last: it carries data-scene, which tells a waiting test (or a screen
        # reader's user) that the whole step has been drawn.
        opening = self._opening(player.case, player.channel, len(player.steps))
        self.cues.value = cues_html(player, opening=opening)
        self.meters.value = meters_html(player.meters, opening=opening)
        self.feedback.value = feedback_html(player)
        buttons = []
        drawn_for = choices_class(player)
        for index, choice in player.choices():
            button = lean(
                widgets.Button,
                description=choice.label,
                tooltip=choice.label,
                layout={"width": "100%", "height": "auto"},
            )
            button.add_class("ak-scenario-choice")
            button.add_class(drawn_for)
            button.on_click(safe(self.status)(lambda _b, i=index: self._on_choice(i)))
            buttons.append(button)
        old, self.choices.children = self.choices.children, buttons
        for button in old:  # gone from the page: not sent again to a browser that reconnects
            close_widgets(button)
        self.prompt.layout.display = "none" if player.finished else None
        self.back.disabled = not player.can_go_back
        if not player.finished:
            self.debrief.layout.display = "none"
        self.scene.value = scene_html(player, opening=opening)

    def _finish(self) -> None:
        player = self.player
        assert player is not None
        result = player.result()
        case = player.case
        self.finished.setdefault(case.id, {})[player.channel] = result
        order = self.order.setdefault(case.id, [])
        if player.channel in order:
            order.remove(player.channel)
        order.append(player.channel)
        self.debrief_text.value = debrief_html(case, result)
        self.resources.value = resources_html(case, result)
        self.radar.children = [private_chart(radar_figure(result))]
        self.debrief.layout.display = None
        self._draw_comparison(case)

    def _draw_comparison(self, case: Case) -> None:
        order = self.order.get(case.id, [])
        if len(order) < 2:
            self.compare.layout.display = "none"
            others = ", ".join(channel_name(c) for c in case.channels if c not in order)
            self.compare_hint.value = (
                message_html(
                    _(
                        "Now play this case on another channel (%(channels)s) to compare them "
                        "side by side."
                    )
                    % {"channels": others},
                    "info",
                )
                if order
                else ""
            )
            return
        a, b = order[-2], order[-1]
        results = self.finished[case.id]
        self.compare_hint.value = ""
        self.compare.value = comparison_html(compare(case, results[a], results[b]))
        self.compare.layout.display = None


def build() -> widgets.Widget:
    """The page in the active language; the cases are read from that language's files."""
    page_obj = ScenarioPage()
    title = _("Channel scenarios")
    if not page_obj.cases:
        body = widgets.HTML(
            message_html(
                _(
                    "No scenario could be loaded. An educator can run 'alliance-kit check "
                    "scenarios' to see what is wrong."
                ),
                "error",
            )
        )
        return page(title, body, page_obj.status, intro=intro())
    return page(title, page_obj.box, intro=intro())


def show() -> None:
    language.show(build)
