"""Markdown to safe HTML for the reader pane.

Resources can come from an organisation's drop-in folder, which the kit does not review, and the
page puts the HTML straight into the browser. So two independent layers: markdown-it with raw
HTML switched off (a ``<script>`` in the text shows as text), then nh3 with a short allow-list
of tags, attributes and link schemes (http, https, mailto), in case the first layer ever lets
something through.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
    "mark", "del", "s",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"style"}, "td": {"style"}}
URL_SCHEMES = {"http", "https", "mailto"}


@lru_cache(maxsize=1)
def _markdown() -> Any:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table").enable("strikethrough")

    def heading_open(self: Any, tokens: list, idx: int, options: Any, env: Any) -> str:
        # The reader shows the title as <h2>; the body's headings sit one level below it.
        token = tokens[idx]
        token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
        return self.renderToken(tokens, idx, options, env)

    def heading_close(self: Any, tokens: list, idx: int, options: Any, env: Any) -> str:
        token = tokens[idx]
        token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
        return self.renderToken(tokens, idx, options, env)

    def image(self: Any, tokens: list, idx: int, options: Any, env: Any) -> str:
        # Pictures would be fetched from another host; the kit works offline, so show the words.
        from html import escape

        alt = tokens[idx].content or "picture"
        return f"[{escape(alt)}]"

    md.add_render_rule("image", image)
    md.add_render_rule("heading_open", heading_open)
    md.add_render_rule("heading_close", heading_close)
    return md


def sanitize(html: str) -> str:
    """Keep only harmless markup; links open in a new tab without access to this page."""
    import nh3

    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        set_tag_attribute_values={"a": {"target": "_blank"}},
        filter_style_properties={"text-align"},
        strip_comments=True,
    )


def render_markdown(text: str) -> str:
    """Markdown text to sanitised HTML."""
    return sanitize(_markdown().render(text))


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKS = re.compile(r"(^|\s)#{1,6}\s|[*_`>|~]+|^\s*[-+]\s|^\s*\d+[.)]\s", re.M)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def plain_text(text: str) -> str:
    """The words of a Markdown text without its markup: what the index stores and snippets show.

    A regular-expression pass rather than a full parse, because the index is built from every
    file at start-up when anything changed, and a synthetic library may hold 100,000 files.
    """
    text = _CONTROL.sub(" ", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_MARKS.sub(" ", text)
    return re.sub(r"[ \t]+", " ", text).strip()
