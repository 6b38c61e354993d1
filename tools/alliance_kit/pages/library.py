"""The resource library page: search as you type, filter by facets, read, print, link.

An officer uses this page during a session, often with the client waiting on the phone, so:
results follow the typing (after a short pause, so a fast typist does not queue a search per
key), every filter shows how many results it would give, and a resource opens beside the
results without leaving the page. ``library.ipynb?resource=<id>`` opens one resource directly;
that is the link "Copy link" gives, and what other pages link to; ``&language=nl`` opens its
Dutch version.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

import ipywidgets as widgets

from .. import i18n
from ..fragments import render, render_kept
from ..i18n import N_, _, ngettext
from ..library import SearchResult, get_resource, problems, resource_languages, search
from ..library.model import DURATION_LABELS, DURATIONS, FACETS
from .common import Status, on_enter, page, safe
from .language import preheated_before_request, when_request_arrives
from .library_html import counts_note, facet_label, reader_html, results_html
from .looks import close_widgets, lean

#: Short enough that results follow the last key within ~300 ms, long enough to skip most keys
#: of a word typed at speed (Enter searches at once).
DEBOUNCE_SECONDS = 0.1
PAGE_SIZE = 10
TITLE = N_("Resource library")
INTRO = N_(
    "Guides, scripts, checklists and worksheets to use during a supervision session. Type a few "
    "words, or pick a characteristic, channel or phase. Open a resource to read, print or share it."
)
FACET_TITLES = {
    "characteristic": N_("Characteristic"),
    "channel": N_("Channel"),
    "phase": N_("Phase"),
    "type": N_("Type"),
    "audience": N_("For"),
    "language": N_("Language"),
}
API_NAMES = {
    "characteristic": "characteristics",
    "channel": "channels",
    "phase": "phases",
    "type": "types",
    "audience": "audiences",
    "language": "languages",
}


class Debouncer:
    """Call ``func`` once typing pauses for ``delay`` seconds.

    The timer runs on the kernel's event loop when there is one, so the search and its widget
    updates happen on the same thread as every other callback; without a loop, a thread timer.
    """

    def __init__(self, delay: float, func: Callable[[], Any]) -> None:
        self.delay = delay
        self.func = func
        self._handle: Any = None
        self._lock = threading.Lock()
        try:
            self._loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            self._loop = None

    def __call__(self) -> None:
        with self._lock:
            self.cancel()
            if self._loop is not None and self._loop.is_running():
                self._loop.call_soon_threadsafe(self._arm)
            else:
                self._handle = threading.Timer(self.delay, self.func)
                self._handle.daemon = True
                self._handle.start()

    def _arm(self) -> None:
        assert self._loop is not None
        if self._handle is not None:
            self._handle.cancel()
        self._handle = self._loop.call_later(self.delay, self.func)

    def cancel(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None


def requested_resource(query_string: str | None) -> str | None:
    """The ``resource`` parameter of a page address's query string, if any."""
    values = parse_qs(query_string or "").get("resource")
    return values[0].strip() if values and values[0].strip() else None


def requested_language(query_string: str | None) -> str | None:
    """The ``language`` parameter of a page address's query string, if any."""
    values = parse_qs(query_string or "").get("language")
    return values[0].strip() if values and values[0].strip() else None


