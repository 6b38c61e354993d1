"""The exercises' helpers, the course checks and the gradebook page, without the nbgrader CLI."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from alliance_kit.exercises import checks, course, practice
from alliance_kit.exercises.datasets import CHARACTERISTICS, column, self_score_sessions
from alliance_kit.exercises.library import resource, resources
from alliance_kit.exercises.plans import check_plan_model, check_plan_rules
from support import REPO, copy_course, run_cli, tool_env

COURSE = REPO / "exercises"


# --- autograder messages -------------------------------------------------------------------


def test_check_equal_says_what_was_expected_and_hints():
    with pytest.raises(AssertionError) as info:
        checks.check_equal(3, 4, "count the clients, not the rows.", name="n_clients")
    assert str(info.value) == (
        "n_clients is 3, but 4 was expected.\nHint: count the clients, not the rows."
    )


def test_check_characteristic_suggests_the_id():
    with pytest.raises(AssertionError, match=r"Did you mean 'trust'\?"):
        checks.check_characteristic("Trust", "Your answer for U2")
    checks.check_characteristic("reactance", "ok")


def test_check_mapping_names_wrong_answers_unless_hidden():
    expected = {"U1": "trust", "U2": "bond"}
    with pytest.raises(AssertionError) as info:
        checks.check_mapping({"U1": "trust", "U2": "trust"}, expected, "answers", hints={"U2": "h"})
    assert "1 of 2 answers" in str(info.value) and "U2: you said 'trust'; h" in str(info.value)
    with pytest.raises(AssertionError) as info:
        checks.check_mapping({"U1": "bond", "U2": "trust"}, expected, "answers", reveal=False)
    assert "(U1, U2)" in str(info.value) and "'bond'" not in str(info.value)


def test_check_keys_lists_missing_and_extra():
    with pytest.raises(AssertionError, match="no entry for: U2"):
        checks.check_keys({"U1": 1}, ["U1", "U2"], "answers")
    with pytest.raises(AssertionError, match="should be a dict, but it is a list"):
        checks.check_keys([], ["U1"], "answers")


def _loaded_by(code: str, modules: tuple[str, ...]) -> list[str]:
    """Which of ``modules`` a fresh interpreter has loaded after running ``code``."""
    code += f"\nimport json, sys; print(json.dumps([m for m in {modules!r} if m in sys.modules]))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_exercise_helpers_keep_heavy_imports_out():
    """Autograding pays every import in every notebook: no pandas, numpy or nbgrader."""
    code = (
        "import alliance_kit.exercises.checks, alliance_kit.exercises.library\n"
        "import alliance_kit.exercises.plans, alliance_kit.exercises.datasets\n"
        "from alliance_kit.exercises.library import resources; resources()"
    )
    assert _loaded_by(code, ("pandas", "numpy", "nbgrader", "plotly")) == []


def test_contact_plan_checks_load_nothing_they_do_not_use():
    """Every contact-plan notebook runs these checks during autograding, so an import that only
    the kit's version string or numpy's masked arrays need costs the class its wait each time."""
    code = (
        "from alliance_kit.exercises.plans import check_plan_model, check_plan_rules\n"
        "plan = 'face-to-face for 8 weeks, then alternate face-to-face and phone'\n"
        "check_plan_rules('A', plan); check_plan_model('A', plan)"
    )
    assert _loaded_by(code, ("importlib.metadata", "numpy.ma")) == []


def test_a_failing_check_shows_its_sentence_not_the_kits_frames():
    """In a real kernel a failed check reads as the sentence and hint alone: the frames inside
    the kit taught the student nothing and cost autograding time to format."""
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook(
        cells=[
            new_code_cell(
                "from alliance_kit.exercises.plans import check_plan_rules\n"
                "check_plan_rules('A', 'alternate video and phone')"
            ),
            new_code_cell("undefined_name"),
        ]
    )
    NotebookClient(nb, timeout=60, allow_errors=True, kernel_name="python3").execute()
    failed, other = nb.cells[0].outputs[0], nb.cells[1].outputs[0]
    assert failed.output_type == "error" and failed.ename == "Mismatch"  # still a failed test
    assert failed.traceback == [f"Mismatch: {failed.evalue}"]
    assert "first four weeks should be face to face" in failed.evalue and "Hint:" in failed.evalue
    # an error in the student's own code keeps IPython's traceback with the cell's line
    assert other.ename == "NameError" and len(other.traceback) > 1


def course_config():
    from traitlets.config.loader import PyFileConfigLoader

    return PyFileConfigLoader("nbgrader_config.py", path=str(COURSE)).load_config()


def test_autograding_runs_nbgraders_own_steps_with_the_kits_execute():
    """The course lists nbgrader's autograding steps to swap in the kit's versions of some: the
    list must stay nbgrader's own otherwise, each kit step in the place of the step it extends,
    or a step of a newer nbgrader would be skipped."""
    from nbgrader.converters.autograde import Autograde
    from traitlets.utils.importstring import import_item

    from alliance_kit.exercises.grading import ExecuteInLeanKernel, SaveAutoGradesTogether

    ours = [import_item(name) for name in course_config().Autograde.autograde_preprocessors]
    assert ExecuteInLeanKernel in ours and SaveAutoGradesTogether in ours
    theirs = list(Autograde.autograde_preprocessors.default())
    assert len(ours) == len(theirs)
    for mine, nbgraders in zip(ours, theirs, strict=True):
        assert issubclass(mine, nbgraders), (mine, nbgraders)


def test_sanitizing_and_generating_run_nbgraders_own_steps_too():
    from nbgrader.converters.autograde import Autograde
    from nbgrader.converters.generate_assignment import GenerateAssignment
    from traitlets.utils.importstring import import_item

    config = course_config()
    for listed, default in (
        (config.Autograde.sanitize_preprocessors, Autograde.sanitize_preprocessors.default()),
        (config.GenerateAssignment.preprocessors, GenerateAssignment.preprocessors.default()),
    ):
        ours = [import_item(name) for name in listed]
        assert len(ours) == len(default)
        for mine, nbgraders in zip(ours, default, strict=True):
            assert issubclass(mine, nbgraders), (mine, nbgraders)


def test_an_autograding_kernel_is_lean_and_quotes_a_students_error_plainly(monkeypatch):
    """Each autograding kernel runs numpy's linear algebra on one thread (its thread pool
    slowed every import of numpy or pandas) and shows a student's own error as IPython's
    plain traceback: the failing line is still there for the educator, without reading and
    colouring the source around every frame, which cost each notebook with an error about a
    tenth of a second."""
    from nbformat.v4 import new_code_cell, new_notebook

    from alliance_kit.exercises.grading import ExecuteInLeanKernel

    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    config = course_config()
    assert "--InteractiveShell.xmode=Plain" in config.Execute.extra_arguments
    nb = new_notebook(
        cells=[
            new_code_cell("import os\nprint(os.environ.get('OPENBLAS_NUM_THREADS'))"),
            new_code_cell("def answer():\n    return not_defined\n\nanswer()"),
        ]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    ExecuteInLeanKernel(config=config).preprocess(nb, {"metadata": {"path": str(COURSE)}})
    assert nb.cells[0].outputs[0].text.strip() == "1"
    error = nb.cells[1].outputs[0]
    shown = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(error.traceback))
    assert error.ename == "NameError"
    assert "return not_defined" in shown and "line 2" in shown, shown
    assert "---->" not in shown, "the plain traceback, not the context around each frame"
    assert "OPENBLAS_NUM_THREADS" not in os.environ, "only the kernel's environment"


def test_an_autograding_kernel_is_stopped_at_once_when_its_notebook_is_done(tmp_path):
    """Once the last cell has run, its outputs are in the notebook: the kernel is stopped with
    what it started, instead of asked to shut down. A graceful shutdown waits for the kernel's
    clean-up, which a process left running by a student's code held up by 2.5 s or more."""
    import time
    from datetime import datetime

    import psutil
    from nbformat.v4 import new_code_cell, new_notebook

    from alliance_kit.exercises.grading import ExecuteInLeanKernel, PromptKernelManager

    stray = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)"
    start = (
        f"import subprocess, sys\nprint(subprocess.Popen([sys.executable, '-c', {stray!r}]).pid)"
    )
    nb = new_notebook(cells=[new_code_cell(start)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    execute = ExecuteInLeanKernel(config=course_config())
    assert execute.kernel_manager_class is PromptKernelManager
    execute.preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    done = time.time()
    cell_done = datetime.fromisoformat(nb.cells[0].metadata.execution["shell.execute_reply"])
    pid = int(nb.cells[0].outputs[0].text)
    try:
        left_running = psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
        psutil.Process(pid).kill()
    except psutil.NoSuchProcess:
        left_running = False
    assert not left_running, "the student's process outlived the kernel"
    # Generous, for a busy machine: a graceful shutdown waits 2.5 s here before it gives up.
    assert done - cell_done.timestamp() < 2.0


class _Channel:
    """A kernel channel holding the messages a kernel has sent; counts how often it is read."""

    def __init__(self, *messages: dict) -> None:
        self.messages, self.reads, self.sent = list(messages), 0, []

    async def get_msg(self, timeout: float | None = None) -> dict:
        from queue import Empty

        self.reads += 1
        if not self.messages:
            raise Empty
        return self.messages.pop(0)

    def send(self, msg: dict) -> None:
        self.sent.append(msg["header"]["msg_type"])


def _ready(shell: _Channel, iopub: _Channel) -> None:
    import asyncio
    import concurrent.futures

    from alliance_kit.exercises.grading import PromptKernelClient

    client = PromptKernelClient()
    client._shell_channel, client._iopub_channel = shell, iopub

    async def alive() -> bool:
        return True

    client._async_is_alive = alive
    # A loop of its own, on a thread of its own: a browser test earlier in the run may have
    # left this thread's event loop running.
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, client.wait_for_ready(timeout=5)).result()


def test_an_autograding_kernel_is_ready_once_it_answers():
    """jupyter_client waits until the kernel's output channel has been silent for 0.2 s, on
    every notebook; the kit's client goes on as soon as the kernel has answered on both
    channels, leaving the start-up messages to nbclient (which skips what it did not ask)."""
    reply = {"msg_type": "kernel_info_reply", "content": {"protocol_version": "5.3"}}
    status = {"msg_type": "status", "content": {"execution_state": "idle"}}
    shell, iopub = _Channel(reply), _Channel(status, status, status)
    _ready(shell, iopub)
    assert shell.sent == ["kernel_info_request"]
    assert iopub.reads == 1, "read the output channel until it fell silent"
    # A kernel whose output channel is not connected yet is asked again, as jupyter_client does.
    shell, iopub = _Channel(reply, reply), _Channel()
    iopub_later = [status]

    async def connected_on_second_ask(timeout: float | None = None) -> dict:
        from queue import Empty

        iopub.reads += 1
        if iopub.reads == 1:
            raise Empty
        return iopub_later.pop(0)

    iopub.get_msg = connected_on_second_ask
    _ready(shell, iopub)
    assert shell.sent == ["kernel_info_request"] * 2 and iopub.reads == 2


# --- the synthetic dataset -----------------------------------------------------------------


def test_dataset_is_synthetic_fixed_and_in_range():
    a, b = self_score_sessions(), self_score_sessions()
    assert a.equals(b)
    assert len(a) == 149 and a["client_code"].nunique() == 14
    assert a["client_code"].str.fullmatch(r"K\d\d").all()
    for role in ("officer", "client"):
        for c in CHARACTERISTICS:
            assert a[column(role, c)].between(1, 5).all()
    assert list(a["phase"].cat.categories) == ["intake", "early", "established", "closing"]
    assert set(a["channel"]) == {"face-to-face", "phone", "video", "messaging"}
    assert not self_score_sessions(seed=1).equals(a)


def test_dataset_holds_the_patterns_the_exercise_asks_for():
    df = self_score_sessions()
    assert df.groupby("channel")["client_trust"].mean().idxmin() == "messaging"
    # the officer's view points elsewhere, so the question tests reading the right column
    assert df.groupby("channel")["officer_trust"].mean().idxmin() != "messaging"
    means = df.groupby("phase", observed=True)["client_reactance"].mean()
    assert means["closing"] < means["intake"]  # reactance falls: the alliance improves


# --- plans and resources -------------------------------------------------------------------


def test_plan_rules_accept_the_solution_and_explain_refusals():
    check_plan_rules("A", "face-to-face for 8 weeks, then alternate face-to-face and phone")
    check_plan_rules("C", "face-to-face for 4 weeks, then alternate face-to-face and phone")
    with pytest.raises(AssertionError, match="first four weeks should be face to face"):
        check_plan_rules("A", "alternate video and phone")
    with pytest.raises(AssertionError, match="do not lean on messaging"):
        check_plan_rules("C", "messaging")
    with pytest.raises(AssertionError, match="video calls are not safe"):
        check_plan_rules("C", "face-to-face for 2 weeks, then alternate face-to-face and video")
    with pytest.raises(AssertionError, match="could not be read"):
        check_plan_rules("B", "carrier pigeon")


def test_plan_model_check_uses_the_channel_model():
    check_plan_model("A", "face-to-face for 8 weeks, then alternate face-to-face and phone")
    with pytest.raises(AssertionError, match="less Trust than simply phoning"):
        check_plan_model("C", "messaging")


def test_resources_come_from_the_library_with_suggestions():
    library = resources()
    assert library, "the resource library is empty"
    some = next(iter(library.values()))
    assert resource(some.id) == some
    with pytest.raises(AssertionError, match=f"did you mean '{some.id}'"):
        resource(some.id + "x")


def test_exercise_4_solution_uses_resources_that_exist():
    nb = nbformat.read(COURSE / "source/04-resources/resources.ipynb", as_version=4)
    chosen = next(c for c in nb.cells if course.nbgrader_meta(c).get("grade_id") == "chosen")
    namespace: dict = {}
    exec(course.solution_text(chosen.source), namespace)
    for rid in namespace["chosen"]:
        assert "phone" in resource(rid).channels


# --- the course ------------------------------------------------------------------------------


def test_course_config_sets_course_root_and_a_timeout():
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(COURSE)).load_config()
    assert config.CourseDirectory.course_id == "alliance-kit"
    assert Path(config.CourseDirectory.root) == COURSE
    assert 5 <= config.ExecutePreprocessor.timeout <= 60


