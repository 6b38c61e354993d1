"""Building blocks every widget page shares: the page frame, messages and safe callbacks.

A widget callback that raises would otherwise vanish into the browser console while the user
clicks on and nothing happens; ``safe`` turns it into a plain message on the page and a
logged traceback for the administrator.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import ipywidgets as widgets

if TYPE_CHECKING:
    from ..journal.store import Journal

log = logging.getLogger("alliance_kit")
F = TypeVar("F", bound=Callable[..., Any])

_KINDS = ("info", "ok", "warn", "error")


def nav_html(title: str) -> str:
    return (
        '<nav class="ak-topnav" aria-label="Kit navigation">'
        '<a href="index.ipynb">&larr; All modules</a></nav>'
        f"<h1>{escape(title)}</h1>"
    )


def message_html(text: str, kind: str = "info") -> str:
    """A message box; ``text`` is escaped, so user input can be echoed safely."""
    kind = kind if kind in _KINDS else "info"
    role = ' role="alert"' if kind in ("warn", "error") else ' role="status"'
    return f'<div class="ak-alert-{kind}"{role}>{escape(text)}</div>'


class Status(widgets.HTML):
    """A live region for feedback: screen readers announce what appears in it."""

    def show(self, text: str, kind: str = "info") -> None:
        self.value = message_html(text, kind)

    def clear(self) -> None:
        self.value = ""


def page(title: str, *children: widgets.Widget, intro: str | None = None) -> widgets.VBox:
    """The frame of every widget page: navigation, title, optional intro, content."""
    head = nav_html(title)
    if intro:
        head += f'<p class="ak-intro">{escape(intro)}</p>'
    box = widgets.VBox([widgets.HTML(head), *children])
    box.add_class("ak-page")
    return box


def fit_to_width(figure: Any) -> Any:
    """A plotly ``FigureWidget`` as wide as its box, and redrawn when the window narrows (a
    200% zoom, a phone turned upright): a fixed-width chart would be cut off at the side."""
    figure.layout.width = None
    figure.layout.autosize = True
    figure._config = {**figure._config, "responsive": True}
    return figure


def open_journal_for_page(journal_path: Path | str | None, notice: Status) -> Journal | None:
    """The user's journal, or None when it cannot be used; either way ``notice`` says what the
    user should know (why it is unusable, what the retention setting removed, and what it will
    remove within a month, while there is still time to export it), so the page still shows
    instead of failing."""
    import datetime as dt

    from ..journal import JournalError, open_journal
    from ..journal.store import retention_notice

    journal = None
    try:
        journal = open_journal(journal_path, apply_retention=False)
        going = journal.expired()
        journal.removed_on_open = journal.apply_retention()
        soon = journal.expired(today=dt.date.today() + dt.timedelta(days=30))
    except JournalError as exc:
        if journal is not None:
            journal.close()
        notice.show(exc.sentence, "error")
        return None
    text = retention_notice(going, soon, journal.retention_months())
    if text:
        notice.show(text, "info")
    return journal


def safe(status: Status | None = None) -> Callable[[F], F]:
    """Decorate a widget callback so that a failure shows a message instead of nothing."""

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except Exception:
                log.exception("page callback %s failed", func.__qualname__)
                if status is not None:
                    status.show(
                        "Something went wrong and nothing was changed. Try again; if it keeps "
                        "happening, the details are in the kit's server log.",
                        "error",
                    )
                return None

        return wrapper  # type: ignore[return-value]

    return decorate
