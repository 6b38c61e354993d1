"""The nbgrader course in ``exercises/`` as data: its assignments, notebooks and answer cells.

nbgrader checks one notebook at a time, when an educator asks. Before a course runs, an
educator needs to know more: that every source notebook's solution passes its own tests, that
no test gives points for an empty answer, and that every graded question is tagged with the
characteristic it practises. :func:`verify` answers that; :mod:`.practice` builds practice
submissions from the same cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..alliance import CHARACTERISTIC_IDS
from ..i18n import N_, _
from ..paths import SOURCE_LANGUAGE
from .cells import graded_cells, nbgrader_meta, notebook_language, read_yaml_map
from .translate import originals

BEGIN_SOLUTION = re.compile(r"^\s*#+\s*BEGIN SOLUTION\s*$")
END_SOLUTION = re.compile(r"^\s*#+\s*END SOLUTION\s*$")
#: What nbgrader releases in place of an answer, per language a notebook is written in: a
#: Dutch trainee reads "JOUW ANTWOORD HIER". English is the course config's own (nbgrader's
#: usual stubs); the others are put in by ``grading.ClearSolutionsInLanguage``. The code stub
#: keeps ``raise NotImplementedError()`` in every language, so an unanswered cell fails its tests.
CODE_STUBS: dict[str, str] = {
    "en": "# YOUR CODE HERE\nraise NotImplementedError()",
    "nl": "# JOUW CODE HIER\nraise NotImplementedError()",
}
TEXT_STUBS: dict[str, str] = {"en": "YOUR ANSWER HERE", "nl": "JOUW ANTWOORD HIER"}
CODE_STUB = CODE_STUBS[SOURCE_LANGUAGE]
TEXT_STUB = TEXT_STUBS[SOURCE_LANGUAGE]
#: The heading of the read-only cell that shows students and graders how an answer is marked.
RUBRIC = N_("How this answer is marked")
#: The rubric heading in each language an assignment is written in.
RUBRIC_HEADINGS = (RUBRIC, "Zo wordt dit antwoord beoordeeld")
INVALID = N_("nbgrader metadata is invalid")


@dataclass(frozen=True)
class Finding:
    """One thing wrong with the course, located as precisely as we can."""

    where: str
    message: str
    cell: str | None = None

    def __str__(self) -> str:
        at = " · " + _("cell {id}").format(id=self.cell) if self.cell else ""
        return f"{self.where}{at}: {self.message}"


def default_course_dir() -> Path:
    """The course an educator means: the current folder if it is one, else the kit's own."""
    here = Path.cwd()
    if (here / "nbgrader_config.py").is_file() and (here / "source").is_dir():
        return here
    from ..paths import exercises_dir

    return exercises_dir()


def assignments(course: Path) -> list[str]:
    source = course / "source"
    if not source.is_dir():
        return []
    return sorted(p.name for p in source.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


def source_notebooks(course: Path, assignment: str | None = None) -> list[Path]:
    names = [assignment] if assignment else assignments(course)
    return [nb for name in names for nb in sorted((course / "source" / name).glob("*.ipynb"))]


def is_test(cell: Any) -> bool:
    """An autograder test cell: a graded code cell that is not an answer."""
    meta = nbgrader_meta(cell)
    return cell["cell_type"] == "code" and meta.get("grade", False) and not meta.get("solution")


def is_manual(cell: Any) -> bool:
    """A written answer a grader marks by hand (with the rubric shown above it)."""
    meta = nbgrader_meta(cell)
    return bool(meta.get("solution") and meta.get("grade") and cell["cell_type"] == "markdown")


def is_answer(cell: Any) -> bool:
    return bool(nbgrader_meta(cell).get("solution"))


def solution_text(source: str) -> str:
    """The solution as a student would have typed it: the markers gone, the code kept."""
    lines = [
        ln for ln in source.splitlines() if not (BEGIN_SOLUTION.match(ln) or END_SOLUTION.match(ln))
    ]
    return "\n".join(lines).strip("\n")


def stub_text(cell: Any, lang: str = SOURCE_LANGUAGE) -> str:
    """What nbgrader releases in place of an answer cell in a notebook in ``lang`` (used to
    test the empty case)."""
    code_stub = CODE_STUBS.get(lang, CODE_STUB)
    if cell["cell_type"] != "code":
        return TEXT_STUBS.get(lang, TEXT_STUB)
    out: list[str] = []
    inside = False
    for line in cell["source"].splitlines():
        if BEGIN_SOLUTION.match(line):
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out.extend(indent + s for s in code_stub.splitlines())
        elif END_SOLUTION.match(line):
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out) if out else code_stub