def test_course_config_names_each_download_by_its_student():
    import re

    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(COURSE)).load_config()
    pattern = config.FileNameCollectorPlugin.named_regexp
    extracted = "/srv/course/downloaded/02-self-scores/extracted"
    match = re.match(pattern, f"{extracted}/downloads/week 3/s001_self_scores.ipynb")
    assert match and match.group("student_id") == "s001"
    assert match.group("file_id") == "self_scores.ipynb"
    assert not re.match(pattern, f"{extracted}/__MACOSX/._s001_self_scores.ipynb")
    assert config.ZipCollectApp.archive_directory == "archive"


def test_readme_sets_up_the_environment_before_the_first_command():
    readme = (COURSE / "README.md").read_text(encoding="utf-8")
    blocks = readme.split("```bash")[1:]
    first = blocks[0].split("```")[0]
    lines = [ln.split("#")[0].strip() for ln in first.splitlines() if ln.strip()]
    assert lines[:2] == ["python3 -m venv .venv", ".venv/bin/pip install -e ."], lines
    assert any(ln.startswith("export PATH=") and ".venv/bin" in ln for ln in lines)
    assert readme.index("python3 -m venv") < readme.index("nbgrader generate_assignment")
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    deps = pyproject.split("dependencies = [")[1].split("]")[0]
    assert '"nbgrader' in deps and '"jupyterlab' in deps


