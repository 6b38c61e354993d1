"""Score a session: the officer's two-minute form after a supervision session.

Start-up imports ipywidgets and the small engines only (questionnaire, privacy, journal); no
pandas, no plotly, so the form is ready as fast as the kernel. Identifier warnings appear as
the officer types and must be confirmed once ("Save anyway"), never silently ignored.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import ipywidgets as widgets

from .. import i18n
from ..alliance import CHARACTERISTIC_IDS, PHASES, SESSION_CHANNELS
from ..fragments import render, render_kept
from ..i18n import N_, _
from ..journal import RISK_BANDS, JournalError, JournalInvalid
from ..journal.models import DURATION_MAX, NOTE_MAX
from ..privacy import (
    CODE_MAX_LENGTH,
    Finding,
    check_client_code,
    check_free_text,
    client_code_problem,
)
from ..questionnaire import format_score, load
from .common import (
    HeldNotice,
    Status,
    day,
    decimal,
    journal_sentence,
    message_html,
    open_journal_for_page,
    page,
    safe,
)
from .language import href
from .looks import lean
from .questionnaire_widgets import ItemGrid, PartChecks

TITLE = N_("Score a session")
INTRO = N_(
    "Right after a supervision session: choose how much you agree with each statement (1 = "
    "strongly disagree, 5 = strongly agree). It takes about two minutes. Use a client code you "
    "chose yourself, never a name. Everything stays in your private journal on this machine."
)


def findings_html(findings: list[Finding]) -> str:
    if not findings:
        return ""
    return "".join(message_html(f.message, "warn") for f in findings)


def note_length_problem(note: str) -> str | None:
    """The journal refuses a longer note; saying so while typing spares scanning a long text."""
    if len(note) > NOTE_MAX:
        return _("Keep the note to {limit} characters (it has {count}).").format(
            limit=NOTE_MAX, count=decimal(len(note), 0)
        )
    return None


class ScoreForm:
    def __init__(self, journal_path: Path | str | None = None) -> None:
        self.qn = load(lang=i18n.active())
        self.status = Status()
        self.status.add_class("ak-status")
        self._confirmed = False
        held = HeldNotice()
        self.journal = open_journal_for_page(journal_path, held)
        # The journal's notice is on the page only when it has something to say.
        self.notice = held.status("ak-retention-notice")

        self.date = lean(widgets.DatePicker, description=_("Date"), value=dt.date.today())
        self.channel = lean(
            widgets.Dropdown,
            options=[(_(label), cid) for cid, label in SESSION_CHANNELS.items()],
            value="face-to-face",
            description=_("Channel"),
        )
        self.channel.add_class("ak-channel")
        self.phase = lean(
            widgets.Dropdown,
            options=[(_(label), pid) for pid, label in PHASES.items()],
            value="early",
            description=_("Phase"),
        )
        self.code = lean(
            widgets.Text,
            description=_("Client code"),
            placeholder=_("e.g. K-17 (never a name)"),
            continuous_update=False,
        )
        self.code.add_class("ak-client-code")
        self.code_warn = lean(widgets.HTML)
        self.code_warn.add_class("ak-code-warnings")
        self.risk = lean(
            widgets.Dropdown,
            options=[
                (_("Not recorded"), ""),
                *((_(label), rid) for rid, label in RISK_BANDS.items()),
            ],
            value="",
            description=_("Risk band"),
        )
        self.duration = lean(widgets.Text, description=_("Minutes"), placeholder=_("optional"))
        self.duration.add_class("ak-duration")
        scale = ", ".join(f"{p.value} = {p.professional.lower()}" for p in self.qn.points)
        self.items = ItemGrid(
            self.qn, intro=render_kept("score_session_scale.html.j2", scale=scale)
        )
        self.parts = PartChecks(self.qn)
        # The client's paper ratings are a second grid that most sessions never open: it is
        # made when first opened (with the box that holds it), so the form opens with half the
        # widgets.
        self.client_items: ItemGrid | None = None
        self.client_box: widgets.VBox | None = None
        self.client_toggle = lean(
            widgets.ToggleButton,
            value=False,
            description=_("Add the client's ratings from paper"),
            tooltip=_("Type in the answers the client gave on the paper form"),
        )
        self.client_toggle.add_class("ak-paper-toggle")
        self.note = lean(
            widgets.Textarea,
            description=_("Note"),
            placeholder=_("Optional, short. No names, addresses, numbers or dates of birth."),
            continuous_update=False,
            layout={"width": "100%", "height": "70px"},
        )
        self.note.add_class("ak-note")
        self.note_warn = lean(widgets.HTML)
        self.note_warn.add_class("ak-note-warnings")
        self.save = lean(
            widgets.Button, description=_("Save"), button_style="primary", icon="check"
        )
        self.save.add_class("ak-save")
        if self.journal is None:
            self.save.disabled = True

        self.code.observe(self._on_code, names="value")
        self.note.observe(self._on_note, names="value")
        self.client_toggle.observe(self._on_toggle, names="value")
        self.save.on_click(safe(self.status)(self._on_save))

        self.form = lean(
            widgets.VBox,
            children=[
                lean(widgets.HBox, children=[self.date, self.channel, self.phase]),
                lean(widgets.HBox, children=[self.code, self.risk, self.duration]),
                self.code_warn,
                self.items.box,
                self.parts.box,
                self.client_toggle,
                self.note,
                self.note_warn,
                self.save,
                self.status,
            ],
        )
        self.form.add_class("ak-score-form")
        said = [self.notice] if self.notice is not None else []
        self.widget = page(_(TITLE), *said, self.form, intro=_(INTRO))

    # --- callbacks ----------------------------------------------------------------------
    def _on_code(self, change: dict) -> None:
        self._confirmed = False
        self.save.description = _("Save")
        code = change["new"]
        # Past the length cap the code is refused anyway: say so instead of scanning it.
        if len(code.strip()) > CODE_MAX_LENGTH:
            self.code_warn.value = message_html(client_code_problem(code) or "", "warn")
            return
        self.code_warn.value = findings_html(check_client_code(code))

    def _on_note(self, change: dict) -> None:
        self._confirmed = False
        self.save.description = _("Save")
        too_long = note_length_problem(change["new"])
        if too_long:
            self.note_warn.value = message_html(too_long, "warn")
            return
        self.note_warn.value = findings_html(check_free_text(change["new"]))

    def _on_toggle(self, change: dict) -> None:
        if change["new"] and self.client_box is None:
            paper = render_kept("score_session_paper.html.j2", href=href("client_rating.ipynb"))
            self.client_items = ItemGrid(self.qn, client=True, prefix="paper", intro=paper)
            # Shown and hidden with the toggle: a layout of its own, never a shared one.
            self.client_box = self.client_items.box
            self.client_box.layout = widgets.Layout()
            children = list(self.form.children)
            children.insert(children.index(self.client_toggle) + 1, self.client_box)
            self.form.children = children
        if self.client_box is not None:
            self.client_box.layout.display = "flex" if change["new"] else "none"

    def _client_answers(self) -> dict[str, int | None] | None:
        """The client's paper ratings when the officer opened that part and gave any."""
        grid = self.client_items
        if not self.client_toggle.value or grid is None or not grid.touched():
            return None
        return grid.answers()

    def record(self) -> dict:
        rec = {
            "session_date": self.date.value,
            "channel": self.channel.value,
            "phase": self.phase.value,
            "client_code": self.code.value,
            "risk_band": self.risk.value or None,
            "duration_min": self.duration.value.strip() or None,
            "answers": {k: v for k, v in self.items.answers().items() if v is not None},
            "note": self.note.value,
            "questionnaire_version": self.qn.version or 1,
            "parts": self.parts.parts(),
        }
        client = self._client_answers()
        if client is not None:
            rec["client_answers"] = {k: v for k, v in client.items() if v is not None}
            rec["client_source"] = "paper"
        return rec

    def problems(self) -> list[str]:
        out: list[str] = []
        if self.date.value is None:
            out.append(_("Choose the date of the session."))
        elif self.date.value > dt.date.today():
            out.append(
                _("The session date is in the future; choose the day the session took place.")
            )
        why = client_code_problem(self.code.value)
        if why:
            out.append(why)
        duration = self.duration.value.strip()
        # isdecimal, not isdigit: "²" is a digit that int() refuses.
        if duration and not (
            duration.isdecimal() and len(duration) <= 4 and 1 <= int(duration) <= DURATION_MAX
        ):
            out.append(
                _("Minutes should be a whole number from 1 to {most}, or left empty.").format(
                    most=DURATION_MAX
                )
            )
        too_long = note_length_problem(self.note.value)
        if too_long:
            out.append(too_long)
        out += self.qn.answer_problems(self.items.answers())
        client = self._client_answers()
        if client is not None:
            missing = self.qn.answer_problems(client, who="client")
            if missing:
                out.append(_("The client's paper ratings are incomplete: answer every statement."))
        return out

    def _on_save(self, _button: widgets.Button | None = None) -> None:
        if self.journal is None:
            self.status.show(_("The journal cannot be opened, so nothing can be saved."), "error")
            return
        problems = self.problems()
        if problems:
            self.status.value = "".join(message_html(p, "error") for p in problems)
            return
        findings = check_client_code(self.code.value) + check_free_text(self.note.value)
        if findings and not self._confirmed:
            self._confirmed = True
            self.save.description = _("Save anyway")
            self.status.show(
                _(
                    "The client code or the note may identify the client (see the warnings "
                    "above). Edit them, or press 'Save anyway' if you are sure they do not."
                ),
                "warn",
            )
            return
        try:
            session = self.journal.add_session(self.record())
        except JournalInvalid as exc:
            self.status.value = "".join(message_html(p, "error") for p in exc.problems)
            return
        except JournalError as exc:
            self.status.show(journal_sentence(exc), "error")
            return
        scores = self.qn.score(session.answers)
        summary = " · ".join(format_score(cid, scores[cid]) for cid in CHARACTERISTIC_IDS)
        text = _("Saved the session of {date} for {code}.").format(
            date=day(session.session_date, "MMM"), code=session.client_code
        )
        text += f" {summary}."
        if session.client_answers:
            text += " " + _("The client's ratings were saved too.")
        # Saved anyway: the journal's own check is shown too, so nothing is kept unremarked.
        self.status.value = render(
            "score_session_saved.html.j2",
            kind="ok",
            text=text,
            trends=href("my_trends.ipynb"),
            warnings=session.warnings,
        )
        self.reset()

    def reset(self) -> None:
        self.items.reset()
        self.parts.reset()
        if self.client_items is not None:
            self.client_items.reset()
        self.client_toggle.value = False
        self.note.value = ""
        self.code.value = ""
        self.duration.value = ""
        self.risk.value = ""
        self._confirmed = False
        self.save.description = _("Save")
        self.code_warn.value = ""
        self.note_warn.value = ""


def build(journal_path: Path | str | None = None) -> ScoreForm:
    return ScoreForm(journal_path)


def show(journal_path: Path | str | None = None) -> None:
    """The form in the visitor's language; on a shared server, why there is none."""
    from .shared_mode import show_personal_page

    show_personal_page(TITLE, build, journal_path)
