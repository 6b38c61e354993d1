"""The kit's own error pages, in the visitor's language.

Voila answers an address it cannot serve with its own page: English whatever the visitor's
language, a status line ("404: Not Found") instead of a sentence, and a Font Awesome
stylesheet from a CDN, which the kit's Content-Security-Policy blocks and a workshop network
may not reach. An address no route knows got Tornado's bare "404: Not Found". The kit's
handlers answer instead with :func:`render_error_page`: a sentence and the way back to the
start page, in the language the visitor would get on a page (``i18n.choose``: ``?lang=``, the
remembered choice, ``ALLIANCE_KIT_LANG``, the browser's language), in the frame of the
landing page (``fragments/error_page.html.j2``), from this server only.
"""

from __future__ import annotations

from typing import Any

from .fragments import render
from .i18n import N_, _
from .landing_page import LANDING_PATH, TEMPLATE_NAME
from .language_links import switch_html

NOT_FOUND = 404
FORBIDDEN = 403
#: (heading, sentence) per status; any other status is a server error.
MESSAGES: dict[int, tuple[str, str]] = {
    NOT_FOUND: (
        N_("This page does not exist"),
        N_(
            "The address may be mistyped, or the page may have moved. The start page lists "
            "every page of the kit."
        ),
    ),
    FORBIDDEN: (
        N_("This page is not open to you"),
        N_(
            "The server refused the request. If you think you should see this page, tell your "
            "workshop leader or administrator."
        ),
    ),
}
SERVER_ERROR = (
    N_("Something went wrong on the server"),
    N_(
        "The page could not be served (error %(status)s). Reload the page to try again; if it "
        "keeps happening, tell your workshop leader or administrator: the details are in the "
        "kit's server log."
    ),
)


def render_error_page(
    status: int, base_url: str = "/", lang: str | None = None, query: str = ""
) -> str:
    """The whole error page for ``status`` in ``lang``, for a server whose base URL is
    ``base_url``; ``query`` is the address's query, kept by the language switch."""
    from . import i18n

    previous = i18n.active()
    lang = i18n.activate(lang)
    try:
        heading, sentence = MESSAGES.get(status, SERVER_ERROR)
        base = base_url.rstrip("/")
        start = f"{base}/{LANDING_PATH}"
        if i18n.from_query(query):
            start += f"?lang={lang}"
        return render(
            "error_page.html.j2",
            status=status,
            heading=_(heading),
            sentence=_(sentence) % {"status": status},
            start=start,
            switch=switch_html(query),
            static=f"{base}/voila/templates/{TEMPLATE_NAME}/static/",
        )
    finally:
        i18n.activate(previous)  # the server's own messages keep their language


def write_error_page(handler: Any, status: int) -> None:
    """Answer ``handler``'s request with the kit's error page (Tornado's ``write_error``)."""
    from . import i18n

    query = handler.request.query
    # An error page never remembers a language: only a page the visitor chose does.
    lang = i18n.choose(query, handler.request.headers.get("Accept-Language"), remember_choice=False)
    handler.set_header("Content-Type", "text/html; charset=utf-8")
    handler.set_header("Content-Language", lang)
    handler.set_header("Vary", "Accept-Language")
    base_url = handler.settings.get("base_url", "/")
    handler.write(render_error_page(status, base_url, lang, query))


def with_error_page(base: type) -> type:
    """``base`` (a Tornado handler class) answering its errors with the kit's error page."""

    class KitErrors(base):  # type: ignore[misc, valid-type]
        def write_error(self, status_code: int, **kwargs: Any) -> None:
            write_error_page(self, status_code)

    KitErrors.__name__ = KitErrors.__qualname__ = f"Kit{base.__name__}"
    return KitErrors


def not_found_handler() -> type:
    """The handler of every address no route knows: the kit's 404 page."""
    from tornado import web

    class NotFound(web.RequestHandler):
        def prepare(self) -> None:
            raise web.HTTPError(NOT_FOUND)

    return with_error_page(NotFound)