def test_readme_gives_the_routes_an_educator_needs():
    readme = " ".join((COURSE / "README.md").read_text(encoding="utf-8").split())
    head = readme[: readme.index("## The assignments")]
    assert "What a new educator does first" in head and "sandbox or as a separate user" in head
    # formgrader: the assignment name opens the source folder; these two routes grade
    assert "*Manual Grading* (top menu) > the assignment > the notebook" in readme
    assert "the number in the *# Submissions* column > *Manage Submissions*" in readme
    # students outside a hub, the roster, releasing feedback per student
    assert "each student needs Python with the kit installed" in readme
    assert "id,last_name,first_name,email" in readme
    assert "release_feedback 01-characteristics --student=s001" in readme
    assert "alliance-kit exercises remove-practice" in readme


def test_verify_wants_each_test_to_import_its_helpers(course_copy):
    path = course_copy / "source/01-characteristics/characteristics.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = next(
        c for c in nb.cells if course.nbgrader_meta(c).get("grade_id") == "test-needs-attention"
    )
    cell.source = "\n".join(ln for ln in cell.source.splitlines() if "import" not in ln)
    nbformat.write(nb, path)
    result = run_cli("exercises", "verify", "--no-run", cwd=course_copy)
    assert result.returncode == 1
    assert (
        "cell test-needs-attention: a test must import the helpers it uses, or a student can "
        "rebind them: import check_equal in this cell"
    ) in result.stdout


