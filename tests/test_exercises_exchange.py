"""The course's ways in and out, with the real nbgrader CLI on a copy of the course.

A roster import, release through an exchange folder, a student's fetch and submit, downloads
collected with ``zip_collect`` from a real zip, practice submissions for a dry run, and feedback
released to the student who came through the exchange. The README's commands are the ones run.
"""

from __future__ import annotations

import getpass
import subprocess
import zipfile
from pathlib import Path

import nbformat
import pytest
from test_exercises_e2e import ASSIGNMENT, NOTEBOOK, kit, run

from support import BIN, REPO, copy_course, tool_env

pytestmark = pytest.mark.slow
STUDENT = getpass.getuser()


def nbgrader(*args: str, cwd: Path, exchange: Path, check: bool = True):
    """nbgrader with this test's exchange folder; ``check=False`` for a command meant to fail."""
    on_exchange = f"--Exchange.root={exchange}"
    if check:
        return run(str(BIN / "nbgrader"), *args, on_exchange, cwd=cwd)
    return subprocess.run(
        [str(BIN / "nbgrader"), *args, on_exchange],
        cwd=cwd,
        env=tool_env(),
        capture_output=True,
        text=True,
        timeout=180,
    )


def downloaded_notebook(course: Path) -> str:
    return (course / "release" / ASSIGNMENT / NOTEBOOK).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("exchange-course")
    course, exchange, home = root / "exercises", root / "exchange", root / "student"
    copy_course(course)
    exchange.mkdir()
    home.mkdir()
    logs: dict[str, str] = {}

    def teacher(*args: str, check: bool = True):
        return nbgrader(*args, cwd=course, exchange=exchange, check=check)

    def student(*args: str):
        return nbgrader(*args, "--course=alliance-kit", cwd=home, exchange=exchange)

    logs["import"] = teacher("db", "student", "import", "roster-example.csv").stderr
    logs["students"] = teacher("db", "student", "list").stdout
    teacher("generate_assignment", ASSIGNMENT)
    teacher("release_assignment", ASSIGNMENT)
    student("fetch_assignment", ASSIGNMENT)
    student("submit", ASSIGNMENT)
    teacher("collect", ASSIGNMENT)

    # Two students handed in by e-mail / a learning platform: a zip with their files named
    # <student id>_<notebook>, one in a folder, plus the copy macOS adds to every zip.
    archive = course / "downloaded" / ASSIGNMENT / "archive"
    archive.mkdir(parents=True)
    with zipfile.ZipFile(archive / "downloads.zip", "w") as zf:
        zf.writestr(f"s001_{NOTEBOOK}", downloaded_notebook(course))
        zf.writestr(f"week 3/s002_{NOTEBOOK}", downloaded_notebook(course))
        zf.writestr(f"__MACOSX/._s001_{NOTEBOOK}", "not a notebook")
    logs["zip_collect"] = teacher("zip_collect", ASSIGNMENT).stderr

    kit("exercises", "practice-submissions", ASSIGNMENT, "--students", "2", cwd=course)
    teacher("autograde", ASSIGNMENT)
    teacher("generate_feedback", ASSIGNMENT)
    logs["release_all_before"] = teacher("release_feedback", ASSIGNMENT, check=False).stderr
    logs["remove"] = kit("exercises", "remove-practice", cwd=course).stdout
    logs["students_after"] = teacher("db", "student", "list").stdout
    # The exchange student's feedback goes through the exchange; the zip students' by hand.
    teacher("release_feedback", ASSIGNMENT, f"--student={STUDENT}")
    teacher("release_feedback", ASSIGNMENT, "--CourseDirectory.student_id_exclude=s001,s002")
    student("fetch_feedback", ASSIGNMENT)
    return {"course": course, "home": home, "logs": logs}


def test_the_roster_example_imports_with_its_columns(setup):
    students = setup["logs"]["students"]
    assert "s001 (Example, Alex" in students and "s002 (Sample, Robin" in students
    readme = (REPO / "exercises" / "README.md").read_text(encoding="utf-8")
    assert "id,last_name,first_name,email" in readme


def test_zip_collect_places_each_file_under_its_student(setup):
    submitted = setup["course"] / "submitted"
    for student in ("s001", "s002"):
        nb = nbformat.read(submitted / student / ASSIGNMENT / NOTEBOOK, as_version=4)
        assert any(c.metadata.get("nbgrader", {}).get("grade_id") == "utterances" for c in nb.cells)
    assert not any(p.name.startswith((".", "_")) for p in submitted.iterdir())
    assert "2 files collected, 1 files skipped" in setup["logs"]["zip_collect"]


def test_practice_submissions_block_release_until_removed(setup):
    # nbgrader itself stops at a submission that did not come through the exchange ...
    assert "submission_secret.txt" in setup["logs"]["release_all_before"]
    # ... so one command removes the practice students, folders and grades alike.
    assert "Removed 2 practice student(s): practice-01, practice-02." in setup["logs"]["remove"]
    assert "practice-" not in setup["logs"]["students_after"]
    course = setup["course"]
    for step in ("submitted", "autograded", "feedback"):
        assert not list((course / step).glob("practice-*"))
        assert (course / step / STUDENT / ASSIGNMENT).is_dir()


def test_feedback_reaches_the_exchange_student(setup):
    fetched = list((setup["home"] / ASSIGNMENT / "feedback").glob("*/characteristics.html"))
    assert len(fetched) == 1
    assert "BEGIN HIDDEN TESTS" not in fetched[0].read_text(encoding="utf-8")
