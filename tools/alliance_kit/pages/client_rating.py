"""The client's rating: a clean, large-button page the client fills in on the officer's device.

A short officer step comes first (which client code?), then disappears: the client sees only
the plain-language questions and big answer buttons, never a code, a date, a score or a note.
After "Done" the page says thank you and forgets everything it held.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import ipywidgets as widgets

from .. import i18n
from ..fragments import render_kept
from ..i18n import N_, _
from ..journal import JournalError, JournalInvalid, open_journal
from ..privacy import client_code_problem
from ..questionnaire import load
from .common import Status, day, journal_sentence, on_enter, page, safe
from .looks import lean
from .questionnaire_widgets import ItemGrid

TITLE = N_("Client's rating")


def rated_at_text(stamp: str | None) -> str:
    """ " (rated on 2 December 2026 at 10:04)" from the store's timestamp, or nothing."""
    if not stamp:
        return ""
    try:
        when = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if when.tzinfo is not None:
        when = when.astimezone()
    return " " + _("(rated on {date} at {time})").format(date=day(when), time=f"{when:%H:%M}")


class ClientRating:
    def __init__(self, journal_path: Path | str | None = None) -> None:
        self.journal_path = journal_path
        self.qn = load(lang=i18n.active())
        self.session_id: str | None = None
        self.status = Status()
        self.status.add_class("ak-status")

        self.code = lean(widgets.Text, description=_("Client code"), placeholder=_("e.g. K-17"))
        self.code.add_class("ak-client-code")
        self.start = lean(
            widgets.Button, description=_("Start for the client"), button_style="primary"
        )
        self.start.add_class("ak-start")
        self.officer_step = lean(
            widgets.VBox,
            children=[
                lean(widgets.HTML, value=render_kept("client_rating_officer.html.j2")),
                lean(widgets.HBox, children=[self.code, self.start]),
            ],
        )
        self.officer_step.add_class("ak-client-officer-step")
        # Made when first needed: most views never ask about an earlier rating, and the
        # client's questions come after the officer's step (the page opens with a fifth of
        # the widgets it would otherwise have).
        self._ask: widgets.HBox | None = None
        self._client_step: widgets.VBox | None = None
        self._thanks: widgets.VBox | None = None
        self.grid: ItemGrid | None = None
        self.client_status: Status | None = None

        self.start.on_click(safe(self.status)(self._on_start))
        on_enter(self.code, safe(self.status)(self._on_start))  # as the button does
        self.widget = page(_(TITLE), self.officer_step, self.status)
        self.widget.add_class("ak-client-page")
        self.head = self.widget.children[0]

    def _asking(self, ask: bool) -> None:
        """Show or take away the question whether to replace an earlier rating."""
        if ask and self._ask is None:
            replace = lean(
                widgets.Button,
                description=_("Replace the earlier rating"),
                button_style="warning",
            )
            replace.add_class("ak-replace-rating")
            keep = lean(widgets.Button, description=_("Keep it"))
            keep.add_class("ak-keep-rating")
            replace.on_click(safe(self.status)(self._on_replace))
            keep.on_click(safe(self.status)(self._on_keep))
            self._ask = lean(widgets.HBox, children=[replace, keep])
            self._ask.add_class("ak-replace-ask")
        intro, row = self.officer_step.children[:2]
        self.officer_step.children = [intro, row, self._ask] if ask else [intro, row]

    def client_step(self) -> widgets.VBox:
        """The client's questions, made the first time the screen is handed over."""
        if self._client_step is None:
            self.grid = ItemGrid(
                self.qn,
                client=True,
                prefix="client",
                intro=render_kept("client_rating_intro.html.j2"),
            )
            self.client_status = Status()
            self.client_status.add_class("ak-client-status")
            done = lean(widgets.Button, description=_("Done"), button_style="success")
            done.add_class("ak-done")
            done.on_click(safe(self.client_status)(self._on_done))
            step = self.grid.box
            step.children = [*step.children, self.client_status, done]
            step.add_class("ak-client-step")
            step.add_class("ak-big-buttons")
            self._client_step = step
        return self._client_step

    def thanks(self) -> widgets.VBox:
        """The thank-you, made when the first client is done."""
        if self._thanks is None:
            again = lean(widgets.Button, description=_("Start again"))
            again.add_class("ak-restart")
            again.on_click(safe(self.status)(self._on_again))
            self._thanks = lean(
                widgets.VBox,
                children=[
                    lean(widgets.HTML, value=render_kept("client_rating_thanks.html.j2")),
                    again,
                ],
            )
            self._thanks.add_class("ak-thanks")
            self._thanks.add_class("ak-big-buttons")
        return self._thanks

    def _show(self, step: str) -> None:
        """Put one step on the page. The frame's head (its navigation would lead the client
        into the officer's pages) is there with the officer's step only. A step off the page
        keeps its widgets in the kernel and comes back as it was; nothing needs a layout of
        its own to be hidden."""
        if step == "officer":
            shown = [self.head, self.officer_step]
        elif step == "client":
            shown = [self.client_step()]
        else:
            shown = [self.thanks()]
        self.widget.children = [*shown, self.status]

    def _on_start(self, _w: object = None) -> None:
        self._asking(False)
        self.session_id = None
        code = self.code.value.strip()
        if not code:
            self.status.show(_("Type the client code first."), "error")
            return
        too_long = client_code_problem(code)
        if too_long:
            self.status.show(too_long, "error")
            return
        try:
            with open_journal(self.journal_path) as journal:
                session = journal.latest_session(code)
        except JournalError as exc:
            self.status.show(journal_sentence(exc), "error")
            return
        if session is None:
            self.status.show(
                _(
                    "There is no session with the code {code} yet. Score the session first on "
                    "'{page}', then come back."
                ).format(code=repr(code), page=_("Score a session")),
                "error",
            )
            return
        self.session_id = session.id
        if session.client_answers:
            # One rating per session: a second one would replace the first, so ask.
            when = rated_at_text(session.client_rated_at)
            self.status.show(
                _(
                    "The client already rated the session of {date} with this code{when}. A new "
                    "rating replaces that one. Replace it, or keep it?"
                ).format(date=day(session.session_date), when=when),
                "warn",
            )
            self._asking(True)
            return
        self._hand_over()

    def _hand_over(self) -> None:
        self._asking(False)
        self.status.clear()
        self.code.value = ""
        self._show("client")
        if self.grid is not None and self.client_status is not None:
            self.grid.reset()
            self.client_status.clear()

    def _on_replace(self, _w: object = None) -> None:
        if self.session_id is None:
            return
        self._hand_over()

    def _on_keep(self, _w: object = None) -> None:
        self.session_id = None
        self._asking(False)
        self.code.value = ""
        self.status.show(_("Kept the earlier rating; nothing was changed."), "ok")

    def _on_done(self, _w: object = None) -> None:
        if self.grid is None or self.client_status is None:
            return
        answers = self.grid.answers()
        missing = self.qn.answer_problems(answers, who="client")
        if missing:
            self.client_status.show(" ".join(missing), "warn")
            return
        try:
            with open_journal(self.journal_path) as journal:
                journal.set_client_rating(self.session_id or "", answers, "client-page")
        except (JournalInvalid, JournalError) as exc:
            self.client_status.show(
                _("Your answers could not be saved. Please give the screen back to your officer."),
                "error",
            )
            self.status.show(journal_sentence(exc), "error")
            return
        self.session_id = None
        self.grid.reset()
        self.client_status.clear()
        self._show("thanks")

    def _on_again(self, _w: object = None) -> None:
        self.status.clear()
        self._show("officer")


def build(journal_path: Path | str | None = None) -> ClientRating:
    return ClientRating(journal_path)


def show(journal_path: Path | str | None = None) -> None:
    from .shared_mode import show_personal_page

    show_personal_page(TITLE, build, journal_path)
