"""The gradebook overview in a real browser, on a gradebook made by real nbgrader autograding."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
from axe import blocking, reflow_problems, run_axe
from playwright.sync_api import expect

from conftest import chart_share_controls, start_kit_server
from support import BIN, copy_course, tool_env

pytestmark = pytest.mark.browser
ASSIGNMENTS = ("01-characteristics", "04-resources")


def _run(*args: str, cwd: Path) -> None:
    result = subprocess.run(
        args, cwd=cwd, env=tool_env(), capture_output=True, text=True, timeout=240
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def gradebook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four practice students per assignment, autograded by nbgrader."""
    course = copy_course(tmp_path_factory.mktemp("gradebook") / "exercises")
    for assignment in ASSIGNMENTS:
        _run(str(BIN / "nbgrader"), "generate_assignment", assignment, cwd=course)
        _run(
            sys.executable,
            "-m",
            "alliance_kit.cli",
            "exercises",
            "practice-submissions",
            assignment,
            "--students",
            "4",
            cwd=course,
        )
    _run(str(BIN / "nbgrader"), "autograde", "*", cwd=course)  # every assignment in one run
    return course / "gradebook.db"


@pytest.fixture(scope="module")
def kit_server(tmp_path_factory: pytest.TempPathFactory, gradebook: Path):
    server = start_kit_server(
        tmp_path_factory.mktemp("kit"), env={"ALLIANCE_KIT_GRADEBOOK": str(gradebook)}
    )
    yield server
    server.stop()


def test_distributions_and_most_missed(open_page, gradebook):
    from alliance_kit.exercises.gradebook import read_overview

    overview = read_overview(gradebook)
    top = overview.most_missed(1)[0]
    page = open_page("gradebook.ipynb", ready=".ak-gradebook")
    summary = page.locator(".ak-gradebook-summary")
    expect(summary).to_contain_text("4 student(s)")
    for assignment in ASSIGNMENTS:
        expect(summary).to_contain_text(assignment)

    first = page.locator(".ak-gradebook-missed tr").nth(1)
    expect(first).to_contain_text(top.question)
    expect(first).to_contain_text(f"{top.missed} of {top.graded}")
    expect(first.locator(".ak-gradebook-characteristic")).to_have_text(top.characteristic_names)

    totals = page.locator(".ak-gradebook-totals .js-plotly-plot")
    expect(totals).to_be_visible(timeout=30_000)
    expect(totals).to_contain_text("01-characteristics: total scores")
    expect(totals.locator(".modebar-btn").first).to_be_attached()
    assert chart_share_controls(page) == []  # no control offers to upload a chart
    questions = page.locator(".ak-gradebook-questions .js-plotly-plot")
    expect(questions).to_contain_text("test-needs-attention-hidden")
    expect(questions.locator(".legend")).to_contain_text("full points")
    # the charts' numbers are a table too, and the page passes axe-core with a real course
    numbers = page.locator(".ak-gradebook-numbers")
    numbers.locator("summary").click()
    expect(numbers.locator("table").nth(1)).to_contain_text("test-needs-attention-hidden")
    problems = blocking(run_axe(page, "gradebook (a graded course)"))
    assert not problems, "\n".join(problems)
    reflow = reflow_problems(page, "gradebook (a graded course)")  # charts fit a phone too
    assert not reflow, "\n".join(reflow)

    # the switcher shows the other assignment's charts
    page.locator(".ak-gradebook-assignment button", has_text="04-resources").click()
    expect(page.locator(".ak-gradebook-totals .js-plotly-plot")).to_contain_text(
        "04-resources: total scores", timeout=30_000
    )
    expect(page.locator(".ak-gradebook-questions .js-plotly-plot")).to_contain_text(
        "test-chosen-hidden"
    )


def test_export_downloads_the_question_table(open_page):
    page = open_page("gradebook.ipynb", ready=".ak-gradebook")
    page.locator(".ak-gradebook-export").click()
    link = page.locator(".ak-gradebook-download a")
    expect(link).to_be_visible(timeout=30_000)
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "gradebook-questions.csv"
    text = Path(download.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["assignment"] for r in rows} == set(ASSIGNMENTS)
    hidden = next(r for r in rows if r["question"] == "test-chosen-hidden")
    assert hidden["characteristics"] == "trust goals-and-conditions"
    assert hidden["graded"] == "4"
    assert "practice-" not in text  # no student ids in a table meant for sharing
