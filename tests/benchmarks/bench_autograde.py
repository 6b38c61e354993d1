"""Autograding cost of an exercise against nbgrader autograding an empty notebook, same run.

A copy of the course gets an extra assignment with an empty notebook. For each measured
assignment, N practice submissions (default 30: a class) and N copies of the empty notebook
are autograded by the real ``nbgrader autograde``, alternating, ``--runs`` times; the figure
is wall-clock seconds per notebook (the median run), and its ratio to the empty notebook.
Target: at most 1.2x, which is why the exercises keep heavy imports out (pandas only in the
data-analysis exercise). Beside it, the CPU seconds per notebook of nbgrader and the kernels
it ran, and their ratio: on a busy machine the wall-clock figure moves with the load, the CPU
figure much less. ``all`` is every assignment with an autograded test, English and Dutch.

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
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_markdown_cell, new_notebook

from tests.benchmarks import summary
from tests.support import BIN, REPO, copy_course, tool_env

RESULTS = REPO / "bench-results"
EMPTY = "00-empty"
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
    folder = course / "source" / EMPTY
    folder.mkdir(parents=True)
    nb = new_notebook(
        cells=[new_markdown_cell("An empty exercise, for the benchmark.")],
        metadata={
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}
        },
    )
    nbformat.write(nb, folder / "empty.ipynb")
    _nbgrader("generate_assignment", EMPTY, cwd=course)
    for i in range(1, students + 1):
        target = course / "submitted" / f"empty-{i:02d}" / EMPTY
        target.mkdir(parents=True)
        shutil.copy(course / "release" / EMPTY / "empty.ipynb", target / "empty.ipynb")


def _clear_autograded(course: Path, assignment: str) -> None:
    for folder in (course / "autograded").glob(f"*/{assignment}"):
        shutil.rmtree(folder, ignore_errors=True)


def _time_autograde(course: Path, assignment: str, students: int) -> tuple[float, float]:
    """(wall, CPU) seconds per notebook for one full ``nbgrader autograde`` of the class."""
    _clear_autograded(course, assignment)
    wall, cpu = _nbgrader("autograde", assignment, "--force", cwd=course)
    return wall / students, cpu / students


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
        rows = []
        status = 0
        for name in names:
            empty_times, times = [], []
            for _ in range(args.runs):
                empty_times.append(_time_autograde(course, EMPTY, args.students))
                times.append(_time_autograde(course, name, args.students))
            empty = statistics.median(t[0] for t in empty_times)
            mine = statistics.median(t[0] for t in times)
            empty_cpu = statistics.median(t[1] for t in empty_times)
            mine_cpu = statistics.median(t[1] for t in times)
            ratio = mine / empty
            verdict = "ok" if ratio <= TARGET else "TOO SLOW"
            status |= ratio > TARGET
            rows.append(
                f"| {name} | {mine:.2f} | {empty:.2f} | {ratio:.2f}x | {verdict} | "
                f"{mine_cpu:.2f} | {empty_cpu:.2f} | {mine_cpu / empty_cpu:.2f}x |"
            )
            summary.record(
                f"autograde {name}, {args.students} submissions, per notebook",
                mine,
                "s",
                reference=empty,
                target_ratio=TARGET,
            )
            print(rows[-1], flush=True)
    table = "\n".join(
        [
            f"# Autograde cost: {args.students} submissions, median of {args.runs} run(s)",
            "",
            "| assignment | s / notebook | empty notebook s / notebook | ratio | target "
            f"<= {TARGET}x | CPU s / notebook | empty notebook CPU s | CPU ratio |",
            "|---|---|---|---|---|---|---|---|",
            *rows,
            "",
        ]
    )
    print(table)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "autograde.md").write_text(table, encoding="utf-8")
    return int(status)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
