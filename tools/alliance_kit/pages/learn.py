"""The Learn pages: one generic module page per characteristic, and the overview.

A module page reads, then checks, then reflects: the text and worked examples come from
``modules/content/learn/texts`` (``modules/content/nl/learn/texts`` on a Dutch page), the
questions from ``.../questions``, answers to the reflection prompts go to the local store.
Content problems show as a warning and the valid parts still load, so a typo in one question
never takes a workshop's page down. The HTML is in the ``learn_*`` fragments.
"""

from __future__ import annotations

import ipywidgets as widgets
from markupsafe import Markup, escape

from .. import i18n
from ..alliance import CHANNELS, CHARACTERISTICS, PHASES, Characteristic, characteristic
from ..content import Problem
from ..fragments import render, render_if_shared, render_kept
from ..i18n import N_, _
from ..learn.model import ModuleText, Question, module_id
from ..learn.quiz import Check, Quiz, load_bank
from ..learn.texts import load_text, overview_markdown
from ..markdown import render_content
from .common import Status, message_html, page, safe
from .language import href
from .learn_reflect import ReflectionView
from .looks import close_widgets, lean

SPEAKERS = {"officer": N_("Officer"), "client": N_("Client")}
LETTERS = "ABCDEF"
TRAINER_HREF = "practice_trainer.ipynb"
OVERVIEW_HREF = "learn_overview.ipynb"


def _sources(cites: tuple[str, ...]) -> tuple:
    """A section's sources written out in full, so a trainee can look each claim up. Not
    cached here: the bibliography is, per file and version, and a cache by ids alone kept
    the sources of whichever content folder was read first."""
    from ..bibliography import references

    return tuple(references(cites))


def direction_html(c: Characteristic) -> Markup:
    """The direction of the scale, loud for Reactance where it is the reverse of the others."""
    from ..fragments import environment

    return Markup(environment().get_template("learn_macros.html.j2").module.direction(c))


def _problems_html(problems: list[Problem] | tuple[Problem, ...], what: str) -> str:
    if not problems:
        return ""
    shown = "; ".join(str(p) for p in problems[:3])
    more = _(" (and {count} more)").format(count=len(problems) - 3) if len(problems) > 3 else ""
    return message_html(
        _(
            "Some {what} could not be loaded and are left out: {shown}{more}. An educator can "
            "run 'alliance-kit check' to see every problem."
        ).format(what=what, shown=shown, more=more),
        "warn",
    )


def _where(channel: str | None, phase: str | None) -> list[str]:
    """Channel and phase names in the page's language, for the line above an example."""
    return [_(name) for name in (CHANNELS.get(channel or ""), PHASES.get(phase or "")) if name]


# --- reading -------------------------------------------------------------------------------------


def _shown(c: Characteristic) -> dict:
    """What the fragments show of a characteristic, in the page's language, as plain data: a
    fragment kept between kernels (``render_kept``) takes nothing else."""
    return {
        "id": c.id,
        "shown_name": c.shown_name,
        "direction_label": c.direction_label,
        "higher_is_better": c.higher_is_better,
    }


def text_html(c: Characteristic, text: ModuleText) -> str:
    """The reading part: content alone, so kept between kernels."""
    sections = [
        (
            {"id": s.id, "heading": s.heading},
            render_content(s.body),
            [{"full": ref.full, "link": ref.link} for ref in _sources(s.cites)],
        )
        for s in text.sections
    ]
    examples = [
        (
            {
                "title": ex.title,
                "dialogue": [{"speaker": ln.speaker, "line": ln.line} for ln in ex.dialogue],
            },
            _where(ex.channel, ex.phase),
            render_content(ex.commentary),
        )
        for ex in text.examples
    ]
    speakers = {key: _(name) for key, name in SPEAKERS.items()}
    return render_kept(
        "learn_text.html.j2",
        c=_shown(c),
        text={"summary": text.summary, "sections": [s for s, _b, _r in sections]},
        sections=sections,
        examples=examples,
        speakers=speakers,
    )


# --- the quiz ------------------------------------------------------------------------------------


