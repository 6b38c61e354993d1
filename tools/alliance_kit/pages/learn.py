"""The Learn pages: one generic module page per characteristic, and the overview.

A module page reads, then checks, then reflects: the text and worked examples come from
``modules/content/learn/texts``, the questions from ``.../questions``, answers to the
reflection prompts go to the local store. Content problems show as a warning and the valid
parts still load, so a typo in one question never takes a workshop's page down.
"""

from __future__ import annotations

import sqlite3
from functools import lru_cache
from html import escape

import ipywidgets as widgets

from ..alliance import CHANNELS, CHARACTERISTICS, PHASES, Characteristic, characteristic
from ..content import Problem
from ..learn import reflections
from ..learn.model import ModuleText, Question, module_id
from ..learn.quiz import Check, Quiz, load_bank
from ..learn.texts import load_text, overview_markdown
from .common import Status, log, message_html, page, safe

SPEAKERS = {"officer": "Officer", "client": "Client"}
LETTERS = "ABCDEF"
PRIVACY_NOTE = (
    "Your answers are kept only on this machine, in the kit's data folder, with the module name "
    "and the date. Nothing is sent anywhere. Write about your own practice; never write a "
    "client's name or anything else that identifies someone."
)


@lru_cache(maxsize=1)
def _sources_html(cites: tuple[str, ...]) -> str:
    """A section's sources written out in full, so a trainee can look each claim up."""
    from ..bibliography import references

    items = "".join(
        f"<li>{escape(ref.full)}"
        + (
            f' <a href="{escape(ref.link)}" rel="noopener" target="_blank">link</a>'
            if ref.link
            else ""
        )
        + "</li>"
        for ref in references(cites)
    )
    return f'<h3>Sources</h3><ul class="ak-sources">{items}</ul>' if items else ""


def _md():  # -> MarkdownIt
    from markdown_it import MarkdownIt

    # html=False: raw HTML in a content file is shown as text, never injected into the page.
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def markdown(text: str) -> str:
    return _md().render(text)


def direction_html(c: Characteristic) -> str:
    """The direction of the scale, loud for Reactance where it is the reverse of the others."""
    kind = "ak-direction-reverse" if not c.higher_is_better else ""
    return (
        f'<p class="ak-direction {kind}"><span class="ak-chip ak-chip-{c.id}">'
        f"{escape(c.name)}</span> {escape(c.direction_label)}</p>"
    )


def _problems_html(problems: list[Problem] | tuple[Problem, ...], what: str) -> str:
    if not problems:
        return ""
    shown = "; ".join(str(p) for p in problems[:3])
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    return message_html(
        f"Some {what} could not be loaded and are left out: {shown}{more}. "
        "An educator can run 'alliance-kit check' to see every problem.",
        "warn",
    )


# --- reading -------------------------------------------------------------------------------------


def _meta(channel: str | None, phase: str | None) -> str:
    parts = [CHANNELS[channel] if channel else "", PHASES[phase] if phase else ""]
    text = " · ".join(p for p in parts if p)
    return f'<p class="ak-meta">{escape(text)}</p>' if text else ""


