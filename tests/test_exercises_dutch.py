"""The exercises in Dutch: each translated assignment is what the translation file builds, grades
exactly like the English one, and speaks Dutch to the student."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
import yaml
from dutch import english_left

from alliance_kit.exercises import course, translate
from support import REPO, copy_course, run_cli

COURSE = REPO / "exercises"
ENGLISH, DUTCH = "01-characteristics", "01-kenmerken"


def _cells(nb) -> list[tuple[str, str, str]]:
    return [(c.cell_type, course.nbgrader_meta(c).get("grade_id"), c.source) for c in nb.cells]


@pytest.mark.parametrize("translation", translate.translations(COURSE), ids=lambda t: t.assignment)
def test_shipped_translation_is_what_its_file_builds(translation):
    shipped = nbformat.read(translate.target(COURSE, translation), as_version=4)
    built = translate.build(COURSE, translation)
    assert _cells(shipped) == _cells(built), (
        "run 'alliance-kit exercises translate' after editing the translation file"
    )
    assert shipped.metadata == built.metadata


def test_dutch_assignment_is_in_the_course_with_the_english_tags():
    assert DUTCH in course.assignments(COURSE)
    tags = course.question_tags(COURSE)
    assert tags[DUTCH] == tags[ENGLISH]
    assert translate.originals(COURSE)[DUTCH] == ENGLISH


def test_dutch_notebook_has_dutch_text_and_the_english_answers_and_tests():
    english = nbformat.read(COURSE / "source" / ENGLISH / "characteristics.ipynb", as_version=4)
    dutch = nbformat.read(COURSE / "source" / DUTCH / "kenmerken.ipynb", as_version=4)
    intro = dutch.cells[0].source
    assert "Oefening 1" in intro and "Richting/kader" in intro and "Stroefheid" in intro
    for en, nl in zip(english.cells, dutch.cells, strict=True):
        assert en.metadata == nl.metadata  # grade ids, points, locks: the same grading
        if course.is_answer(en) and en.cell_type == "code":
            assert en.source == nl.source  # the solutions
        if course.is_test(en):
            assert translate.code_shape(en.source) == translate.code_shape(nl.source)
            hidden = en.source.partition("### BEGIN HIDDEN TESTS")[2]
            if hidden:
                assert translate.code_shape(hidden) == translate.code_shape(
                    nl.source.partition("### BEGIN HIDDEN TESTS")[2]
                )
    assert 'use_language("nl")' in dutch.cells[1].source


def _translation_copy(tmp_path: Path, change) -> Path:
    copy = copy_course(tmp_path / "exercises")
    path = copy / "translations" / "nl" / f"{ENGLISH}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return copy


def test_a_translation_that_changes_an_answer_is_refused(tmp_path):
    copy = _translation_copy(
        tmp_path, lambda d: d["strings"].update({"goals-and-conditions": "richting-kader"})
    )
    result = run_cli("exercises", "translate", "--course", str(copy))
    assert result.returncode == 1
    assert "the translation changes the code of 'utterances'" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_a_translation_missing_a_text_cell_is_refused_in_dutch(tmp_path):
    copy = _translation_copy(tmp_path, lambda d: d["cells"].pop("q2-text"))
    result = run_cli(
        "exercises", "translate", "--course", str(copy), env={"ALLIANCE_KIT_LANG": "nl"}
    )
    assert result.returncode == 1
    assert "Er is niets geschreven" in result.stdout and "'q2-text'" in result.stdout


def test_dutch_notebooks_say_they_are_dutch_and_get_dutch_stubs():
    for translation in translate.translations(COURSE):
        nb = nbformat.read(translate.target(COURSE, translation), as_version=4)
        assert course.notebook_language(nb) == "nl", translation.assignment
        assert nb.metadata["title"].startswith("Oefening "), "the tab shows a Dutch title"
        answers = [c for c in nb.cells if course.is_answer(c)]
        assert answers, translation.assignment
        for cell in answers:
            stub = course.stub_text(cell, "nl")
            assert "JOUW" in stub and "YOUR" not in stub, stub
    english = nbformat.read(COURSE / "source" / ENGLISH / "characteristics.ipynb", as_version=4)
    assert course.notebook_language(english) == "en"


def test_a_failed_check_speaks_dutch_in_a_real_kernel():
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook(
        cells=[
            new_code_cell(
                "from alliance_kit.exercises.checks import check_mapping, use_language\n"
                'use_language("nl")\n'
                'check_mapping({"U1": "bond"}, {"U1": "trust"}, "answers", reveal=False)'
            )
        ]
    )
    NotebookClient(nb, timeout=60, allow_errors=True, kernel_name="python3").execute()
    failed = nb.cells[0].outputs[0]
    assert failed.ename == "Mismatch"
    assert "1 van de 1 antwoorden in `answers` (U1) zijn niet wat het onderzoek" in failed.evalue
    assert "Tip: lees de korte omschrijving" in failed.evalue


@pytest.mark.slow
def test_dutch_assignment_through_the_real_nbgrader(tmp_path):
    """verify, generate, three practice students (correct, partly wrong, empty), autograde:
    the Dutch assignment grades like the English one, and its feedback is in Dutch."""
    import csv
    import subprocess

    from support import BIN, tool_env

    copy = copy_course(tmp_path / "exercises")

    def tool(*args: str) -> str:
        result = subprocess.run(
            list(args), cwd=copy, env=tool_env(), capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, f"{args}:\n{result.stdout}\n{result.stderr}"
        return result.stdout + result.stderr

    verified = run_cli("exercises", "verify", DUTCH, cwd=copy, env={"ALLIANCE_KIT_LANG": "nl"})
    assert verified.returncode == 0, verified.stdout
    assert "Elk bronnotebook is in orde" in verified.stdout
    nbgrader = str(BIN / "nbgrader")
    for translation in translate.translations(copy):
        # Every Dutch assignment can be released: Dutch text, the hidden tests taken out.
        tool(nbgrader, "generate_assignment", translation.assignment)
        released = (copy / "release" / translation.assignment / translation.notebook).read_text(
            encoding="utf-8"
        )
        assert "Oefening" in released and "BEGIN HIDDEN TESTS" not in released
        # Dutch trainees read Dutch stubs; an unanswered code cell still raises
        released_nb = nbformat.reads(released, as_version=4)
        stubs = [c.source for c in released_nb.cells if course.is_answer(c)]
        assert stubs, translation.assignment
        for cell, stub in zip(
            (c for c in released_nb.cells if course.is_answer(c)), stubs, strict=True
        ):
            if cell.cell_type == "markdown":
                assert stub == "JOUW ANTWOORD HIER", translation.assignment
            else:
                assert "# JOUW CODE HIER\n" in stub and "raise NotImplementedError()" in stub
        assert "YOUR ANSWER HERE" not in released and "YOUR CODE HERE" not in released
    # the English assignment keeps nbgrader's English stubs
    tool(nbgrader, "generate_assignment", ENGLISH)
    english = (copy / "release" / ENGLISH / "characteristics.ipynb").read_text(encoding="utf-8")
    assert "YOUR ANSWER HERE" in english and "# YOUR CODE HERE" in english
    assert "JOUW" not in english
    made = run_cli(
        "exercises", "practice-submissions", DUTCH, "--students", "3", "--seed", "1", cwd=copy
    )
    assert made.returncode == 0, made.stdout
    kinds = {
        line.split(": ")[1]: line.split(": ")[0]
        for line in made.stdout.splitlines()
        if line.startswith("practice-")
    }
    assert sorted(kinds) == ["correct", "empty", "partly-wrong"]
    tool(nbgrader, "autograde", DUTCH)
    tool(nbgrader, "generate_feedback", DUTCH)
    tool(nbgrader, "export")
    with open(copy / "grades.csv", newline="", encoding="utf-8") as fh:
        scores = {
            row["student_id"]: float(row["score"])
            for row in csv.DictReader(fh)
            if row["assignment"] == DUTCH
        }
    autograded_points = 8  # 1 + 2 + 2 + 1 + 2, as in the English assignment
    assert scores[kinds["correct"]] == autograded_points
    assert 0 < scores[kinds["partly-wrong"]] < autograded_points
    assert scores[kinds["empty"]] == 0
    report = run_cli("exercises", "report", cwd=copy, env={"ALLIANCE_KIT_LANG": "nl"})
    assert report.returncode == 0, report.stdout
    assert (
        "Vaakst gemiste vragen:" in report.stdout and f"{DUTCH}: 3 inzending(en)" in report.stdout
    )
    assert english_left(report.stdout) == []
    feedback = next((copy / "feedback" / kinds["partly-wrong"] / DUTCH).glob("*.html"))
    text = feedback.read_text(encoding="utf-8")
    assert "zijn niet wat het onderzoek ze zou noemen" in text
    assert "are not what the research would call them" not in text


def test_verify_reports_in_dutch(tmp_path):
    copy = copy_course(tmp_path / "exercises")
    path = copy / "source" / DUTCH / "kenmerken.ipynb"
    nb = nbformat.read(path, as_version=4)
    rubric = next(c for c in nb.cells if course.nbgrader_meta(c).get("grade_id") == "q3-rubric")
    rubric.source = "#### Beoordeling"  # the heading the check looks for is gone
    nbformat.write(nb, path)
    result = run_cli("exercises", "verify", "--no-run", cwd=copy, env={"ALLIANCE_KIT_LANG": "nl"})
    assert result.returncode == 1
    assert "1 probleem/problemen gevonden:" in result.stdout
    assert (
        "cel officer-reactance: een handmatig beoordeeld antwoord heeft een rubric-cel "
        "('Zo wordt dit antwoord beoordeeld') erboven nodig" in result.stdout
    )
    assert english_left(result.stdout) == []