def feedback_html(
    check: Check, letters: dict[int, str], following: int | None = None, total: int = 0
) -> str:
    """What the learner sees after Check: their option's feedback first, then every option's,
    then that question ``following`` (of ``total``) is below, as the quiz adds it there: the
    feedback is announced, so a screen reader hears where the quiz goes on."""
    q = check.question
    every = [(letter, q.options[i]) for i, letter in sorted(letters.items(), key=lambda il: il[1])]
    return render(
        "learn_feedback.html.j2",
        check=check,
        best_letter=letters[q.best_index],
        every=every,
        following=following,
        total=total,
    )


def question_body(q: Question) -> str:
    """A question's scene and prompt: content alone, kept between kernels."""
    return render_kept(
        "learn_question.html.j2",
        q={"prompt": q.prompt},
        where=_where(q.channel, q.phase),
        scenario=render_content(q.scenario) if q.scenario else None,
        source=q.source_label,
    )


def question_head(q: Question, number: int, total: int, body: str) -> str:
    """A question's heading and scene. The questions come in a new order for every trainee,
    so the number goes around the kept fragment (``body``, from :func:`question_body`)
    instead of into it (one entry per question, not one per question and place)."""
    heading = _("Question %(number)s of %(total)s") % {"number": number, "total": total}
    return (
        f'<div class="ak-question-head" data-question="{escape(q.id)}">'
        f"<h3>{escape(heading)}</h3>{body}</div>"
    )


class QuizView:
    """The questions of one module, one at a time, each with its own Check button.

    The quiz opens with its first question alone; checking a question locks it, shows its
    feedback and adds the next one below it, so the answered questions stay in view. A room
    of 30 trainees opening the page at once asks the kernel for every widget state at the same
    moment: one question's widgets instead of all of them is most of the page's state.
    Every widget here shares its layout and style (``lean``), and a question's feedback widget
    is made when it is checked."""

    def __init__(self, quiz: Quiz, status: Status) -> None:
        self.quiz = quiz
        self.status = status
        # Every question's scene at open, though one is shown: a kernel keeps them all, so
        # the next kernel, whichever question it draws first, neither imports nor renders
        # Markdown, and a Check shows the next question without rendering anything.
        self.bodies = {q.id: question_body(q) for q in quiz.questions}
        #: The questions shown, in the quiz's own box above the score (no box of their own).
        self.questions: list[widgets.VBox] = []
        self.score = lean(widgets.HTML)
        self.score.add_class("ak-score")
        #: Made with the first answer: before it there is nothing to start over from.
        self.again: widgets.Button | None = None
        self.box = lean(widgets.VBox)
        self.box.add_class("ak-quiz")
        self.render()

    def _lay_out(self) -> None:
        again = [self.again] if self.again is not None else []
        self.box.children = [*self.questions, self.score, *again]

    def render(self) -> None:
        """Start at the first question of the current order, closing whatever was shown."""
        old, self.questions = self.questions, [self._question_box(1)]
        self._lay_out()
        for box in old:  # the browser no longer shows them: do not send them again
            close_widgets(box)
        self._update_score()

    def _update_score(self) -> None:
        score = self.quiz.score()
        shown = {
            "correct": score.correct,
            "answered": score.answered,
            "total": score.total,
            "finished": score.finished,
        }
        # Before the first answer the line is the same for everyone (kept between kernels);
        # after it, it is the trainee's own score.
        self.score.value = render_if_shared(not score.answered, "learn_score.html.j2", score=shown)

    def _show_try_again(self) -> None:
        if self.again is not None:
            return
        self.again = lean(
            widgets.Button,
            description=_("Try again"),
            icon="refresh",
            tooltip=_("Start over in a new order"),
        )
        self.again.on_click(safe(self.status)(self._try_again))
        self._lay_out()

    def _question_box(self, number: int) -> widgets.VBox:
        """Question ``number`` (from 1) of the current order, open for an answer."""
        q = self.quiz.order[number - 1]
        total = len(self.quiz.order)
        presented = self.quiz.presented(q.id)
        letters = {index: LETTERS[pos] for pos, (index, _o) in enumerate(presented)}
        head = lean(widgets.HTML, value=question_head(q, number, total, self.bodies[q.id]))
        choice = lean(
            widgets.RadioButtons,
            options=[(f"{letters[i]}. {o.text}", i) for i, o in presented],
            value=None,
            description=_("Answer"),
            layout={"width": "100%"},
        )
        check = lean(widgets.Button, description=_("Check"), button_style="primary")
        box = lean(widgets.VBox, children=[head, choice, check])
        feedback: list[widgets.HTML] = []

        def say(html: str) -> None:
            """The feedback widget is made the first time there is something to say."""
            if not feedback:
                feedback.append(lean(widgets.HTML))
                box.children = [*box.children, feedback[0]]
            feedback[0].value = html

        @safe(self.status)
        def on_check(_button: widgets.Button) -> None:
            if choice.value is None:
                say(message_html(_("Choose an option first, then press Check."), "warn"))
                return
            result = self.quiz.check(q.id, choice.value)
            choice.disabled = True
            check.disabled = True
            following = number + 1 if number < total else None
            say(feedback_html(result, letters, following, total))
            if following is not None:
                # Below the feedback, so the Tab key goes on from Check to the new options.
                self.questions.append(self._question_box(following))
                self._lay_out()
            self._update_score()
            self._show_try_again()

        check.on_click(on_check)
        box.add_class("ak-question")
        box.add_class(f"ak-question-{q.id}")
        return box

    def _try_again(self, _button: widgets.Button) -> None:
        self.quiz.try_again()
        self.render()
        self.status.show(_("Started over: the questions and options are in a new order."), "info")


