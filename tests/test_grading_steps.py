"""The kit's versions of nbgrader's grading steps do what nbgrader's do, on a real gradebook."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from nbgrader.api import Gradebook
from nbgrader.nbgraderformat import MetadataValidator, ValidationError
from nbgrader.preprocessors import CheckCellMetadata

from alliance_kit.exercises.grading import (
    CheckCellMetadataOnce,
    MetadataValidatorOnce,
    SaveAutoGradesTogether,
)
from support import tool_env

# nbgrader's own gradebook, adding a submission the way it always does (see nbgrader_config.py).
pytestmark = pytest.mark.filterwarnings("ignore:Object of type")


def graded(grade_id: str, points: float = 1, **extra) -> dict:
    return {
        "grade": True,
        "solution": False,
        "locked": True,
        "grade_id": grade_id,
        "points": points,
        "schema_version": 3,
        **extra,
    }


def notebook(*metas: dict):
    cells = [new_markdown_cell("An exercise")]
    for meta in metas:
        cell = new_code_cell("assert True")
        cell.metadata["nbgrader"] = meta
        cells.append(cell)
    return new_notebook(cells=cells)


BROKEN = {
    "points are text": graded("t1", points="two"),
    "no grade id": {k: v for k, v in graded("t1").items() if k != "grade_id"},
    "empty grade id": graded(""),
    "no points": {k: v for k, v in graded("t1").items() if k != "points"},
    "an old schema": graded("t1", schema_version=2),
    "a newer schema": graded("t1", schema_version=4),
    "grade is not a boolean": graded("t1", grade="yes"),
}


def outcome(validator, nb) -> tuple[str, str]:
    try:
        validator.validate_nb(copy.deepcopy(nb))
    except Exception as error:  # the type and the words are what is compared
        return type(error).__name__, str(error).splitlines()[0]
    return "ok", ""


@pytest.mark.parametrize("name", list(BROKEN))
def test_a_broken_cell_is_refused_in_nbgraders_own_words(name):
    nb = notebook(graded("t0"), BROKEN[name])
    expected = outcome(MetadataValidator(), nb)
    assert expected[0] != "ok", "the example must be one nbgrader refuses"
    assert outcome(MetadataValidatorOnce(), nb) == expected


def test_sound_cells_and_duplicate_ids_are_judged_as_nbgrader_judges_them():
    sound = notebook(graded("t0"), graded("t1", points=2.5))
    assert outcome(MetadataValidatorOnce(), sound) == ("ok", "")
    twice = notebook(graded("t0"), graded("t0"))
    assert outcome(MetadataValidatorOnce(), twice) == outcome(MetadataValidator(), twice)
    assert outcome(MetadataValidatorOnce(), twice)[0] != "ok"


def test_the_check_step_stops_a_broken_notebook_with_nbgraders_message():
    nb = notebook(BROKEN["points are text"])
    messages = []
    for step in (CheckCellMetadata(), CheckCellMetadataOnce()):
        with pytest.raises(ValidationError) as caught:
            step.preprocess(copy.deepcopy(nb), {})
        messages.append(str(caught.value))
    assert messages[0] == messages[1]


@pytest.fixture()
def gradebook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("PATH", tool_env()["PATH"])  # nbgrader makes a gradebook with alembic
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url) as gb:
        gb.add_assignment("a1")
        gb.add_notebook("nb", "a1")
        for grade_id in ("t0", "t1", "t2"):
            gb.add_grade_cell(grade_id, "nb", "a1", max_score=1, cell_type="code")
            gb.add_source_cell(grade_id, "nb", "a1", cell_type="code", locked=True, source="")
        gb.add_student("s1")
        gb.add_submission("a1", "s1")
    return url


def resources(url: str) -> dict:
    return {"nbgrader": {"notebook": "nb", "assignment": "a1", "student": "s1", "db_url": url}}


def auto_scores(url: str) -> dict[str, float | None]:
    with Gradebook(url) as gb:
        return {g.name: g.auto_score for g in gb.find_submission_notebook("nb", "a1", "s1").grades}


def test_a_notebooks_grades_are_saved(gradebook):
    nb = notebook(graded("t0"), graded("t1"), graded("t2"))
    nb.cells[2].outputs = [new_output("error", ename="E", evalue="", traceback=[])]
    SaveAutoGradesTogether().preprocess(nb, resources(gradebook))
    assert auto_scores(gradebook) == {"t0": 1.0, "t1": 0.0, "t2": 1.0}


def test_a_notebook_is_never_left_half_graded(gradebook):
    # The third cell's metadata lost its points: grading stops there. nbgrader's own step
    # would have committed the first two grades already; the notebook's grades go together.
    nb = notebook(graded("t0"), graded("t1"), graded("t2"))
    del nb.cells[3].metadata["nbgrader"]["points"]
    with pytest.raises(KeyError):
        SaveAutoGradesTogether().preprocess(nb, resources(gradebook))
    assert auto_scores(gradebook) == {"t0": None, "t1": None, "t2": None}
