"""What personal pages show on a shared (workshop) server: an explanation, not a form.

Every visitor of a workshop server writes to the same data folder, so a journal or saved
reflections there would let one trainee read another's notes about real clients. The
personal pages therefore store nothing on such a server and say why (``paths.shared_server``).
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

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


def show_personal_page(
    title: str, build: Callable[[Path | str | None], Any], journal_path: Path | str | None
) -> None:
    """Show a journal page, or on a shared server (and no journal of its own) why it is off."""
    from IPython.display import display

    from ..paths import shared_server

    if shared_server() and journal_path is None:
        display(journal_off_page(title))
    else:
        display(build(journal_path).widget)
