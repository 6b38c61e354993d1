"""The educator's workflow end to end, with the real nbgrader command on a copy of the course.

validate -> generate_assignment -> students submit (all correct, partly wrong, empty, one that
raises, one with an infinite loop, one that edits a test cell, one that rebinds the test
helpers) -> autograde -> a manual grade
as formgrader would store it -> generate_feedback -> export. The grades must be right for
every student, the hidden tests must have run, the edited test must have been restored, and
the bad submissions must not stop the others. The feedback must not show the hidden tests or
the server's paths, and autograding must warn only about a test cell a student really changed.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from support import BIN, REPO, copy_course, tool_env

ASSIGNMENT = "01-characteristics"
NOTEBOOK = "characteristics.ipynb"
#: The course allows 30 s per cell; the test gives the infinite loop 6 s to stay fast.
CELL_TIMEOUT = 6

pytestmark = pytest.mark.slow


def run(*args: str, cwd: Path, timeout: float = 180) -> subprocess.CompletedProcess:
    result = subprocess.run(
        list(args), cwd=cwd, env=tool_env(), capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def nbgrader(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return run(str(BIN / "nbgrader"), *args, cwd=cwd)


def kit(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return run(sys.executable, "-m", "alliance_kit.cli", *args, cwd=cwd)


def answer_cells(nb) -> dict:
    return {
        c.metadata["nbgrader"]["grade_id"]: c
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("solution")
        or c.metadata.get("nbgrader", {}).get("grade")
    }


CORRECT_UTTERANCES = """answers = {
    "U1": "goals-and-conditions", "U2": "trust", "U3": "bond", "U4": "reactance",
    "U5": "goals-and-conditions", "U6": "bond", "U7": "reactance", "U8": "trust",
    "U9": "goals-and-conditions", "U10": "reactance",
}"""
CORRECT_NEEDS = """def needs_attention(scores):
    order = ["goals-and-conditions", "trust", "bond", "reactance"]
    return min(order, key=lambda c: 6 - scores[c] if c == "reactance" else scores[c])"""


#: A student who switches the tests off by rebinding the helpers the setup cell imported.
REBIND_HELPERS = """def check_mapping(*args, **kwargs):
    pass


