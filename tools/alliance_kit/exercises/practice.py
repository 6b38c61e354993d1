"""Practice submissions for a dry run of the grading workflow, before real students submit.

An educator who tries autograding, formgrader and feedback for the first time on real work is
learning the tool on students' time. This writes a realistic class into ``submitted/``: some
students all correct, some partly wrong in the ways students get it wrong (the wrong answers
in ``practice_answers.yaml``), and some who handed in the notebook untouched. Each is built
from the *released* notebook, exactly what students receive.
"""

from __future__ import annotations

import contextlib
import random
import re
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ..paths import sqlalchemy_sqlite_url
from .course import (
    TEXT_STUB,
    is_answer,
    nbgrader_meta,
    read_yaml_map,
    solution_text,
    source_notebooks,
)

KINDS = ("correct", "partly-wrong", "empty")
#: A class is mostly made of students who did the work, some with mistakes, a few who did not.
MIX = {"correct": 0.45, "partly-wrong": 0.4, "empty": 0.15}


class PracticeError(Exception):
    """A problem the educator can fix; the message says how."""


@dataclass(frozen=True)
class Practice:
    student: str
    kind: str
    path: Path


def kinds_for(students: int, seed: int = 0) -> list[str]:
    """Kinds for ``students`` students in the ``MIX`` proportions, each kind present when N >= 3."""
    if students < 1:
        raise PracticeError("--students must be at least 1")
    counts = {kind: round(share * students) for kind, share in MIX.items()}
    if students >= len(KINDS):
        for kind in KINDS:
            counts[kind] = max(counts[kind], 1)
    while sum(counts.values()) > students:
        biggest = max(counts, key=lambda k: counts[k])
        counts[biggest] -= 1
    counts["correct"] += students - sum(counts.values())
    kinds = [kind for kind in KINDS for _ in range(counts[kind])]
    random.Random(seed).shuffle(kinds)
    return kinds


def answer_for(cell: dict, source_cell: dict | None, kind: str, wrong: dict[str, str]) -> str:
    gid = nbgrader_meta(cell).get("grade_id", "")
    if kind == "empty" or source_cell is None:
        return cell["source"]
    if kind == "partly-wrong" and gid in wrong:
        return wrong[gid].rstrip("\n")
    text = solution_text(source_cell["source"])
    if kind == "partly-wrong" and cell["cell_type"] == "markdown":
        # a thin written answer: the first sentence only
        return text.split(". ")[0].rstrip(".") + "."
    return text


def write_submissions(
    course: Path,
    assignment: str,
    students: int,
    seed: int = 0,
    force: bool = False,
    prefix: str = "practice",
) -> list[Practice]:
    """Write ``submitted/<student>/<assignment>/`` for ``students`` practice students."""
    import nbformat

    sources = source_notebooks(course, assignment)
    if not sources:
        raise PracticeError(f"There is no assignment {assignment!r} in {course / 'source'}.")
    release = course / "release" / assignment
    released = {p.name: release / p.name for p in sources}
    missing = [name for name, p in released.items() if not p.is_file()]
    if missing:
        raise PracticeError(
            f"{assignment} has not been generated yet ({', '.join(missing)} missing in "
            f"{release}). Run 'nbgrader generate_assignment {assignment}' in {course} first."
        )
    wrong = read_yaml_map(course / "practice_answers.yaml").get(assignment) or {}
    kinds = kinds_for(students, seed)
    width = max(2, len(str(students)))
    made: list[Practice] = []
    stamp = datetime(2025, 3, 3, 9, 0, tzinfo=timezone.utc)
    targets = [
        course / "submitted" / f"{prefix}-{i:0{width}d}" / assignment
        for i in range(1, students + 1)
    ]
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        raise PracticeError(
            f"{existing[0]} already exists; add --force to replace practice submissions."
        )
    for i, (kind, target) in enumerate(zip(kinds, targets, strict=True), start=1):
        target.mkdir(parents=True, exist_ok=True)
        for source_path in sources:
            source_nb = nbformat.read(source_path, as_version=4)
            by_id = {nbgrader_meta(c).get("grade_id"): c for c in source_nb.cells if is_answer(c)}
            nb = nbformat.read(released[source_path.name], as_version=4)
            for cell in nb.cells:
                if is_answer(cell):
                    gid = nbgrader_meta(cell).get("grade_id")
                    cell["source"] = answer_for(cell, by_id.get(gid), kind, wrong)
            nbformat.write(nb, target / source_path.name)
        handed_in = stamp + timedelta(minutes=7 * i)
        (target / "timestamp.txt").write_text(
            handed_in.strftime("%Y-%m-%d %H:%M:%S.%f UTC"), encoding="utf-8"
        )
        made.append(Practice(target.parent.name, kind, target))
    return made


def practice_students(course: Path, prefix: str = "practice") -> list[str]:
    """The practice students found in the course folders (``<prefix>-<number>``, as written)."""
    pattern = re.compile(rf"{re.escape(prefix)}-\d+")
    found: set[str] = set()
    for step in ("submitted", "autograded", "feedback"):
        folder = course / step
        if folder.is_dir():
            found |= {p.name for p in folder.iterdir() if p.is_dir() and pattern.fullmatch(p.name)}
    return sorted(found)


def remove_submissions(course: Path, prefix: str = "practice") -> list[str]:
    """Remove every practice student: their folders and their rows in ``gradebook.db``.

    Practice work never came through nbgrader's exchange, so it has no ``submission_secret.txt``
    and ``nbgrader release_feedback`` stops at the first practice student it meets. After a dry
    run this leaves the course as if it had not happened, real students untouched.
    """
    students = practice_students(course, prefix)
    for student in students:
        for step in ("submitted", "autograded", "feedback"):
            shutil.rmtree(course / step / student, ignore_errors=True)
    database = course / "gradebook.db"
    if students and database.is_file():
        from nbgrader.api import Gradebook, MissingEntry

        # A course folder may be named "Course #2 (spring)": the URL must be encoded.
        with Gradebook(sqlalchemy_sqlite_url(database)) as gradebook:
            for student in students:
                with contextlib.suppress(MissingEntry):
                    gradebook.remove_student(student)
    return students


__all__ = [
    "KINDS",
    "TEXT_STUB",
    "Practice",
    "PracticeError",
    "kinds_for",
    "practice_students",
    "remove_submissions",
    "write_submissions",
]
