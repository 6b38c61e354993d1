"""The channel-plan page: one client profile, two contact plans, the spread of what might follow.

The page says loudly that this is a teaching model: every parameter is listed with its range
and its source, or "teaching assumption", and the risk-signal curve carries a warning because
nobody has measured how well risk signals are noticed per channel.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

import ipywidgets as widgets

from ..alliance import BY_ID, CHANNELS, CHARACTERISTICS
from ..channel_model.parameters import ModelSpec, spec
from ..channel_model.plans import MAX_RULE_CHARS, PRESETS, parse_plan
from ..channel_model.simulation import (
    COMPLEX_NEEDS,
    DIGITAL_ACCESS,
    LEVELS,
    Band,
    Profile,
    SimulationResult,
    simulate,
)
from .charts import private_chart
from .common import Status, message_html, page, safe

TITLE = "Channel-plan model"
INTRO = (
    "Set a client profile and compare two contact plans over 26 weeks. The model runs many "
    "simulated clients and shows the middle (median) and a band of how each characteristic "
    "might develop. It is a teaching model: use it to reason about a plan, never to predict "
    "one client."
)
WARNING = (
    "Nobody has measured how well rising-risk signals are noticed on each channel. The "
    "noticing curve rests entirely on teaching assumptions (marked in the parameter table); "
    "change them in the data file and see how much the picture depends on them."
)
CUSTOM = "(your own rule)"
PLAN_COLOURS = {"A": "#1f5f8b", "B": "#c2185b"}
CHANNEL_LETTERS = {"face-to-face": "F", "phone": "P", "video": "V", "messaging": "M"}
CHANNEL_COLOURS = {
    "face-to-face": "#2a9d8f",
    "phone": "#e9a23b",
    "video": "#1f77b4",
    "messaging": "#8e6bbf",
}
RUN_SIZES = [("1,000", 1000), ("4,000", 4000), ("10,000", 10_000)]
STALE = (
    "These results are from the last run; a plan or the profile has changed since. "
    "Press Run to update them."
)


def _name(cid: str) -> str:
    c = BY_ID[cid]
    return c.name if c.higher_is_better else f"{c.name} ({c.direction_label})"


def plan_strip_html(plan: tuple[str, ...]) -> str:
    cells = "".join(
        f'<span class="ak-week ak-week-{ch}" title="Week {i + 1}: {escape(CHANNELS[ch])}" '
        f'style="background:{CHANNEL_COLOURS[ch]}">{CHANNEL_LETTERS[ch]}</span>'
        for i, ch in enumerate(plan)
    )
    counts = ", ".join(f"{CHANNELS[ch]} {plan.count(ch)}" for ch in CHANNELS if plan.count(ch))
    return (
        f'<div class="ak-plan-strip" aria-label="Plan week by week: {escape(counts)}">{cells}</div>'
        f'<p class="ak-meta">{escape(counts)} (weeks)</p>'
    )


def legend_html() -> str:
    items = "".join(
        f'<span class="ak-week" style="background:{CHANNEL_COLOURS[ch]}">'
        f"{CHANNEL_LETTERS[ch]}</span> {escape(name)} &nbsp;"
        for ch, name in CHANNELS.items()
    )
    return f'<p class="ak-plan-legend">{items}</p>'


def parameter_table_html(model: ModelSpec) -> str:
    rows = []
    for p in model.parameters.values():
        if p.teaching_assumption:
            source = '<span class="ak-teaching-assumption">teaching assumption</span>'
        else:
            source = f'<span class="ak-source">{escape(p.source_text)}</span>'
        note = f'<br><span class="ak-meta">{escape(p.note)}</span>' if p.note else ""
        cls = ' class="ak-param-detection"' if p.id.startswith("detection.") else ""
        rows.append(
            f'<tr{cls} data-param="{escape(p.id)}"><th scope="row">{escape(p.label)}'
            f"<br><code>{escape(p.id)}</code></th><td>{p.default:g}</td>"
            f"<td>{p.low:g} to {p.high:g}</td><td>{escape(p.unit)}</td><td>{source}{note}</td></tr>"
        )
    return (
        '<table class="ak-param-table"><caption>Every parameter of the model: the value used, '
        "the range an educator may set it within (in modules/content/channel_model.yaml), and "
        "where it comes from</caption><thead><tr><th>Parameter</th><th>Value</th><th>Range</th>"
        "<th>Unit</th><th>Source</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


def summary_html(results: dict[str, SimulationResult], week: int) -> str:
    head = "".join(f"<th scope='col'>Plan {k}</th>" for k in results)
    rows = []
    for c in CHARACTERISTICS:
        cells = ""
        for r in results.values():
            band = r.characteristics[c.id]
            cells += (
                f"<td>{band.median[week - 1]:.1f} "
                f'<span class="ak-meta">({band.low[week - 1]:.1f} to '
                f"{band.high[week - 1]:.1f})</span></td>"
            )
        rows.append(f"<tr><th scope='row'>{escape(_name(c.id))}</th>{cells}</tr>")
    cells = ""
    for r in results.values():
        n = r.noticing
        cells += (
            f"<td>{n.median[week - 1]:.0%} "
            f'<span class="ak-meta">({n.low[week - 1]:.0%} to {n.high[week - 1]:.0%})</span></td>'
        )
    rows.append(
        "<tr><th scope='row'>Chance a rising-risk signal is noticed that week "
        f'<span class="ak-teaching-assumption">teaching assumption</span></th>{cells}</tr>'
    )
    any_result = next(iter(results.values()))
    lo, hi = any_result.band
    return (
        f'<table class="ak-plan-summary"><caption>Week {week}: median ({lo:g}th to {hi:g}th '
        f"percentile) of {any_result.runs:,} simulated clients, seed {any_result.seed}</caption>"
        f"<tr><th></th>{head}</tr>{''.join(rows)}</table>"
    )


def results_figure(results: dict[str, SimulationResult]):  # noqa: ANN201 - lazy plotly
    """One figure, five panels: each characteristic and the noticing curve, both plans."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    titles = [_name(c.id) for c in CHARACTERISTICS] + [
        "Rising-risk signal noticed (teaching assumption)"
    ]
    fig = make_subplots(rows=3, cols=2, subplot_titles=titles, vertical_spacing=0.09)
    panels = [(c.id, i // 2 + 1, i % 2 + 1) for i, c in enumerate(CHARACTERISTICS)]
    panels.append(("noticing", 3, 1))
    for key, result in results.items():
        colour = PLAN_COLOURS[key]
        weeks = list(result.weeks)
        for n, (what, row, col) in enumerate(panels):
            band = result.noticing if what == "noticing" else result.characteristics[what]
            scale = 100 if what == "noticing" else 1
            for trace in _band_traces(go, key, colour, weeks, band, scale, n == 0):
                fig.add_trace(trace, row=row, col=col)
    for _, row, col in panels[:-1]:
        fig.update_yaxes(range=[0, 10], row=row, col=col)
    fig.update_yaxes(range=[0, 100], ticksuffix="%", row=3, col=1)
    fig.update_xaxes(title_text="week", row=3, col=1)
    fig.update_xaxes(title_text="week", row=2, col=2)
    fig.update_layout(
        height=820,
        margin={"l": 50, "r": 20, "t": 60, "b": 40},
        legend={"orientation": "h", "x": 0.55, "y": 0.15},
    )
    return private_chart(fig)


def _band_traces(
    go: Any, key: str, colour: str, weeks: list, band: Band, scale: float, legend: bool
) -> list:
    """One plan in one panel: the band's upper edge, its lower edge filled up to it, then the
    median line; the edges stay out of the legend and the hover so only the median speaks."""
    edge = {
        "x": weeks,
        "mode": "lines",
        "line": {"width": 0},
        "showlegend": False,
        "hoverinfo": "skip",
        "legendgroup": key,
    }
    return [
        go.Scatter(y=list(band.high * scale), **edge),
        go.Scatter(y=list(band.low * scale), fill="tonexty", fillcolor=_rgba(colour, 0.18), **edge),
        go.Scatter(
            x=weeks,
            y=list(band.median * scale),
            mode="lines",
            line={"color": colour, "width": 2.5},
            name=f"Plan {key} (median)",
            showlegend=legend,
            legendgroup=key,
        ),
    ]


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


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
        self.preset = widgets.Dropdown(
            options=[*PRESETS, CUSTOM],
            value=preset,
            description="Preset",
            layout=widgets.Layout(width="100%"),
        )
        self.rule = widgets.Text(
            value=PRESETS[preset],
            description="Rule",
            continuous_update=False,
            placeholder="e.g. in person for the first 6 weeks, then alternate video and phone",
            tooltip=f"At most {MAX_RULE_CHARS} characters",
            layout=widgets.Layout(width="100%"),
        )
        self.rule.add_class("ak-plan-rule")
        self.strip = widgets.HTML()
        self._syncing = False
        self.preset.observe(safe(status)(self._on_preset), names="value")
        self.rule.observe(safe(status)(self._on_rule), names="value")
        self.box = widgets.VBox(
            [widgets.HTML(f"<h3>Plan {key}</h3>"), self.preset, self.rule, self.strip],
            layout=widgets.Layout(width="49%"),
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
            self.rule.value = PRESETS[change["new"]]
        finally:
            self._syncing = False
        self._preview()

    def _on_rule(self, change: dict) -> None:
        if not self._syncing:
            match = next((k for k, v in PRESETS.items() if v == change["new"].strip()), CUSTOM)
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
            raise ValueError(f"Plan {self.key}: {exc}") from None

    def _preview(self) -> None:
        try:
            self.strip.value = plan_strip_html(self.plan())
            valid = True
        except ValueError as exc:
            self.strip.value = f'<div class="ak-plan-error">{message_html(str(exc), "warn")}</div>'
            valid = False
        if self.on_change is not None:
            self.on_change(valid)


class ChannelPlanPage:
    def __init__(self) -> None:
        self.status = Status()
        self.model, self.problems = spec()
        weeks = self.model.weeks if self.model else 26

        def level(desc: str, value: str) -> widgets.Dropdown:
            return widgets.Dropdown(
                options=[(k.capitalize(), k) for k in LEVELS], value=value, description=desc
            )

        self.risk = level("Risk level", "medium")
        self.motivation = level("Motivation", "medium")
        self.complex = widgets.Dropdown(
            options=[(v, k) for k, v in COMPLEX_NEEDS.items()], description="Complex needs"
        )
        self.digital = widgets.Dropdown(
            options=[(v, k) for k, v in DIGITAL_ACCESS.items()],
            description="Digital access",
            layout=widgets.Layout(width="28em"),
        )
        self.abuse = widgets.Checkbox(description="Possible domestic abuse", indent=False)
        self.childcare = widgets.Checkbox(description="Childcare duties", indent=False)
        for w in (self.risk, self.motivation, self.complex, self.digital):
            w.style.description_width = "8em"
        profile = widgets.VBox(
            [
                widgets.HTML("<h2>Client profile</h2>"),
                widgets.HBox([self.risk, self.motivation, self.complex]),
                widgets.HBox([self.digital, self.abuse, self.childcare]),
            ]
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
        plans = widgets.HBox([self.plan_a.box, self.plan_b.box])
        plans.add_class("ak-plan-pair")

        self.runs = widgets.Dropdown(
            options=RUN_SIZES,
            value=self.model.runs
            if self.model and self.model.runs in dict(RUN_SIZES).values()
            else 4000,
            description="Clients",
        )
        self.seed = widgets.BoundedIntText(value=1, min=0, max=2**31 - 1, description="Seed")
        self.run = widgets.Button(description="Run", button_style="primary", icon="play")
        self.run.add_class("ak-plan-run")
        self.run.on_click(safe(self.status)(self._on_run))
        controls = widgets.HBox([self.runs, self.seed, self.run])
        controls.add_class("ak-plan-controls")

        self.stale = widgets.HTML()
        self.stale.add_class("ak-plan-stale-note")
        self.summary = widgets.HTML()
        self.chart = widgets.VBox()
        self.chart.add_class("ak-plan-chart")
        self.results = widgets.VBox([self.stale, self.summary, self.chart])
        self.results.add_class("ak-plan-results")

        warning = widgets.HTML(
            f'<div class="ak-teaching-warning">{message_html(WARNING, "warn")}</div>'
        )
        table = widgets.HTML(
            parameter_table_html(self.model) if self.model else "",
        )
        table_box = widgets.VBox([widgets.HTML("<h2>Parameters and sources</h2>"), table])
        table_box.add_class("ak-plan-parameters")
        self.box = widgets.VBox(
            [
                warning,
                profile,
                widgets.HTML("<h2>Two plans</h2>" + legend_html()),
                plans,
                controls,
                self.status,
                self.results,
                table_box,
            ]
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
                "The model's parameter file has problems, so the model cannot run: "
                + "; ".join(str(p) for p in self.problems[:3]),
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
            self.stale.value = message_html(STALE, "warn")
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
        self.status.show("Running the model...", "info")
        try:
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
            f"Simulated {self.runs.value:,} clients on each plan (seed {self.seed.value}). "
            "The same seed gives the same picture.",
            "ok",
        )


def show() -> None:
    from IPython.display import display

    display(page(TITLE, ChannelPlanPage().box, intro=INTRO))
