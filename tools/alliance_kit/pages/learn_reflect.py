"""The reflection part of a Learn module page: prompts, the learner's saved answers, Save.

Answers stay in the private store on this machine (``reflections``); on a shared workshop
server nothing personal is stored, so the part only shows the prompts there.
"""

from __future__ import annotations

import sqlite3
from datetime import date

import ipywidgets as widgets

from .. import i18n
from ..fragments import render, render_kept
from ..i18n import _
from ..learn import reflections
from .common import Status, log, safe
from .looks import lean


def saved_on_text(iso_date: str) -> str:
    """The date an answer was saved, written the way the page's language writes dates."""
    if i18n.active() == i18n.SOURCE_LANGUAGE:
        return iso_date
    try:
        return i18n.day(date.fromisoformat(iso_date), "long")
    except ValueError:
        return iso_date


class ReflectionView:
    """Reflection prompts with the learner's latest saved answers, and one Save button (on a
    shared server, the prompts alone: nothing is saved there)."""

    def __init__(self, module: str, prompts: list[tuple[str, str]], status: Status) -> None:
        from ..paths import shared_server

        self.module = module
        self.status = status
        self.shared = shared_server()
        try:
            saved = {} if self.shared else reflections.latest(module)
        except (OSError, sqlite3.Error):
            saved = {}
            status.show(
                _("Your earlier answers could not be read from the kit's data folder."), "warn"
            )
        self.areas: dict[str, widgets.Textarea] = {}
        self.stamps: dict[str, widgets.HTML] = {}
        # Each answer box and its stamp sit in the part's own box, with no box per prompt:
        # every model is one more state for each visitor's browser to fetch at open.
        rows: list[widgets.Widget] = []
        for pid, prompt in prompts:
            area = lean(
                widgets.Textarea,
                value=saved[pid].text if pid in saved else "",
                description=prompt,
                placeholder=_("Your answer (kept on this machine only)"),
                rows=4,
                layout={"width": "100%"},
                style={"description_width": "initial"},
            )
            area.add_class("ak-reflection-answer")
            self.areas[pid] = area
            rows.append(area)
            if not self.shared:  # nothing is saved on a shared server: no stamp to show
                self.stamps[pid] = lean(widgets.HTML, value=self._stamp(saved.get(pid)))
                rows.append(self.stamps[pid])
        self._warned_for: dict[str, str] | None = None
        self.message: Status | None = None
        if self.shared:
            # A workshop server is shared by the room: nothing personal is stored there, so
            # the part has no Save button and no message about saving.
            from .shared_mode import REFLECTIONS_OFF, notice_html

            self.save: widgets.Button | None = None
            note = lean(widgets.HTML, value=notice_html(REFLECTIONS_OFF))
            self.box = lean(widgets.VBox, children=[note, *rows])
        else:
            self.save = lean(
                widgets.Button,
                description=_("Save my answers"),
                icon="save",
                button_style="primary",
            )
            self.save.on_click(safe(status)(self._save))
            self.message = Status()
            note = lean(widgets.HTML, value=render_kept("learn_reflect.html.j2", part="privacy"))
            self.box = lean(widgets.VBox, children=[note, *rows, self.save, self.message])
        self.box.add_class("ak-reflection")

    @staticmethod
    def _stamp(entry: reflections.Reflection | None) -> str:
        if entry is None:  # nothing saved yet: the same for everyone, kept between kernels
            return render_kept("learn_reflect.html.j2", part="stamp", saved_on=None)
        saved_on = saved_on_text(entry.saved_on)
        return render("learn_reflect.html.j2", part="stamp", saved_on=saved_on)

    def _identifier_warning(self) -> str | None:
        """Warn once per set of answers that seems to hold a client identifier; saving again
        unchanged keeps them (the check is a heuristic and must never block on its own)."""
        from ..privacy import check_free_text

        answers = {pid: a.value.strip() for pid, a in self.areas.items()}
        if answers == self._warned_for:
            return None
        findings = [f for text in answers.values() if text for f in check_free_text(text, "answer")]
        if not findings:
            return None
        self._warned_for = answers
        kinds = sorted({f.match.strip() for f in findings})
        return _(
            "An answer seems to hold something that identifies a person ({found}). Reflections "
            "are about your own practice: edit it out, or press Save again to keep the answer "
            "as it is."
        ).format(found=", ".join(repr(k) for k in kinds[:4]))

    def _save(self, _button: widgets.Button) -> None:
        if self.message is None:  # a shared server: nothing is saved there
            return
        # The store refuses a longer answer: say so before scanning it for identifiers.
        longest = max((len(a.value.strip()) for a in self.areas.values()), default=0)
        if longest > reflections.MAX_CHARS:
            self.message.show(
                _(
                    "An answer can be at most {limit} characters; one has {length}. Shorten "
                    "it and save again."
                ).format(limit=i18n.number(reflections.MAX_CHARS), length=i18n.number(longest)),
                "warn",
            )
            return
        warning = self._identifier_warning()
        if warning:
            self.message.show(warning, "warn")
            return
        try:
            saved_before = reflections.latest(self.module)
            changed = 0
            for pid, area in self.areas.items():
                text = area.value.strip()
                if text:
                    if pid in saved_before and saved_before[pid].text == text:
                        continue
                    entry = reflections.save(self.module, pid, text)
                    self.stamps[pid].value = self._stamp(entry)
                    changed += 1
                elif pid in saved_before:
                    reflections.erase(self.module, pid)
                    self.stamps[pid].value = self._stamp(None)
                    changed += 1
        except ValueError as exc:
            self.message.show(str(exc), "warn")
            return
        except (OSError, sqlite3.Error):
            # The error names the file; the page says what happened, the log says where.
            log.exception("reflections could not be saved")
            self.message.show(
                _(
                    "Your answers could not be saved in the kit's data folder. Copy them "
                    "somewhere safe; the details are in the kit's server log."
                ),
                "error",
            )
            return
        if not changed and not any(a.value.strip() for a in self.areas.values()):
            self.message.show(_("Write an answer in at least one box before saving."), "warn")
        elif not changed:
            self.message.show(_("Nothing changed since your last save."), "info")
        else:
            self.message.show(_("Saved on this machine."), "ok")