check_equal = check_keys = check_characteristic = check_mapping"""


def submit(course: Path, student: str, edits: dict[str, str]) -> None:
    """A student's copy of the released notebook with some cells changed."""
    nb = nbformat.read(course / "release" / ASSIGNMENT / NOTEBOOK, as_version=4)
    cells = answer_cells(nb)
    for grade_id, source in edits.items():
        cells[grade_id].source = source
    target = course / "submitted" / student / ASSIGNMENT
    target.mkdir(parents=True)
    nbformat.write(nb, target / NOTEBOOK)


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Run the whole workflow once; the tests below read what it left behind."""
    course = copy_course(tmp_path_factory.mktemp("course") / "exercises")
    for path in sorted((course / "source" / ASSIGNMENT).glob("*.ipynb")):
        out = nbgrader("validate", str(path), cwd=course).stdout
        assert "Success! Your notebook passes all the tests." in out, out
    nbgrader("generate_assignment", ASSIGNMENT, cwd=course)
    out = kit(
        "exercises",
        "practice-submissions",
        ASSIGNMENT,
        "--students",
        "3",
        "--seed",
        "1",
        cwd=course,
    ).stdout
    kinds = dict(line.split(": ") for line in out.splitlines() if line.startswith("practice-"))
    assert sorted(kinds.values()) == ["correct", "empty", "partly-wrong"], out
    (course / "kinds.txt").write_text(repr(kinds))
    submit(
        course,
        "raises",
        {"utterances": 'raise RuntimeError("I gave up here")', "needs-attention": CORRECT_NEEDS},
    )
    submit(
        course,
        "loops",
        {
            "utterances": CORRECT_UTTERANCES,
            "needs-attention": "while True:\n    pass\n" + CORRECT_NEEDS,
        },
    )
    submit(
        course,
        "edits-test",
        {
            "utterances": CORRECT_UTTERANCES.replace(
                '"U1": "goals-and-conditions"', '"U1": "trust"'
            ),
            "needs-attention": CORRECT_NEEDS,
            "test-utterances-first": "pass  # this test was in my way",
        },
    )
    submit(
        course,
        "rebinds",
        {
            "utterances": REBIND_HELPERS + "\nanswers = {}",
            "needs-attention": 'def needs_attention(scores):\n    return "bond"',
        },
    )
    graded = nbgrader(
        "autograde", ASSIGNMENT, f"--ExecutePreprocessor.timeout={CELL_TIMEOUT}", cwd=course
    )
    (course / "autograde.log").write_text(graded.stdout + graded.stderr, encoding="utf-8")
    # A grader gives the correct student 2 of 2 points in formgrader.
    from nbgrader.api import Gradebook

    correct = next(s for s, k in kinds.items() if k == "correct")
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id="alliance-kit") as gb:
        grade = gb.find_grade("officer-reactance", "characteristics", ASSIGNMENT, correct)
        grade.manual_score = 2
        gb.db.commit()
    nbgrader("generate_feedback", ASSIGNMENT, cwd=course)
    nbgrader("export", cwd=course)
    return course


def kinds(course: Path) -> dict[str, str]:
    import ast

    return ast.literal_eval((course / "kinds.txt").read_text())


def grades(course: Path) -> dict[str, float]:
    with open(course / "grades.csv", newline="", encoding="utf-8") as fh:
        return {row["student_id"]: float(row["score"]) for row in csv.DictReader(fh)}


def by_kind(course: Path, kind: str) -> str:
    return next(s for s, k in kinds(course).items() if k == kind)


def test_every_student_gets_the_right_total(course):
    # 10 points: format 1, U1-U5 2, U6-U10 (hidden) 2, needs_attention 1 + hidden 2,
    # and 2 for the written answer (graded by hand only for the correct student).
    expected = {
        by_kind(course, "correct"): 10.0,
        by_kind(course, "partly-wrong"): 4.0,  # loses both hidden tests and the written answer
        by_kind(course, "empty"): 0.0,
        "raises": 3.0,  # only needs_attention survives the exception
        "loops": 5.0,  # the loop times out: needs_attention is never defined
        "edits-test": 6.0,  # U1 wrong: the restored test takes its 2 points
        "rebinds": 0.0,  # the tests import the real helpers again
    }
    assert grades(course) == expected


def test_the_hidden_tests_ran_at_grading(course):
    release = (course / "release" / ASSIGNMENT / NOTEBOOK).read_text(encoding="utf-8")
    assert "BEGIN HIDDEN TESTS" not in release and '"U10": "reactance"' not in release
    student = by_kind(course, "partly-wrong")
    nb = nbformat.read(course / "autograded" / student / ASSIGNMENT / NOTEBOOK, as_version=4)
    hidden = answer_cells(nb)["test-needs-attention-hidden"]
    assert "BEGIN HIDDEN TESTS" in hidden.source
    errors = [o for o in hidden.outputs if o.output_type == "error"]
    assert errors and errors[0].ename == "Mismatch"
    assert "a Reactance of 5 means a lot of friction" in errors[0].evalue


def test_an_edited_test_cell_is_restored(course):
    nb = nbformat.read(course / "autograded" / "edits-test" / ASSIGNMENT / NOTEBOOK, as_version=4)
    test_cell = answer_cells(nb)["test-utterances-first"]
    assert "check_mapping" in test_cell.source and "in my way" not in test_cell.source
    assert [o.ename for o in test_cell.outputs if o.output_type == "error"] == ["Mismatch"]


def test_feedback_explains_failures_in_sentences(course):
    for student in grades(course):
        assert (course / "feedback" / student / ASSIGNMENT / "characteristics.html").is_file()
    html = (
        course / "feedback" / by_kind(course, "partly-wrong") / ASSIGNMENT / "characteristics.html"
    ).read_text(encoding="utf-8")
    assert "are not what the research would call them" in html
    assert "Hint:" in html
    loops = (course / "feedback" / "loops" / ASSIGNMENT / "characteristics.html").read_text(
        encoding="utf-8"
    )
    assert "CellTimeoutError" in loops or "timeout" in loops.lower()


def test_the_kit_report_reads_the_gradebook(course):
    out = kit("exercises", "report", "--csv", "questions.csv", cwd=course).stdout
    assert "01-characteristics: 7 submission(s)" in out
    missed = out.split("Most-missed questions:")[1].strip().splitlines()
    # five students left the written answer untouched (nbgrader scores that 0 by itself), the
    # correct student got 2 of 2, the partly-wrong one still waits for a grader
    assert missed[0].strip().startswith("01-characteristics / officer-reactance: 5 of 6 missed")
    assert "Reactance" in missed[0]
    # then three questions 4 of 7 students missed: both hidden tests (the partly-wrong student
    # passed the visible ones) and the visible test the edited-test student tried to disable
    assert {m.split(":")[0].split("/ ")[1] for m in missed[1:4]} == {
        "test-needs-attention-hidden",
        "test-utterances-rest",
        "test-utterances-first",
    }
    assert all("4 of 7 missed" in m for m in missed[1:4])
    with open(course / "questions.csv", newline="", encoding="utf-8") as fh:
        rows = {r["question"]: r for r in csv.DictReader(fh)}
    assert rows["test-needs-attention-hidden"]["characteristics"] == "reactance"
    assert rows["test-utterances-rest"]["missed"] == "4"
    assert "student" not in (course / "questions.csv").read_text().split("\n")[0]


def test_rebinding_the_helpers_scores_nothing(course):
    nb = nbformat.read(course / "autograded" / "rebinds" / ASSIGNMENT / NOTEBOOK, as_version=4)
    tests = [
        c
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("grade")
        and not c.metadata["nbgrader"].get("solution")
    ]
    assert len(tests) == 5
    for cell in tests:
        assert [o for o in cell.outputs if o.output_type == "error"], cell.metadata.nbgrader
    assert grades(course)["rebinds"] == 0.0


def test_only_a_test_cell_a_student_changed_warns(course):
    log = (course / "autograde.log").read_text(encoding="utf-8")
    warned = [line for line in log.splitlines() if "Attribute 'checksum'" in line]
    # one student edited one test cell; the hidden-test cells of clean submissions are quiet
    assert len(warned) == 1 and "test-utterances-first" in warned[0], warned
    assert "SAWarning" not in log and "not in session" not in log


def test_feedback_keeps_hidden_tests_and_server_paths_out(course):
    server = [str(course.parent), str(REPO), sys.prefix, str(Path.home()) + os.sep]
    for html_path in (course / "feedback").glob(f"*/{ASSIGNMENT}/*.html"):
        html = html_path.read_text(encoding="utf-8")
        assert "HIDDEN TESTS" not in html, html_path
        # the hidden tests' code, not only their markers
        assert 'for k in ("U6"' not in html and "needs_attention on a tie" not in html
        assert not [p for p in server if p in html], html_path
        assert "site-packages" not in html and "most recent call last" not in html
        assert "Cell In[" not in html  # IPython's traceback frames quote the cell's lines
    # the student still learns what went wrong, in the helpers' words
    partly = by_kind(course, "partly-wrong")
    html = (course / "feedback" / partly / ASSIGNMENT / "characteristics.html").read_text(
        encoding="utf-8"
    )
    assert "are not what the research would call them" in html
