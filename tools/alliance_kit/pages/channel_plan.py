"""The channel-plan page: one client profile, two contact plans, the spread of what might follow.

The page says loudly that this is a teaching model: every parameter is listed with its range
and its source, or "teaching assumption", and the risk-signal curve carries a warning because
nobody has measured how well risk signals are noticed per channel. Its HTML and chart are in
``channel_plan_html``.

Most visitors read the page before they run the model, and many never run it: the simulation
(numpy) and the chart (plotly) are loaded when Run is first pressed, not when the page opens,
and the widgets whose look never changes share their layout and style (``looks.lean``).
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from .. import i18n
from ..channel_model.parameters import spec
from ..channel_model.plans import (
    EXAMPLE_RULE,
    MAX_RULE_CHARS,
    PRESETS,
    parse_plan,
    preset_of,
    preset_rule,
)
from ..channel_model.profile import COMPLEX_NEEDS, DIGITAL_ACCESS, LEVELS, Profile
from ..i18n import N_, _
from . import language
from .channel_plan_html import (
    heading_html,
    parameter_table_html,
    plan_error_html,
    plan_strip_html,
    results_figure,
    summary_html,
    warning_html,
)
from .common import Status, decimal, message_html, page, safe
from .looks import lean

__all__ = ["ChannelPlanPage", "parameter_table_html", "show"]

CUSTOM = N_("(your own rule)")
LEVEL_NAMES = {"low": N_("Low"), "medium": N_("Medium"), "high": N_("High")}
RUN_SIZES = (1000, 4000, 10_000)


def intro() -> str:
    return _(
        "Set a client profile and compare two contact plans over 26 weeks. The model runs many "
        "simulated clients and shows the middle (median) and a band of how each characteristic "
        "might develop. It is a teaching model: use it to reason about a plan, never to predict "
        "one client."
    )


def warning() -> str:
    return _(
        "Nobody has measured how well rising-risk signals are noticed on each channel. The "
        "noticing curve rests entirely on teaching assumptions (marked in the parameter table); "
        "change them in the data file and see how much the picture depends on them."
    )


class PlanEditor:
    """One plan: a preset, the rule it stands for, and the week-by-week strip."""

    def __init__(
        self,
        key: str,
        preset: str,
        status: Status,
        weeks: int,
        on_change: Callable[[bool], None] | None = None,
    ) -> None:
        self.key = key
        self.weeks = weeks
        self.on_change: Callable[[bool], None] | None = None
        self.preset = lean(
            widgets.Dropdown,
            options=[*((_(p), p) for p in PRESETS), (_(CUSTOM), CUSTOM)],
            value=preset,
            description=_("Preset"),
            layout={"width": "100%"},
        )
        self.rule = lean(
            widgets.Text,
            value=preset_rule(preset),
            description=_("Rule"),
            continuous_update=False,
            placeholder=_("e.g. %(rule)s") % {"rule": _(EXAMPLE_RULE)},
            tooltip=_("At most %(count)s characters") % {"count": MAX_RULE_CHARS},
            layout={"width": "100%"},
        )
        self.rule.add_class("ak-plan-rule")
        self.strip = lean(widgets.HTML)
        self._syncing = False
        self.preset.observe(safe(status)(self._on_preset), names="value")
        self.rule.observe(safe(status)(self._on_rule), names="value")
        self.box = lean(
            widgets.VBox,
            children=[
                lean(widgets.HTML, value=heading_html(_("Plan %(key)s") % {"key": key}, 3)),
                self.preset,
                self.rule,
                self.strip,
            ],
            layout={"width": "49%"},
        )
        self.box.add_class("ak-plan")
        self.box.add_class(f"ak-plan-{key.lower()}")
        self._preview()
        # Told after each later edit whether the rule still reads as a plan.
        self.on_change = on_change

    def _on_preset(self, change: dict) -> None:
        if self._syncing or change["new"] == CUSTOM:
            return
        self._syncing = True
        try:
            self.rule.value = preset_rule(change["new"])
        finally:
            self._syncing = False
        self._preview()

    def _on_rule(self, change: dict) -> None:
        if not self._syncing:
            match = preset_of(change["new"]) or CUSTOM
            self._syncing = True
            try:
                self.preset.value = match
            finally:
                self._syncing = False
        self._preview()

    def plan(self) -> tuple[str, ...]:
        """The plan as one channel per week; ValueError with a sentence if the rule is unclear."""
        try:
            return parse_plan(self.rule.value, self.weeks)
        except ValueError as exc:
            raise ValueError(
                _("Plan %(key)s: %(problem)s") % {"key": self.key, "problem": exc}
            ) from None

    def _preview(self) -> None:
        try:
            self.strip.value = plan_strip_html(self.plan(), preset=self.preset.value != CUSTOM)
            valid = True
        except ValueError as exc:
            self.strip.value = plan_error_html(str(exc))
            valid = False
        if self.on_change is not None:
            self.on_change(valid)


class ChannelPlanPage:
    def __init__(self) -> None:
        self.status = Status()
        self.model, self.problems = spec(i18n.active())
        weeks = self.model.weeks if self.model else 26

        labelled = {"description_width": "initial"}  # width from alliance.css, to fit Dutch

        def level(desc: str, value: str) -> widgets.Dropdown:
            return lean(
                widgets.Dropdown,
                options=[(_(LEVEL_NAMES[k]), k) for k in LEVELS],
                value=value,
                description=desc,
                style=labelled,
            )

        self.risk = level(_("Risk level"), "medium")
        self.motivation = level(_("Motivation"), "medium")
        self.complex = lean(
            widgets.Dropdown,
            options=[(_(v), k) for k, v in COMPLEX_NEEDS.items()],
            description=_("Complex needs"),
            style=labelled,
        )
        self.digital = lean(
            widgets.Dropdown,
            options=[(_(v), k) for k, v in DIGITAL_ACCESS.items()],
            description=_("Digital access"),
            layout={"width": "28em"},
            style=labelled,
        )
        self.abuse = lean(widgets.Checkbox, description=_("Possible domestic abuse"), indent=False)
        self.childcare = lean(widgets.Checkbox, description=_("Childcare duties"), indent=False)
        profile = lean(
            widgets.VBox,
            children=[
                lean(widgets.HTML, value=heading_html(_("Client profile"))),
                lean(widgets.HBox, children=[self.risk, self.motivation, self.complex]),
                lean(widgets.HBox, children=[self.digital, self.abuse, self.childcare]),
            ],
        )
        profile.add_class("ak-plan-profile")

        self.plan_a = PlanEditor(
            "A", "Face-to-face every week", self.status, weeks, self._on_plan_change
        )
        self.plan_b = PlanEditor(
            "B",
            "Face-to-face for 6 weeks, then alternate video and phone",
            self.status,
            weeks,
            self._on_plan_change,
        )
        plans = lean(widgets.HBox, children=[self.plan_a.box, self.plan_b.box])
        plans.add_class("ak-plan-pair")

        self.runs = lean(
            widgets.Dropdown,
            options=[(decimal(n, 0), n) for n in RUN_SIZES],
            value=self.model.runs if self.model and self.model.runs in RUN_SIZES else 4000,
            description=_("Clients"),
        )
        self.seed = lean(
            widgets.BoundedIntText, value=1, min=0, max=2**31 - 1, description=_("Seed")
        )
        self.run = lean(widgets.Button, description=_("Run"), button_style="primary", icon="play")
        self.run.add_class("ak-plan-run")
        self.run.on_click(safe(self.status)(self._on_run))
        controls = lean(widgets.HBox, children=[self.runs, self.seed, self.run])
        controls.add_class("ak-plan-controls")

        self.stale = lean(widgets.HTML)
        self.stale.add_class("ak-plan-stale-note")
        self.summary = lean(widgets.HTML)
        self.chart = lean(widgets.VBox)
        self.chart.add_class("ak-plan-chart")
        self.results = lean(widgets.VBox, children=[self.stale, self.summary, self.chart])
        self.results.add_class("ak-plan-results")

        warning_box = lean(widgets.HTML, value=warning_html(warning()))
        table = lean(widgets.HTML, value=parameter_table_html(self.model) if self.model else "")
        table_box = lean(widgets.VBox, children=[table])
        table_box.add_class("ak-plan-parameters")
        self.box = lean(
            widgets.VBox,
            children=[
                warning_box,
                profile,
                lean(widgets.HTML, value=heading_html(_("Two plans"), legend=True)),
                plans,
                controls,
                self.status,
                self.results,
                table_box,
            ],
        )
        self.box.add_class("ak-channel-plan")
        for w in (
            self.risk,
            self.motivation,
            self.complex,
            self.digital,
            self.abuse,
            self.childcare,
        ):
            w.observe(lambda _c: self._mark_stale(), names="value")
        if self.model is None:
            self.run.disabled = True
            self.status.show(
                _("The model's parameter file has problems, so the model cannot run: %(problems)s")
                % {"problems": "; ".join(str(p) for p in self.problems[:3])},
                "error",
            )

    def profile(self) -> Profile:
        return Profile(
            risk=self.risk.value,
            complex_needs=self.complex.value,
            domestic_abuse=self.abuse.value,
            childcare=self.childcare.value,
            digital_access=self.digital.value,
            motivation=self.motivation.value,
        )

    def has_results(self) -> bool:
        return bool(self.summary.value)

    def _on_plan_change(self, valid: bool) -> None:
        # Charts left under a rule that no longer reads would look like its answer.
        if valid:
            self._mark_stale()
        else:
            self._clear_results()

    def _mark_stale(self) -> None:
        if self.has_results():
            self.stale.value = message_html(
                _(
                    "These results are from the last run; a plan or the profile has changed "
                    "since. Press Run to update them."
                ),
                "warn",
            )
            self.results.add_class("ak-plan-stale")

    def _clear_results(self) -> None:
        if self.has_results():
            self.status.clear()  # "Simulated ..." would describe charts no longer shown
        self.stale.value = ""
        self.summary.value = ""
        self.chart.children = []
        self.results.remove_class("ak-plan-stale")

    def _on_run(self, _button: object) -> None:
        try:
            plans = {"A": self.plan_a.plan(), "B": self.plan_b.plan()}
        except ValueError as exc:
            self._clear_results()
            self.status.show(str(exc), "error")
            return
        self._clear_results()
        self.run.disabled = True
        self.status.show(_("Running the model..."), "info")
        try:
            from ..channel_model.simulation import simulate

            profile = self.profile()
            results = {
                key: simulate(profile, plan, runs=self.runs.value, seed=self.seed.value)
                for key, plan in plans.items()
            }
            week = len(plans["A"])
            self.summary.value = summary_html(results, week)
            self.chart.children = [results_figure(results)]
        finally:
            self.run.disabled = False
        self.status.show(
            _(
                "Simulated %(runs)s clients on each plan (seed %(seed)s). The same seed gives "
                "the same picture."
            )
            % {"runs": decimal(self.runs.value, 0), "seed": self.seed.value},
            "ok",
        )


def build() -> widgets.Widget:
    """The page in the active language (labels, notes and sources from that language's file)."""
    return page(_("Channel-plan model"), ChannelPlanPage().box, intro=intro())


def show() -> None:
    language.show(build)