class LibraryPage:
    """The widgets of the page and what they do; ``root`` is what gets displayed.

    A browser opening the page asks its kernel for the state of every widget model at once,
    and a room of trainees asks at the same moment: the page opens with a search box, a
    Filters button, the results as one HTML list whose titles are links, and the reader. The
    filters (a checkbox per facet value, the length, Clear filters) are made when a trainee
    first opens them.
    """

    def __init__(self) -> None:
        lang = i18n.active()
        #: A page in another language than English lists its versions first and opens them;
        #: on an English page the query's own words decide, so "ochtends" still finds Dutch.
        self.language = None if lang == i18n.SOURCE_LANGUAGE else lang
        self.status = Status()
        self.status.add_class("ak-library-status")
        self.limit = PAGE_SIZE
        self._updating = False
        self._last: SearchResult | None = None
        self.query = lean(
            widgets.Text,
            placeholder=_("e.g. trust by phone, safety plan, messaging"),
            description=_("Search"),
            continuous_update=True,
            layout={"width": "100%"},
        )
        self.query.add_class("ak-library-search")
        self.filters = lean(
            widgets.ToggleButton,
            value=False,
            description=_("Filters"),
            tooltip=_(
                "Filter by characteristic, channel, phase, type, audience, language or length"
            ),
        )
        self.filters.add_class("ak-library-filters")
        self.filters.observe(self._on_toggle_filters, names="value")
        #: made when the filters are first shown (``_show_filters``)
        self.facets: widgets.HBox | None = None
        self.checkboxes: dict[str, dict[str, widgets.Checkbox]] = {}
        self.duration: widgets.Dropdown | None = None
        self.clear: widgets.Button | None = None
        self.suggestions = lean(widgets.HBox, children=[])
        self.suggestions.add_class("ak-library-suggestions")
        self.results = lean(widgets.HTML, value="")
        self.results.add_class("ak-library-results")
        self.more = lean(widgets.Button, description=_("Show more results"))
        self.more.add_class("ak-library-more")
        self.more.on_click(safe(self.status)(lambda _event: self.show_more()))
        #: The field a result's link writes its address into (``data-ak-in-page``, see the page
        #: template): the page opens the resource beside the results instead of loading again.
        self.link_target = lean(widgets.Text, value="", layout={"display": "none"})
        self.link_target.add_class("ak-in-page-link")
        self.link_target.observe(self._on_link, names="value")
        self.reader = self._reader(render_kept("library_notice.html.j2", part="empty"))
        self.results_col = lean(
            widgets.VBox, children=[self.status, self.suggestions, self.results, self.link_target]
        )
        self.results_col.add_class("ak-library-results-col")
        self.body = lean(widgets.HBox, children=[self.results_col, self.reader])
        self.body.add_class("ak-library-body-row")
        notes = []
        found = problems()
        if found:
            note = lean(
                widgets.HTML,
                value=render_kept("library_notice.html.j2", part="problems", count=len(found)),
            )
            note.add_class("ak-library-problems")
            notes.append(note)
        self.root = page(_(TITLE), self.query, self.filters, *notes, self.body, intro=_(INTRO))
        self.root.add_class("ak-library")
        self.debounce = Debouncer(DEBOUNCE_SECONDS, safe(self.status)(self.run_search))
        self.query.observe(self._on_type, names="value")
        on_enter(self.query, safe(self.status)(self._on_enter))  # Enter searches at once

    # --- the filters, made when first opened -----------------------------------------------

    @staticmethod
    def _counted(label: str, counts: dict[str, int] | None, value: str) -> str:
        """A filter's words, with the number of results it would keep (none before a search)."""
        return label if counts is None else f"{label} ({counts.get(value, 0)})"

    def _duration_options(self, counted: SearchResult | None) -> list[tuple[str, str]]:
        counts = counted.facets.get("duration", {}) if counted is not None else None
        return [(self._counted(_(label), counts, k), k) for k, label in DURATION_LABELS.items()]

    def _make_filters(self, counted: SearchResult | None) -> widgets.HBox:
        """The filters, made with the counts of ``counted`` (the latest search) beside them:
        a change sent right after a widget is made can reach the browser before the widget
        does, and be dropped, leaving a filter without its count."""
        groups = []
        for facet, title in FACET_TITLES.items():
            boxes = {}
            counts = counted.facets.get(facet, {}) if counted is not None else None
            for value in FACETS[facet]:
                box = lean(
                    widgets.Checkbox,
                    value=False,
                    description=self._counted(facet_label(facet, value), counts, value),
                    indent=False,
                )
                box.add_class("ak-library-facet-option")
                box.add_class(f"ak-facet-{facet}-{value}")
                box.observe(self._on_filter, names="value")
                boxes[value] = box
            self.checkboxes[facet] = boxes
            groups.append(self._facet_group(_(title), *boxes.values(), facet=facet))
        self.duration = lean(
            widgets.Dropdown,
            options=self._duration_options(counted),
            value="any",
            description=_("Time"),
            layout={"width": "auto"},
        )
        self.duration.add_class("ak-library-duration")
        self.duration.observe(self._on_filter, names="value")
        groups.append(self._facet_group(_("Duration"), self.duration))
        self.clear = lean(
            widgets.Button, description=_("Clear filters"), tooltip=_("Show every resource")
        )
        self.clear.add_class("ak-library-clear")
        self.clear.on_click(safe(self.status)(lambda _event: self.clear_filters()))
        # a layout of its own: closing the filters hides it
        facets = widgets.HBox([*groups, self.clear])
        facets.add_class("ak-library-facets")
        return facets

    @staticmethod
    def _facet_group(title: str, *options: widgets.Widget, facet: str = "") -> widgets.VBox:
        head = lean(
            widgets.HTML, value=render_kept("library_notice.html.j2", part="facet", title=title)
        )
        group = lean(widgets.VBox, children=[head, *options])
        group.add_class("ak-library-facet")
        if facet:
            group.add_class(f"ak-library-facet-{facet}")
        return group

    def _on_toggle_filters(self, change: dict) -> None:
        safe(self.status)(self._show_filters if change["new"] else self._hide_filters)()

    def _show_filters(self) -> None:
        """The filters below the Filters button, made the first time, with the counts of the
        latest search beside them."""
        if self.facets is None:
            self.facets = self._make_filters(self._last)
            children = list(self.root.children)
            children.insert(children.index(self.filters) + 1, self.facets)
            self.root.children = children
        else:
            self.facets.layout.display = None
        if self._last is not None:
            self._draw_counts(self._last)
            self._show_status(self._last)

    def _hide_filters(self) -> None:
        """The chosen filters still apply when hidden, and the button counts them."""
        if self.facets is not None:
            self.facets.layout.display = "none"
        if self._last is not None:
            self._show_status(self._last)

    def _chosen_count(self) -> int:
        chosen = sum(box.value for boxes in self.checkboxes.values() for box in boxes.values())
        return chosen + (self.duration is not None and self.duration.value != "any")

    def _label_filters(self) -> None:
        count = self._chosen_count()
        self.filters.description = (
            _("Filters ({count})").format(count=i18n.number(count)) if count else _("Filters")
        )

    # --- callbacks --------------------------------------------------------------------------

    def _on_type(self, change: dict) -> None:
        self.limit = PAGE_SIZE
        self.debounce()

    def _on_enter(self, _text: object = None) -> None:
        self.debounce.cancel()
        self.limit = PAGE_SIZE
        self.run_search()

    def _on_filter(self, change: dict) -> None:
        if self._updating:
            return
        self.limit = PAGE_SIZE
        self._label_filters()
        safe(self.status)(self.run_search)()

    def _on_link(self, change: dict) -> None:
        """A result's link was followed: open what its address names, then empty the field so
        the same link opens again."""
        address = change["new"]
        if not address:
            return
        try:
            resource_id = requested_resource(address.lstrip("?"))
            if resource_id:
                safe(self.status)(self.open)(
                    resource_id, requested_language(address.lstrip("?")) or self.language
                )
        finally:
            self.link_target.value = ""

    def clear_filters(self) -> None:
        self._updating = True
        try:
            for boxes in self.checkboxes.values():
                for box in boxes.values():
                    box.value = False
            if self.duration is not None:
                self.duration.value = "any"
        finally:
            self._updating = False
        self._label_filters()
        self.run_search()

    def show_more(self) -> None:
        self.limit += PAGE_SIZE
        self.run_search()

    def selected(self) -> dict[str, Any]:
        chosen: dict[str, Any] = {
            API_NAMES[facet]: [v for v, box in self.checkboxes.get(facet, {}).items() if box.value]
            for facet in FACET_TITLES
        }
        chosen["max_minutes"] = DURATIONS.get(self.duration.value) if self.duration else None
        return chosen

    # --- drawing ----------------------------------------------------------------------------

    def run_search(self) -> SearchResult:
        result = search(
            self.query.value, limit=self.limit, language=self.language, **self.selected()
        )
        self.draw(result)
        return result

    def draw(self, result: SearchResult) -> None:
        self._last = result
        shown = len(result.hits)
        suggestions = result.suggestions[:6]
        if [b.description for b in self.suggestions.children] != suggestions:
            replaced = self.suggestions.children
            self.suggestions.children = [self._suggestion(s) for s in suggestions]
            for button in replaced:
                close_widgets(button)
        self.results.value = results_html(result.hits)
        more = [self.more] if shown < result.total else []
        column = [self.status, self.suggestions, self.results, *more, self.link_target]
        if list(self.results_col.children) != column:  # unchanged: nothing sent
            self.results_col.children = column
        # The status line comes after the results: once it changes, the results and
        # suggestions are there. The counts beside the filters follow them.
        self._show_status(result)
        if self.filters.value:
            self._draw_counts(result)

    def _show_status(self, result: SearchResult) -> None:
        shown = len(result.hits)
        # the counts are beside the filters, so is the sentence about them
        capped = counts_note(result) if self.filters.value else ""
        if result.message:
            self.status.show(result.message + capped, "warn" if not result.total else "info")
        elif shown < result.total:
            found = ngettext(
                "{count} resource found; showing the first {shown}.",
                "{count} resources found; showing the first {shown}.",
                result.total,
            )
            self.status.show(found.format(count=result.total, shown=shown) + capped, "info")
        else:
            found = ngettext("{count} resource found.", "{count} resources found.", result.total)
            self.status.show(found.format(count=result.total) + capped, "info")

    def _draw_counts(self, result: SearchResult) -> None:
        """The count beside each filter value (the browser draws these after the results)."""
        if self.duration is None:
            return
        self._updating = True
        try:
            for facet, boxes in self.checkboxes.items():
                counts = result.facets.get(facet, {})
                for value, box in boxes.items():
                    box.description = self._counted(facet_label(facet, value), counts, value)
            current = self.duration.value
            self.duration.options = self._duration_options(result)
            self.duration.value = current
        finally:
            self._updating = False

    def _suggestion(self, text: str) -> widgets.Button:
        button = lean(
            widgets.Button, description=text, tooltip=_("Search for {words}").format(words=text)
        )
        button.add_class("ak-library-suggestion")

        def use(_button: Any) -> None:
            self.query.value = text
            self.debounce.cancel()
            self.run_search()

        button.on_click(safe(self.status)(use))
        return button

    @staticmethod
    def _reader(html: str) -> widgets.HTML:
        reader = lean(widgets.HTML, value=html)
        reader.add_class("ak-library-reader")
        return reader

    def _show_in_reader(self, html: str) -> None:
        """A fresh reader each time: it keeps to the top of the screen (CSS) and scrolls on
        its own, so a resource opened from far down the results starts in view, at its top.
        The one it replaces is closed, so its text is not kept in the kernel and the browser."""
        replaced = self.reader
        self.reader = self._reader(html)
        self.body.children = [self.results_col, self.reader]
        close_widgets(replaced)

    def open(self, resource_id: str, language: str | None = None) -> bool:
        """Show one resource in the reader; a message when it does not exist (old link)."""
        resource = get_resource(resource_id, language=language)
        if resource is None:
            self._show_in_reader(
                render("library_notice.html.j2", part="missing", resource_id=resource_id[:80])
            )
            return False
        # lang= lets screen readers pronounce a Dutch version as Dutch; the other versions are
        # named first, so the switch is in view without scrolling the reader.
        self._show_in_reader(reader_html(resource, resource_languages(resource.id)))
        return True

    def open_from_query_string(self) -> None:
        query_string = os.environ.get("QUERY_STRING")
        resource_id = requested_resource(query_string)
        if resource_id:
            self.open(resource_id, requested_language(query_string) or self.language)


def build() -> LibraryPage:
    """The page with every resource listed and, when the address names one, that one open."""
    view = LibraryPage()
    view.run_search()
    if preheated_before_request():
        # the address arrives later: open the resource it names then
        when_request_arrives(safe(view.status)(view.open_from_query_string))
    else:
        view.open_from_query_string()
    return view


def show() -> None:
    from .language import show as show_in_language

    show_in_language(lambda: build().root)
