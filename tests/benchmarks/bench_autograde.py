"""Autograding cost of an exercise against nbgrader autograding a notebook of the same
shape, and an empty notebook, same run.

A copy of the course gets extra assignments: an empty notebook, and for each measured
assignment a notebook of its shape: its cells, test cells, points and Markdown as they are,
every line of code replaced by ``pass`` but the lesson's own library (``import pandas``, in
the data-analysis exercise that teaches it). For each measured assignment, N practice
submissions (default 30: a class) are autograded by the real ``nbgrader autograde``,
``--runs`` times; the figures are seconds per notebook (the median run), by wall clock and by
CPU (nbgrader and the kernels it ran).

Target: at most 1.2x the CPU of the same shape. That is the cost the kit's checks, datasets
and the exercise's code add. nbgrader's own work grows with the cells it runs, checks and
records (about 10 ms of CPU per executed cell here, kernel and client together, and a
gradebook row per test), whatever the cells hold, and pandas' import alone is about
0.4 CPU-seconds, a third of an empty notebook's whole grading: set against an empty notebook,
a 13-cell pandas lesson is over 1.4x before its first line of code, so that ratio is shown
beside it, not judged. CPU rather than wall clock: on a busy machine the wall-clock figure
moves with the load, the CPU figure much less. ``all`` is every assignment with an autograded
test, English and Dutch.

The empty notebook is graded at the start, half-way and at the end of the run, and the median
of those is every row's empty-notebook figure: a single grading moves by a fifth or more with
the machine's load. Wall-clock seconds move in steps with the load: an empty notebook's time is
mostly its kernel starting (Python and ipykernel, CPU-bound), so every other busy process
beyond the two cores adds about half a kernel start per notebook. The table gives the mean
number of runnable processes while each assignment was graded, so that a wall-clock figure can
be read with it.

    .venv/bin/python -m tests.benchmarks autograde [--assignment=NAME|all] [--students=N] [--runs=N]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import nbformat
from nbformat.v4 import new_markdown_cell, new_notebook

from tests.benchmarks import summary
from tests.support import BIN, REPO, copy_course, tool_env

RESULTS = REPO / "bench-results"
EMPTY = "00-empty"
SHAPE = "00-shape-of-"
#: Lines a same-shape notebook keeps: the library a lesson teaches is the lesson's own cost.
KEPT = ("import pandas", "from pandas")
TARGET = 1.2


def autograded(course: Path) -> list[str]:
    """The course's assignments with at least one autograded test cell, in every language."""
    from alliance_kit.exercises.course import assignments, is_test, source_notebooks

    return [
        name
        for name in assignments(course)
        if any(
            is_test(cell)
            for path in source_notebooks(course, name)
            for cell in nbformat.read(path, as_version=4).cells
        )
    ]


