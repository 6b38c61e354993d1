"""The channel-plan page's HTML and chart: the plan strips, the parameter table, the summary
table at the last week and the five-panel figure it summarises. Labels, notes and sources of
the parameters come from the model file in the page's language; the numbers are the same."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from .. import i18n
from ..alliance import CHANNELS, CHARACTERISTICS
from ..fragments import render, render_if_shared, render_kept
from ..i18n import _, percent
from .charts import private_chart
from .common import decimal, message_html
from .practise_labels import channel_name, chart_separators, label

if TYPE_CHECKING:  # the page is built without them; a run of the model loads them
    from ..channel_model.parameters import ModelSpec
    from ..channel_model.simulation import Band, SimulationResult

PLAN_COLOURS = {"A": "#1f5f8b", "B": "#c2185b"}
CHANNEL_LETTERS = {"face-to-face": "F", "phone": "P", "video": "V", "messaging": "M"}
CHANNEL_COLOURS = {
    "face-to-face": "#2a9d8f",
    "phone": "#e9a23b",
    "video": "#1f77b4",
    "messaging": "#8e6bbf",
}


def number(value: float) -> str:
    """A parameter's value as the page's language writes it, with no needless decimals."""
    return i18n.number(value, "#,##0.####")


def heading_html(text: str, level: int = 2, *, legend: bool = False) -> str:
    """A heading of the page's own (interface text), kept for the next kernel."""
    shown = (
        [(CHANNEL_LETTERS[ch], CHANNEL_COLOURS[ch], channel_name(ch)) for ch in CHANNELS]
        if legend
        else []
    )
    return render_kept("channel_plan_heading.html.j2", level=level, text=text, legend=shown)


def warning_html(text: str) -> str:
    """The page's warning about its assumptions (interface text), kept for the next kernel."""
    message = Markup(message_html(text, "warn"))
    return render_kept("channel_plan_warning.html.j2", message=message)


def plan_strip_html(plan: tuple[str, ...], *, preset: bool = False) -> str:
    """The plan week by week. A preset's plan is content and kept for the next kernel; a
    visitor's own rule is not."""
    counts = ", ".join(f"{channel_name(ch)} {plan.count(ch)}" for ch in CHANNELS if plan.count(ch))
    weeks = [
        (i + 1, ch, channel_name(ch), CHANNEL_LETTERS[ch], CHANNEL_COLOURS[ch])
        for i, ch in enumerate(plan)
    ]
    return render_if_shared(
        preset, "channel_plan_strip.html.j2", error=None, weeks=weeks, counts=counts
    )


def plan_error_html(text: str) -> str:
    """A rule that does not read as a plan: the sentence instead of the strip."""
    error = Markup(message_html(text, "warn"))
    return render("channel_plan_strip.html.j2", error=error, weeks=[], counts="")


def parameter_table_html(model: ModelSpec) -> str:
    """The model file's parameters (content), kept for the next kernel."""
    rows = [
        {
            "id": p.id,
            "label": p.label,
            "value": number(p.default),
            "low": number(p.low),
            "high": number(p.high),
            "unit": p.unit,
            "assumption": p.teaching_assumption,
            "source": p.source_text,
            "note": p.note,
            "detection": p.id.startswith("detection."),
        }
        for p in model.parameters.values()
    ]
    return render_kept("channel_plan_parameters.html.j2", parameters=rows)


def summary_html(results: dict[str, SimulationResult], week: int) -> str:
    i = week - 1
    rows = [
        (
            label(c.id),
            [
                (
                    decimal(b.median[i]),
                    decimal(b.low[i]),
                    decimal(b.high[i]),
                )
                for b in (r.characteristics[c.id] for r in results.values())
            ],
        )
        for c in CHARACTERISTICS
    ]
    noticing = [
        (percent(r.noticing.median[i]), percent(r.noticing.low[i]), percent(r.noticing.high[i]))
        for r in results.values()
    ]
    any_result = next(iter(results.values()))
    lo, hi = any_result.band
    return render(
        "channel_plan_summary.html.j2",
        week=week,
        low=number(lo),
        high=number(hi),
        runs=decimal(any_result.runs, 0),
        seed=any_result.seed,
        plans=list(results),
        rows=rows,
        noticing=noticing,
    )


def results_figure(results: dict[str, SimulationResult]):  # noqa: ANN201 - lazy plotly
    """One figure, five panels: each characteristic and the noticing curve, both plans."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    titles = [label(c.id) for c in CHARACTERISTICS] + [
        _("Rising-risk signal noticed (teaching assumption)")
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
    for _what, row, col in panels[:-1]:
        fig.update_yaxes(range=[0, 10], row=row, col=col)
    fig.update_yaxes(range=[0, 100], ticksuffix="%", row=3, col=1)
    fig.update_xaxes(title_text=_("week"), row=3, col=1)
    fig.update_xaxes(title_text=_("week"), row=2, col=2)
    fig.update_layout(
        height=820,
        margin={"l": 50, "r": 20, "t": 60, "b": 40},
        legend={"orientation": "h", "x": 0.55, "y": 0.15},
        separators=chart_separators(),
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
            name=_("Plan %(key)s (median)") % {"key": key},
            showlegend=legend,
            legendgroup=key,
        ),
    ]


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"
