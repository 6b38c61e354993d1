"""The landing notebook: the same content the server serves without a kernel.

``alliance-kit serve`` and the hub answer the landing page's URL with
:mod:`alliance_kit.landing_page` and start no kernel for it; this notebook version stays for
anything that runs ``index.ipynb`` itself, and shows the very same content in the visitor's
language.
"""

from __future__ import annotations

from .. import i18n
from ..landing_page import render_main


def render_html() -> str:
    """The landing page as one HTML fragment, in the page's language."""
    i18n.activate(i18n.page_language())
    return render_main()


def show() -> None:
    from IPython.display import HTML, display

    display(HTML(render_html()))
