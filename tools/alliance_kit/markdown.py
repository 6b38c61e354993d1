"""Markdown to safe HTML: the one renderer for every Markdown text the kit shows.

Learn texts, quiz scenarios, the overview and library resources all reach the browser as HTML,
and some of it comes from folders the kit does not review (an organisation's drop-in library,
an educator's adapted module). So two independent layers: markdown-it with raw HTML switched
off (a ``<script>`` in the text shows as text), then nh3 with a short allow-list of tags,
attributes and link schemes (http, https, mailto), in case the first layer ever lets
something through.

Rendering is cached by the text's content hash: a workshop's kernels render the same module
texts and resources over and over, and an edited file simply hashes to a new entry. Text from
content files (:func:`render_content`) is also kept on disk, in the user's cache folder, so a
new kernel showing unchanged content neither imports markdown-it and nh3 nor renders again.
A visitor's own words never go there: on a workshop server every kernel runs as one user.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .paths import kept_text, versioned_cache_dir

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
    "mark", "del", "s",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"style"}, "td": {"style"}}
URL_SCHEMES = {"http", "https", "mailto"}
#: Rendered texts kept per process; the shipped content is a few hundred texts.
CACHE_SIZE = 2048


@lru_cache(maxsize=1)
def _markdown() -> Any:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table").enable("strikethrough")

    def heading(self: Any, tokens: list, idx: int, options: Any, env: Any) -> str:
        # Every text sits below a page or section title (h1/h2): its headings go one level down.
        token = tokens[idx]
        token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
        return self.renderToken(tokens, idx, options, env)

    def image(self: Any, tokens: list, idx: int, options: Any, env: Any) -> str:
        # Pictures would be fetched from another host; the kit works offline, so show the words.
        from markupsafe import escape

        alt = tokens[idx].content or "picture"
        return f"[{escape(alt)}]"

    md.add_render_rule("image", image)
    md.add_render_rule("heading_open", heading)
    md.add_render_rule("heading_close", heading)
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


_cache: OrderedDict[bytes, Markup] = OrderedDict()
_cache_lock = threading.Lock()


def _key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).digest()


def _remembered(key: bytes) -> Markup | None:
    with _cache_lock:
        html = _cache.get(key)
        if html is not None:
            _cache.move_to_end(key)
        return html


def render_markdown(text: str) -> Markup:
    """Markdown text to sanitised HTML, ready to go into a template as it is."""
    key = _key(text)
    html = _remembered(key)
    if html is not None:
        return html
    html = Markup(sanitize(_markdown().render(text)))
    _remember(key, html)
    return html


def render_content(text: str) -> Markup:
    """Markdown from a content file (a learn text, a question, a resource) to sanitised HTML,
    kept on disk for the kernels that follow. Never pass a visitor's own words: use
    :func:`render_markdown`, which keeps them in this process only."""
    key = _key(text)
    html = _remembered(key)
    if html is not None:
        return html
    html = Markup(
        kept_text(_kept_folder(), key.hex(), lambda: str(sanitize(_markdown().render(text))))
    )
    _remember(key, html)
    return html


def _remember(key: bytes, html: Markup) -> None:
    with _cache_lock:
        _cache[key] = html
        if len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)


@lru_cache(maxsize=1)
def _kept_folder() -> Path | None:
    """What the rendered HTML depends on besides the text: this module's rules and allow-lists
    (its source) and the installed markdown-it and nh3."""
    return versioned_cache_dir("markdown", [Path(__file__)], ("markdown_it", "nh3"))


def cache_info() -> tuple[int, int]:
    """(texts cached, the cache's size): what a benchmark or test looks at."""
    with _cache_lock:
        return len(_cache), CACHE_SIZE


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKS = re.compile(r"(^|\s)#{1,6}\s|[*_`>|~]+|^\s*[-+]\s|^\s*\d+[.)]\s", re.M)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def plain_text(text: str) -> str:
    """The words of a Markdown text without its markup: what the library index stores and its
    snippets show.

    A regular-expression pass rather than a full parse, because the index is built from every
    file at start-up when anything changed, and a synthetic library may hold 100,000 files.
    """
    text = _CONTROL.sub(" ", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_MARKS.sub(" ", text)
    return re.sub(r"[ \t]+", " ", text).strip()
