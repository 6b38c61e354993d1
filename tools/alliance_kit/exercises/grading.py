"""nbgrader preprocessors the course's ``nbgrader_config.py`` plugs into autograding and feedback.

Two things nbgrader gets wrong for this course out of the box:

- Autograding warns "checksum ... has changed" on every test cell with hidden tests, for every
  student, because nbgrader stores the checksum of the cell *with* the hidden tests and compares
  it with the released cell *without* them. A warning that always fires hides the one that
  matters: a student who really edited a test. :class:`RestoreTestCells` recognises the released
  form of such a cell and restores the full cell quietly; any other change still warns.
- Feedback is the autograded notebook as HTML: hidden tests in full, and IPython tracebacks that
  quote the hidden test's lines and the server's file paths. :class:`FeedbackForStudents`
  removes the hidden tests, shortens every error to its sentence and strips server paths, so a
  course reused with the next group keeps its hidden tests hidden.

And one it does not offer: the stubs released in place of the answers ("YOUR ANSWER HERE")
are one setting for the whole course, so Dutch trainees read English in every answer cell.
:class:`ClearSolutionsInLanguage` releases the stubs of the notebook's own language.

Autograding starts a kernel for every notebook of every student: :class:`ExecuteInLeanKernel`
starts each with numpy's linear-algebra library on one thread (:data:`KERNEL_ENVIRONMENT`), and
through :class:`PromptKernelManager` it skips jupyter_client's fixed waits around each kernel.

nbgrader imports these by name from the course config, only in the educator's commands.
"""

from __future__ import annotations

import asyncio
import math
import os
import re
import sys
import tempfile
import time
import traceback
from pathlib import Path
from queue import Empty
from typing import Any, ClassVar

import jsonschema
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbformat.notebooknode import NotebookNode
from nbgrader import utils
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.nbgraderformat import MetadataValidator, ValidationError
from nbgrader.nbgraderformat.common import (
    BaseMetadataValidator,
    SchemaTooNewError,
    SchemaTooOldError,
)
from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearHiddenTests,
    ClearSolutions,
    Execute,
    NbGraderPreprocessor,
    OverwriteCells,
    SaveAutoGrades,
)
from traitlets import default

from .cells import notebook_language
from .course import CODE_STUBS, TEXT_STUBS


def released_source(source: str, clearer: ClearHiddenTests) -> str | None:
    """A test cell's source as students received it, or None when it has no hidden tests."""
    cell = NotebookNode({"cell_type": "code", "source": source, "metadata": {}})
    return cell.source if clearer._remove_hidden_test_region(cell) else None


class ClearSolutionsInLanguage(ClearSolutions):
    """nbgrader's ClearSolutions, with the stubs in the language the notebook is written in
    (``cells.notebook_language``): a Dutch assignment releases "JOUW ANTWOORD HIER" and
    "# JOUW CODE HIER". An English notebook gets the course config's stubs, as before
    (``course.TEXT_STUBS["en"]`` only mirrors them).

    Only the words differ: the code stub still raises ``NotImplementedError``, and nbgrader
    keeps the released cell's checksum as usual, so an unchanged answer scores 0 alike.
    """

    def preprocess(self, nb: NotebookNode, resources: Any) -> tuple[NotebookNode, Any]:
        lang = notebook_language(nb)
        if lang == "en" or lang not in TEXT_STUBS:
            return super().preprocess(nb, resources)
        course_stubs = (self.code_stub, self.text_stub)
        self.code_stub = {**self.code_stub, "python": CODE_STUBS[lang]}
        self.text_stub = TEXT_STUBS[lang]
        try:
            return super().preprocess(nb, resources)
        finally:
            self.code_stub, self.text_stub = course_stubs


#: What an autograding kernel's environment holds unless the educator's already says otherwise.
#: OpenBLAS starts a pool of threads when numpy is imported, which made ``import numpy`` (and
#: pandas, which imports it) about half as slow again: 50-70 ms of every contact-plan and
#: data-analysis notebook, for linear algebra no exercise does.
KERNEL_ENVIRONMENT = {"OPENBLAS_NUM_THREADS": "1"}


#: How often to look whether a stopped kernel has exited (jupyter_client looks every 0.1 s).
EXIT_POLL_SECONDS = 0.01


