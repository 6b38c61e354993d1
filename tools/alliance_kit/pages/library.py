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
from html import escape
from typing import Any
from urllib.parse import parse_qs

import ipywidgets as widgets

from ..alliance import CHANNELS
from ..library import SearchResult, get_resource, problems, resource_languages, search
from ..library.model import DURATION_LABELS, DURATIONS, FACETS, LANGUAGES, Resource
from .common import Status, page, safe

#: Short enough that results follow the last key within ~300 ms, long enough to skip most keys
#: of a word typed at speed (Enter searches at once).
DEBOUNCE_SECONDS = 0.1
PAGE_SIZE = 10
TITLE = "Resource library"
INTRO = (
    "Guides, scripts, checklists and worksheets to use during a supervision session. Type a few "
    "words, or pick a characteristic, channel or phase. Open a resource to read, print or share it."
)
FACET_TITLES = {
    "characteristic": "Characteristic",
    "channel": "Channel",
    "phase": "Phase",
    "type": "Type",
    "audience": "For",
    "language": "Language",
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


def counts_note(result: SearchResult) -> str:
    """The sentence saying the filter counts cover only the first matches (else empty)."""
    if not result.counted:
        return ""
    return f" Counts beside the filters are shown for the first {result.counted:,} matches."


def _tags_html(characteristics: tuple[str, ...], channels: tuple[str, ...]) -> str:
    chips = "".join(
        f'<span class="ak-chip ak-chip-{escape(c)}">{escape(FACETS["characteristic"][c])}</span> '
        for c in characteristics
    )
    chans = ", ".join(escape(CHANNELS.get(c, c)) for c in channels)
    return f'{chips}<span class="ak-library-channels">{chans}</span>'


def card_html(hit: Any) -> str:
    local = '<span class="ak-library-local">Your organisation</span> ' if hit.local else ""
    # Without a match to highlight the snippet only repeats the summary.
    has_match = "<mark>" in hit.snippet_html
    snippet = f'<p class="ak-library-snippet">{hit.snippet_html}</p>' if has_match else ""
    return (
        f'<p class="ak-library-summary">{escape(hit.summary)}</p>'
        f"{snippet}"
        f'<p class="ak-library-tags">{local}{_tags_html(hit.characteristics, hit.channels)}'
        f" · {escape(FACETS['type'].get(hit.type, hit.type))}"
        f' · <span class="ak-library-minutes">{hit.minutes} min</span></p>'
    )


def _source_link(url: str | None) -> str:
    if not url:
        return ""
    return f' <a href="{escape(url)}" target="_blank" rel="noopener noreferrer">{escape(url)}</a>'


def reader_html(resource: Resource) -> str:
    """The resource as an article, with Print and Copy link buttons and its sources."""
    link = escape(resource.link)
    meta = (
        f"{escape(FACETS['type'].get(resource.type, resource.type))} · {resource.minutes} min · "
        f"for {escape(FACETS['audience'].get(resource.audience, resource.audience)).lower()} · "
        + ", ".join(escape(FACETS["phase"].get(p, p)) for p in resource.phases)
    )
    sources = "".join(
        f"<li>{escape(s.citation)}{_source_link(s.url)}</li>" for s in resource.references
    )
    local = (
        '<p class="ak-library-local">From your organisation\'s own library.</p>'
        if resource.local
        else ""
    )
    copy_js = (
        # window.URL: inside an inline handler a bare URL is the page's document.URL string.
        "var b=this,u=new window.URL(b.dataset.href,location.href).href;"
        "function ok(){b.textContent='Link copied';"
        "setTimeout(function(){b.textContent='Copy link'},2500)}"
        "if(navigator.clipboard&&window.isSecureContext){navigator.clipboard.writeText(u).then(ok,"
        "function(){window.prompt('Copy this link:',u)})}else{window.prompt('Copy this link:',u)}"
    )
    return (
        f'<article class="ak-library-print-area" data-resource="{escape(resource.id)}" '
        f'aria-labelledby="ak-library-title">'
        '<div class="ak-library-toolbar ak-noprint">'
        '<button type="button" class="ak-library-print" onclick="window.print()">Print</button> '
        f'<button type="button" class="ak-library-copy" data-href="{link}" '
        f'onclick="{escape(copy_js)}">Copy link</button> '
        f'<a class="ak-library-permalink" href="{link}">Link to this resource</a></div>'
        f'<h2 id="ak-library-title">{escape(resource.title)}</h2>'
        f'<p class="ak-meta">{meta}</p>'
        f'<p class="ak-library-tags">{_tags_html(resource.characteristics, resource.channels)}</p>'
        f"{local}"
        f'<p class="ak-library-summary"><strong>{escape(resource.summary)}</strong></p>'
        f'<div class="ak-library-body">{resource.html}</div>'
        + (f'<h3>Sources</h3><ul class="ak-library-sources">{sources}</ul>' if sources else "")
        + "</article>"
    )


def requested_resource(query_string: str | None) -> str | None:
    """The ``resource`` parameter of a page address's query string, if any."""
    values = parse_qs(query_string or "").get("resource")
    return values[0].strip() if values and values[0].strip() else None


def requested_language(query_string: str | None) -> str | None:
    """The ``language`` parameter of a page address's query string, if any."""
    values = parse_qs(query_string or "").get("language")
    return values[0].strip() if values and values[0].strip() else None


def language_links_html(resource: Resource, languages: list[str]) -> str:
    """Links to the resource's other language versions, each labelled in its own language."""
    from urllib.parse import quote

    others = [lang for lang in languages if lang != resource.language]
    if not others:
        return ""
    links = ", ".join(
        f'<a href="library.ipynb?resource={quote(resource.id)}&amp;language={quote(lang)}" '
        f'hreflang="{escape(lang)}" lang="{escape(lang)}">'
        f"{escape(LANGUAGES.get(lang.split('-')[0], lang))}</a>"
        for lang in others
    )
    return f'<p class="ak-library-languages ak-noprint" lang="en">Also in: {links}</p>'


class LibraryPage:
    """The widgets of the page and what they do; ``root`` is what gets displayed."""

    def __init__(self) -> None:
        self.status = Status()
        self.status.add_class("ak-library-status")
        self.limit = PAGE_SIZE
        self._updating = False
        self.query = widgets.Text(
            placeholder="e.g. trust by phone, safety plan, messaging",
            description="Search",
            continuous_update=True,
            layout=widgets.Layout(width="100%"),
        )
        self.query.add_class("ak-library-search")
        self.checkboxes: dict[str, dict[str, widgets.Checkbox]] = {}
        groups = []
        for facet, title in FACET_TITLES.items():
            boxes = {}
            for value, label in FACETS[facet].items():
                box = widgets.Checkbox(value=False, description=label, indent=False)
                box.add_class("ak-library-facet-option")
                box.add_class(f"ak-facet-{facet}-{value}")
                box.observe(self._on_filter, names="value")
                boxes[value] = box
            self.checkboxes[facet] = boxes
            group = widgets.VBox(
                [
                    widgets.HTML(f'<h3 class="ak-library-facet-title">{escape(title)}</h3>'),
                    *list(boxes.values()),
                ]
            )
            group.add_class("ak-library-facet")
            group.add_class(f"ak-library-facet-{facet}")
            groups.append(group)
        self.duration = widgets.Dropdown(
            options=[(label, key) for key, label in DURATION_LABELS.items()],
            value="any",
            description="Time",
            layout=widgets.Layout(width="auto"),
        )
        self.duration.add_class("ak-library-duration")
        self.duration.observe(self._on_filter, names="value")
        duration_group = widgets.VBox(
            [widgets.HTML('<h3 class="ak-library-facet-title">Duration</h3>'), self.duration]
        )
        duration_group.add_class("ak-library-facet")
        groups.append(duration_group)
        self.clear = widgets.Button(description="Clear filters", tooltip="Show every resource")
        self.clear.add_class("ak-library-clear")
        self.clear.on_click(safe(self.status)(lambda _: self.clear_filters()))
        self.facets = widgets.HBox([*groups, self.clear])
        self.facets.add_class("ak-library-facets")
        self.suggestions = widgets.HBox([])
        self.suggestions.add_class("ak-library-suggestions")
        self.results = widgets.VBox([])
        self.results.add_class("ak-library-results")
        self.more = widgets.Button(description="Show more results")
        self.more.add_class("ak-library-more")
        self.more.layout.display = "none"
        self.more.on_click(safe(self.status)(lambda _: self.show_more()))
        self.reader = self._reader(
            '<p class="ak-library-empty">Open a resource to read it here.</p>'
        )
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
                '<p class="ak-alert-warn" role="status">'
                f"{len(found)} problem(s) in the library's files; those resources are left out. "
                "An administrator can list them with <code>alliance-kit check resources</code>.</p>"
            )
            note.add_class("ak-library-problems")
            notes.append(note)
        self.root = page(TITLE, self.query, self.facets, *notes, body, intro=INTRO)
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
        result = search(self.query.value, limit=self.limit, **self.selected())
        self.draw(result)
        return result

    def draw(self, result: SearchResult) -> None:
        self._updating = True
        try:
            for facet, boxes in self.checkboxes.items():
                counts = result.facets.get(facet, {})
                for value, box in boxes.items():
                    box.description = f"{FACETS[facet][value]} ({counts.get(value, 0)})"
            counts = result.facets.get("duration", {})
            options = [(f"{label} ({counts.get(k, 0)})", k) for k, label in DURATION_LABELS.items()]
            current = self.duration.value
            self.duration.options = options
            self.duration.value = current
        finally:
            self._updating = False
        shown = len(result.hits)
        self.suggestions.children = [self._suggestion(s) for s in result.suggestions[:6]]
        self.results.children = [self._card(hit) for hit in result.hits]
        self.more.layout.display = None if shown < result.total else "none"
        # The status line goes last: once it changes, the results and suggestions are there.
        count = f"{result.total} resource{'s' if result.total != 1 else ''}"
        capped = counts_note(result)
        if result.message:
            self.status.show(result.message + capped, "warn" if not result.total else "info")
        elif shown < result.total:
            self.status.show(f"{count} found; showing the first {shown}.{capped}", "info")
        else:
            self.status.show(f"{count} found.{capped}", "info")

    def _suggestion(self, text: str) -> widgets.Button:
        button = widgets.Button(description=text, tooltip=f"Search for {text}")
        button.add_class("ak-library-suggestion")

        def use(_: Any) -> None:
            self.query.value = text
            self.debounce.cancel()
            self.run_search()

        button.on_click(safe(self.status)(use))
        return button

    def _card(self, hit: Any) -> widgets.VBox:
        title = widgets.Button(
            description=hit.title,
            tooltip=f"Open: {hit.title}",
            layout=widgets.Layout(width="auto", height="auto"),
        )
        title.add_class("ak-library-open")
        title.on_click(safe(self.status)(lambda _: self.open(hit.id, hit.language)))
        card = widgets.VBox([title, widgets.HTML(card_html(hit))])
        card.add_class("ak-library-card")
        return card

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
                '<p class="ak-alert-warn" role="alert">There is no resource '
                f"“{escape(resource_id[:80])}” in this library (any more). Search for it by "
                "its title instead.</p>"
            )
            return False
        versions = language_links_html(resource, resource_languages(resource.id))
        # lang= lets screen readers pronounce a Dutch version as Dutch; the other versions are
        # named first, so the switch is in view without scrolling the reader.
        self._show_in_reader(
            f'<div lang="{escape(resource.language)}">{versions}{reader_html(resource)}</div>'
        )
        return True

    def open_from_query_string(self) -> None:
        query_string = os.environ.get("QUERY_STRING")
        resource_id = requested_resource(query_string)
        if resource_id:
            self.open(resource_id, requested_language(query_string))


def _after_request(view: LibraryPage) -> None:
    """In a preheated kernel the address arrives later: wait for it, then open the resource."""
    from .language import when_request_arrives

    when_request_arrives(safe(view.status)(view.open_from_query_string))


def build() -> LibraryPage:
    """The page with every resource listed and, when the address names one, that one open."""
    view = LibraryPage()
    view.run_search()
    if os.environ.get("VOILA_PREHEAT") == "True" and "QUERY_STRING" not in os.environ:
        _after_request(view)
    else:
        view.open_from_query_string()
    return view


def show() -> None:
    from IPython.display import display

    display(build().root)
