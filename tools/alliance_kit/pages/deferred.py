"""Draw the heavy part of a page after the browser has shown the rest.

A plotly chart needs plotly.js (about 5 MB) loaded and parsed before the browser shows a
page that holds one. A page that puts its charts in from here shows its controls as fast as a
page without charts, and the chart follows. The work before the chart (pandas,
building the figure) runs meanwhile on a worker thread, so the chart is not later than it was.

"After the browser has shown the rest" is told by the browser itself: the page holds a hidden
button that the page template's script clicks as soon as the button is drawn. Until then a
change to a widget already on the page can be lost: the browser builds the page's widgets
from one answer with all their states, and a change the kernel sends while it is still
building them reaches a widget that does not exist yet and is dropped (a chart drawn, its
reflection beside it left empty). A warm kernel that rebuilds its page in the visitor's
language puts a new button in the new page, so that page waits for its own drawing too.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import ipywidgets as widgets

from .looks import lean

T = TypeVar("T")

#: Draw anyway after this many seconds, should the page's script never click (a page opened
#: outside the kit's Voila template, such as in JupyterLab).
FALLBACK_SECONDS = 8.0
#: The class of the hidden button; the template's script clicks every one it sees drawn.
SIGNAL_CLASS = "ak-page-shown"


def after_page_shown(
    draw: Callable[[Callable[[], T]], None], prepare: Callable[[], T], into: widgets.Box
) -> None:
    """Once the page is on screen, ``draw(result)`` on the kernel's thread, where ``result()``
    returns what ``prepare`` made (or raises what it raised) meanwhile on a worker thread;
    ``prepare`` must not create widgets.

    The hidden button that tells the kernel the page is drawn goes at the end of ``into`` (the
    box on the page that waits for the drawing). A page closed before it was shown (built in
    another language, then rebuilt) is not drawn. Without a running event loop (tests,
    scripts) both run at once."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        draw(prepare)
        return
    signal = lean(widgets.Button, layout={"display": "none"}, tabbable=False)
    signal.add_class(SIGNAL_CLASS)
    into.children = [*into.children, signal]
    state: dict[str, Any] = {"shown": False, "ready": False, "done": False}

    def maybe_draw() -> None:
        if state["done"] or not (state["shown"] and state["ready"]):
            return
        state["done"] = True
        if signal.comm is None:  # closed: the page was replaced before it was shown
            return

        def result() -> T:
            if "error" in state:
                raise state["error"]
            return state["result"]

        draw(result)

    def shown(*_args: object) -> None:
        state["shown"] = True
        maybe_draw()

    def work() -> None:
        try:
            state["result"] = prepare()
        except Exception as exc:  # shown by draw's caller, on the kernel's thread
            state["error"] = exc
        state["ready"] = True
        loop.call_soon_threadsafe(maybe_draw)

    signal.on_click(shown)
    loop.call_later(FALLBACK_SECONDS, shown)
    threading.Thread(target=work, name="ak-prepare-chart", daemon=True).start()
