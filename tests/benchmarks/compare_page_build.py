"""CPU to import and build each page, in this checkout against an earlier commit, same run.

A page's kernel has ipykernel, ipywidgets and IPython loaded before the page's cell runs; this
loads them first too and times only the page's own imports and building, alternating the two
trees so machine load falls on both alike. Not part of ``make bench`` (it compares versions,
not the kit against a bare page):

    python -m tests.benchmarks.compare_page_build --before <commit> --runs 5
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PAGES = {
    "learn_trust": "from alliance_kit.pages import learn; learn.show('trust')",
    "scenarios": "from alliance_kit.pages import scenarios; scenarios.show()",
    "score_session": "from alliance_kit.pages import score_session; score_session.show()",
    "library": "from alliance_kit.pages import library; library.show()",
    "channel_plan": "from alliance_kit.pages import channel_plan; channel_plan.show()",
}
PROGRAM = """
import contextlib, io, time
import IPython, ipykernel.ipkernel, ipywidgets
started = time.process_time()
with contextlib.redirect_stdout(io.StringIO()):
    exec({code!r})
print(time.process_time() - started)
"""


def cpu_seconds(tools: Path, code: str, data: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(tools), "ALLIANCE_KIT_DATA_DIR": data}
    out = subprocess.run(
        [sys.executable, "-c", PROGRAM.format(code=code)],
        env=env,
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),
        check=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="the commit to compare against")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as work:
        before = Path(work) / "before"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(before), args.before],
            cwd=REPO,
            check=True,
            capture_output=True,
        )
        try:
            trees = {"before": before / "tools", "now": REPO / "tools"}
            times: dict[str, dict[str, list[float]]] = {t: {p: [] for p in PAGES} for t in trees}
            for _ in range(args.runs):
                for page, code in PAGES.items():
                    for tree, tools in trees.items():
                        times[tree][page].append(cpu_seconds(tools, code, work))
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(before)], cwd=REPO, check=False
            )
    print("| page | before (ms, best) | now (ms, best) | ratio | medians (ms) |")
    print("|---|---|---|---|---|")
    for page in PAGES:
        b, n = min(times["before"][page]), min(times["now"][page])
        mb, mn = statistics.median(times["before"][page]), statistics.median(times["now"][page])
        print(
            f"| {page} | {b * 1000:.0f} | {n * 1000:.0f} | {n / b:.2f} "
            f"| {mb * 1000:.0f} → {mn * 1000:.0f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
