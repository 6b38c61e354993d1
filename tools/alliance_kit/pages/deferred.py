"""Draw the heavy part of a page after the browser has shown the rest.

A plotly chart widget carries plotly.js with it (about 5 MB) and the browser loads it before
it shows a page that holds one. A page that puts its charts in from here shows its controls
as fast as a page without charts, and the chart follows. "After the browser has shown the
rest" is known exactly: the browser asks the kernel for every widget's state once, when it
loads the page; a widget created after that answer does not hold the page back. The work
before the chart (pandas, building the figure) runs meanwhile on a worker thread, so the
chart is not later than it was.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

#: Draw anyway after this many seconds, should the browser's request never come.
FALLBACK_SECONDS = 8.0
_waiting: list[Callable[[], None]] = []
_hooked = False


def _page_shown() -> None:
    while _waiting:
        _waiting.pop(0)()


def _hook_state_request(loop: asyncio.AbstractEventLoop) -> None:
    """Call the waiting callbacks once the browser's request for the widget states is
    answered (ipywidgets' handler for that request, wrapped once per kernel)."""
    global _hooked
    if _hooked:
        return
    from ipywidgets import Widget

    answer = Widget._handle_control_comm_msg

    def handle(msg: dict) -> Any:
        result = answer(msg)
        if msg.get("content", {}).get("data", {}).get("method") == "request_states":
            loop.call_soon(_page_shown)
        return result

    Widget._handle_control_comm_msg = staticmethod(handle)  # type: ignore[method-assign]
    _hooked = True


def after_page_shown(draw: Callable[[Callable[[], T]], None], prepare: Callable[[], T]) -> None:
    """Once the page is on screen, ``draw(result)`` on the kernel's thread, where ``result()``
    returns what ``prepare`` made (or raises what it raised) meanwhile on a worker thread;
    ``prepare`` must not create widgets. Without a running event loop (tests, scripts) both
    run at once."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        draw(prepare)
        return
    state: dict[str, Any] = {"shown": False, "ready": False, "done": False}

    def maybe_draw() -> None:
        if state["done"] or not (state["shown"] and state["ready"]):
            return
        state["done"] = True

        def result() -> T:
            if "error" in state:
                raise state["error"]
            return state["result"]

        draw(result)

    def shown() -> None:
        state["shown"] = True
        maybe_draw()

    def work() -> None:
        try:
            state["result"] = prepare()
        except Exception as exc:  # shown by draw's caller, on the kernel's thread
            state["error"] = exc
        state["ready"] = True
        loop.call_soon_threadsafe(maybe_draw)

    _hook_state_request(loop)
    _waiting.append(shown)
    loop.call_later(FALLBACK_SECONDS, shown)
    threading.Thread(target=work, name="ak-prepare-chart", daemon=True).start()