def _has_rubric(text: str) -> bool:
    return any(heading in text for heading in RUBRIC_HEADINGS)


def question_tags(course: Path) -> dict[str, dict[str, list[str]]]:
    """assignment -> grade_id -> characteristic ids (from ``question_tags.yaml``); a
    translated assignment has the tags of the English one it is built from."""
    raw = read_yaml_map(course / "question_tags.yaml")
    tags: dict[str, dict[str, list[str]]] = {}
    for assignment, cells in raw.items():
        if isinstance(cells, dict):
            tags[str(assignment)] = {
                str(gid): [value] if isinstance(value, str) else list(value or [])
                for gid, value in cells.items()
            }
    for translated, original in originals(course).items():
        if original in tags and translated not in tags:
            tags[translated] = tags[original]
    return tags


# --- test cells import their own helpers ------------------------------------------------


def imported_names(source: str) -> dict[str, str]:
    """name -> the module it comes from, for every ``import``/``from ... import`` in ``source``."""
    import ast

    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                names[alias.asname or alias.name] = node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                names[alias.asname or alias.name.split(".")[0]] = alias.name
    return names


def used_names(source: str) -> set[str]:
    import ast

    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}


def setup_imports(nb: Any) -> dict[str, str]:
    """What the locked cells outside the tests import: the helpers a test relies on."""
    names: dict[str, str] = {}
    for cell in nb.cells:
        if cell["cell_type"] == "code" and nbgrader_meta(cell).get("locked") and not is_test(cell):
            names.update(imported_names(cell["source"]))
    return names


def unimported_helpers(cell: Any, helpers: dict[str, str]) -> list[str]:
    """Helpers a test cell uses without importing them itself.

    Answer cells run before the tests in the student's kernel, so a name bound once in the setup
    cell can be rebound by the student (``check_equal = lambda *a, **k: None``) and every test,
    hidden ones included, would pass. A test that imports its helpers gets the real ones back.
    """
    own = imported_names(cell["source"])
    return sorted(name for name in used_names(cell["source"]) & set(helpers) if name not in own)


# --- verify ------------------------------------------------------------------------------


def _display(course: Path, path: Path) -> str:
    try:
        return str(path.relative_to(course.parent))
    except ValueError:
        return str(path)


def check_metadata(course: Path, path: Path, nb: Any) -> list[Finding]:
    """What nbgrader would refuse or silently get wrong, found before release."""
    from nbgrader.nbgraderformat import MetadataValidator, ValidationError

    where = _display(course, path)
    findings: list[Finding] = []
    try:
        MetadataValidator().validate_nb(nb)
    except ValidationError as exc:
        findings.append(Finding(where, f"{_(INVALID)}: {exc}"))
    if nb.metadata.get("kernelspec", {}).get("name") != "python3":
        findings.append(Finding(where, _("the kernelspec must be python3")))
    seen: set[str] = set()
    rubric_seen = False
    helpers = setup_imports(nb)
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        gid = meta.get("grade_id")
        if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count")):
            findings.append(Finding(where, _("has stored outputs: clear them before release"), gid))
        if not meta:
            continue
        if meta.get("locked") and cell["cell_type"] == "markdown" and _has_rubric(cell["source"]):
            rubric_seen = True
        if is_manual(cell):
            if not rubric_seen:
                findings.append(
                    Finding(
                        where,
                        _(
                            "a manually graded answer needs a rubric cell ({heading!r}) above it"
                        ).format(heading=_(RUBRIC)),
                        gid,
                    )
                )
            rubric_seen = False
        if gid in seen:
            findings.append(Finding(where, _("grade_id is used twice"), gid))
        seen.add(gid)
        if meta.get("grade") and not meta.get("points"):
            findings.append(Finding(where, _("a graded cell needs points above 0"), gid))
        if is_test(cell):
            missing = unimported_helpers(cell, helpers)
            if missing:
                findings.append(
                    Finding(
                        where,
                        _(
                            "a test must import the helpers it uses, or a student can rebind "
                            "them: import {names} in this cell"
                        ).format(names=", ".join(missing)),
                        gid,
                    )
                )
        marked = any(BEGIN_SOLUTION.match(ln) for ln in cell["source"].splitlines())
        if cell["cell_type"] == "code" and is_answer(cell) and not marked:
            findings.append(
                Finding(where, _("answer cell has no '### BEGIN SOLUTION' marker"), gid)
            )
    return findings


