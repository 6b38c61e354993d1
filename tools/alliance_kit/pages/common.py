"""Building blocks every widget page shares: the page frame, messages and safe callbacks.

A widget callback that raises would otherwise vanish into the browser console while the user
clicks on and nothing happens; ``safe`` turns it into a plain message on the page and a
logged traceback for the administrator.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import ipywidgets as widgets

from .. import i18n
from ..i18n import _
from .looks import lean, shared_look

if TYPE_CHECKING:
    from ..journal.errors import JournalError
    from ..journal.store import Journal

log = logging.getLogger("alliance_kit")


def _log_to_server() -> None:
    """Send the pages' log records to the kit server's log.

    Page code runs in a kernel. Its stderr is ipykernel's stream, which forwards to the page
    (where nothing shows it), so without this a logged failure was lost although the page
    says the details are in the server log. The kernel's real stderr, inherited from the
    server, is behind ``sys.stderr.fileno()`` when ipykernel captures file descriptor 2, and
    is file descriptor 2 itself when it does not (it never does under pytest, for one).
    """
    if not type(sys.stderr).__module__.startswith("ipykernel"):
        return
    if any(getattr(h, "alliance_kit_server_log", False) for h in log.handlers):
        return
    try:
        try:
            real_stderr = sys.stderr.fileno()
        except (OSError, ValueError):
            real_stderr = sys.__stderr__.fileno()
        stream = os.fdopen(os.dup(real_stderr), "w", encoding="utf-8", errors="replace")
    except (OSError, ValueError, AttributeError):
        return
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("[alliance-kit page] %(levelname)s %(message)s"))
    handler.alliance_kit_server_log = True  # type: ignore[attr-defined]
    log.addHandler(handler)


_log_to_server()
F = TypeVar("F", bound=Callable[..., Any])

_KINDS = ("info", "ok", "warn", "error")


def nav_html(title: str, intro: str | None = None) -> str:
    """The way back to the landing page, the language switch, the title and its intro.

    ``title`` and ``intro`` are the page's own words (interface text or content), never a
    visitor's, so the head is kept for the next kernel unless the page's address carries more
    than its language (the switch repeats the address)."""
    from ..fragments import render_if_shared
    from ..language_links import query_without_lang
    from .language import LANDING_HREF, href, switch_html

    return render_if_shared(
        not query_without_lang(),
        "page_head.html.j2",
        home=href(LANDING_HREF),
        switch=switch_html(),
        title=title,
        intro=intro,
    )


def without_data_path(text: str) -> str:
    """``text`` without the absolute path of the kit's data folder.

    A page may be seen by others (a projector, a shared server, a screenshot in a ticket), and
    the path names the user's account; the server log keeps the full sentence. A file inside
    the folder keeps its name, relative to the folder.
    """
    from ..paths import data_dir

    folder = data_dir(create=False)
    for form in dict.fromkeys((str(folder), str(folder.expanduser().resolve()))):
        if form in text:
            text = text.replace(form + os.sep, "").replace(form, _("the kit's data folder"))
    return text


def journal_sentence(exc: JournalError) -> str:
    """What a page says about a journal failure: the store's sentence without the file's path.

    The path goes to the server log, where an administrator needs it.
    """
    log.warning("journal problem: %s", exc.sentence)
    sentence = exc.sentence
    if exc.path is not None:
        path = Path(exc.path)
        sentence = sentence.replace(f" {path}", "").replace(str(path), path.name)
    return without_data_path(sentence)


def message_html(text: str, kind: str = "info") -> str:
    """A message box; ``text`` is escaped, so user input can be echoed safely. The box is
    kept for the next kernel, the text never is."""
    from ..fragments import render_kept_around

    kind = kind if kind in _KINDS else "info"
    return render_kept_around("message.html.j2", "text", without_data_path(text), kind=kind)


def decimal(value: float, digits: int = 1) -> str:
    """A number as the visitor's language writes it: 3.5 in English, 3,5 in Dutch."""
    return i18n.number(value, "#,##0" + ("." + "0" * digits if digits else ""))


def day(date: Any, month: str = "MMMM") -> str:
    """A date as the visitor's language writes it: 2 December 2026, 2 december 2026."""
    return i18n.day(date, f"d {month} y")


class Status(widgets.HTML):
    """A live region for feedback: screen readers announce what appears in it.

    Its layout and style are the shared ones (see ``lean``): never hide a status through
    its layout."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("layout", shared_look(widgets.Layout, {}))
        kwargs.setdefault("style", shared_look(widgets.HTML.class_traits()["style"].klass, {}))
        super().__init__(**kwargs)

    def show(self, text: str, kind: str = "info") -> None:
        self.value = message_html(text, kind)

    def clear(self) -> None:
        self.value = ""


class HeldNotice:
    """What a page has to say as it opens, held until it is known whether there is anything:
    a widget made for nothing would still be sent to the browser with the page."""

    def __init__(self) -> None:
        self._said: tuple[str, str] | None = None

    def show(self, text: str, kind: str = "info") -> None:
        self._said = (text, kind)

    def status(self, css_class: str) -> Status | None:
        """A ``Status`` (with ``css_class``) saying what was said, or None when nothing was."""
        if self._said is None:
            return None
        shown = Status()
        shown.add_class(css_class)
        shown.show(*self._said)
        return shown


def page(title: str, *children: widgets.Widget, intro: str | None = None) -> widgets.VBox:
    """The frame of every widget page: navigation, title, optional intro, content. The head
    and the frame share their layouts and style (``lean``): they never change."""
    head_widget = lean(widgets.HTML, value=nav_html(title, intro))
    head_widget.add_class("ak-page-head")
    box = lean(widgets.VBox, children=[head_widget, *children])
    box.add_class("ak-page")
    return box


class Notice(Protocol):
    """Where a page says something: a ``Status``, or a holder that makes one only when there
    is something to say (a widget nobody sees still costs the page's opening)."""

    def show(self, text: str, kind: str = "info") -> None: ...


def open_journal_for_page(journal_path: Path | str | None, notice: Notice) -> Journal | None:
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
        notice.show(journal_sentence(exc), "error")
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
                        _(
                            "Something went wrong and nothing was changed. Try again; if it "
                            "keeps happening, the details are in the kit's server log."
                        ),
                        "error",
                    )
                return None

        return wrapper  # type: ignore[return-value]

    return decorate


def on_enter(field: widgets.Text, handler: Callable[[widgets.Text], Any]) -> None:
    """Call ``handler`` when the visitor presses Enter in ``field``.

    ipywidgets 8 deprecates ``on_submit`` for observing the value with ``continuous_update``
    off, but that fires on every keystroke (the library searches as one types, so it cannot tell
    Enter from typing) or when the field loses focus (tabbing from the client's code to the
    Start button would hand the screen over). Enter is what the pages mean, so they keep it.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        field.on_submit(handler)