def text_html(c: Characteristic, text: ModuleText) -> str:
    toc = "".join(
        f'<li><a href="#ak-sec-{escape(s.id)}">{escape(s.heading)}</a></li>' for s in text.sections
    )
    toc += '<li><a href="#ak-sec-examples">Worked examples</a></li>'
    toc += '<li><a href="#ak-sec-quiz">Check your understanding</a></li>'
    toc += '<li><a href="#ak-sec-reflect">Reflect</a></li>'
    parts = [
        f'<div class="ak-learn-text" data-characteristic="{escape(c.id)}">',
        f'<p class="ak-summary">{escape(text.summary)}</p>',
        direction_html(c),
        f'<nav class="ak-toc" aria-label="On this page"><ol>{toc}</ol></nav>',
    ]
    for s in text.sections:
        parts.append(
            f'<section class="ak-learn-section" id="ak-sec-{escape(s.id)}">'
            f"<h2>{escape(s.heading)}</h2>{markdown(s.body)}{_sources_html(s.cites)}</section>"
        )
    parts.append('<section class="ak-learn-section" id="ak-sec-examples"><h2>Worked examples</h2>')
    for ex in text.examples:
        lines = "".join(
            f'<div class="ak-line ak-line-{escape(ln.speaker)}"><span class="ak-speaker">'
            f"{escape(SPEAKERS[ln.speaker])}</span> <q>{escape(ln.line)}</q></div>"
            for ln in ex.dialogue
        )
        parts.append(
            f'<article class="ak-example"><h3>{escape(ex.title)}</h3>{_meta(ex.channel, ex.phase)}'
            f'<div class="ak-dialogue">{lines}</div>'
            f'<div class="ak-commentary"><p class="ak-commentary-label">Commentary</p>'
            f"{markdown(ex.commentary)}</div></article>"
        )
    parts.append("</section></div>")
    return "".join(parts)


# --- the quiz ------------------------------------------------------------------------------------


def feedback_html(check: Check, letters: dict[int, str]) -> str:
    """What the learner sees after Check: their option's feedback first, then every option's."""
    q = check.question
    if check.correct:
        head = f"<p><strong>Correct.</strong> {escape(check.feedback)}</p>"
        kind = "ak-feedback-correct"
    else:
        best = q.best_index
        head = (
            f"<p><strong>Not the best answer.</strong> {escape(check.feedback)}</p>"
            f'<p class="ak-best">The best answer is {letters[best]}: '
            f"<em>{escape(q.options[best].text)}</em><br>{escape(q.options[best].feedback)}</p>"
        )
        kind = "ak-feedback-wrong"
    every = "".join(
        f"<li><strong>{letter}</strong>{' (best)' if q.options[i].best else ''}: "
        f"{escape(q.options[i].feedback)}</li>"
        for i, letter in sorted(letters.items(), key=lambda il: il[1])
    )
    return (
        f'<div class="ak-feedback {kind}" role="status">{head}'
        f"<details><summary>Why each option</summary><ul>{every}</ul></details></div>"
    )


class QuizView:
    """The questions of one module, stacked, each with its own Check button."""

    def __init__(self, quiz: Quiz, status: Status) -> None:
        self.quiz = quiz
        self.status = status
        self.questions_box = widgets.VBox()
        self.score = widgets.HTML()
        self.score.add_class("ak-score")
        self.again = widgets.Button(
            description="Try again", icon="refresh", tooltip="Start over in a new order"
        )
        self.again.on_click(safe(status)(self._try_again))
        self.box = widgets.VBox([self.questions_box, self.score, self.again])
        self.box.add_class("ak-quiz")
        self.render()

    def render(self) -> None:
        self.questions_box.children = [
            self._question_box(n, q) for n, q in enumerate(self.quiz.order, start=1)
        ]
        self._update_score()

    def _update_score(self) -> None:
        score = self.quiz.score()
        final = " ak-score-final" if score.finished else ""
        self.score.value = (
            f'<p class="ak-score-text{final}" role="status">{escape(score.text())}</p>'
        )

    def _question_box(self, number: int, q: Question) -> widgets.VBox:
        presented = self.quiz.presented(q.id)
        letters = {index: LETTERS[pos] for pos, (index, _) in enumerate(presented)}
        scenario = f'<div class="ak-scenario">{markdown(q.scenario)}</div>' if q.scenario else ""
        cited = q.source_label
        source = f'<p class="ak-source">Source: {escape(cited)}</p>' if cited else ""
        head = widgets.HTML(
            f'<div class="ak-question-head" data-question="{escape(q.id)}">'
            f"<h3>Question {number} of {len(self.quiz.order)}</h3>"
            f"{_meta(q.channel, q.phase)}{scenario}"
            f'<p class="ak-prompt">{escape(q.prompt)}</p>{source}</div>'
        )
        choice = widgets.RadioButtons(
            options=[(f"{letters[i]}. {o.text}", i) for i, o in presented],
            value=None,
            description="Answer",
            layout=widgets.Layout(width="100%"),
        )
        check = widgets.Button(description="Check", button_style="primary")
        feedback = widgets.HTML()

        @safe(self.status)
        def on_check(_: widgets.Button) -> None:
            if choice.value is None:
                feedback.value = message_html("Choose an option first, then press Check.", "warn")
                return
            result = self.quiz.check(q.id, choice.value)
            choice.disabled = True
            check.disabled = True
            feedback.value = feedback_html(result, letters)
            self._update_score()

        check.on_click(on_check)
        box = widgets.VBox([head, choice, check, feedback])
        box.add_class("ak-question")
        box.add_class(f"ak-question-{q.id}")
        return box

    def _try_again(self, _: widgets.Button) -> None:
        self.quiz.try_again()
        self.render()
        self.status.show("Started over: the questions and options are in a new order.", "info")


