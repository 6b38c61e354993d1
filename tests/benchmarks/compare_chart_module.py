"""A page with charts, plotly's module carried by every chart against served once by the kit.

plotly's FigureWidget carries its browser module (plotly.js and the widget, about 5 MB) as a
widget trait, so the kernel encodes it, the server relays it and the browser parses it again
for every chart. On a kit server ``charts.private_chart`` sends a few lines that import the
module from the server (``alliance_kit.chart_module``). This serves, from one kit server, a
bare page and pages with one and three bar charts made both ways, alternating them, and
reports per view the server's and the page kernel's CPU (browser-less, as ``bench pages``)
and the time until the last chart is drawn in Chromium, each with its ratio to the bare page.
Not part of ``make bench``:

    python -m tests.benchmarks.compare_chart_module --runs 5
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from tests.benchmarks import bench_pages as pages
from tests.conftest import CHROMIUM_ARGS, chromium_path, start_kit_server

CHART_DRAWN = ".js-plotly-plot .main-svg"
HEAD = (
    "import ipywidgets as widgets\nimport plotly.graph_objects as go\n"
    "from alliance_kit.pages.charts import private_chart\n"
)
FIGURE = "go.Figure(go.Bar(x=[1, 2], y=[3, 4]))"
#: page name -> (the cell that makes its charts, how many charts)
CHART_PAGES = {
    "one_chart_carried.ipynb": (f"go.FigureWidget({FIGURE})", 1),
    "one_chart_served.ipynb": (f"private_chart({FIGURE})", 1),
    "three_charts_carried.ipynb": (f"widgets.VBox([go.FigureWidget({FIGURE}) for _ in 'abc'])", 3),
    "three_charts_served.ipynb": (f"widgets.VBox([private_chart({FIGURE}) for _ in 'abc'])", 3),
}


def drawn_in(browser, server, notebook: str, charts: int) -> float:
    """Seconds from asking for the page to its last chart drawn."""
    page = browser.new_page()
    try:
        start = time.perf_counter()
        page.goto(f"{server.url}/voila/render/{notebook}", wait_until="commit")
        if charts:
            page.locator(CHART_DRAWN).nth(charts - 1).wait_for(state="visible", timeout=120_000)
        else:
            page.wait_for_selector(pages.ready_selector(notebook), state="visible")
        return time.perf_counter() - start
    finally:
        page.close(run_before_unload=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="compare_chart_module")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    measured: dict[str, dict[str, list[float]]] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        content = pages.make_content(tmp)
        for name, (code, _charts) in CHART_PAGES.items():
            pages.write_page(content / "modules" / name, "# Charts", HEAD + code)
        env = {"ALLIANCE_KIT_CONTENT_DIR": str(content)}
        server = start_kit_server(tmp / "server", ["--no-preheat"], env=env)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
                everything = {pages.BARE: 0, **{n: c for n, (_code, c) in CHART_PAGES.items()}}
                drawn_in(browser, server, pages.BARE, 0)  # Chromium's own caches warm first
                for _ in range(args.runs):
                    for name, charts in everything.items():
                        # Ends when the view's kernel has exited (a page closed by Playwright
                        # leaves its kernel to the culler, and that is not waited for).
                        cpu, _rss = pages.per_view_cost(server, name)
                        seconds = drawn_in(browser, server, name, charts)
                        row = measured.setdefault(name, {"cpu": [], "drawn": []})
                        row["cpu"].append(cpu)
                        row["drawn"].append(seconds)
                browser.close()
        finally:
            server.stop()

    bare = {key: statistics.median(values) for key, values in measured[pages.BARE].items()}
    print(f"median of {args.runs} runs; ratios against the bare page")
    print(f"{'page':28s} {'CPU per view':>18s} {'drawn in Chromium':>20s}")
    for name, row in measured.items():
        cpu, drawn = statistics.median(row["cpu"]), statistics.median(row["drawn"])
        print(
            f"{name:28s} {cpu:9.2f} s {cpu / bare['cpu']:5.2f}x "
            f"{drawn:11.2f} s {drawn / bare['drawn']:5.2f}x"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