class PromptKernelClient(AsyncKernelClient):
    """jupyter_client's client, ready as soon as the kernel answers.

    jupyter_client's ``wait_for_ready`` ends by reading the kernel's output channel until it has
    been silent for 0.2 s: a fixed 0.2 s on every notebook, a fifth of an empty notebook's
    autograding. Nothing needs that silence here: nbclient reads only the messages that answer
    its own requests, so the kernel's start-up messages left in the channel are skipped there.
    """

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        """Ask for the kernel's info until it answers on both channels, as jupyter_client does
        (a kernel that has not subscribed its output channel yet is asked again)."""
        deadline = time.monotonic() + (math.inf if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply":
                try:
                    await self.iopub_channel.get_msg(timeout=0.2)
                except Empty:
                    pass
                else:
                    self._handle_kernel_info_reply(reply)
                    return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")


class PromptKernelManager(AsyncKernelManager):
    """jupyter_client's kernel manager with :class:`PromptKernelClient`, noticing a stopped
    kernel's exit within :data:`EXIT_POLL_SECONDS` instead of the next tenth of a second."""

    @default("client_factory")
    def _prompt_client(self) -> type[AsyncKernelClient]:
        return PromptKernelClient

    async def _async_wait(self, pollinterval: float = 0.1) -> None:
        while await self._async_is_alive():
            await asyncio.sleep(min(pollinterval, EXIT_POLL_SECONDS))


class ExecuteInLeanKernel(Execute):
    """nbgrader's Execute, each notebook's kernel started with :data:`KERNEL_ENVIRONMENT` and
    managed by :class:`PromptKernelManager`.

    Only the kernels autograding starts: the educator's own notebooks (and the server the
    formgrader runs in) keep their environment as it is.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("kernel_manager_class", PromptKernelManager)
        super().__init__(*args, **kwargs)

    async def async_start_new_kernel(self, **kwargs: Any) -> None:
        env = dict(kwargs.pop("env", None) or os.environ)
        for name, value in KERNEL_ENVIRONMENT.items():
            env.setdefault(name, value)
        await super().async_start_new_kernel(env=env, **kwargs)

    start_new_kernel = run_sync(async_start_new_kernel)


class RestoreTestCells(OverwriteCells):
    """nbgrader's OverwriteCells, warning only about cells a student really changed.

    The notebook's locked cells with hidden tests are read from the gradebook once per
    notebook (:meth:`_hidden_tests`), not one query per cell: autograding pays it for every
    student's notebook.
    """

    def preprocess(self, nb: NotebookNode, resources: Any) -> tuple[NotebookNode, Any]:
        self._with_hidden_tests: dict[str, tuple[str, str]] | None = None
        return super().preprocess(nb, resources)

    def _hidden_tests(self) -> dict[str, tuple[str, str]]:
        """grade id -> (the cell as released, the cell with its hidden tests), for every locked
        cell of the notebook that has hidden tests."""
        if self._with_hidden_tests is None:
            try:
                cells = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
            except MissingEntry:
                cells = None
            clearer = ClearHiddenTests(parent=self)
            self._with_hidden_tests = {}
            for original in cells.source_cells if cells is not None else ():
                released = released_source(original.source, clearer) if original.locked else None
                if released is not None:
                    self._with_hidden_tests[original.name] = (released, original.source)
        return self._with_hidden_tests

    def preprocess_cell(
        self, cell: NotebookNode, resources: dict, cell_index: int
    ) -> tuple[NotebookNode, dict]:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id is not None and utils.is_locked(cell):
            released, original = self._hidden_tests().get(grade_id, (None, None))
            if original is not None and cell.source == released:
                # Exactly what was released: put the hidden tests back without alarm.
                cell.source = original
        return super().preprocess_cell(cell, resources, cell_index)


class _SchemaCheckedOnce(BaseMetadataValidator):
    """nbgrader's check of a cell's metadata against its JSON Schema, with the schema compiled
    once: nbgrader calls ``jsonschema.validate``, which first checks the schema itself against
    JSON Schema's own, for every cell of every notebook (2 ms a cell, 24 ms for a notebook of
    14 cells, twice per notebook autograded).

    It sits between nbgrader's validator and its base (:class:`MetadataValidatorOnce`), so that
    nbgrader's own checks after the schema (grade ids, points, cell types) run as they are.
    """

    #: Compiled validators by schema version (the schema a version names is fixed).
    _compiled: ClassVar[dict[int, Any]] = {}

    def validate_cell(self, cell: NotebookNode) -> None:
        if "nbgrader" not in cell.metadata:
            return
        meta = cell.metadata["nbgrader"]
        version = meta.get("schema_version", 0)
        if version < self.schema_version:
            raise SchemaTooOldError(
                f"Outdated schema version: {version} (expected {self.schema_version})",
                version,
                self.schema_version,
            )
        if version > self.schema_version:
            raise SchemaTooNewError(
                f"Schema version is too new: {version} (expected {self.schema_version})",
                version,
                self.schema_version,
            )
        error = jsonschema.exceptions.best_match(self._validator().iter_errors(meta))
        if error is not None:
            raise error

    def _validator(self) -> Any:
        validator = self._compiled.get(self.schema_version)
        if validator is None:
            cls = jsonschema.validators.validator_for(self.schema)
            cls.check_schema(self.schema)
            validator = self._compiled[self.schema_version] = cls(self.schema)
        return validator


class MetadataValidatorOnce(MetadataValidator, _SchemaCheckedOnce):
    """nbgrader's metadata validator (current schema), its JSON Schema compiled once."""


