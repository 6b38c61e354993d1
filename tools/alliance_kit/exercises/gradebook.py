"""What a group got right and wrong, read from nbgrader's gradebook through its API.

nbgrader's formgrader shows one student or one submission at a time and ``nbgrader export``
gives one total per student and assignment. An educator preparing the next workshop wants the
other view: per question, how were the scores spread, which questions did most students miss,
and which characteristic of the working alliance those questions practise (from
``exercises/question_tags.yaml``). The gradebook is opened read-only, so looking never changes
the grades.
"""

from __future__ import annotations

import csv
import io
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from ..alliance import CHARACTERISTIC_NAMES
from ..paths import sqlalchemy_sqlite_url, sqlite_uri

GRADEBOOK_ENV = "ALLIANCE_KIT_GRADEBOOK"


class GradebookError(Exception):
    """The gradebook file exists but cannot be read; the message says why in plain words."""


def gradebook_path() -> Path:
    """``ALLIANCE_KIT_GRADEBOOK`` if set, else ``gradebook.db`` of the kit's course."""
    override = os.environ.get(GRADEBOOK_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    from ..paths import exercises_dir

    return exercises_dir() / "gradebook.db"


@dataclass
class QuestionStats:
    assignment: str
    notebook: str
    question: str
    max_score: float
    autograded: bool
    characteristics: list[str] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    waiting: int = 0  # manually graded answers nobody has graded yet

    @property
    def graded(self) -> int:
        return len(self.scores)

    @property
    def mean_fraction(self) -> float | None:
        if not self.scores or not self.max_score:
            return None
        return sum(self.scores) / (len(self.scores) * self.max_score)

    @property
    def missed(self) -> int:
        """Students who did not get full points for this question."""
        return sum(1 for s in self.scores if s < self.max_score - 1e-9)

    @property
    def missed_share(self) -> float | None:
        return self.missed / len(self.scores) if self.scores else None

    @property
    def characteristic_names(self) -> str:
        return ", ".join(CHARACTERISTIC_NAMES.get(c, c) for c in self.characteristics) or "-"


@dataclass
class AssignmentStats:
    name: str
    max_score: float
    totals: dict[str, float] = field(default_factory=dict)  # student -> total score
    questions: list[QuestionStats] = field(default_factory=list)
    waiting: int = 0

    @property
    def mean_total(self) -> float | None:
        return sum(self.totals.values()) / len(self.totals) if self.totals else None


@dataclass
class Overview:
    path: Path
    course_id: str
    students: int
    assignments: list[AssignmentStats]

    def most_missed(self, n: int = 5) -> list[QuestionStats]:
        """Questions the most students lost points on (then the lowest mean), graded ones only.

        Ranked by the number of students, not the share: one empty submission on a question
        nobody else has been graded on yet must not top the list.
        """
        graded = [q for a in self.assignments for q in a.questions if q.scores]
        ranked = sorted(graded, key=lambda q: (-q.missed, q.mean_fraction or 0.0, q.question))
        return [q for q in ranked if q.missed][:n]


def _course_id(path: Path) -> str:
    try:
        with sqlite3.connect(sqlite_uri(path, mode="ro"), uri=True) as con:
            rows = [r[0] for r in con.execute("SELECT id FROM course ORDER BY id")]
    except sqlite3.Error as exc:
        raise GradebookError(
            f"{path.name} is not an nbgrader gradebook, or it is damaged ({exc})."
        ) from None
    if not rows:
        raise GradebookError(f"{path.name} has no course in it yet.")
    return "alliance-kit" if "alliance-kit" in rows else rows[0]


def read_overview(path: Path | None = None, tags: dict | None = None) -> Overview:
    """Read the gradebook at ``path`` (read-only). Raises FileNotFoundError or GradebookError."""
    from nbgrader.api import Gradebook

    path = Path(path or gradebook_path())
    if not path.is_file():
        raise FileNotFoundError(str(path))
    if tags is None:
        from .course import question_tags

        tags = question_tags(path.parent) or _kit_tags()
    course_id = _course_id(path)
    url = sqlalchemy_sqlite_url(path, mode="ro")
    assignments: list[AssignmentStats] = []
    students: set[str] = set()
    try:
        with Gradebook(url, course_id=course_id) as gb:
            for assignment in sorted(gb.assignments, key=lambda a: a.name):
                stats = _assignment_stats(assignment, tags.get(assignment.name, {}), students)
                assignments.append(stats)
    except GradebookError:
        raise
    except Exception as exc:  # sqlalchemy errors: a locked, damaged or foreign file
        raise GradebookError(
            f"{path.name} could not be read as an nbgrader gradebook ({exc})."
        ) from None
    return Overview(path, course_id, len(students), assignments)


def _kit_tags() -> dict:
    from ..paths import exercises_dir
    from .course import question_tags

    return question_tags(exercises_dir())


def _assignment_stats(
    assignment,  # noqa: ANN001 - nbgrader.api.Assignment, imported lazily
    tags: dict[str, list[str]],
    students: set[str],
) -> AssignmentStats:
    questions: dict[tuple[str, str], QuestionStats] = {}
    for notebook in sorted(assignment.notebooks, key=lambda n: n.name):
        for cell in sorted(notebook.grade_cells, key=lambda c: c.id):
            questions[(notebook.name, cell.name)] = QuestionStats(
                assignment.name,
                notebook.name,
                cell.name,
                float(cell.max_score),
                cell.cell_type == "code",
                list(tags.get(cell.name, [])),
            )
    # keep the order of the questions in the notebook (grade cells carry no position)
    order = list(tags)
    ordered = sorted(
        questions.values(),
        key=lambda q: (q.notebook, order.index(q.question) if q.question in order else 999),
    )
    stats = AssignmentStats(assignment.name, float(assignment.max_score), questions=ordered)
    for submission in assignment.submissions:
        students.add(submission.student_id)
        total = 0.0
        for nb in submission.notebooks:
            for grade in nb.grades:
                q = questions.get((nb.name, grade.name))
                score = float(grade.score or 0.0)
                total += score
                if q is None:
                    continue
                if grade.needs_manual_grade and grade.manual_score is None:
                    q.waiting += 1
                    stats.waiting += 1
                else:
                    q.scores.append(score)
        stats.totals[submission.student_id] = total
    return stats


CSV_FIELDS = [
    "assignment",
    "notebook",
    "question",
    "characteristics",
    "kind",
    "max_points",
    "graded",
    "waiting_for_grading",
    "mean_points",
    "mean_percent",
    "missed",
    "missed_percent",
]


def question_rows(overview: Overview) -> list[dict[str, object]]:
    rows = []
    for a in overview.assignments:
        for q in a.questions:
            mean = q.mean_fraction
            rows.append(
                {
                    "assignment": q.assignment,
                    "notebook": q.notebook,
                    "question": q.question,
                    "characteristics": " ".join(q.characteristics),
                    "kind": "autograded" if q.autograded else "manual",
                    "max_points": f"{q.max_score:g}",
                    "graded": q.graded,
                    "waiting_for_grading": q.waiting,
                    "mean_points": "" if mean is None else f"{mean * q.max_score:.2f}",
                    "mean_percent": "" if mean is None else f"{mean * 100:.0f}",
                    "missed": q.missed,
                    "missed_percent": ""
                    if q.missed_share is None
                    else f"{q.missed_share * 100:.0f}",
                }
            )
    return rows


def questions_csv(overview: Overview) -> str:
    """Per-question summary as CSV text (no student ids: safe to share with colleagues)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(question_rows(overview))
    return buffer.getvalue()
