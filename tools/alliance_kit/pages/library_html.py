"""The library page's HTML: result cards and the reader, from the ``library_*`` fragments.

Labels come in the page's language; a resource's own text (title, summary, body) is in the
language of the version shown, and the body is Markdown already rendered and sanitised.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from markupsafe import Markup

from .. import i18n
from ..alliance import CHANNELS
from ..fragments import render, render_kept
from ..i18n import _
from ..language_links import href
from ..library import SearchResult
from ..library.model import FACETS, LANGUAGES

if TYPE_CHECKING:
    from ..library.resource import Resource


def counts_note(result: SearchResult) -> str:
    """The sentence saying the filter counts cover only the first matches (else empty)."""
    if not result.counted:
        return ""
    return " " + _("Counts beside the filters are shown for the first {count} matches.").format(
        count=i18n.number(result.counted)
    )


def facet_label(facet: str, value: str) -> str:
    """A facet value's label in the page's language (a language is named in itself)."""
    label = FACETS[facet].get(value, value)
    return label if facet == "language" else _(label)


def _chips(characteristics: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(c, facet_label("characteristic", c)) for c in characteristics]


def _channels(channels: tuple[str, ...]) -> list[str]:
    return [_(CHANNELS.get(c, c)) for c in channels]


def resource_href(resource_id: str, language: str) -> str:
    """The page's address for one version of a resource: what a result and the reader's
    language switch link to, opened in the page itself or, with Ctrl or the middle button,
    in a tab of its own (which on a shared server must be told the page's language too:
    ``language_links.href``)."""
    return href(f"library.ipynb?resource={quote(resource_id)}&language={quote(language)}")


def card_html(hit: Any) -> str:
    """A result's card, its title a link that opens the resource. Without a match to highlight
    the snippet only repeats the summary, and the card is the resource's own fields and labels,
    kept for the next kernel; with one it shows the visitor's searched words and is not kept."""
    labels = {
        "chips": _chips(hit.characteristics),
        "channels": _channels(hit.channels),
        "type": facet_label("type", hit.type),
        "href": resource_href(hit.id, hit.language),
    }
    if "<mark>" in hit.snippet_html:
        snippet = Markup(hit.snippet_html)
        return render("library_card.html.j2", hit=hit, snippet=snippet, **labels)
    fields = {
        "title": hit.title,
        "summary": hit.summary,
        "language": hit.language,
        "local": hit.local,
        "minutes": hit.minutes,
    }
    return render_kept("library_card.html.j2", hit=fields, snippet=None, **labels)


def results_html(hits: list[Any]) -> str:
    """Every result card in one list: one widget that a search fills, where a card of widgets
    was three models for the browser to fetch when the page opens (empty when none)."""
    if not hits:
        return ""
    return '<ul class="ak-library-list">' + "".join(card_html(hit) for hit in hits) + "</ul>"


def _copy_js() -> str:
    """The Copy link button's handler, with its words in the page's language."""
    copied, copy, ask = (
        json.dumps(t) for t in (_("Link copied"), _("Copy link"), _("Copy this link:"))
    )
    return (
        # window.URL: inside an inline handler a bare URL is the page's document.URL string.
        "var b=this,u=new window.URL(b.dataset.href,location.href).href;"
        f"function ok(){{b.textContent={copied};"
        f"setTimeout(function(){{b.textContent={copy}}},2500)}}"
        "if(navigator.clipboard&&window.isSecureContext){navigator.clipboard.writeText(u).then(ok,"
        f"function(){{window.prompt({ask},u)}})}}else{{window.prompt({ask},u)}}"
    )


def reader_html(resource: Resource, versions: list[str] | None = None) -> str:
    """The resource as an article, with Print and Copy link buttons and its sources, and links
    to its ``versions`` in other languages (each named in its own language)."""
    meta = [
        facet_label("type", resource.type),
        _("{minutes} min").format(minutes=resource.minutes),
        _("for {audience}").format(audience=facet_label("audience", resource.audience).lower()),
        ", ".join(facet_label("phase", p) for p in resource.phases),
    ]
    others = [
        (
            code,
            LANGUAGES.get(code.split("-")[0], code),
            resource_href(resource.id, code),
        )
        for code in versions or []
        if code != resource.language
    ]
    return render(
        "library_reader.html.j2",
        resource=resource,
        versions=others,
        copy_js=_copy_js(),
        meta=meta,
        chips=_chips(resource.characteristics),
        channels=_channels(resource.channels),
        body=Markup(resource.html),
    )
