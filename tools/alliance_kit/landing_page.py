"""The landing page as plain HTML, served without a kernel.

It is the page a whole room opens at once and it holds no widget, so it needs no kernel: the
server renders it from ``modules/pages.yaml`` with a Jinja2 template beside the kit's Voila
template (the same stylesheets and landmarks) and answers at once, whoever else is arriving.
The notebook ``index.ipynb`` renders the same content fragment through
:mod:`alliance_kit.pages.landing`, so both always list the same pages.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .paths import jupyter_data_dir

if TYPE_CHECKING:
    import jinja2

    from .pages.registry import Group, Page

#: The landing notebook; the kit answers its URL itself.
LANDING = "index.ipynb"

#: The kit's Voila template folder: its stylesheets are served under ``voila/templates/alliance``.
TEMPLATE_NAME = "alliance"
TEMPLATE_DIR = jupyter_data_dir() / "voila" / "templates" / TEMPLATE_NAME
#: The URL path (below the server's base URL) Voila would render the landing notebook on; the
#: kit answers it itself, so every existing link and bookmark keeps working.
LANDING_PATH = f"voila/render/{LANDING}"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    return env


def sections() -> list[tuple[Group, list[Page]]]:
    """The groups that have at least one page shipped with this kit, in registry order."""
    from .pages.registry import registry

    return [(group, pages) for group, pages in registry().by_group() if pages]


def render_main() -> str:
    """The landing page's ``<main>``: every page of the kit, grouped."""
    return environment().get_template("landing_main.html.j2").render(sections=sections())


def render_page(base_url: str = "/", language: str = "en") -> str:
    """The whole landing page for a server whose base URL is ``base_url``."""
    static = f"{base_url.rstrip('/')}/voila/templates/{TEMPLATE_NAME}/static/"
    template = environment().get_template("landing.html.j2")
    return template.render(sections=sections(), static=static, language=language)


def landing_handler() -> type:
    """A Jupyter handler answering the landing page's URL with :func:`render_page`.

    A ``JupyterHandler``, so the server's own settings apply: the headers of
    ``tornado_settings`` (the CSP among them) and, on a hub, its log-in check.
    """
    from jupyter_server.base.handlers import JupyterHandler

    class LandingPage(JupyterHandler):
        def get(self, *args: Any) -> None:
            self.set_header("Content-Type", "text/html; charset=utf-8")
            # The list follows pages.yaml and the server's language: never a stale copy.
            self.set_header("Cache-Control", "no-cache")
            # Every kit page sets the _xsrf cookie its shutdown beacon sends; so does this one,
            # so the cookie is there whichever page a visitor opens first.
            _ = self.xsrf_token
            self.finish(render_page(self.base_url))

    return LandingPage
