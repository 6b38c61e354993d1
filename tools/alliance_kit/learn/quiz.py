"""Questions for the Learn modules: loading with checks, answering, scoring and reshuffling.

A question is only useful for learning if it has one defensible best answer and says why every
other option falls short, so both are checked at load time, not left to the author's care.
Pure Python: no widgets, so the page, the tests and ``alliance-kit check`` share the rules.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..content import Problem, display_path
from ..i18n import _
from ..paths import SOURCE_LANGUAGE
from .model import Option, Question, QuestionFile, learn_dir, read_listed


@dataclass(frozen=True)
class QuestionBank:
    questions: tuple[Question, ...]
    problems: tuple[Problem, ...]

    def for_characteristic(self, cid: str) -> list[Question]:
        return [q for q in self.questions if q.characteristic == cid]


def parse_file(
    path: Path, seen_ids: set[str] | None = None
) -> tuple[list[Question], list[Problem]]:
    """The usable questions of one file and the problems of the rest."""
    questions, problems = read_listed(path, QuestionFile, "questions", Question, seen_ids)
    where = display_path(path)
    for question in questions:
        problems.extend(verdict_problems(question, where))
    return questions, problems


#: An option's feedback that opens with its own verdict. The page puts "Correct." or "Not the
#: best answer." before the feedback, and shows the best option's feedback after a wrong
#: choice, so a verdict in the text reads "Correct. Correct." or "Not the best answer…
#: Correct." "No single score…" is an explanation, not a verdict, and passes.
VERDICT = re.compile(
    r"^\W*(?:(?:in)?correct\b|wrong\b|(?:right|yes|no|exactly|indeed|true|false|not quite|"
    r"not the best(?: answer)?|well done|good(?: choice)?|spot on"
    # The same verdicts in the Dutch content.
    r"|(?:on)?juist|fout|klopt|ja|nee|inderdaad|precies|waar|onwaar|niet helemaal|"
    r"niet het beste(?: antwoord)?|goed(?: gedaan| gekozen)?)\s*[.!,:;])",
    re.IGNORECASE,
)


def verdict_problems(question: Question, where: str) -> list[Problem]:
    """A problem for each option whose feedback carries a verdict; the question still loads."""
    return [
        Problem(
            where,
            _(
                "option %(number)s's feedback starts with a verdict (%(verdict)r); the page says "
                "whether the answer is best, so the feedback should only explain why"
            )
            % {"number": n, "verdict": match.group(0).strip()},
            question.id,
            f"options[{n}].feedback",
        )
        for n, option in enumerate(question.options, start=1)
        if (match := VERDICT.match(option.feedback))
    ]


def read_bank(directory: Path) -> QuestionBank:
    """Every question file in ``directory`` (not cached: ``alliance-kit check`` and tests)."""
    questions: list[Question] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    files = sorted(directory.glob("*.yaml")) if directory.is_dir() else []
    if not files:
        problems.append(Problem(display_path(directory), _("holds no question files (*.yaml)")))
    for path in files:
        good, bad = parse_file(path, seen)
        questions.extend(good)
        problems.extend(bad)
    return QuestionBank(tuple(questions), tuple(problems))


@lru_cache(maxsize=4)
def _cached_bank(directory: str) -> QuestionBank:
    return read_bank(Path(directory))


def load_bank(directory: Path | None = None, lang: str = SOURCE_LANGUAGE) -> QuestionBank:
    """The question bank, parsed once per process (every page's kernel loads it at start)."""
    return _cached_bank(str(directory or learn_dir(lang) / "questions"))


# --- answering --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """The outcome of checking one answer: what to tell the learner."""

    question: Question
    chosen: int
    correct: bool

    @property
    def feedback(self) -> str:
        return self.question.options[self.chosen].feedback

    @property
    def best(self) -> Option:
        return self.question.options[self.question.best_index]


@dataclass(frozen=True)
class Score:
    correct: int
    answered: int
    total: int

    @property
    def finished(self) -> bool:
        return self.answered == self.total

    def text(self) -> str:
        if self.finished:
            return f"Your score: {self.correct} of {self.total} correct."
        return f"Answered {self.answered} of {self.total} · {self.correct} correct so far."


@dataclass
class Quiz:
    """One learner's attempt at a set of questions.

    Each question counts once (its first check), so trying option after option cannot inflate
    the score; ``try_again`` starts over in a new order, so a second attempt tests the
    understanding rather than the memory of "it was the third one".
    """

    questions: list[Question]
    rng: random.Random = field(default_factory=random.Random)
    order: list[Question] = field(init=False)
    option_orders: dict[str, list[int]] = field(init=False)
    checks: dict[str, Check] = field(init=False)

    def __post_init__(self) -> None:
        ids = [q.id for q in self.questions]
        if len(set(ids)) != len(ids):
            raise ValueError("question ids must be unique within a quiz")
        self.questions = list(self.questions)
        self.try_again()

    @classmethod
    def seeded(cls, questions: list[Question], seed: int | None = None) -> Quiz:
        return cls(questions, random.Random(seed))

    def try_again(self) -> None:
        """Forget every answer and reshuffle questions and options."""
        self.order = list(self.questions)
        self.rng.shuffle(self.order)
        self.option_orders = {}
        for q in self.order:
            indices = list(range(len(q.options)))
            self.rng.shuffle(indices)
            self.option_orders[q.id] = indices
        self.checks = {}

    def question(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(f"no question {qid!r} in this quiz")

    def presented(self, qid: str) -> list[tuple[int, Option]]:
        """The options of a question in the order shown, each with its index in the file."""
        q = self.question(qid)
        return [(i, q.options[i]) for i in self.option_orders[qid]]

    def check(self, qid: str, chosen: int) -> Check:
        q = self.question(qid)
        if qid in self.checks:
            raise ValueError("this question is already answered; use 'try again' to start over")
        if not 0 <= chosen < len(q.options):
            raise ValueError(f"option {chosen} does not exist in question {qid!r}")
        result = Check(q, chosen, chosen == q.best_index)
        self.checks[qid] = result
        return result

    def score(self) -> Score:
        correct = sum(1 for c in self.checks.values() if c.correct)
        return Score(correct, len(self.checks), len(self.questions))
