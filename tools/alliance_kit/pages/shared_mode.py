"""What personal pages show on a shared (workshop) server: an explanation, not a form.

Every visitor of a workshop server writes to the same data folder, so a journal or saved
reflections there would let one trainee read another's notes about real clients. The
personal pages therefore store nothing on such a server and say why (``paths.shared_server``).
"""

from __future__ import annotations

from html import escape

import ipywidgets as widgets

from .common import page

JOURNAL_OFF = (
    "This kit is running on a shared workshop server, so the session journal is switched off "
    "here: everyone in the room would share it. To score your own sessions, use the kit on "
    "your own computer or your own hub account ('alliance-kit serve'), where your journal "
    "stays private to you."
)
REFLECTIONS_OFF = (
    "Shared workshop server: your answers are not saved here, because everyone in the room "
    "uses the same server. Copy anything you want to keep before you close the page."
)


def notice_html(text: str) -> str:
    return f'<div class="ak-alert-info ak-shared-notice" role="status">{escape(text)}</div>'


def journal_off_page(title: str) -> widgets.VBox:
    """The frame of a personal page, holding only the explanation."""
    return page(title, widgets.HTML(notice_html(JOURNAL_OFF)))


def show_journal_off(title: str) -> None:
    from IPython.display import display

    display(journal_off_page(title))
