"""The trends page's charts: one client's trend, officer against client, all sessions.

plotly is imported here when a chart is drawn, never when the page starts. Every title, axis,
legend entry and hover text is in the visitor's language; dates are written by Babel rather
than by plotly.js, which knows English month names only.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ...alliance import BY_ID, CHARACTERISTIC_IDS
from ...i18n import _
from ...reliable_change import DEFAULT_RULE, ReliableChangeRule
from ..charts import private_chart
from .labels import channel_name, char_label, phase_name, short_date

if TYPE_CHECKING:
    from ...journal.analysis import ClientView, Overview

#: More date ticks than this overlap in a half-width panel.
MAX_TICKS = 6
SYMBOLS = {
    "face-to-face": "circle",
    "phone": "diamond",
    "video": "square",
    "messaging": "triangle-up",
    "mixed": "star",
}


def _scatter(
    x: Any,
    y: Any,
    name: str,
    *,
    group: str,
    showlegend: bool,
    marker: dict,
    customdata: Any,
    hover: str,
    **more: Any,
) -> dict[str, Any]:
    """One series of a trend chart, as the plain dict the chart takes without checking it."""
    return {
        "type": "scatter",
        "x": x,
        "y": y,
        "name": name,
        "legendgroup": group,
        "showlegend": showlegend,
        "marker": marker,
        "cliponaxis": False,
        "customdata": customdata,
        "hovertemplate": hover + name + ": %{y:.1f}<extra></extra>",
        **more,
    }


def trend_figure(view: ClientView, rule: ReliableChangeRule = DEFAULT_RULE) -> Any:
    """One client's four characteristics over time, with the reliable-change band.

    The traces are plain dicts, added unchecked and all at once: plotly's check of every
    property of every trace, one trace at a time, was the part of the first view that grew
    with the client's history, and these traces are the same few kinds every time (the
    trends tests draw them).
    """
    import numpy as np
    from plotly.subplots import make_subplots

    from ...journal.analysis import CLIENT, OFFICER

    rows = view.rows
    dates = [short_date(d) for d in rows["date"]]
    channels = [channel_name(ch) for ch in rows["channel"]]
    you, client = _("You"), _("Client")
    fig = make_subplots(
        rows=2,
        cols=2,
        shared_xaxes=True,
        subplot_titles=[char_label(c) for c in CHARACTERISTIC_IDS],
        vertical_spacing=0.14,
    )
    fig._validate = False  # see above
    traces: list[tuple[dict, int, int]] = []  # (trace, row, col), added at once below
    client_legend = False
    # Arrays rather than lists: the chart widget copies each trace's data, item by item for a
    # list, at once for an array (the state sent to the browser is the same).
    symbols = np.array([SYMBOLS.get(ch, "circle") for ch in rows["channel"]], dtype=object)
    pairs = np.array(list(zip(dates, channels, strict=True)), dtype=object).reshape(-1, 2)
    shown_dates = np.array(dates, dtype=object)
    for n, cid in enumerate(CHARACTERISTIC_IDS):
        r, c = divmod(n, 2)
        colour = BY_ID[cid].colour
        officer = _scatter(
            rows["date"],
            rows[OFFICER + cid],
            you,
            group="you",
            showlegend=n == 0,
            marker={"size": 10, "color": colour, "symbol": symbols},
            customdata=pairs,
            hover="%{customdata[0]} · %{customdata[1]}<br>",
            mode="lines+markers",
            line={"color": colour},
        )
        traces.append((officer, r + 1, c + 1))
        if rows[CLIENT + cid].notna().any():
            rated = _scatter(
                rows["date"],
                rows[CLIENT + cid],
                client,
                group="client",
                showlegend=not client_legend,
                marker={"size": 9, "color": "white", "line": {"color": colour, "width": 2}},
                customdata=shown_dates,
                hover="%{customdata}<br>",
                mode="markers",
            )
            traces.append((rated, r + 1, c + 1))
            client_legend = True
    for ch in sorted(set(rows["channel"])):  # a legend entry per channel symbol
        entry = {
            "type": "scatter",
            "x": [None],
            "y": [None],
            "mode": "markers",
            "name": channel_name(ch),
            "marker": {"symbol": SYMBOLS.get(ch, "circle"), "color": "#52606d", "size": 10},
        }
        traces.append((entry, 1, 1))
    added, at_rows, at_cols = zip(*traces, strict=True)
    fig.add_traces(list(added), rows=list(at_rows), cols=list(at_cols))
    for n, cid in enumerate(CHARACTERISTIC_IDS):
        r, c = divmod(n, 2)
        fig.update_yaxes(range=[0.8, 5.2], dtick=1, row=r + 1, col=c + 1)
        base = view.baseline.get(cid)
        if base is not None and len(rows):
            # After the traces: plotly leaves a shape out of a subplot that is still empty.
            lo, hi = rule.band(base)
            fig.add_hrect(
                y0=lo,
                y1=hi,
                row=r + 1,
                col=c + 1,
                fillcolor=BY_ID[cid].colour,
                opacity=0.15,
                line_width=0,
                layer="below",
            )
    fig.update_xaxes(type="date")
    if len(rows):
        first, last = rows["date"].min(), rows["date"].max()
        # Room on both sides so the first and last markers show whole; at least a week, so a
        # single session shows a fortnight, not milliseconds.
        pad = max(dt.timedelta(days=7), (last - first) * 0.05)
        ticks = session_ticks(rows["date"])
        fig.update_xaxes(
            range=[first - pad, last + pad],
            tickvals=ticks,
            ticktext=[short_date(t) for t in ticks],
        )
    fig.update_layout(
        height=520,
        margin={"l": 40, "r": 20, "t": 50, "b": 40},
        template="plotly_white",
        legend={"orientation": "h", "y": -0.12},
    )
    return fig


def session_ticks(dates: Any, most: int = MAX_TICKS) -> list:
    """Ticks on session dates (not between them): every one, or an even spread of them
    including the first and the last."""
    unique = sorted(set(dates))
    if len(unique) <= most:
        return unique
    step = (len(unique) - 1) / (most - 1)
    return [unique[round(i * step)] for i in range(most)]


def gap_figure(view: ClientView) -> Any:
    import plotly.graph_objects as go

    gaps = view.gaps
    labels = [char_label(c) for c in gaps.index]
    fig = go.Figure(
        [
            go.Bar(name=_("You"), x=labels, y=gaps["officer"], marker_color="#1f5f8b"),
            go.Bar(name=_("Client"), x=labels, y=gaps["client"], marker_color="#b7791f"),
        ]
    )
    when = gaps.attrs.get("date")
    fig.update_layout(
        barmode="group",
        height=360,
        template="plotly_white",
        yaxis={"range": [0, 5.2], "title": _("score (1 to 5)")},
        margin={"l": 50, "r": 20, "t": 40, "b": 60},
        title=_("Session of {date}").format(
            date=short_date(dt.date.fromisoformat(when)) if when else ""
        ),
    )
    return fig


def overview_figures(ov: Overview) -> list[Any]:
    """Averages by channel, by phase, and a radar of the latest session against the average."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=[_("Average by channel"), _("Average by phase")],
        shared_yaxes=True,
    )
    for col, (table, counts, name) in enumerate(
        (
            (ov.by_channel, ov.counts_channel, channel_name),
            (ov.by_phase, ov.counts_phase, phase_name),
        ),
        start=1,
    ):
        x = [f"{name(k)} ({counts.get(k, 0)})" for k in table.index]
        for cid in CHARACTERISTIC_IDS:
            fig.add_trace(
                go.Bar(
                    name=char_label(cid),
                    x=x,
                    y=table[cid].round(2).tolist() if cid in table else [],
                    marker_color=BY_ID[cid].colour,
                    legendgroup=cid,
                    showlegend=col == 1,
                ),
                row=1,
                col=col,
            )
    fig.update_layout(
        barmode="group",
        height=380,
        template="plotly_white",
        yaxis={"range": [0, 5.2]},
        margin={"l": 40, "r": 20, "t": 50, "b": 40},
        legend={"orientation": "h", "y": -0.2},
    )
    theta = [char_label(c) for c in CHARACTERISTIC_IDS]
    radar = go.Figure(
        [
            go.Scatterpolar(
                r=[ov.average.get(c) for c in CHARACTERISTIC_IDS],
                theta=theta,
                fill="toself",
                name=_("Your average"),
                line={"color": "#52606d"},
            ),
            go.Scatterpolar(
                r=[ov.latest.get(c) for c in CHARACTERISTIC_IDS],
                theta=theta,
                fill="toself",
                name=_("Latest: {session}").format(session=latest_label(ov)),
                line={"color": "#1f5f8b"},
            ),
        ]
    )
    radar.update_layout(
        height=380,
        polar={"radialaxis": {"range": [1, 5], "dtick": 1}},
        template="plotly_white",
        margin={"l": 60, "r": 60, "t": 40, "b": 40},
        title=_("Latest session against your own average"),
    )
    return [fig, radar]


def latest_label(ov: Overview) -> str:
    """The latest session: its client code, date and channel."""
    if ov.latest_session is None:
        return ""
    code, date, channel = ov.latest_session
    return f"{code}, {short_date(date)} ({channel_name(channel)})"


def build_overview(
    sessions: list, *, widget: bool = True, df: Any = None
) -> tuple[Overview, list[Any]]:
    """The overview computation and its figures (what the benchmark times). ``df``: the
    sessions' frame when the caller has it already."""
    from ...journal import analysis

    ov = analysis.overview(analysis.frame(sessions) if df is None else df)
    figs = overview_figures(ov)
    return ov, [private_chart(f) for f in figs] if widget else figs
