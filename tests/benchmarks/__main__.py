"""Run the kit's benchmarks: ``python -m tests.benchmarks [NAME ...] [-- options]``.

Each benchmark is a module ``bench_<name>.py`` in this folder with a ``main(argv)`` function.
With no name, all of them run in turn with the sizes in :data:`FULL_RUN` (``make bench``: the
whole run fits in 20 minutes on a 2-core machine); their own tables are printed and written to
``bench-results/``, and one summary table of every headline figure ends the run
(``bench-results/summary.md``). Named benchmarks run with their own defaults.
"""

from __future__ import annotations

import importlib
import sys
import time
import traceback
from pathlib import Path

from tests.benchmarks import summary

HERE = Path(__file__).resolve().parent
RESULTS = HERE.parents[1] / "bench-results"
#: Options for each benchmark when ``make bench`` runs them all. The room-sized bursts are
#: ``room``'s (30 and 40 at once, browser-less); the page benchmark measures every page's
#: per-view cost (the least of 5 views taken in rounds), times once in Chromium the pages a
#: room opens, the library and the channel plan, and leaves its own bursts out; the library
#: searches 10,000 and 100,000 resources and times 20 keystrokes on its page; autograde
#: grades 6 submissions of each autograded assignment, English and Dutch, each against a
#: notebook of its shape and an empty notebook in the same run; the hub runs prepared, as a
#: facilitator runs it for a room (``make bench BENCH_ARGS=hub`` also logs a room in to a
#: cold hub, about two minutes more).
FULL_RUN: dict[str, list[str]] = {
    "pages": [
        "--runs",
        "5",
        "--browser-runs",
        "1",
        "--burst",
        "0",
        "--browser-pages",
        "index,learn_trust,score_session,scenarios,library,channel_plan",
    ],
    "library": ["--sizes", "10000", "100000", "--queries", "100", "--page", "20"],
    "journal": ["--runs", "7"],
    "autograde": ["--assignment", "all", "--students", "6"],
    "hub": ["--hub", "prepared"],
    "room": ["--trainees", "30,40"],
}


def available() -> list[str]:
    return sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))


def split_arguments(argv: list[str]) -> tuple[list[str], list[str]]:
    """Benchmark names first, then their options: ``room --trainees 30,40`` keeps ``30,40``
    with its option instead of reading it as a benchmark's name."""
    first_option = next((i for i, a in enumerate(argv) if a.startswith("-")), len(argv))
    return argv[:first_option], argv[first_option:]


def main(argv: list[str]) -> int:
    if argv[:1] in (["-h"], ["--help"]):
        print(__doc__)
        print(f"Benchmarks: {', '.join(available())}. Options after a name go to it, e.g.")
        print("    python -m tests.benchmarks room --help")
        return 0
    names, options = split_arguments(argv)
    unknown = [n for n in names if n not in available()]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(available())}")
        return 2
    status = 0
    silent: list[str] = []
    durations: list[str] = []
    started = time.monotonic()
    for name in names or available():
        print(f"\n=== benchmark: {name} ===", flush=True)
        summary.start(name)
        before = len(summary.ROWS)
        began = time.monotonic()
        module = importlib.import_module(f"tests.benchmarks.bench_{name}")
        args = options if names else FULL_RUN.get(name, [])
        try:
            status |= int(module.main(args) or 0)
        except Exception:
            traceback.print_exc()
            summary.record("the benchmark stopped with an error (see above)", float("nan"), "")
            status |= 1
        durations.append(f"{name} {time.monotonic() - began:.0f} s")
        if len(summary.ROWS) == before:
            silent.append(name)
    table = summary.table(summary.ROWS, silent)
    took = f"Run time: {time.monotonic() - started:.0f} s ({', '.join(durations)})."
    print(f"\n=== summary ===\n{table}\n{took}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "summary.md").write_text(f"{table}\n{took}\n", encoding="utf-8")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
