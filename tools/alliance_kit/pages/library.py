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
import warnings
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

import ipywidgets as widgets

from .. import i18n
from ..fragments import render, render_kept
from ..i18n import N_, _, ngettext
from ..library import SearchResult, get_resource, problems, resource_languages, search
from ..library.model import DURATION_LABELS, DURATIONS, FACETS
from .common import Status, page, safe
from .language import preheated_before_request, when_request_arrives
from .library_html import card_html, counts_note, facet_label, reader_html
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


class Card:
    """One result card, made once and shown again with each search's hit in its place.

    Results follow every pause in typing; new cards were three new widgets each, whose
    models and views the browser had to make, and which stayed open in the kernel. A card
    kept sends only what changed: its title and its text.
    """

    def __init__(self, view: LibraryPage, hit: Any) -> None:
        self.hit = hit
        self.title = lean(
            widgets.Button,
            description=hit.title,
            tooltip=self._tooltip(hit),
            layout={"width": "auto", "height": "auto"},
        )
        self.title.add_class("ak-library-open")
        self.title.on_click(
            safe(view.status)(lambda _event: view.open(self.hit.id, self.hit.language))
        )
        self.text = lean(widgets.HTML, value=card_html(hit))
        self.box = lean(widgets.VBox, children=[self.title, self.text])
        self.box.add_class("ak-library-card")

    @staticmethod
    def _tooltip(hit: Any) -> str:
        return _("Open: {title}").format(title=hit.title)

    def show(self, hit: Any) -> None:
        self.hit = hit
        with self.title.hold_sync():
            self.title.description = hit.title
            self.title.tooltip = self._tooltip(hit)
        self.text.value = card_html(hit)


def requested_resource(query_string: str | None) -> str | None:
    """The ``resource`` parameter of a page address's query string, if any."""
    values = parse_qs(query_string or "").get("resource")
    return values[0].strip() if values and values[0].strip() else None


def requested_language(query_string: str | None) -> str | None:
    """The ``language`` parameter of a page address's query string, if any."""
    values = parse_qs(query_string or "").get("language")
    return values[0].strip() if values and values[0].strip() else None


