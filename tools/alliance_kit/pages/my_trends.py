"""My trends and journal: the alliance per client code, across channels and phases.

pandas and plotly are imported when a view is drawn, not when this module is imported. Charts
are plotly FigureWidgets, switched with ToggleButtons (a FigureWidget inside a Tab renders
empty in Voila). Everything printed or exported carries pseudonymous client codes only.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from ..alliance import BY_ID, CHANNELS, CHARACTERISTIC_IDS, PHASES, SESSION_CHANNELS
from ..journal import JournalError
from ..questionnaire import load
from ..reliable_change import DEFAULT_RULE, ReliableChangeRule
from .charts import load_chart_widget, private_chart
from .common import (
    Status,
    journal_sentence,
    message_html,
    open_journal_for_page,
    page,
    safe,
)
from .deferred import after_page_shown
from .session_structure import structure_html, versions_note_html

if TYPE_CHECKING:
    from ..journal.analysis import ClientView, Overview

log = logging.getLogger("alliance_kit")
TITLE = "My trends and journal"
INTRO = (
    "How the alliance develops with each client code, and how your sessions compare across "
    "channels and phases. The shaded band around the first session shows what is still noise; "
    "a point outside it is a real change. Only you can see this journal."
)
VIEWS = {
    "trend": "Trend for this client",
    "gap": "Officer and client",
    "overview": "All my sessions",
}
#: More date ticks than this overlap in a half-width panel.
MAX_TICKS = 6
SYMBOLS = {
    "face-to-face": "circle",
    "phone": "diamond",
    "video": "square",
    "messaging": "triangle-up",
    "mixed": "star",
}
#: Used when the resource library is not installed or finds nothing.
FALLBACK_RESOURCES: dict[str, list[tuple[str, str, str]]] = {
    "goals-and-conditions": [
        (
            "role-clarification-negotiable",
            "What is negotiable and what is not",
            "Sort conditions together.",
        ),
        ("conditions-in-plain-words", "Conditions in plain words", "A one-page summary to send."),
        ("session-map-four-parts", "Four-part session map", "Check-in, review, work, homework."),
    ],
    "trust": [
        ("dual-role-trust-and-reporting", "Keeping trust while you must report", "Say it early."),
        ("handover-between-officers", "Handover between officers", "Keep trust over a change."),
        ("safe-time-to-talk", "Is now a safe time to talk?", "An opener for remote contact."),
    ],
    "bond": [
        ("reinforcing-prosocial-steps", "Reinforcing pro-social steps", "Notice and name it."),
        ("oars-card", "OARS card", "Open questions, affirmations, reflections, summaries."),
        (
            "end-of-session-alliance-check",
            "End-of-session alliance check",
            "Two questions to close.",
        ),
    ],
    "reactance": [
        ("rupture-and-repair", "Rupture and repair", "Name the friction and mend it."),
        (
            "effective-disapproval-authority",
            "Effective authority and disapproval",
            "Firm, fair, calm.",
        ),
        (
            "talking-about-alliance-scores",
            "Talking about the scores together",
            "Compare and discuss.",
        ),
    ],
}


def char_label(cid: str) -> str:
    return BY_ID[cid].label


def resources_for(cid: str, channel: str | None, phase: str | None, query: str) -> list[dict]:
    """Up to three resources for a characteristic: the library's search, else a short list."""
    hits: list[Any] = []
    try:
        from ..library import search
    except ImportError:
        search = None
    if search is not None:
        attempts = [
            {
                "characteristics": (cid,),
                "channels": (channel,) if channel in CHANNELS else (),
                "phases": (phase,) if phase in PHASES else (),
            },
            {"characteristics": (cid,)},
        ]
        tries = [(query, attempts[0]), (query, attempts[1]), ("", attempts[0]), ("", attempts[1])]
        for text, facets in tries:
            try:
                hits = list(search(text, limit=3, **facets).hits)
            except Exception:  # the library is optional here: fall back, never fail the page
                log.exception("resource library search failed")
                hits = []
                break
            if hits:
                break
    found = [{"id": h.id, "title": h.title, "summary": getattr(h, "summary", "")} for h in hits[:3]]
    if not found:
        found = [{"id": i, "title": t, "summary": s} for i, t, s in FALLBACK_RESOURCES[cid]]
    return found