# --- reflection ----------------------------------------------------------------------------------


class ReflectionView:
    """Reflection prompts with the learner's latest saved answers, and one Save button."""

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
                "Your earlier answers could not be read from the kit's data folder.", "warn"
            )
        self.areas: dict[str, widgets.Textarea] = {}
        self.stamps: dict[str, widgets.HTML] = {}
        rows: list[widgets.Widget] = []
        for pid, prompt in prompts:
            area = widgets.Textarea(
                value=saved[pid].text if pid in saved else "",
                description=prompt,
                placeholder="Your answer (kept on this machine only)",
                rows=4,
                layout=widgets.Layout(width="100%"),
                style={"description_width": "initial"},
            )
            area.add_class("ak-reflection-answer")
            stamp = widgets.HTML(self._stamp(saved.get(pid)))
            self.areas[pid], self.stamps[pid] = area, stamp
            rows.append(widgets.VBox([area, stamp]))
        self.save = widgets.Button(
            description="Save my answers", icon="save", button_style="primary"
        )
        self.save.on_click(safe(status)(self._save))
        self.message = Status()
        self._warned_for: dict[str, str] | None = None
        if self.shared:
            # A workshop server is shared by the room: nothing personal is stored there.
            from .shared_mode import REFLECTIONS_OFF, notice_html

            self.save.layout.display = "none"
            for stamp in self.stamps.values():
                stamp.value = ""
            note = widgets.HTML(notice_html(REFLECTIONS_OFF))
        else:
            note = widgets.HTML(f'<p class="ak-privacy">{escape(PRIVACY_NOTE)}</p>')
        self.box = widgets.VBox([note, *rows, self.save, self.message])
        self.box.add_class("ak-reflection")

    @staticmethod
    def _stamp(entry: reflections.Reflection | None) -> str:
        if entry is None:
            return '<p class="ak-saved-on">Not saved yet.</p>'
        return f'<p class="ak-saved-on">Saved on {escape(entry.saved_on)}</p>'

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
        return (
            "An answer seems to hold something that identifies a person ("
            + ", ".join(repr(k) for k in kinds[:4])
            + "). Reflections are about your own practice: edit it out, or press Save again "
            "to keep the answer as it is."
        )

    def _save(self, _: widgets.Button) -> None:
        if self.shared:
            return
        # The store refuses a longer answer: say so before scanning it for identifiers.
        longest = max((len(a.value.strip()) for a in self.areas.values()), default=0)
        if longest > reflections.MAX_CHARS:
            self.message.show(
                f"An answer can be at most {reflections.MAX_CHARS:,} characters; one has "
                f"{longest:,}. Shorten it and save again.",
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
                "Your answers could not be saved in the kit's data folder. Copy them "
                "somewhere safe; the details are in the kit's server log.",
                "error",
            )
            return
        if not changed and not any(a.value.strip() for a in self.areas.values()):
            self.message.show("Write an answer in at least one box before saving.", "warn")
        elif not changed:
            self.message.show("Nothing changed since your last save.", "info")
        else:
            self.message.show("Saved on this machine.", "ok")