# --- pages ---------------------------------------------------------------------------------------


def build(cid: str, *, quiz: Quiz | None = None) -> widgets.VBox:
    """The module page of one characteristic (``quiz`` lets a test fix the question order)."""
    lang = i18n.active()
    c = characteristic(cid)
    status = Status()
    children: list[widgets.Widget] = [status]
    text, text_problems = load_text(cid, lang)
    if text is None:
        reading = _problems_html(text_problems, _("parts of the module text"))
    else:
        reading = text_html(c, text)

    bank = load_bank(lang=lang)
    questions = bank.for_characteristic(cid)
    own = [
        p
        for p in bank.problems
        if p.file.endswith(f"{cid}.yaml") or (p.item is None and not p.file.endswith(".yaml"))
    ]
    problems = Markup(_problems_html(own, _("questions")))
    head = render_kept("learn_quiz_head.html.j2", c=_shown(c), problems=problems)
    # The reading and the quiz's heading never change: one widget, one state to fetch.
    children.append(lean(widgets.HTML, value=f"{reading}{head}"))
    if questions:
        view = QuizView(quiz or Quiz(questions), status)
        children.append(view.box)
    else:
        children.append(
            lean(widgets.HTML, value=message_html(_("No questions are available yet."), "info"))
        )

    children.append(lean(widgets.HTML, value=render_kept("learn_reflect.html.j2", part="head")))
    if text is not None:
        prompts = [(p.id, p.prompt) for p in text.prompts]
        children.append(ReflectionView(module_id(cid), prompts, status).box)
    children.append(
        lean(
            widgets.HTML,
            value=render_kept(
                "learn_next.html.j2",
                overview=False,
                trainer=href(TRAINER_HREF),
                back=href(OVERVIEW_HREF),
            ),
        )
    )
    intro = c.shown_one_line
    if lang == i18n.SOURCE_LANGUAGE:
        intro = f"{intro} (Dutch: {c.dutch}.)"
    box = page(c.shown_name, *children, intro=intro)
    box.add_class("ak-learn")
    return box


def show(cid: str) -> None:
    from .language import show as show_in_language

    show_in_language(lambda: build(cid))


def overview_html() -> str:
    lang = i18n.active()
    intro = overview_markdown(lang)
    if intro is None:
        shown = Markup(message_html(_("The overview text is missing from this kit."), "warn"))
    else:
        shown = render_content(intro)
    cards = []
    for c in CHARACTERISTICS:
        text, _problems = load_text(c.id, lang)
        summary = text.summary if text else c.shown_one_line
        cards.append((c, href(f"{module_id(c.id)}.ipynb"), summary))
    after = Markup(render("learn_next.html.j2", overview=True, trainer=href(TRAINER_HREF)))
    return render("learn_overview.html.j2", intro=shown, cards=cards, next=after)


def build_overview() -> widgets.VBox:
    box = page(
        _("The working alliance in a mandated setting"),
        widgets.HTML(overview_html()),
        intro=_("Four characteristics, two sides, one conversation about how it is going."),
    )
    box.add_class("ak-learn")
    return box


def show_overview() -> None:
    from .language import show as show_in_language

    show_in_language(build_overview)