class LibraryPage:
    """The widgets of the page and what they do; ``root`` is what gets displayed."""

    def __init__(self) -> None:
        lang = i18n.active()
        #: A page in another language than English lists its versions first and opens them;
        #: on an English page the query's own words decide, so "ochtends" still finds Dutch.
        self.language = None if lang == i18n.SOURCE_LANGUAGE else lang
        self.status = Status()
        self.status.add_class("ak-library-status")
        self.limit = PAGE_SIZE
        self._updating = False
        self.query = widgets.Text(
            placeholder=_("e.g. trust by phone, safety plan, messaging"),
            description=_("Search"),
            continuous_update=True,
            layout=widgets.Layout(width="100%"),
        )
        self.query.add_class("ak-library-search")
        self.checkboxes: dict[str, dict[str, widgets.Checkbox]] = {}
        groups = []
        for facet, title in FACET_TITLES.items():
            boxes = {}
            for value in FACETS[facet]:
                box = lean(
                    widgets.Checkbox,
                    value=False,
                    description=facet_label(facet, value),
                    indent=False,
                )
                box.add_class("ak-library-facet-option")
                box.add_class(f"ak-facet-{facet}-{value}")
                box.observe(self._on_filter, names="value")
                boxes[value] = box
            self.checkboxes[facet] = boxes
            group = lean(
                widgets.VBox,
                children=[
                    lean(
                        widgets.HTML,
                        value=render_kept("library_notice.html.j2", part="facet", title=_(title)),
                    ),
                    *list(boxes.values()),
                ],
            )
            group.add_class("ak-library-facet")
            group.add_class(f"ak-library-facet-{facet}")
            groups.append(group)
        self.duration = widgets.Dropdown(
            options=[(_(label), key) for key, label in DURATION_LABELS.items()],
            value="any",
            description=_("Time"),
            layout=widgets.Layout(width="auto"),
        )
        self.duration.add_class("ak-library-duration")
        self.duration.observe(self._on_filter, names="value")
        duration_group = widgets.VBox(
            [
                widgets.HTML(
                    render_kept("library_notice.html.j2", part="facet", title=_("Duration"))
                ),
                self.duration,
            ]
        )
        duration_group.add_class("ak-library-facet")
        groups.append(duration_group)
        self.clear = widgets.Button(
            description=_("Clear filters"), tooltip=_("Show every resource")
        )
        self.clear.add_class("ak-library-clear")
        self.clear.on_click(safe(self.status)(lambda _event: self.clear_filters()))
        self.facets = widgets.HBox([*groups, self.clear])
        self.facets.add_class("ak-library-facets")
        self.suggestions = widgets.HBox([])
        self.suggestions.add_class("ak-library-suggestions")
        self.results = widgets.VBox([])
        self.cards: list[Card] = []
        self.results.add_class("ak-library-results")
        self.more = widgets.Button(description=_("Show more results"))
        self.more.add_class("ak-library-more")
        self.more.layout.display = "none"
        self.more.on_click(safe(self.status)(lambda _event: self.show_more()))
        self.reader = self._reader(render_kept("library_notice.html.j2", part="empty"))
        results_col = widgets.VBox([self.status, self.suggestions, self.results, self.more])
        results_col.add_class("ak-library-results-col")
        self.reader_col = widgets.VBox([self.reader])
        self.reader_col.add_class("ak-library-reader-col")
        body = widgets.HBox([results_col, self.reader_col])
        body.add_class("ak-library-body-row")
        notes = []
        found = problems()
        if found:
            note = widgets.HTML(
                render_kept("library_notice.html.j2", part="problems", count=len(found))
            )
            note.add_class("ak-library-problems")
            notes.append(note)
        self.root = page(_(TITLE), self.query, self.facets, *notes, body, intro=_(INTRO))
        self.root.add_class("ak-library")
        self.debounce = Debouncer(DEBOUNCE_SECONDS, safe(self.status)(self.run_search))
        self.query.observe(self._on_type, names="value")
        with warnings.catch_warnings():
            # ipywidgets suggests observing the value instead, but that cannot tell Enter
            # from typing, and Enter should search at once.
            warnings.simplefilter("ignore", DeprecationWarning)
            self.query.on_submit(safe(self.status)(self._on_enter))

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
        safe(self.status)(self.run_search)()

    def clear_filters(self) -> None:
        self._updating = True
        try:
            for boxes in self.checkboxes.values():
                for box in boxes.values():
                    box.value = False
            self.duration.value = "any"
        finally:
            self._updating = False
        self.run_search()

    def show_more(self) -> None:
        self.limit += PAGE_SIZE
        self.run_search()

    def selected(self) -> dict[str, Any]:
        chosen: dict[str, Any] = {
            API_NAMES[facet]: [v for v, box in boxes.items() if box.value]
            for facet, boxes in self.checkboxes.items()
        }
        chosen["max_minutes"] = DURATIONS.get(self.duration.value)
        return chosen

    # --- drawing ----------------------------------------------------------------------------

    def run_search(self) -> SearchResult:
        result = search(
            self.query.value, limit=self.limit, language=self.language, **self.selected()
        )
        self.draw(result)
        return result

    def draw(self, result: SearchResult) -> None:
        shown = len(result.hits)
        suggestions = result.suggestions[:6]
        if [b.description for b in self.suggestions.children] != suggestions:
            replaced = self.suggestions.children
            self.suggestions.children = [self._suggestion(s) for s in suggestions]
            for button in replaced:
                close_widgets(button)
        for i, hit in enumerate(result.hits):
            if i < len(self.cards):
                self.cards[i].show(hit)
            else:
                self.cards.append(Card(self, hit))
        self.results.children = [card.box for card in self.cards[:shown]]
        self.more.layout.display = None if shown < result.total else "none"
        # The status line comes after the results: once it changes, the results and
        # suggestions are there. The counts beside the filters follow them.
        capped = counts_note(result)
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
        self._draw_counts(result)

    def _draw_counts(self, result: SearchResult) -> None:
        """The count beside each filter value (the browser draws these after the results)."""
        self._updating = True
        try:
            for facet, boxes in self.checkboxes.items():
                counts = result.facets.get(facet, {})
                for value, box in boxes.items():
                    box.description = f"{facet_label(facet, value)} ({counts.get(value, 0)})"
            counts = result.facets.get("duration", {})
            options = [
                (f"{_(label)} ({counts.get(k, 0)})", k) for k, label in DURATION_LABELS.items()
            ]
            current = self.duration.value
            self.duration.options = options
            self.duration.value = current
        finally:
            self._updating = False

    def _suggestion(self, text: str) -> widgets.Button:
        button = widgets.Button(
            description=text, tooltip=_("Search for {words}").format(words=text)
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
        reader = widgets.HTML(html)
        reader.add_class("ak-library-reader")
        return reader

    def _show_in_reader(self, html: str) -> None:
        """A fresh reader each time: it keeps to the top of the screen (CSS) and scrolls on
        its own, so a resource opened from far down the results starts in view, at its top."""
        self.reader = self._reader(html)
        self.reader_col.children = [self.reader]

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