# --- pages ---------------------------------------------------------------------------------------


def build(cid: str, *, quiz: Quiz | None = None) -> widgets.VBox:
    """The module page of one characteristic (``quiz`` lets a test fix the question order)."""
    c = characteristic(cid)
    status = Status()
    children: list[widgets.Widget] = [status]
    text, text_problems = load_text(cid)
    if text is None:
        children.append(widgets.HTML(_problems_html(text_problems, "parts of the module text")))
    else:
        children.append(widgets.HTML(text_html(c, text)))

    bank = load_bank()
    questions = bank.for_characteristic(cid)
    own = [
        p
        for p in bank.problems
        if p.file.endswith(f"{cid}.yaml") or (p.item is None and not p.file.endswith(".yaml"))
    ]
    quiz_head = (
        '<section id="ak-sec-quiz"><h2>Check your understanding</h2>'
        "<p>Choose an answer and press Check. Each question counts once; "
        "Try again starts over in a new order.</p></section>"
    )
    if not c.higher_is_better:
        quiz_head += direction_html(c)
    children.append(widgets.HTML(quiz_head + _problems_html(own, "questions")))
    if questions:
        view = QuizView(quiz or Quiz(questions), status)
        children.append(view.box)
    else:
        children.append(widgets.HTML(message_html("No questions are available yet.", "info")))

    children.append(widgets.HTML('<section id="ak-sec-reflect"><h2>Reflect</h2></section>'))
    if text is not None:
        prompts = [(p.id, p.prompt) for p in text.prompts]
        children.append(ReflectionView(module_id(cid), prompts, status).box)
    children.append(
        widgets.HTML(
            '<p class="ak-next">Next: <a href="practice_trainer.ipynb">practise recognising the '
            'four characteristics</a> or go back to <a href="learn_overview.ipynb">the overview'
            "</a>.</p>"
        )
    )
    box = page(c.name, *children, intro=f"{c.one_line} (Dutch: {c.dutch}.)")
    box.add_class("ak-learn")
    return box


def show(cid: str) -> None:
    from IPython.display import display

    display(build(cid))


def overview_html() -> str:
    intro = overview_markdown()
    parts = ['<div class="ak-learn-overview">']
    if intro is None:
        parts.append(message_html("The overview text is missing from this kit.", "warn"))
    else:
        parts.append(markdown(intro))
    parts.append('<ul class="ak-cards">')
    for c in CHARACTERISTICS:
        text, _ = load_text(c.id)
        summary = text.summary if text else c.one_line
        parts.append(
            f'<li class="ak-card ak-characteristic-card" data-characteristic="{escape(c.id)}">'
            f'<a href="{escape(module_id(c.id))}.ipynb">{escape(c.name)}</a>'
            f'<p class="ak-dutch">({escape(c.dutch)})</p><p>{escape(summary)}</p>'
            f"{direction_html(c)}</li>"
        )
    parts.append("</ul>")
    parts.append(
        '<p class="ak-next">Then practise: <a href="practice_trainer.ipynb">which characteristic '
        "is this?</a> shows lines from sessions on every channel.</p></div>"
    )
    return "".join(parts)


def build_overview() -> widgets.VBox:
    box = page(
        "The working alliance in a mandated setting",
        widgets.HTML(overview_html()),
        intro="Four characteristics, two sides, one conversation about how it is going.",
    )
    box.add_class("ak-learn")
    return box


def show_overview() -> None:
    from IPython.display import display

    display(build_overview())