class CheckCellMetadataOnce(CheckCellMetadata):
    """nbgrader's CheckCellMetadata with :class:`MetadataValidatorOnce`: the same checks and the
    same message, at a twentieth of the cost per cell."""

    def preprocess(self, nb: NotebookNode, resources: Any) -> tuple[NotebookNode, Any]:
        try:
            MetadataValidatorOnce().validate_nb(nb)
        except ValidationError:
            self.log.error(traceback.format_exc())
            msg = "Notebook failed to validate; the nbgrader metadata may be corrupted."
            self.log.error(msg)
            raise ValidationError(msg) from None
        return nb, resources


class _OneCommit(NbGraderPreprocessor):
    """Runs the cells with the gradebook's commits turned into flushes, then commits once.

    It sits under nbgrader's SaveAutoGrades (:class:`SaveAutoGradesTogether`), whose own
    ``preprocess`` opens the gradebook and then hands the cells on to this one.
    """

    gradebook: Gradebook

    def preprocess(self, nb: NotebookNode, resources: Any) -> tuple[NotebookNode, Any]:
        session = self.gradebook.db
        # Each grade is still written to the session (and flushed) where nbgrader commits.
        session.commit = session.flush
        try:
            nb, resources = super().preprocess(nb, resources)
        finally:
            del session.commit
        session.commit()
        return nb, resources


class SaveAutoGradesTogether(SaveAutoGrades, _OneCommit):
    """nbgrader's SaveAutoGrades, committing a notebook's grades and comments in one go.

    nbgrader commits after every graded cell and every answer: a SQLite transaction, with its
    writes to disk, each (4 ms here; ten in an exercise notebook). Together they are one
    transaction, and a notebook is never left half-graded in the gradebook if grading stops.
    """


def _server_paths(extra: list[str | None]) -> list[str]:
    """Folders whose names would tell a student where and how the course runs."""
    candidates = [
        *extra,
        str(Path.home()),
        sys.prefix,
        sys.base_prefix,
        sys.exec_prefix,
        tempfile.gettempdir(),
        str(Path(__file__).resolve().parents[2]),
    ]
    found = {os.path.normpath(p) for p in candidates if p and len(os.path.normpath(p)) > 1}
    # Longest first, so a folder inside another is replaced as a whole.
    return sorted(found, key=len, reverse=True)


def strip_paths(text: str, paths: list[str]) -> str:
    """``text`` with every server folder reduced to ``…`` (the file name stays)."""
    for path in paths:
        # Whole folders only: not "/usr" inside "https://example.org/usr/..." or "/usrdata".
        text = re.sub(r"(?<![\w.:/-])" + re.escape(path) + r"(?![\w.-])", "…", text)
    return text


class FeedbackForStudents(NbGraderPreprocessor):
    """What a student may see of the autograded notebook: no hidden tests, no server details."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        # nbgrader runs from the course folder; the notebook sits in autograded/<student>/<a>/.
        here = (resources.get("metadata") or {}).get("path") or ""
        parents = Path(here).resolve().parents if here else ()
        course = str(parents[2]) if len(parents) > 3 else None
        self._paths = _server_paths([os.getcwd(), here or None, course])
        self._clearer = ClearHiddenTests(parent=self)
        return super().preprocess(nb, resources)

    def preprocess_cell(
        self, cell: NotebookNode, resources: dict, index: int
    ) -> tuple[NotebookNode, dict]:
        if utils.is_grade(cell) and not utils.is_solution(cell) and cell.cell_type == "code":
            self._clearer._remove_hidden_test_region(cell)
        for output in cell.get("outputs", []):
            _clean_output(output, self._paths)
        return cell, resources


def _clean_output(output: Any, paths: list[str]) -> None:
    if output.get("output_type") == "error":
        # The traceback quotes the failing lines (hidden tests too) and the kit's file paths;
        # the helpers' sentence in evalue is what the student needs.
        output["evalue"] = strip_paths(str(output.get("evalue", "")), paths)
        output["traceback"] = [f"{output.get('ename', 'Error')}: {output['evalue']}"]
    elif output.get("output_type") == "stream":
        output["text"] = strip_paths(str(output.get("text", "")), paths)
    else:
        data = output.get("data") or {}
        for kind in ("text/plain", "text/html", "text/markdown"):
            if isinstance(data.get(kind), str):
                data[kind] = strip_paths(data[kind], paths)
