"""CPU to import and build each page, in this checkout against an earlier commit, same run.

A page's kernel has ipykernel, ipywidgets and IPython loaded before the page's cell runs; this
loads them first too and times only the page's own imports and building, alternating the two
trees so machine load falls on both alike. Both trees are byte-compiled first, as an installed
kit is, so neither pays for compiling its source (which ``PYTHONDONTWRITEBYTECODE`` would
otherwise make one of them pay on every run). Each tree has a data folder of its own, as a
kit has: sharing one, each tree would rebuild the library index the other had just written,
and the library page would be timed rebuilding it every run. One round of every page runs
first, untimed, as a workshop's first kernel does: it builds the library index and fills the
user's cache folder, so the timed runs are the kernels that follow (``--cold`` gives each
timed run an empty cache folder instead).

Then a kernel's start-up, before and now: from starting a kernel to its ``kernel_info`` reply
and an executed ``import alliance_kit``, wall time and the kernel process's CPU. Not part of
``make bench`` (it compares versions, not the kit against a bare page):

    python -m tests.benchmarks.compare_page_build --before <commit> --runs 5
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PAGES = {
    "learn_trust": "from alliance_kit.pages import learn; learn.show('trust')",
    "scenarios": "from alliance_kit.pages import scenarios; scenarios.show()",
    "score_session": "from alliance_kit.pages import score_session; score_session.show()",
    "client_rating": "from alliance_kit.pages import client_rating; client_rating.show()",
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


def cpu_seconds(tools: Path, code: str, data: str, cache: str | None = None) -> float:
    env = {**os.environ, "PYTHONPATH": str(tools), "ALLIANCE_KIT_DATA_DIR": data}
    if cache is not None:
        env["XDG_CACHE_HOME"] = tempfile.mkdtemp(dir=cache)
    out = subprocess.run(
        [sys.executable, "-c", PROGRAM.format(code=code)],
        env=env,
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),
        check=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def kernel_start(tools: Path, data: str) -> tuple[float, float]:
    """(wall seconds, kernel CPU seconds) from starting a kernel to its kernel_info reply and
    an executed ``import alliance_kit``; the kernel is shut down before this returns."""
    import psutil
    from jupyter_client import KernelManager

    env = {**os.environ, "PYTHONPATH": str(tools), "ALLIANCE_KIT_DATA_DIR": data}
    # IPC, as the kit's server runs its kernels, in a folder of this run's own.
    km = KernelManager(kernel_name="python3", transport="ipc", ip=tempfile.mkdtemp(dir=data) + "/k")
    started = time.perf_counter()
    km.start_kernel(env=env, cwd=tempfile.gettempdir())
    try:
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=60)
            reply = kc.execute_interactive(
                "import alliance_kit", timeout=60, output_hook=lambda msg: None
            )
            wall = time.perf_counter() - started
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"the kernel could not import the kit: {reply['content']}")
            cpu = psutil.Process(km.provisioner.process.pid).cpu_times()  # type: ignore[union-attr]
        finally:
            kc.stop_channels()
    finally:
        km.shutdown_kernel(now=True)
    return wall, cpu.user + cpu.system


def byte_compile(tools: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(tools)], check=True, capture_output=True
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="the commit to compare against")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--cold", action="store_true", help="an empty user cache folder for every page run"
    )
    parser.add_argument("--no-kernel", action="store_true", help="skip the kernel start-up")
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
            for tools in trees.values():
                byte_compile(tools)
            data = {tree: tempfile.mkdtemp(prefix=f"data-{tree}-", dir=work) for tree in trees}
            cache = work if args.cold else None
            for code in PAGES.values():
                for tree, tools in trees.items():
                    cpu_seconds(tools, code, data[tree])
            times: dict[str, dict[str, list[float]]] = {t: {p: [] for p in PAGES} for t in trees}
            for _ in range(args.runs):
                for page, code in PAGES.items():
                    for tree, tools in trees.items():
                        times[tree][page].append(cpu_seconds(tools, code, data[tree], cache))
            kernels: dict[str, list[tuple[float, float]]] = {t: [] for t in trees}
            for _ in range(0 if args.no_kernel else args.runs):
                for tree, tools in trees.items():
                    kernels[tree].append(kernel_start(tools, data[tree]))
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
    if kernels["now"]:
        print()
        print(
            "| kernel start-up to `import alliance_kit` | before (ms, best) | now (ms, best) "
            "| ratio | medians (ms) |"
        )
        print("|---|---|---|---|---|")
        for index, what in ((0, "wall"), (1, "kernel CPU")):
            b = [k[index] for k in kernels["before"]]
            n = [k[index] for k in kernels["now"]]
            print(
                f"| {what} | {min(b) * 1000:.0f} | {min(n) * 1000:.0f} | {min(n) / min(b):.2f} "
                f"| {statistics.median(b) * 1000:.0f} → {statistics.median(n) * 1000:.0f} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
