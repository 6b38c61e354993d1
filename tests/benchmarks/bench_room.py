"""A room of trainees opens the same page at once on a workshop server, against a bare page.

``python -m tests.benchmarks room [-- --trainees 30,40 --pages learn_trust,...]``. For each
room size N and each page (and a bare page: one markdown cell and an IntSlider), a fresh
``alliance-kit serve --workshop N --page <page>`` is started and left to warm its pool; then N
browser-less visitors (``visitors.py``: page, kernel websocket, widget states, as the page's
JavaScript) open the page at the same moment. Measured:

* seconds until every visitor is interactive; target at most 1.2x the bare page's. The bare
  page is measured first and again last for each room size, and the mean of the two is the
  reference: the same burst on a fresh server moves by up to half a second within one run (at
  30: the learn page 1.06 s measured first and 1.43 s fourth; the bare page 1.40 s first and
  1.21 s last), and one bare burst was the denominator of every ratio. Each burst starts
  once the warmed server and the machine are quiet (:func:`bench_pages.quiet`);
* memory (PSS) of the whole server tree once all have opened the page, their kernels still
  open; target at most 1.3x the bare page's;
* the landing page opened by N at once (no kernel, so no target against the bare page).

One run per figure (a room arrives once); the table is printed, written to
``bench-results/room.md`` and recorded for the summary table of ``make bench``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import urllib.request
from pathlib import Path

import psutil

from tests.benchmarks import summary
from tests.benchmarks.bench_pages import BARE, make_content, quiet, wait_warm
from tests.benchmarks.visitors import at_once, crowd_of, render_path
from tests.conftest import KitServer, start_kit_server

REPO = Path(__file__).resolve().parents[2]
RESULTS = REPO / "bench-results"
MIB = 2**20
TIME_TARGET = 1.2
MEMORY_TARGET = 1.3
DEFAULT_PAGES = "learn_trust,score_session,scenarios"


def tree_pss(pid: int) -> float:
    """Proportional memory of a process and all its descendants, MiB (shared pages split)."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return float("nan")
    total = 0.0
    for proc in processes:
        try:
            total += proc.memory_full_info().pss
        except psutil.Error:
            continue
    return total / MIB


def landing_burst(server: KitServer, n: int) -> float:
    """Seconds until n simultaneous visitors have the whole landing page."""

    def get() -> bool:
        try:
            with urllib.request.urlopen(f"{server.url}/", timeout=120) as response:
                return "ak-landing" in response.read().decode()
        except OSError:
            return False

    results, seconds = at_once([get] * n)
    return seconds if all(results) else float("nan")


def bare_mean(runs: list[dict[str, float]]) -> dict[str, float]:
    """The bare page's reference from its runs at the start and the end of a room size: the
    mean of each figure, and each run's time kept for the table."""
    mean = {key: sum(r[key] for r in runs) / len(runs) for key in runs[0] if key in runs[-1]}
    mean["landing_s"] = runs[0]["landing_s"]
    mean["runs"] = [r["seconds"] for r in runs]  # type: ignore[assignment]
    return mean


def one_room(
    tmp: Path, env: dict[str, str], notebook: str, n: int, again: bool = False
) -> dict[str, float]:
    """A fresh workshop server for one page, warmed, then n visitors at once (``again``: a
    page measured a second time in the run, in a folder of its own)."""
    args = ["--workshop", str(n), "--page", notebook]
    folder = f"{Path(notebook).stem}-{n}{'-again' if again else ''}"
    server = start_kit_server(tmp / folder, args, env=env)
    try:
        warmed = wait_warm(server, notebook, n)
        settled = quiet()
        before = tree_pss(server.process.pid)
        room = crowd_of(server.url, render_path(notebook), n, timeout=600)
        after = tree_pss(server.process.pid)
        if room.errors:
            print(f"  {notebook}: {len(room.errors)} visitor(s) failed: {room.errors[0]}")
        figures = {
            "warm_s": warmed,
            "settled_s": settled,
            "seconds": room.seconds if room.all_interactive else float("nan"),
            "slowest_page_s": max(v.page for v in room.visits),
            "pss_before": before,
            "pss_after": after,
        }
        if notebook == BARE and not again:
            figures["landing_s"] = landing_burst(server, n)
        room.close()
        return figures
    finally:
        server.stop()


