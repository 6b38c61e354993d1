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
from .common import Status, day, journal_sentence, page, safe
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

        self.code = widgets.Text(description=_("Client code"), placeholder=_("e.g. K-17"))
        self.code.add_class("ak-client-code")
        self.start = widgets.Button(description=_("Start for the client"), button_style="primary")
        self.start.add_class("ak-start")
        self.replace = widgets.Button(
            description=_("Replace the earlier rating"), button_style="warning"
        )
        self.replace.add_class("ak-replace-rating")
        self.keep = widgets.Button(description=_("Keep it"))
        self.keep.add_class("ak-keep-rating")
        self.ask = widgets.HBox([self.replace, self.keep], layout=widgets.Layout(display="none"))
        self.ask.add_class("ak-replace-ask")
        self.officer_step = widgets.VBox(
            [
                widgets.HTML(render_kept("client_rating_officer.html.j2")),
                widgets.HBox([self.code, self.start]),
                self.ask,
            ]
        )
        self.officer_step.add_class("ak-client-officer-step")

        self.grid = ItemGrid(self.qn, client=True, prefix="client")
        self.done = widgets.Button(description=_("Done"), button_style="success")
        self.done.add_class("ak-done")
        self.client_status = Status()
        self.client_status.add_class("ak-client-status")
        self.client_step = widgets.VBox(
            [
                widgets.HTML(render_kept("client_rating_intro.html.j2")),
                self.grid.box,
                self.client_status,
                self.done,
            ],
            layout=widgets.Layout(display="none"),
        )
        self.client_step.add_class("ak-client-step")
        self.client_step.add_class("ak-big-buttons")

        self.again = widgets.Button(description=_("Start again"))
        self.again.add_class("ak-restart")
        self.thanks = widgets.VBox(
            [widgets.HTML(render_kept("client_rating_thanks.html.j2")), self.again],
            layout=widgets.Layout(display="none"),
        )
        self.thanks.add_class("ak-thanks")
        self.thanks.add_class("ak-big-buttons")

        self.start.on_click(safe(self.status)(self._on_start))
        self.code.on_submit(safe(self.status)(self._on_start))
        self.done.on_click(safe(self.client_status)(self._on_done))
        self.again.on_click(safe(self.status)(self._on_again))
        self.replace.on_click(safe(self.status)(self._on_replace))
        self.keep.on_click(safe(self.status)(self._on_keep))
        self.widget = page(_(TITLE), self.officer_step, self.client_step, self.thanks, self.status)
        self.widget.add_class("ak-client-page")
        # The frame's head shares its layout with the page's other lean widgets; it is hidden
        # while the client answers, so it gets a layout of its own.
        self.widget.children[0].layout = widgets.Layout()

    def _show(self, step: str) -> None:
        self.officer_step.layout.display = "flex" if step == "officer" else "none"
        self.client_step.layout.display = "flex" if step == "client" else "none"
        self.thanks.layout.display = "flex" if step == "thanks" else "none"
        # The frame's navigation would lead the client into the officer's pages: hide it.
        self.widget.children[0].layout.display = "flex" if step == "officer" else "none"

    def _on_start(self, _w: object = None) -> None:
        self.ask.layout.display = "none"
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
            self.ask.layout.display = "flex"
            return
        self._hand_over()

    def _hand_over(self) -> None:
        self.ask.layout.display = "none"
        self.status.clear()
        self.code.value = ""
        self.grid.reset()
        self.client_status.clear()
        self._show("client")

    def _on_replace(self, _w: object = None) -> None:
        if self.session_id is None:
            return
        self._hand_over()

    def _on_keep(self, _w: object = None) -> None:
        self.session_id = None
        self.ask.layout.display = "none"
        self.code.value = ""
        self.status.show(_("Kept the earlier rating; nothing was changed."), "ok")

    def _on_done(self, _w: object = None) -> None:
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
