"""The landing page: every page of the kit, grouped by what the user came to do.

Plain HTML output, no widgets: it is the page a whole workshop opens at once, so it must be
the cheapest page the kit serves.
"""

from __future__ import annotations

from html import escape

from ..page_list import registry

WELCOME = (
    "A training and reflection kit for probation officers and other professionals who work "
    "with clients who did not choose to see them. Learn the four characteristics of a working "
    "alliance in a mandated setting, practise the same situation over different channels, "
    "score your own sessions, and find a resource for your next one."
)
PRIVACY = (
    "Privacy: everything you write in this kit stays in the kit's data folder on this machine "
    "(or your own hub account). Nothing is sent anywhere. Use a client code, never a name."
)


def render_html() -> str:
    """The landing page as one HTML fragment."""
    parts = [
        '<main class="ak-page ak-landing" aria-labelledby="ak-title">',
        '<h1 id="ak-title">Working alliance kit</h1>',
        f'<p class="ak-welcome">{escape(WELCOME)}</p>',
    ]
    for group, pages in registry().by_group():
        if not pages:
            continue
        gid = f"ak-group-{escape(group.id)}"
        parts.append(f'<section class="ak-group" aria-labelledby="{gid}">')
        parts.append(f'<h2 id="{gid}">{escape(group.title)}</h2>')
        parts.append(f'<p class="ak-group-why">{escape(group.why)}</p>')
        parts.append('<ul class="ak-cards">')
        for page in pages:
            parts.append(
                f'<li class="ak-card" data-page="{escape(page.id)}">'
                f'<a href="{escape(page.notebook)}">{escape(page.title)}</a>'
                f"<p>{escape(page.summary)}</p></li>"
            )
        parts.append("</ul></section>")
    parts.append(f'<p class="ak-footer">{escape(PRIVACY)}</p>')
    parts.append("</main>")
    return "".join(parts)


def show() -> None:
    from IPython.display import HTML, display

    display(HTML(render_html()))