def test_feedback_drops_hidden_tests_tracebacks_and_server_paths(tmp_path):
    from alliance_kit.exercises.grading import FeedbackForStudents

    nb = nbformat.v4.new_notebook()
    test = nbformat.v4.new_code_cell(
        '"""Checked when graded."""\n### BEGIN HIDDEN TESTS\ncheck_equal(x, 3)\n'
        "### END HIDDEN TESTS"
    )
    test.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "t", "points": 1}
    test.outputs = [
        nbformat.v4.new_output(
            "error",
            ename="Mismatch",
            evalue=f"x is 2, but 3 was expected (read {sys.prefix}/data.csv).",
            traceback=["Cell In[4], line 3", "check_equal(x, 3)", f"File {REPO}/tools/x.py:9"],
        )
    ]
    answer = nbformat.v4.new_code_cell("print('hi')")
    answer.outputs = [nbformat.v4.new_output("stream", text=f"saved in {tmp_path}/out.txt\n")]
    nb.cells += [test, answer]
    FeedbackForStudents().preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    assert test.source == '"""Checked when graded."""'
    assert test.outputs[0].traceback == ["Mismatch: x is 2, but 3 was expected (read …/data.csv)."]
    assert answer.outputs[0].text == "saved in …/out.txt\n"


def test_strip_paths_takes_whole_folders_and_leaves_links():
    from alliance_kit.exercises.grading import strip_paths

    text = "see /usr/lib/x.py, https://example.org/usr/share, /usrdata and (/usr)"
    assert strip_paths(text, ["/usr"]) == (
        "see …/lib/x.py, https://example.org/usr/share, /usrdata and (…)"
    )


