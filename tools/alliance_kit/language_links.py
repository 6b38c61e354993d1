"""Links that keep a visitor's language, and the switch between the languages.

Plain HTML without widgets, so the server's kernel-free landing page and the widget pages
(``pages.language``) make them the same way.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qsl, urlencode

from markupsafe import Markup

from . import i18n
from .fragments import render, render_kept

#: The landing page, relative to every page of the kit.
LANDING_HREF = "index.ipynb"


def query_without_lang(query: str | None = None) -> list[tuple[str, str]]:
    """The page address's query (a kernel's ``QUERY_STRING`` unless given) without ``lang``."""
    text = os.environ.get("QUERY_STRING", "") if query is None else query
    return [(k, v) for k, v in parse_qsl(text[:2000]) if k != "lang"]


def switch_html(query: str | None = None) -> Markup:
    """Links to this same page in each language, keeping the rest of its address. Without
    more in the address than its language the switch is the same for everyone, and kept."""
    rest = query_without_lang(query)
    choices = [
        (code, name, "?" + urlencode([*rest, ("lang", code)]))
        for code, name in i18n.LANGUAGES.items()
    ]
    draw = render if rest else render_kept
    return Markup(draw("language_switch.html.j2", choices=choices, current=i18n.active()))


def href(target: str) -> str:
    """A link to another page of the kit that keeps the visitor's language: on a shared
    server nothing else remembers it; elsewhere the remembered choice or the defaults give the
    next page the same language, so the address stays clean."""
    from .paths import shared_server

    if not shared_server():
        return target
    base, _, query = target.partition("?")
    pairs = [(k, v) for k, v in parse_qsl(query) if k != "lang"]
    return base + "?" + urlencode([*pairs, ("lang", i18n.active())])
