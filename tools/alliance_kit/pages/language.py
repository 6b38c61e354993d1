"""Showing a page in its visitor's language, and the switch between languages.

A page's language comes from its request (``i18n.page_language``). A kernel from the warm
pool runs the page before anyone asked for it, so there the page is built in the server's
default language and, when the request arrives asking for another, built again in that one:
the visitor sees their language either way, and a room that shares one language (the usual
workshop, with ``ALLIANCE_KIT_LANG`` set) keeps the head start of the warm pool.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable

import ipywidgets as widgets

from .. import i18n
from ..language_links import LANDING_HREF, href, switch_html
from .looks import close_widgets, lean

__all__ = [
    "LANDING_HREF",
    "href",
    "preheated_before_request",
    "show",
    "switch_html",
    "when_request_arrives",
]


def preheated_before_request() -> bool:
    """A warm-pool kernel running its page before anyone asked for it: the address and
    headers (the language, a resource to open) arrive later."""
    return os.environ.get("VOILA_PREHEAT") == "True" and "QUERY_STRING" not in os.environ


def when_request_arrives(callback: Callable[[], None]) -> None:
    """Call ``callback`` on the kernel's event loop once Voila has passed on the request (the
    address and headers) to this warm kernel."""
    try:
        loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
    except RuntimeError:
        loop = None

    def wait() -> None:
        from .request_info import wait_for_request

        wait_for_request()
        if loop is not None and loop.is_running():
            loop.call_soon_threadsafe(callback)
        else:
            callback()

    threading.Thread(target=wait, name="ak-request", daemon=True).start()


def show(build: Callable[[], widgets.Widget]) -> widgets.Box:
    """Display the page ``build`` makes, in the visitor's language; returns its container."""
    from IPython.display import display

    # The layout never changes: one shared by every page of this kernel (``lean``).
    box = lean(widgets.Box, layout={"display": "block"})
    box.add_class("ak-page-root")

    def fill(lang: str) -> None:
        for old in [c for c in box._dom_classes if c.startswith("ak-lang-")]:
            box.remove_class(old)
        box.add_class(f"ak-lang-{i18n.activate(lang)}")
        old, box.children = box.children, [build()]
        for page in old:  # built in another language before the request came
            close_widgets(page)

    if preheated_before_request():
        built_in = i18n.server_default() or i18n.SOURCE_LANGUAGE
        fill(built_in)

        def rebuild() -> None:
            lang = i18n.page_language()
            if lang != built_in:
                fill(lang)

        when_request_arrives(rebuild)
    else:
        fill(i18n.page_language())
    display(box)
    return box