def test_the_course_has_five_assignments_of_every_kind():
    names = course.assignments(COURSE)
    assert len(names) >= 5
    kinds = {"test": 0, "hidden": 0, "manual": 0}
    for path in course.source_notebooks(COURSE):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            kinds["test"] += course.is_test(cell)
            kinds["hidden"] += course.is_test(cell) and "BEGIN HIDDEN TESTS" in cell.source
            kinds["manual"] += course.is_manual(cell)
    assert kinds["test"] >= 10 and kinds["hidden"] >= 5 and kinds["manual"] >= 5, kinds


def test_shipped_course_metadata_rubrics_and_tags_are_valid():
    import nbformat

    findings = []
    for path in course.source_notebooks(COURSE):
        findings += course.check_metadata(COURSE, path, nbformat.read(path, as_version=4))
    findings += course.check_tags(COURSE)
    assert findings == []


@pytest.fixture()
def course_copy(tmp_path: Path) -> Path:
    return copy_course(tmp_path / "exercises")


def _edit(path: Path, grade_id: str, **changes) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("grade_id") == grade_id:
            for key, value in changes.items():
                if key == "source":
                    cell["source"] = value
                else:
                    meta[key] = value
    path.write_text(json.dumps(nb), encoding="utf-8")


def test_verify_catches_a_free_test_a_failing_solution_and_a_missing_rubric(course_copy):
    path = course_copy / "source/01-characteristics/characteristics.ipynb"
    _edit(path, "test-utterances-format", source="assert True  # always passes")
    _edit(path, "test-needs-attention", source='assert needs_attention({}) == "bond"')
    _edit(path, "q3-rubric", source="Write a few sentences.")
    result = run_cli("exercises", "verify", "01-characteristics", cwd=course_copy)
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    assert "cell test-utterances-format: this test passes on an unanswered notebook" in out
    assert "cell test-needs-attention: the solution fails this test: KeyError" in out
    assert "cell officer-reactance: a manually graded answer needs a rubric cell" in out


