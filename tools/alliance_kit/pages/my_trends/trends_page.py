"""The trends page: the controls, the view of one client or of all sessions, and the tools to
share, keep or erase the journal.

The first view (the trend of the client seen last) reads that client's sessions only and is
drawn once the page shows, so it opens as fast with five years of sessions as with ten.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
from markupsafe import Markup

from ... import i18n
from ...fragments import render
from ...i18n import N_, _
from ...journal import JournalError
from ...questionnaire import load
from ...reliable_change import DEFAULT_RULE
from ..charts import load_chart_widget, private_chart
from ..common import Status, journal_sentence, message_html, open_journal_for_page, page, safe
from ..deferred import after_page_shown
from ..session_structure import structure_html, versions_note_html
from .figures import build_overview, gap_figure, trend_figure
from .labels import VIEWS, channel_name, phase_name
from .prompts import reflection_html
from .summary import download_link, standalone, summary_html
from .tables import averages_table_html, gap_table_html, trend_table_html

if TYPE_CHECKING:
    from ...journal.analysis import ClientView

TITLE = N_("My trends and journal")
INTRO = N_(
    "How the alliance develops with each client code, and how your sessions compare across "
    "channels and phases. The shaded band around the first session shows what is still noise; "
    "a point outside it is a real change. Only you can see this journal."
)


def erase_word() -> str:
    """What the officer types to confirm erasing, in the page's language: the instruction and
    the check both ask for this one word, so they can never disagree."""
    return _("ERASE")


def _html(markup: str, css: str) -> widgets.HTML:
    box = widgets.HTML(markup)
    box.add_class(css)
    return box


class Trends:
    def __init__(self, journal_path: Path | str | None = None) -> None:
        # worded in the page's language: the reflection asks its questions in it
        self.qn = load(lang=i18n.active())
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
        self.code = widgets.Dropdown(description=_("Client code"), options=[])
        self.code.add_class("ak-code-select")
        self.view = widgets.ToggleButtons(
            options=[(_(label), key) for key, label in VIEWS.items()], value="trend"
        )
        self.view.add_class("ak-view-switch")
        self.refresh = widgets.Button(description=_("Refresh"), icon="refresh")
        self.refresh.add_class("ak-refresh")
        self.area = widgets.VBox()
        self.area.add_class("ak-view")
        self.reflection = widgets.HTML()
        self.reflection.add_class("ak-trend-reflection")

        self.summary_button = widgets.Button(description=_("Printable summary"), icon="print")
        self.summary_button.add_class("ak-summary-button")
        self.export_csv = widgets.Button(description=_("Export CSV"), icon="download")
        self.export_csv.add_class("ak-export-csv")
        self.export_json = widgets.Button(description=_("Export JSON"), icon="download")
        self.export_json.add_class("ak-export-json")
        self.erase = widgets.Button(description=_("Erase my journal…"), button_style="danger")
        self.erase.add_class("ak-erase")
        self.links = widgets.HTML()
        self.links.add_class("ak-export-links")
        self.confirm_text = widgets.Text(
            description=_("Type {word}").format(word=erase_word()),
            placeholder=erase_word(),
            continuous_update=True,
        )
        self.confirm_button = widgets.Button(
            description=_("Erase everything"), button_style="danger"
        )
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
                widgets.HTML(render("trends_tools_heading.html.j2")),
                widgets.HBox([self.summary_button, self.export_csv, self.export_json, self.erase]),
                self.confirm,
                self.links,
            ]
        )
        self.rule_text = widgets.HTML(
            render("trends_muted.html.j2", css="ak-rule", text=self.rule.describe())
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
        self.widget = page(_(TITLE), body, intro=_(INTRO))
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
        from ...journal import analysis

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
                waiting = _html(render("trends_drawing.html.j2", code=str(code)), "ak-drawing")
                self.area.children = [waiting]
                after_page_shown(
                    safe(self.status)(self._show_first),
                    lambda: self._prepare_trend(code, sessions),
                    into=self.area,
                )
                return
        except JournalError as exc:
            self.status.show(journal_sentence(exc), "error")
            return
        self.draw()

    def _prepare_trend(self, code: str, sessions: list) -> tuple[ClientView, Any]:
        """One client's view and trend figure, from that client's sessions only: no widgets,
        so it can run on a thread."""
        from ...journal import analysis

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
        self.reflection.value = reflection_html(view, self.qn)
        box = widgets.VBox(
            [
                widgets.HTML(
                    render("trends_trend_heading.html.j2", code=view.code, count=len(view.rows))
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
            empty = message_html(
                _(
                    "There are no sessions in your journal yet. Score one on the 'Score a "
                    "session' page and it will show up here."
                ),
                "info",
            )
            self.area.children = [_html(empty, "ak-empty")]
            return
        from ...journal import analysis

        if self.view.value == "overview":
            df = self._all_sessions_frame()
            ov, figs = build_overview(self.sessions, df=df)
            tables = _html(
                render(
                    "trends_overview_tables.html.j2",
                    by_channel=averages_table_html(ov.by_channel, ov.counts_channel, channel_name),
                    by_phase=averages_table_html(ov.by_phase, ov.counts_phase, phase_name),
                ),
                "ak-overview-tables",
            )
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
        self.reflection.value = reflection_html(view, self.qn)
        if view.gaps is None:
            note = message_html(
                _(
                    "The client has not rated a session with the code {code} yet. Use the "
                    "'Client's rating' page, or enter their paper answers when you score."
                ).format(code=code),
                "info",
            )
            self.area.children = [_html(note, "ak-gap")]
            return
        table = widgets.HTML(gap_table_html(view))
        box = widgets.VBox([private_chart(gap_figure(view)), table])
        box.add_class("ak-gap")
        self.area.children = [box]

    # --- tools ------------------------------------------------------------------------
    def _on_summary(self, _b: object = None) -> None:
        body = summary_html(self.sessions, self.rule, df=self._all_sessions_frame())
        link = download_link(
            standalone(body, _("Working alliance summary")),
            f"alliance-summary-{dt.date.today():%Y-%m-%d}.html",
            "text/html",
            _("Download the summary (HTML)"),
            "ak-summary-download",
        )
        self.summary.value = render(
            "trends_summary_tools.html.j2", link=Markup(link), body=Markup(body)
        )

    def _on_export(self, fmt: str) -> None:
        from ...journal.exchange import export

        if self.journal is None:
            return
        text = export(self.journal, fmt)
        mime = "text/csv" if fmt == "csv" else "application/json"
        self.links.value = download_link(
            text,
            f"alliance-journal-{dt.date.today():%Y-%m-%d}.{fmt}",
            mime,
            _("Download {count} session(s) as {format}").format(
                count=self.journal.count(), format=fmt.upper()
            ),
            f"ak-download-{fmt}",
            note=_("The file holds your notes too. Keep it somewhere only you can read it."),
        )

    def _on_erase(self, _b: object = None) -> None:
        self.confirm.layout.display = "flex"
        self.status.show(
            _(
                "This removes all {count} session(s) from your journal for good, with its "
                "backups and your saved reflection answers. Export them first if you want to "
                "keep a copy. Type {word} and press 'Erase everything' to go on."
            ).format(count=self.journal.count() if self.journal else 0, word=erase_word()),
            "warn",
        )

    def _on_confirm(self, _b: object = None) -> None:
        if self.journal is None:
            return
        if self.confirm_text.value.strip() != erase_word():
            self.status.show(
                _("Type {word} (in capitals) to confirm. Nothing was erased.").format(
                    word=erase_word()
                ),
                "warn",
            )
            return
        removed = self.journal.erase()
        self.confirm_text.value = ""
        self.confirm.layout.display = "none"
        self.summary.value = ""
        self.links.value = ""
        self.status.show(
            _("Erased {count} session(s). Your journal is empty.").format(count=removed), "ok"
        )
        self.reload()


def build(journal_path: Path | str | None = None) -> Trends:
    return Trends(journal_path)


def show(journal_path: Path | str | None = None) -> None:
    from ..shared_mode import show_personal_page

    show_personal_page(TITLE, build, journal_path)