@contextmanager
def runnable_processes() -> Iterator[list[int]]:
    """Samples of the machine's runnable processes (Linux's ``procs_running``), every 0.1 s
    while the block runs; no samples where ``/proc/stat`` is missing."""
    samples: list[int] = []
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.1):
            try:
                with open("/proc/stat", encoding="ascii") as stat:
                    for line in stat:
                        if line.startswith("procs_running"):
                            samples.append(int(line.split()[1]))
            except OSError:
                return

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield samples
    finally:
        done.set()
        thread.join()


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(*args: str, cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one command, the CPU of the kernels it started and
    waited for included."""
    cpu = _children_cpu()
    start = time.perf_counter()
    result = subprocess.run(args, cwd=cwd, env=tool_env(), capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return elapsed, _children_cpu() - cpu


def _nbgrader(*args: str, cwd: Path) -> tuple[float, float]:
    return _run(str(BIN / "nbgrader"), *args, cwd=cwd)


def _empty_assignment(course: Path, students: int) -> None:
    """An assignment of one notebook with one Markdown cell, submitted unchanged by
    ``students`` students."""
    folder = course / "source" / EMPTY
    folder.mkdir(parents=True)
    cells = [new_markdown_cell("A reference exercise, for the benchmark.")]
    nb = new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}
        },
    )
    nbformat.write(nb, folder / "reference.ipynb")
    _nbgrader("generate_assignment", EMPTY, cwd=course)
    for i in range(1, students + 1):
        target = course / "submitted" / f"{EMPTY}-{i:02d}" / EMPTY
        target.mkdir(parents=True)
        shutil.copy(course / "release" / EMPTY / "reference.ipynb", target / "reference.ipynb")


def _hollow(cell: nbformat.NotebookNode) -> nbformat.NotebookNode:
    if cell.cell_type != "code":
        return cell
    kept = "".join(f"{line}\n" for line in cell.source.splitlines() if line.startswith(KEPT))
    solution = cell.metadata.get("nbgrader", {}).get("solution", False)
    body = "### BEGIN SOLUTION\npass\n### END SOLUTION" if solution else "pass"
    cell.source = kept + body
    return cell


def _shape_assignment(course: Path, students: int, name: str) -> str:
    """A copy of assignment ``name`` with every code cell's code replaced by ``pass`` (but the
    lines in :data:`KEPT`), submitted as its solution by ``students`` students; its name."""
    from alliance_kit.exercises.course import source_notebooks

    shape = f"{SHAPE}{name}"
    folder = course / "source" / shape
    folder.mkdir(parents=True)
    notebooks = []
    for path in source_notebooks(course, name):
        nb = nbformat.read(path, as_version=4)
        nb.cells = [_hollow(cell) for cell in nb.cells]
        nbformat.write(nb, folder / path.name)
        notebooks.append(path.name)
    _nbgrader("generate_assignment", shape, cwd=course)
    for i in range(1, students + 1):
        target = course / "submitted" / f"{shape}-{i:02d}" / shape
        target.mkdir(parents=True)
        for notebook in notebooks:
            shutil.copy(folder / notebook, target / notebook)
    return shape


def _clear_autograded(course: Path, assignment: str) -> None:
    for folder in (course / "autograded").glob(f"*/{assignment}"):
        shutil.rmtree(folder, ignore_errors=True)


def _time_autograde(course: Path, assignment: str, students: int) -> tuple[float, float]:
    """(wall, CPU) seconds per notebook for one full ``nbgrader autograde`` of the class."""
    _clear_autograded(course, assignment)
    wall, cpu = _nbgrader("autograde", assignment, "--force", cwd=course)
    return wall / students, cpu / students


def _median(times: list[tuple[float, float]], which: int) -> float:
    return statistics.median(t[which] for t in times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench_autograde", description=__doc__.split("\n")[0])
    parser.add_argument("--assignment", default="01-characteristics", help="name, or 'all'")
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args(argv or [])

    with tempfile.TemporaryDirectory(prefix="ak-bench-autograde-") as tmp:
        course = copy_course(Path(tmp) / "exercises")
        names = autograded(course) if args.assignment == "all" else [args.assignment]
        print(f"preparing {args.students} submissions per assignment ...", flush=True)
        _empty_assignment(course, args.students)
        shapes = {name: _shape_assignment(course, args.students, name) for name in names}
        for name in names:
            _nbgrader("generate_assignment", name, cwd=course)
            _run(
                sys.executable,
                "-m",
                "alliance_kit.cli",
                "exercises",
                "practice-submissions",
                name,
                "--students",
                str(args.students),
                cwd=course,
            )
        # The empty notebook is the denominator of every row: graded at the start, half-way
        # and at the end, and its median taken, so one busy moment does not tilt every ratio.
        empty_times: list[tuple[float, float]] = []
        measured: dict[str, tuple[list, list, list[int]]] = {}
        halfway = len(names) // 2

        def grade_empty() -> None:
            empty_times.extend(
                _time_autograde(course, EMPTY, args.students) for _ in range(args.runs)
            )

        for index, name in enumerate(names):
            if index in (0, halfway):
                grade_empty()
            shape_times, times = [], []
            with runnable_processes() as load:
                for _ in range(args.runs):
                    shape_times.append(_time_autograde(course, shapes[name], args.students))
                    times.append(_time_autograde(course, name, args.students))
            measured[name] = (shape_times, times, load)
            print(f"graded {name}", flush=True)
        grade_empty()
        empty, empty_cpu = _median(empty_times, 0), _median(empty_times, 1)
        spread = f"{min(t[0] for t in empty_times):.2f}-{max(t[0] for t in empty_times):.2f}"
        rows = []
        status = 0
        for name, (shape_times, times, load) in measured.items():
            mine, mine_cpu = _median(times, 0), _median(times, 1)
            shape, shape_cpu = _median(shape_times, 0), _median(shape_times, 1)
            ratio = mine_cpu / shape_cpu
            verdict = "ok" if ratio <= TARGET else "TOO SLOW"
            status |= ratio > TARGET
            busy = f"{statistics.mean(load):.1f}" if load else "-"
            rows.append(
                f"| {name} | {mine_cpu:.2f} | {shape_cpu:.2f} | {ratio:.2f}x | {verdict} | "
                f"{mine:.2f} | {shape:.2f} | {mine / shape:.2f}x | "
                f"{empty_cpu:.2f} | {mine_cpu / empty_cpu:.2f}x | {empty:.2f} | "
                f"{mine / empty:.2f}x | {busy} |"
            )
            summary.record(
                f"autograde {name}, {args.students} submissions, CPU per notebook, against "
                "the same shape",
                mine_cpu,
                "s",
                reference=shape_cpu,
                target_ratio=TARGET,
            )
    table = "\n".join(
        [
            f"# Autograde cost: {args.students} submissions, median of {args.runs} run(s)",
            "",
            "| assignment | CPU s / notebook | same shape, code `pass`: CPU s | CPU ratio | "
            f"target <= {TARGET}x | s / notebook | same shape s | ratio | empty notebook "
            "CPU s | CPU ratio to empty | empty notebook s | ratio to empty | "
            "runnable processes |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
            *rows,
            "",
            "Same shape: the assignment's cells, tests and points, every line of code `pass` "
            "but the library the lesson teaches (`import pandas`).",
            "",
            "Runnable processes: the machine's mean while the row was measured (wall-clock "
            "seconds grow with it beyond the cores; CPU seconds hardly).",
            "",
            f"Empty notebook: median of {len(empty_times)} gradings spread over the run, "
            f"{spread} s per notebook.",
            "",
        ]
    )
    print(table)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "autograde.md").write_text(table, encoding="utf-8")
    return int(status)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