def resource_links(resources: list[dict]) -> str:
    items = "".join(
        f'<li><a class="ak-resource-link" href="library.ipynb?resource={escape(r["id"])}" '
        f'target="_blank">{escape(r["title"])}</a> <span class="ak-muted">'
        f"{escape(r['summary'] or '')}</span></li>"
        for r in resources
    )
    return f'<ul class="ak-resources">{items}</ul>'


# --- figures (plotly imported here, when drawn) --------------------------------------------


def trend_figure(view: ClientView, rule: ReliableChangeRule = DEFAULT_RULE) -> Any:
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    from ..journal.analysis import CLIENT, OFFICER

    rows = view.rows
    fig = make_subplots(
        rows=2,
        cols=2,
        shared_xaxes=True,
        subplot_titles=[char_label(c) for c in CHARACTERISTIC_IDS],
        vertical_spacing=0.14,
    )
    client_legend = False
    for n, cid in enumerate(CHARACTERISTIC_IDS):
        r, c = divmod(n, 2)
        colour = BY_ID[cid].colour
        fig.add_trace(
            go.Scatter(
                x=rows["date"],
                y=rows[OFFICER + cid],
                mode="lines+markers",
                name="You",
                legendgroup="you",
                showlegend=n == 0,
                line={"color": colour},
                marker={
                    "size": 10,
                    "color": colour,
                    "symbol": [SYMBOLS.get(ch, "circle") for ch in rows["channel"]],
                },
                cliponaxis=False,
                customdata=[SESSION_CHANNELS.get(ch, ch) for ch in rows["channel"]],
                hovertemplate="%{x|%d %b %Y} · %{customdata}<br>You: %{y:.1f}<extra></extra>",
            ),
            row=r + 1,
            col=c + 1,
        )
        if rows[CLIENT + cid].notna().any():
            fig.add_trace(
                go.Scatter(
                    x=rows["date"],
                    y=rows[CLIENT + cid],
                    mode="markers",
                    name="Client",
                    legendgroup="client",
                    showlegend=not client_legend,
                    marker={"size": 9, "color": "white", "line": {"color": colour, "width": 2}},
                    cliponaxis=False,
                    hovertemplate="%{x|%d %b %Y}<br>Client: %{y:.1f}<extra></extra>",
                ),
                row=r + 1,
                col=c + 1,
            )
            client_legend = True
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
                fillcolor=colour,
                opacity=0.15,
                line_width=0,
                layer="below",
            )
    for ch in sorted(set(rows["channel"])):  # a legend entry per channel symbol
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=SESSION_CHANNELS.get(ch, ch),
                marker={"symbol": SYMBOLS.get(ch, "circle"), "color": "#52606d", "size": 10},
            ),
            row=1,
            col=1,
        )
    fig.update_xaxes(type="date", tickformat="%d %b %Y")
    if len(rows):
        first, last = rows["date"].min(), rows["date"].max()
        # Room on both sides so the first and last markers show whole; at least a week, so a
        # single session shows a fortnight, not milliseconds.
        pad = max(dt.timedelta(days=7), (last - first) * 0.05)
        fig.update_xaxes(range=[first - pad, last + pad], tickvals=session_ticks(rows["date"]))
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
            go.Bar(name="You", x=labels, y=gaps["officer"], marker_color="#1f5f8b"),
            go.Bar(name="Client", x=labels, y=gaps["client"], marker_color="#b7791f"),
        ]
    )
    fig.update_layout(
        barmode="group",
        height=360,
        template="plotly_white",
        yaxis={"range": [0, 5.2], "title": "score 1-5"},
        margin={"l": 50, "r": 20, "t": 40, "b": 60},
        title=f"Session of {gaps.attrs.get('date', '')}",
    )
    return fig


