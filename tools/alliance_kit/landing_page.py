"""The landing page as plain HTML, served without a kernel.

It is the page a whole room opens at once and it holds no widget, so it needs no kernel: the
server renders it from ``modules/pages.yaml`` with the kit's templates (``fragments/``, beside
the kit's Voila template: the same stylesheets, frame and landmarks) in the visitor's language
(``alliance_kit.i18n``: ``?lang=``, ``ALLIANCE_KIT_LANG``, the browser's language) and answers
at once, whoever else is arriving. The notebook ``index.ipynb`` shows the very same content
through :mod:`alliance_kit.pages.landing`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .fragments import render
from .language_links import LANDING_HREF, href, switch_html

if TYPE_CHECKING:
    from .page_list import Group, Page

#: The landing notebook; the kit answers its URL itself.
LANDING = LANDING_HREF
#: The URL path (below the server's base URL) Voila would render the landing notebook on; the
#: kit answers it itself, so every existing link and bookmark keeps working.
LANDING_PATH = f"voila/render/{LANDING}"
#: The kit's Voila template: its stylesheets are served under ``voila/templates/alliance``.
TEMPLATE_NAME = "alliance"


def sections() -> list[tuple[Group, list[tuple[Page, str]]]]:
    """The groups with at least one page shipped with this kit, each page with its link."""
    from .i18n import active
    from .page_list import registry

    return [
        (group, [(page, href(page.notebook)) for page in pages])
        for group, pages in registry(active()).by_group()
        if pages
    ]


def render_main(query: str | None = None) -> str:
    """The landing page's ``<main>`` in the active language: every page of the kit, grouped."""
    return render("landing.html.j2", sections=sections(), switch=switch_html(query))


def render_page(base_url: str = "/", lang: str | None = None, query: str = "") -> str:
    """The whole landing page in ``lang`` for a server whose base URL is ``base_url``."""
    from . import i18n

    previous = i18n.active()
    i18n.activate(lang)
    try:
        return render(
            "landing_page.html.j2",
            sections=sections(),
            switch=switch_html(query),
            static=f"{base_url.rstrip('/')}/voila/templates/{TEMPLATE_NAME}/static/",
        )
    finally:
        i18n.activate(previous)  # the server's own messages keep their language


def landing_handler() -> type:
    """A Jupyter handler answering the landing page's URL with :func:`render_page`.

    A ``JupyterHandler``, so the server's own settings apply: the headers of
    ``tornado_settings`` (the CSP among them) and, on a hub, its log-in check.
    """
    from jupyter_server.base.handlers import JupyterHandler

    from . import i18n

    class LandingPage(JupyterHandler):
        def get(self, *args: Any) -> None:
            query = self.request.query
            lang = i18n.choose(query, self.request.headers.get("Accept-Language"))
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Content-Language", lang)
            self.set_header("Vary", "Accept-Language")
            # The list follows pages.yaml and the visitor's language: never a stale copy.
            self.set_header("Cache-Control", "no-cache")
            # Every kit page sets the _xsrf cookie its shutdown beacon sends; so does this one,
            # so the cookie is there whichever page a visitor opens first.
            _ = self.xsrf_token
            self.finish(render_page(self.base_url, lang, query))

    return LandingPage