def check_tags(course: Path) -> list[Finding]:
    """Every graded cell is tagged with valid characteristics; no tag names a missing cell."""
    import nbformat

    tags = question_tags(course)
    where = "question_tags.yaml"
    findings: list[Finding] = []
    for assignment in assignments(course):
        graded: set[str] = set()
        for path in source_notebooks(course, assignment):
            nb = nbformat.read(path, as_version=4)
            graded |= {nbgrader_meta(c)["grade_id"] for c in graded_cells(nb)}
        listed = tags.get(assignment, {})
        for gid in sorted(graded - set(listed)):
            findings.append(
                Finding(
                    where,
                    _("{name}: graded cell has no characteristic").format(name=assignment),
                    gid,
                )
            )
        for gid in sorted(set(listed) - graded):
            findings.append(
                Finding(
                    where, _("{name}: names a cell that is not graded").format(name=assignment), gid
                )
            )
        for gid, values in listed.items():
            bad = [v for v in values if v not in CHARACTERISTIC_IDS] or (
                [] if values else ["(none)"]
            )
            if bad:
                findings.append(
                    Finding(
                        where,
                        _("{name}: unknown characteristic(s) {ids}").format(
                            name=assignment, ids=", ".join(bad)
                        ),
                        gid,
                    )
                )
    for assignment in sorted(set(tags) - set(assignments(course))):
        findings.append(
            Finding(
                where,
                _("names an assignment that does not exist: {name}").format(name=assignment),
            )
        )
    return findings


def _run(nb: Any, cwd: Path, timeout: int) -> Any:
    from nbclient import NotebookClient

    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(cwd)}},
    )
    client.execute()
    return nb


def _error_of(cell: Any) -> str | None:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            message = out.get("evalue", "").strip().splitlines()
            return f"{out.get('ename')}: {message[0] if message else ''}".strip()
    return None


def check_solutions_pass(course: Path, path: Path, nb: Any, timeout: int = 60) -> list[Finding]:
    """Run the source notebook: every test cell passes with the solutions in place."""
    import copy

    where = _display(course, path)
    ran = _run(copy.deepcopy(nb), path.parent, timeout)
    findings = []
    for cell in ran.cells:
        if cell["cell_type"] != "code":
            continue
        error = _error_of(cell)
        gid = nbgrader_meta(cell).get("grade_id")
        if error and is_test(cell):
            findings.append(
                Finding(where, _("the solution fails this test: {error}").format(error=error), gid)
            )
        elif error:
            findings.append(
                Finding(
                    where, _("raises with the solutions in place: {error}").format(error=error), gid
                )
            )
    return findings


def check_stubs_fail(course: Path, path: Path, nb: Any, timeout: int = 60) -> list[Finding]:
    """Run the notebook as released, unanswered: no test may give points for nothing."""
    import copy

    where = _display(course, path)
    empty = copy.deepcopy(nb)
    lang = notebook_language(nb)
    for cell in empty.cells:
        if is_answer(cell):
            cell["source"] = stub_text(cell, lang)
    ran = _run(empty, path.parent, timeout)
    return [
        Finding(
            where,
            _("this test passes on an unanswered notebook (free points)"),
            nbgrader_meta(c).get("grade_id"),
        )
        for c in ran.cells
        if is_test(c) and _error_of(c) is None
    ]


def verify(
    course: Path, assignment: str | None = None, run: bool = True, progress: Any = None
) -> list[Finding]:
    """Everything that would go wrong with this course, before students see it."""
    import nbformat

    findings: list[Finding] = []
    notebooks = source_notebooks(course, assignment)
    if not notebooks:
        what = (
            _("assignment {name!r}").format(name=assignment) if assignment else _("any assignment")
        )
        return [
            Finding(str(course / "source"), _("holds no notebook for {what}").format(what=what))
        ]
    for path in notebooks:
        if progress:
            progress(path)
        nb = nbformat.read(path, as_version=4)
        found = check_metadata(course, path, nb)
        findings += found
        if run and not any(f.message.startswith(INVALID) for f in found):
            findings += check_solutions_pass(course, path, nb)
            findings += check_stubs_fail(course, path, nb)
    if assignment is None:
        findings += check_tags(course)
    return findings
