"""What personal pages show on a shared (workshop) server: an explanation, not a form.

Every visitor of a workshop server writes to the same data folder, so a journal or saved
reflections there would let one trainee read another's notes about real clients. The
personal pages therefore store nothing on such a server and say why (``paths.shared_server``).
The gradebook overview is off there too: it shows a course's grades, which are the
educator's to see, not the room's.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from ..fragments import render
from ..i18n import N_, _
from .common import page

JOURNAL_OFF = N_(
    "This kit is running on a shared workshop server, so the session journal is switched off "
    "here: everyone in the room would share it. To score your own sessions, use the kit on "
    "your own computer or your own hub account ('alliance-kit serve'), where your journal "
    "stays private to you."
)
GRADEBOOK_OFF = N_(
    "This kit is running on a shared workshop server, so the gradebook overview is switched "
    "off here: it would show the course's grades to everyone in the room. To look at the "
    "gradebook, open the kit on your own computer ('alliance-kit serve') in the course folder."
)
REFLECTIONS_OFF = N_(
    "Shared workshop server: your answers are not saved here, because everyone in the room "
    "uses the same server. Copy anything you want to keep before you close the page."
)


def notice_html(text: str) -> str:
    """The notice for ``text``, one of this module's explanations, in the page's language."""
    return render("shared_notice.html.j2", text=_(text))


def off_page(title: str, why: str = JOURNAL_OFF) -> widgets.VBox:
    """The frame of a page that is off on a shared server, holding only the explanation;
    ``title`` is the page's English title, translated here like ``why``."""
    return page(_(title), widgets.HTML(notice_html(why)))


def show_personal_page(
    title: str, build: Callable[[Path | str | None], Any], journal_path: Path | str | None
) -> None:
    """Show a journal page in the visitor's language, or on a shared server (and no journal of
    its own) why it is off."""
    from ..paths import shared_server
    from .language import show

    if shared_server() and journal_path is None:
        show(lambda: off_page(title))
    else:
        show(lambda: build(journal_path).widget)