def overview_figures(ov: Overview) -> list[Any]:
    """Averages by channel, by phase, and a radar of the latest session against the average."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=["Average by channel", "Average by phase"],
        shared_yaxes=True,
    )
    for col, (table, counts, names) in enumerate(
        (
            (ov.by_channel, ov.counts_channel, SESSION_CHANNELS),
            (ov.by_phase, ov.counts_phase, PHASES),
        ),
        start=1,
    ):
        x = [f"{names.get(k, k)} ({counts.get(k, 0)})" for k in table.index]
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
                name="Your average",
                line={"color": "#52606d"},
            ),
            go.Scatterpolar(
                r=[ov.latest.get(c) for c in CHARACTERISTIC_IDS],
                theta=theta,
                fill="toself",
                name=f"Latest: {ov.latest_label}",
                line={"color": "#1f5f8b"},
            ),
        ]
    )
    radar.update_layout(
        height=380,
        polar={"radialaxis": {"range": [1, 5], "dtick": 1}},
        template="plotly_white",
        margin={"l": 60, "r": 60, "t": 40, "b": 40},
        title="Latest session against your own average",
    )
    return [fig, radar]


def build_overview(
    sessions: list, *, widget: bool = True, df: Any = None
) -> tuple[Overview, list[Any]]:
    """The overview computation and its figures (what the benchmark times). ``df``: the
    sessions' frame when the caller has it already."""
    from ..journal import analysis

    ov = analysis.overview(analysis.frame(sessions) if df is None else df)
    figs = overview_figures(ov)
    return ov, [private_chart(f) for f in figs] if widget else figs


# --- tables and the printable summary -------------------------------------------------------


def _num(value: Any) -> str:
    try:
        import math

        return "–" if value is None or math.isnan(float(value)) else f"{float(value):.1f}"
    except (TypeError, ValueError):
        return "–"


def trend_table_html(view: ClientView) -> str:
    """The trend chart's numbers as a table: a screen reader cannot read a chart, and nobody
    can read a marker's shape or colour as precisely as a number."""
    from ..journal.analysis import CLIENT, OFFICER

    rated = any(view.rows[CLIENT + c].notna().any() for c in CHARACTERISTIC_IDS)
    who = ("you", "client") if rated else ("you",)
    head = "".join(
        f"<th scope='col'>{escape(char_label(c))}{', ' + w if rated else ''}</th>"
        for c in CHARACTERISTIC_IDS
        for w in who
    )
    body = "".join(
        f"<tr><th scope='row'>{row['date']:%d %b %Y}</th>"
        f"<td>{escape(SESSION_CHANNELS.get(row['channel'], row['channel']))}</td>"
        + "".join(
            f"<td>{_num(row[(OFFICER if w == 'you' else CLIENT) + c])}</td>"
            for c in CHARACTERISTIC_IDS
            for w in who
        )
        + "</tr>"
        for _, row in view.rows.iterrows()
    )
    return (
        "<details class='ak-chart-table'><summary>The chart's scores as a table</summary>"
        f"<table class='ak-table'><caption>{escape(view.code)}: scores per session (1 to 5)"
        "</caption><thead><tr><th scope='col'>Session</th><th scope='col'>Channel</th>"
        f"{head}</tr></thead><tbody>{body}</tbody></table></details>"
    )


