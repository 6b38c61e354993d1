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
    head_widget = widgets.HTML(head)
    head_widget.add_class("ak-page-head")
    box = widgets.VBox([head_widget, *children])
    box.add_class("ak-page")
    return box


def open_journal_for_page(journal_path: Path | str | None, notice: Status) -> Journal | None:
    """The user's journal, or None when it cannot be used; either way ``notice`` says what the
    user should know (why it is unusable, or that old sessions went by the retention setting),
    so the page still shows instead of failing."""
    from ..journal import JournalError, open_journal

    try:
        journal = open_journal(journal_path)
    except JournalError as exc:
        notice.show(exc.sentence, "error")
        return None
    if journal.removed_on_open:
        notice.show(
            f"{journal.removed_on_open} session(s) older than "
            f"{journal.retention_months()} months were removed from your journal "
            "(your retention setting).",
            "info",
        )
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