def test_verify_checks_the_question_tags(course_copy):
    tags = course_copy / "question_tags.yaml"
    text = tags.read_text(encoding="utf-8").replace("  test-plan-b: [bond]\n", "")
    tags.write_text(text.replace("[reactance]", "[friction]", 1), encoding="utf-8")
    result = run_cli("exercises", "verify", "--no-run", cwd=course_copy)
    assert result.returncode == 1
    assert "03-contact-plan: graded cell has no characteristic" in result.stdout
    assert "unknown characteristic(s) friction" in result.stdout


def test_practice_mix_has_every_kind():
    kinds = practice.kinds_for(30, seed=3)
    assert len(kinds) == 30 and set(kinds) == set(practice.KINDS)
    assert kinds.count("correct") > kinds.count("empty")
    assert practice.kinds_for(30, seed=3) == kinds
    with pytest.raises(practice.PracticeError):
        practice.kinds_for(0)


def test_practice_submissions_need_the_release_first(course_copy):
    result = run_cli("exercises", "practice-submissions", "01-characteristics", cwd=course_copy)
    assert result.returncode == 1
    assert "Run 'nbgrader generate_assignment 01-characteristics'" in result.stdout
    assert not (course_copy / "submitted").exists()


def test_removing_practice_students_works_in_a_course_folder_named_with_hash_and_question_mark(
    tmp_path, monkeypatch
):
    from nbgrader.api import Gradebook

    from alliance_kit.paths import sqlalchemy_sqlite_url

    monkeypatch.setenv("PATH", tool_env()["PATH"])  # nbgrader runs alembic to make a gradebook
    course_dir = tmp_path / "Course #2 ?spring"
    (course_dir / "submitted" / "practice-1" / "01-characteristics").mkdir(parents=True)
    (course_dir / "submitted" / "kim" / "01-characteristics").mkdir(parents=True)
    url = sqlalchemy_sqlite_url(course_dir / "gradebook.db")
    with Gradebook(url) as gradebook:
        gradebook.add_student("practice-1")
        gradebook.add_student("kim")

    assert practice.remove_submissions(course_dir) == ["practice-1"]
    with Gradebook(url) as gradebook:
        assert [s.id for s in gradebook.students] == ["kim"]
    assert (course_dir / "submitted" / "kim").is_dir()
    assert not (course_dir / "submitted" / "practice-1").exists()


def test_stub_text_is_what_nbgrader_releases():
    source = "def f(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION"
    assert course.stub_text({"cell_type": "code", "source": source}) == (
        "def f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()"
    )
    assert course.solution_text(source) == "def f(x):\n    return x"


# --- the gradebook without a gradebook -----------------------------------------------------------


def test_gradebook_page_explains_how_to_get_a_gradebook(tmp_path):
    from alliance_kit.pages.gradebook import GradebookPage

    box = GradebookPage(tmp_path / "gradebook.db").build()
    html = box.children[0].value
    assert "No gradebook yet" in html and "nbgrader autograde" in html
    assert "ALLIANCE_KIT_GRADEBOOK" in html


def test_gradebook_page_reports_a_foreign_file_in_words(tmp_path):
    from alliance_kit.pages.gradebook import GradebookPage

    bad = tmp_path / "gradebook.db"
    bad.write_text("these are not grades", encoding="utf-8")
    gb = GradebookPage(bad)
    gb.build()
    assert "is not an nbgrader gradebook" in gb.status.value


def test_report_without_a_gradebook_says_what_to_do(tmp_path):
    result = run_cli(
        "exercises", "report", env={"ALLIANCE_KIT_GRADEBOOK": str(tmp_path / "none.db")}
    )
    assert result.returncode == 1
    assert "There is no gradebook at" in result.stdout and "autograde" in result.stdout
    assert "Traceback" not in result.stderr


def test_exercises_without_an_action_shows_the_choices():
    result = run_cli("exercises")
    assert result.returncode == 2
    assert "verify, practice-submissions, remove-practice or report" in result.stdout