def render(results: dict[int, dict[str, dict[str, float]]], pages: list[str]) -> str:
    lines = [
        f"# A room opens one page at once ({psutil.cpu_count()} cores): "
        "workshop server, pool warmed",
        "",
        "| trainees | page | all interactive s | ratio to bare | MiB tree after | "
        "ratio to bare | MiB per trainee | MiB before (warm pool) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for n, by_page in results.items():
        bare = by_page[BARE]
        for page in [BARE, *pages]:
            r = by_page[page]
            shown = page
            if page == BARE:
                runs = " and ".join(f"{s:.2f}" for s in bare["runs"])
                shown = f"{page} (mean of the first and the last run: {runs} s)"
            lines.append(
                f"| {n} | {shown} | {r['seconds']:.2f} | {r['seconds'] / bare['seconds']:.2f}x | "
                f"{r['pss_after']:.0f} | {r['pss_after'] / bare['pss_after']:.2f}x | "
                f"{r['pss_after'] / n:.0f} | {r['pss_before']:.0f} |"
            )
        lines.append(
            f"| {n} | landing page (no kernel) | {bare['landing_s']:.2f} | - | - | - | - | - |"
        )
    lines += [
        "",
        f"Targets: all interactive <= {TIME_TARGET}x the bare page's time, server tree memory "
        f"<= {MEMORY_TARGET}x the bare page's, for the same number of trainees.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench room")
    parser.add_argument("--trainees", default="30,40", help="room sizes, comma-separated")
    parser.add_argument("--pages", default=DEFAULT_PAGES, help="pages, comma-separated")
    args = parser.parse_args(argv or [])
    sizes = [int(n) for n in args.trainees.split(",") if n.strip()]
    pages = [p if p.endswith(".ipynb") else f"{p}.ipynb" for p in args.pages.split(",") if p]

    results: dict[int, dict[str, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="ak-bench-room-") as tmp_name:
        tmp = Path(tmp_name)
        env = {"ALLIANCE_KIT_CONTENT_DIR": str(make_content(tmp))}
        for n in sizes:
            results[n] = {}
            bare_runs = []
            for page in [BARE, *pages, BARE]:
                print(f"{n} trainees, {page}: warming the pool ...", flush=True)
                r = one_room(tmp, env, page, n, again=page == BARE and bool(bare_runs))
                if page == BARE:
                    bare_runs.append(r)
                else:
                    results[n][page] = r
                print(
                    f"  warm in {r['warm_s']:.0f} s, quiet {r['settled_s']:.0f} s later; "
                    f"all interactive in {r['seconds']:.1f} s; "
                    f"tree {r['pss_before']:.0f} -> {r['pss_after']:.0f} MiB",
                    flush=True,
                )
            results[n][BARE] = bare_mean(bare_runs)

    for n, by_page in results.items():
        bare = by_page[BARE]
        summary.record(f"{n} at once, bare page", bare["seconds"], "s")
        summary.record(f"{n} at once, bare page, tree memory", bare["pss_after"], "MiB")
        for page in pages:
            name = page.removesuffix(".ipynb")
            for what, key, unit, target in (
                ("", "seconds", "s", TIME_TARGET),
                (", tree memory", "pss_after", "MiB", MEMORY_TARGET),
            ):
                summary.record(
                    f"{n} at once, {name}{what}",
                    by_page[page][key],
                    unit,
                    reference=bare[key],
                    target_ratio=target,
                )
        summary.record(f"{n} at once, landing page (no kernel)", bare["landing_s"], "s")

    table = render(results, pages)
    print(table)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "room.md").write_text(table, encoding="utf-8")
    met = all(
        r["seconds"] <= TIME_TARGET * by_page[BARE]["seconds"]
        and r["pss_after"] <= MEMORY_TARGET * by_page[BARE]["pss_after"]
        for by_page in results.values()
        for page, r in by_page.items()
    )
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