def table_html(table: Any, counts: Any, names: dict[str, str], css: str) -> str:
    head = "".join(f"<th>{escape(char_label(c))}</th>" for c in CHARACTERISTIC_IDS)
    body = "".join(
        f"<tr><th>{escape(names.get(k, k))}</th><td>{counts.get(k, 0)}</td>"
        + "".join(f"<td>{_num(table.loc[k, c])}</td>" for c in CHARACTERISTIC_IDS)
        + "</tr>"
        for k in table.index
    )
    return (
        f'<table class="{css}"><thead><tr><th></th><th>sessions</th>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


SUMMARY_CSS = """
body { font-family: system-ui, Arial, sans-serif; color: #1d2733; font-size: 11pt; margin: 0; }
h1 { font-size: 16pt; margin: 0 0 4pt 0; } h2 { font-size: 12pt; margin: 10pt 0 4pt 0; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
th, td { border: 1px solid #c5ced8; padding: 2pt 4pt; text-align: left; }
.ak-muted { color: #52606d; font-size: 9pt; }
@page { size: A4; margin: 14mm; }
@media print { body { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
"""
SUMMARY_MAX_CODES = 14


def summary_html(sessions: list, rule: ReliableChangeRule = DEFAULT_RULE, df: Any = None) -> str:
    """A one-page summary for supervision with a line manager: codes and scores, no notes.
    ``df``: the sessions' frame when the caller has it already."""
    from ..journal import analysis

    df = analysis.frame(sessions) if df is None else df
    ov = analysis.overview(df)
    today = dt.date.today()
    parts = [
        f"<h1>Working alliance: summary for supervision</h1><p class='ak-muted'>Made on "
        f"{today:%d %B %Y} from {ov.n_sessions} session(s) with {ov.n_codes} client code(s). "
        "Client codes are pseudonyms; no notes are included. Scores 1-5; "
        f"Reactance: {escape(BY_ID['reactance'].direction_label)}. {escape(rule.describe())}</p>",
    ]
    if ov.n_sessions:
        parts.append("<h2>By channel</h2>")
        parts.append(table_html(ov.by_channel, ov.counts_channel, SESSION_CHANNELS, "ak-sum"))
        parts.append("<h2>By phase</h2>")
        parts.append(table_html(ov.by_phase, ov.counts_phase, PHASES, "ak-sum"))
        latest = df.groupby("client_code")["date"].max().sort_values(ascending=False)
        codes = list(latest.index[:SUMMARY_MAX_CODES])
        head = "".join(f"<th>{escape(char_label(c))}</th>" for c in CHARACTERISTIC_IDS)
        rows = []
        for code in codes:
            view = analysis.client_view(df, code, rule)
            last = view.rows.iloc[-1]
            cells = "".join(
                f"<td>{_num(last[analysis.OFFICER + c])}</td>" for c in CHARACTERISTIC_IDS
            )
            flags = "; ".join(f.short for f in view.flags)
            rows.append(
                f"<tr><th>{escape(code)}</th><td>{len(view.rows)}</td>"
                f"<td>{last['date']:%Y-%m-%d}</td>{cells}<td>{escape(flags) or '–'}</td></tr>"
            )
        parts.append("<h2>Per client code (latest session)</h2>")
        parts.append(
            f"<table class='ak-sum'><thead><tr><th>code</th><th>sessions</th><th>latest</th>"
            f"{head}<th>to discuss</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
        if len(latest) > SUMMARY_MAX_CODES:
            parts.append(
                f"<p class='ak-muted'>… and {len(latest) - SUMMARY_MAX_CODES} more client "
                "code(s), left out to keep this to one page.</p>"
            )
    return "".join(parts)


def standalone(body: str, title: str) -> str:
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{escape(title)}"
        f"</title><style>{SUMMARY_CSS}</style></head><body>{body}</body></html>"
    )


def download_link(text: str, filename: str, mime: str, label: str, css: str) -> str:
    data = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return (
        f'<a class="{css}" download="{escape(filename)}" '
        f'href="data:{mime};charset=utf-8;base64,{data}">{escape(label)}</a>'
    )


# --- the page -------------------------------------------------------------------------------


class Trends:
    def __init__(self, journal_path: Path | str | None = None) -> None:
        self.qn = load()
        self.rule = DEFAULT_RULE
        self.status = Status()
        self.status.add_class("ak-status")
        self.notice = Status()
        self.notice.add_class("ak-retention-notice")
        self.journal = open_journal_for_page(journal_path, self.notice)
        # Read from the journal when a view needs them and kept until the next reload: the
        # first view (one client's trend) reads that client's sessions only, so it takes as
        # long with five years of sessions as with ten.
        self._all: list | None = None
        self._all_frame: Any = None
        self._by_code: dict[str, list] = {}
        self.code = widgets.Dropdown(description="Client code", options=[])
        self.code.add_class("ak-code-select")
        self.view = widgets.ToggleButtons(
            options=[(label, key) for key, label in VIEWS.items()], value="trend"
        )
        self.view.add_class("ak-view-switch")
        self.refresh = widgets.Button(description="Refresh", icon="refresh")
        self.refresh.add_class("ak-refresh")
        self.area = widgets.VBox()
        self.area.add_class("ak-view")
        self.reflection = widgets.HTML()
        self.reflection.add_class("ak-trend-reflection")

        self.summary_button = widgets.Button(description="Printable summary", icon="print")
        self.summary_button.add_class("ak-summary-button")
        self.export_csv = widgets.Button(description="Export CSV", icon="download")
        self.export_csv.add_class("ak-export-csv")
        self.export_json = widgets.Button(description="Export JSON", icon="download")
        self.export_json.add_class("ak-export-json")
        self.erase = widgets.Button(description="Erase my journal…", button_style="danger")
        self.erase.add_class("ak-erase")
        self.links = widgets.HTML()
        self.links.add_class("ak-export-links")
        self.confirm_text = widgets.Text(
            description="Type ERASE", placeholder="ERASE", continuous_update=True
        )
        self.confirm_button = widgets.Button(description="Erase everything", button_style="danger")
        self.confirm_button.add_class("ak-erase-confirm")
        self.confirm = widgets.HBox(
            [self.confirm_text, self.confirm_button], layout=widgets.Layout(display="none")
        )
        self.summary = widgets.HTML()
        self.summary.add_class("ak-print-summary")

        self._loading = False
        self.code.observe(safe(self.status)(self._redraw), names="value")
        self.view.observe(safe(self.status)(lambda _c: self.draw()), names="value")
        self.refresh.on_click(safe(self.status)(lambda _b: self.reload()))
        self.summary_button.on_click(safe(self.status)(self._on_summary))
        self.export_csv.on_click(safe(self.status)(lambda _b: self._on_export("csv")))
        self.export_json.on_click(safe(self.status)(lambda _b: self._on_export("json")))
        self.erase.on_click(safe(self.status)(self._on_erase))
        self.confirm_button.on_click(safe(self.status)(self._on_confirm))

        controls = widgets.HBox([self.code, self.refresh])
        tools = widgets.VBox(
            [
                widgets.HTML("<h2>Share, keep or erase</h2>"),
                widgets.HBox([self.summary_button, self.export_csv, self.export_json, self.erase]),
                self.confirm,
                self.links,
            ]
        )
        self.rule_text = widgets.HTML(
            f'<p class="ak-muted ak-rule">{escape(self.rule.describe())}</p>'
        )
        for w in (
            self.notice,
            controls,
            self.view,
            self.area,
            self.reflection,
            tools,
            self.rule_text,
            self.status,
        ):
            w.add_class("ak-noprint")
        body = widgets.VBox(
            [
                self.notice,
                controls,
                self.view,
                self.area,
                self.reflection,
                self.rule_text,
                tools,
                self.status,
                self.summary,
            ]
        )
        body.add_class("ak-trends")
        self.widget = page(TITLE, body, intro=INTRO)
        self.reload(first=True)

    # --- data -------------------------------------------------------------------------
    @property
    def sessions(self) -> list:
        """Every session in the journal (for the overview, the summary): read the first time
        a view asks for them after a reload."""
        if self._all is None:
            self._all = self.journal.sessions() if self.journal is not None else []
        return self._all

    def _all_sessions_frame(self) -> Any:
        from ..journal import analysis

        if self._all_frame is None:
            self._all_frame = analysis.frame(self.sessions, self.qn)
        return self._all_frame

    def _client_sessions(self, code: str) -> list:
        if code not in self._by_code:
            self._by_code[code] = self.journal.sessions(code) if self.journal is not None else []
        return self._by_code[code]

    def reload(self, first: bool = False) -> None:
        """Read the journal and draw the chosen view. On the first view, the chart is drawn
        once the page shows (it carries plotly.js, which would hold the whole page back)."""
        self._all, self._all_frame, self._by_code = None, None, {}
        if self.journal is None:
            self.area.children = []
            return
        try:
            codes = self.journal.client_codes()
            newest = self.journal.latest_session()
            latest = newest.client_code if newest is not None else None
            self._loading = True
            try:
                self.code.options = codes
                self.code.value = latest if latest in codes else (codes[0] if codes else None)
            finally:
                self._loading = False
            if first and codes and self.view.value == "trend":
                code = self.code.value
                sessions = self._client_sessions(code)  # read here: the journal is not shared
                waiting = widgets.HTML(
                    f"<p class='ak-muted'>Drawing the trend for {escape(str(code))}…</p>"
                )
                waiting.add_class("ak-drawing")
                self.area.children = [waiting]
                after_page_shown(
                    safe(self.status)(self._show_first),
                    lambda: self._prepare_trend(code, sessions),
                )
                return
        except JournalError as exc:
            self.status.show(journal_sentence(exc), "error")
            return
        self.draw()

    def _prepare_trend(self, code: str, sessions: list) -> tuple[ClientView, Any]:
        """One client's view and trend figure, from that client's sessions only: no widgets,
        so it can run on a thread."""
        from ..journal import analysis

        load_chart_widget()

        df = analysis.frame(sessions, self.qn)
        view = analysis.client_view(df, code, self.rule)
        return view, trend_figure(view, self.rule)

    def _show_first(self, result: Callable[[], tuple[ClientView, Any]]) -> None:
        view, figure = result()
        # The officer may have picked another code or view meanwhile; that is drawn already.
        if self.view.value == "trend" and self.code.value == view.code:
            self._show_trend(view, figure)

    def _show_trend(self, view: ClientView, figure: Any) -> None:
        self.reflection.value = self.reflection_html(view)
        box = widgets.VBox(
            [
                widgets.HTML(
                    f"<h3>{escape(view.code)}: {len(view.rows)} session(s)</h3><p "
                    "class='ak-muted'>Filled markers: your score; open circles: the client's. "
                    "Marker shape: channel. Shaded band: within a reliable change of the first "
                    "session.</p>"
                ),
                private_chart(figure),
                widgets.HTML(trend_table_html(view)),
                widgets.HTML(versions_note_html(view.rows, self.qn)),
            ]
        )
        box.add_class("ak-trend")
        self.area.children = [box]

    def _redraw(self, _change: object = None) -> None:
        if not self._loading:
            self.draw()

    def draw(self) -> None:
        try:
            self._draw()
        except JournalError as exc:
            self.status.show(journal_sentence(exc), "error")

    def _draw(self) -> None:
        self.reflection.value = ""
        if not self.code.options:
            empty = widgets.HTML(
                message_html(
                    "There are no sessions in your journal yet. Score one on the 'Score a "
                    "session' page and it will show up here.",
                    "info",
                )
            )
            empty.add_class("ak-empty")
            self.area.children = [empty]
            return
        from ..journal import analysis

        if self.view.value == "overview":
            df = self._all_sessions_frame()
            ov, figs = build_overview(self.sessions, df=df)
            tables = widgets.HTML(
                "<h3>Average by channel</h3>"
                + table_html(ov.by_channel, ov.counts_channel, SESSION_CHANNELS, "ak-table")
                + "<h3>Average by phase</h3>"
                + table_html(ov.by_phase, ov.counts_phase, PHASES, "ak-table")
            )
            tables.add_class("ak-overview-tables")
            for f in figs:
                f.layout.autosize = True
            structure = widgets.HTML(structure_html(df, self.qn))
            box = widgets.VBox([*figs, tables, structure])
            box.add_class("ak-overview")
            self.area.children = [box]
            return
        code = self.code.value
        if self.view.value == "trend":
            self._show_trend(*self._prepare_trend(code, self._client_sessions(code)))
            return
        df = analysis.frame(self._client_sessions(code), self.qn)
        view = analysis.client_view(df, code, self.rule)
        self.reflection.value = self.reflection_html(view)
        if view.gaps is None:
            note = widgets.HTML(
                message_html(
                    f"The client has not rated a session with the code {code} yet. Use the "
                    "'Client's rating' page, or enter their paper answers when you score.",
                    "info",
                )
            )
            note.add_class("ak-gap")
            self.area.children = [note]
            return
        rows = "".join(
            f"<tr><th>{escape(char_label(c))}</th><td>{_num(r['officer'])}</td>"
            f"<td>{_num(r['client'])}</td><td>{_num(r['gap'])}</td></tr>"
            for c, r in view.gaps.iterrows()
        )
        table = widgets.HTML(
            "<table class='ak-table ak-gap-table'><thead><tr><th></th><th>You</th><th>Client"
            f"</th><th>Gap (client − you)</th></tr></thead><tbody>{rows}</tbody></table>"
            "<p class='ak-muted'>A gap is worth talking about with the client, whichever way it "
            "goes: that conversation is what helps the alliance.</p>"
        )
        box = widgets.VBox([private_chart(gap_figure(view)), table])
        box.add_class("ak-gap")
        self.area.children = [box]

    def reflection_html(self, view: ClientView) -> str:
        if not view.flags:
            return ""
        last = view.rows.iloc[-1]
        parts = ["<h2>Worth reflecting on</h2>"]
        for cid in CHARACTERISTIC_IDS:
            flags = [f for f in view.flags if f.characteristic == cid]
            if not flags:
                continue
            refl = self.qn.reflections.get(cid)
            prompts = []
            for f in flags:
                question = (refl.drop if f.kind == "drop" else refl.gap) if refl else ""
                prompts.append(f"<p>{escape(f.detail)} {escape(question)}</p>")
            query = refl.query if refl else BY_ID[cid].name
            res = resources_for(cid, last["channel"], last["phase"], query)
            parts.append(
                f'<div class="ak-prompt ak-prompt-{cid}"><h3><span class="ak-chip '
                f'ak-chip-{cid}">{escape(BY_ID[cid].name)}</span></h3>{"".join(prompts)}'
                f"<p>Something to try:</p>{resource_links(res)}</div>"
            )
        return "".join(parts)

    # --- tools ------------------------------------------------------------------------
    def _on_summary(self, _b: object = None) -> None:
        body = summary_html(self.sessions, self.rule, df=self._all_sessions_frame())
        link = download_link(
            standalone(body, "Working alliance summary"),
            f"alliance-summary-{dt.date.today():%Y-%m-%d}.html",
            "text/html",
            "Download the summary (HTML)",
            "ak-summary-download",
        )
        self.summary.value = (
            f'<div class="ak-noprint ak-summary-tools">{link} · or print this page: only the '
            f"summary below is printed.</div><div class='ak-summary-sheet'>{body}</div>"
        )

    def _on_export(self, fmt: str) -> None:
        from ..journal.exchange import export

        if self.journal is None:
            return
        text = export(self.journal, fmt)
        mime = "text/csv" if fmt == "csv" else "application/json"
        self.links.value = download_link(
            text,
            f"alliance-journal-{dt.date.today():%Y-%m-%d}.{fmt}",
            mime,
            f"Download {self.journal.count()} session(s) as {fmt.upper()}",
            f"ak-download-{fmt}",
        ) + (
            "<p class='ak-muted'>The file holds your notes too. Keep it somewhere only you can "
            "read it.</p>"
        )

    def _on_erase(self, _b: object = None) -> None:
        self.confirm.layout.display = "flex"
        self.status.show(
            f"This removes all {self.journal.count() if self.journal else 0} session(s) from "
            "your journal for good, "
            "with its backups and your saved reflection answers. Export them first if you want "
            "to keep a copy. Type ERASE and press 'Erase everything' to go on.",
            "warn",
        )

    def _on_confirm(self, _b: object = None) -> None:
        if self.journal is None:
            return
        if self.confirm_text.value.strip() != "ERASE":
            self.status.show("Type ERASE (in capitals) to confirm. Nothing was erased.", "warn")
            return
        removed = self.journal.erase()
        self.confirm_text.value = ""
        self.confirm.layout.display = "none"
        self.summary.value = ""
        self.links.value = ""
        self.status.show(f"Erased {removed} session(s). Your journal is empty.", "ok")
        self.reload()


def build(journal_path: Path | str | None = None) -> Trends:
    return Trends(journal_path)


def show(journal_path: Path | str | None = None) -> None:
    from .shared_mode import show_personal_page

    show_personal_page(TITLE, build, journal_path)
