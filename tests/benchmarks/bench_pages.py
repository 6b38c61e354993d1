"""Page cost of the kit against a bare Voila page, measured in the same run.

For the landing page and every module page, and for a bare page (one markdown cell and one
IntSlider) served by the same server:

* server CPU seconds (server process + the page's kernel) and kernel RSS per page view;
* time until the page is interactive in headless Chromium, cold (no warm kernels) and with
  the kit's serve config (a warm kernel waiting for the page);
* N simultaneous first opens (default 30) until every visitor is interactive, with a light
  client speaking Voila's HTTP and kernel websocket protocol, so that Chromium's own CPU does
  not distort the figure on a 2-core machine.

Every figure is the median of ``--runs`` runs (default 5), with its ratio to the bare page.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import re
import shutil
import statistics
import tempfile
import threading
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import psutil

from tests.conftest import CHROMIUM_ARGS, KitServer, start_kit_server
from tests.support import REPO

RESULTS = REPO / "bench-results"
KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')
BARE = "bare.ipynb"


def make_content(tmp: Path) -> Path:
    content = tmp / "content"
    shutil.copytree(REPO / "modules", content / "modules")
    for folder in ("resource_library", "exercises"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, content / folder)
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# A bare page"),
        nbformat.v4.new_code_cell("import ipywidgets as widgets\nwidgets.IntSlider()"),
    ]
    nbformat.write(nb, content / "modules" / BARE)
    return content


def ready_selector(notebook: str) -> str:
    if notebook == BARE:
        return ".widget-slider"
    if notebook == "index.ipynb":
        return ".ak-landing"
    from alliance_kit.page_list import registry

    for page in registry().pages:
        if page.notebook == notebook and page.expect:
            return page.expect[0]
    return ".ak-page"


def kernel_process(server: KitServer, kernel_id: str) -> psutil.Process | None:
    for child in psutil.Process(server.process.pid).children(recursive=True):
        try:
            if kernel_id in " ".join(child.cmdline()):
                return child
        except psutil.Error:
            continue
    return None


def cpu_of(proc: psutil.Process) -> float:
    t = proc.cpu_times()
    return t.user + t.system


class Visitor:
    """A browserless visitor: HTTP page fetch, then the kernel websocket handshake."""

    def __init__(self, server: KitServer, notebook: str) -> None:
        self.server = server
        self.notebook = notebook
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.kernel_id = ""

    def open(self) -> float:
        start = time.perf_counter()
        url = f"{self.server.url}/voila/render/{self.notebook}"
        html = self.opener.open(url, timeout=600).read().decode()
        self.kernel_id = KERNEL_ID.search(html).group(1)
        self.kernel_info()
        return time.perf_counter() - start

    def kernel_info(self) -> None:
        import websocket

        ws = websocket.create_connection(
            f"ws://127.0.0.1:{self.server.port}/api/kernels/{self.kernel_id}/channels"
            f"?session_id={uuid.uuid4()}",
            timeout=300,
        )
        try:
            msg_id = uuid.uuid4().hex
            ws.send(
                json.dumps(
                    {
                        "header": {
                            "msg_id": msg_id,
                            "username": "bench",
                            "session": uuid.uuid4().hex,
                            "msg_type": "kernel_info_request",
                            "version": "5.3",
                        },
                        "parent_header": {},
                        "metadata": {},
                        "content": {},
                        "channel": "shell",
                        "buffers": [],
                    }
                )
            )
            while True:
                reply = json.loads(ws.recv())
                if reply.get("parent_header", {}).get("msg_id") == msg_id and reply["header"][
                    "msg_type"
                ].endswith("_reply"):
                    return
        finally:
            ws.close()

    def close(self) -> None:
        token = next((c.value for c in self.jar if c.name == "_xsrf"), "")
        req = urllib.request.Request(
            f"{self.server.url}/voila/api/shutdown/{self.kernel_id}",
            data=f"_xsrf={token}".encode(),
            method="POST",
        )
        self.opener.open(req, timeout=60).read()


def wait_kernels(server: KitServer, expected: int, timeout: float = 60) -> None:
    """Wait until the server is back to ``expected`` kernels (closed tabs shut, pools full)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.kernel_count() > expected:
        time.sleep(0.2)
    time.sleep(0.5)


def per_view_cost(server: KitServer, notebook: str) -> tuple[float, float]:
    """(server CPU seconds, kernel RSS MiB) for one cold view of one page."""
    proc = psutil.Process(server.process.pid)
    before = cpu_of(proc)
    visitor = Visitor(server, notebook)
    visitor.open()
    kernel = kernel_process(server, visitor.kernel_id)
    time.sleep(0.3)
    kernel_cpu = cpu_of(kernel) if kernel else 0.0
    rss = kernel.memory_info().rss / 2**20 if kernel else 0.0
    server_cpu = cpu_of(proc) - before
    visitor.close()
    return server_cpu + kernel_cpu, rss


def browser_tti(browser, server: KitServer, notebook: str) -> float:
    page = browser.new_page()
    try:
        start = time.perf_counter()
        page.goto(f"{server.url}/voila/render/{notebook}", wait_until="commit")
        page.wait_for_selector(ready_selector(notebook), state="visible", timeout=120_000)
        return time.perf_counter() - start
    finally:
        page.close(run_before_unload=True)


def burst(server: KitServer, notebook: str, n: int) -> float:
    """Seconds until all n simultaneous first opens are interactive."""
    visitors = [Visitor(server, notebook) for _ in range(n)]
    barrier = threading.Barrier(n)

    def go(v: Visitor) -> float:
        barrier.wait()
        return v.open()

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=n) as pool:
        list(pool.map(go, visitors))
    elapsed = time.perf_counter() - start
    for v in visitors:
        v.close()
    return elapsed


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench pages")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--burst", type=int, default=30)
    parser.add_argument(
        "--burst-pages",
        default="index.ipynb,learn_trust.ipynb,score_session.ipynb,library.ipynb",
        help="pages measured under a burst (bare page always); comma-separated",
    )
    parser.add_argument("--pages", default="", help="only these pages (default: all)")
    args = parser.parse_args(argv or [])

    from playwright.sync_api import sync_playwright

    from alliance_kit.page_list import registry
    from tests.conftest import chromium_path

    notebooks = ["index.ipynb", *[p.notebook for p in registry().available()]]
    if args.pages:
        wanted = {p if p.endswith(".ipynb") else f"{p}.ipynb" for p in args.pages.split(",")}
        notebooks = [nb for nb in notebooks if nb in wanted]
    everything = [BARE, *notebooks]
    burst_pages = [BARE, *[p for p in args.burst_pages.split(",") if p in notebooks]]

    rows: dict[str, dict[str, float]] = {nb: {} for nb in everything}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        content = make_content(tmp)
        env = {"ALLIANCE_KIT_CONTENT_DIR": str(content)}
        cold = start_kit_server(tmp / "cold", ["--no-preheat"], env=env)
        warm_args = ["--workshop", "1"] + [arg for nb in everything for arg in ("--page", nb)]
        try:
            print("per-view cost (cold server) ...", flush=True)
            for nb in everything:
                costs = [per_view_cost(cold, nb) for _ in range(args.runs)]
                rows[nb]["cpu"] = median([c[0] for c in costs])
                rows[nb]["rss"] = median([c[1] for c in costs])
                print(f"  {nb}: {rows[nb]['cpu']:.2f} s, {rows[nb]['rss']:.0f} MiB", flush=True)

            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
                print("browser time-to-interactive, cold ...", flush=True)
                browser_tti(browser, cold, BARE)  # warm Chromium's own caches first
                for nb in everything:
                    rows[nb]["tti_cold"] = median(
                        [browser_tti(browser, cold, nb) for _ in range(args.runs)]
                    )
                    print(f"  {nb}: {rows[nb]['tti_cold']:.2f} s", flush=True)
                cold.stop()
                warm = start_kit_server(tmp / "warm", warm_args, env=env)
                try:
                    deadline = time.monotonic() + 300  # every page's warm kernel is up
                    while time.monotonic() < deadline and warm.kernel_count() < len(everything):
                        time.sleep(0.5)
                    print("browser time-to-interactive, kit serve config ...", flush=True)
                    for nb in everything:
                        times = []
                        for _ in range(args.runs):
                            wait_kernels(warm, len(everything))
                            times.append(browser_tti(browser, warm, nb))
                        rows[nb]["tti_warm"] = median(times)
                        print(f"  {nb}: {rows[nb]['tti_warm']:.2f} s", flush=True)
                finally:
                    warm.stop()
                browser.close()

            cold = start_kit_server(tmp / "cold2", ["--no-preheat"], env=env)
            print(f"{args.burst} simultaneous first opens (cold server) ...", flush=True)
            for nb in burst_pages:
                times = []
                for _ in range(args.runs):
                    wait_kernels(cold, 0)
                    times.append(burst(cold, nb, args.burst))
                rows[nb]["burst"] = median(times)
                print(f"  {nb}: {rows[nb]['burst']:.1f} s", flush=True)
        finally:
            cold.stop()

    table = render(rows, everything, args)
    print(table)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "pages.md").write_text(table, encoding="utf-8")
    return 0


def render(rows: dict[str, dict[str, float]], order: list[str], args: argparse.Namespace) -> str:
    bare = rows[BARE]

    def cell(nb: str, key: str, fmt: str) -> str:
        value = rows[nb].get(key)
        if value is None:
            return "-"
        ratio = value / bare[key] if bare.get(key) else float("nan")
        return f"{value:{fmt}} ({ratio:.2f}x)"

    lines = [
        f"Median of {args.runs} runs; ratio to the bare page in brackets. "
        f"Burst: {args.burst} simultaneous first opens, cold server.",
        "",
        "| page | server CPU s/view | kernel RSS MiB | TTI cold s | TTI kit config s | "
        f"{args.burst} opens s |",
        "|---|---|---|---|---|---|",
    ]
    for nb in order:
        lines.append(
            f"| {nb} | {cell(nb, 'cpu', '.2f')} | {cell(nb, 'rss', '.0f')} | "
            f"{cell(nb, 'tti_cold', '.2f')} | {cell(nb, 'tti_warm', '.2f')} | "
            f"{cell(nb, 'burst', '.1f')} |"
        )
    lines.append("")
    lines.append(
        "Targets: CPU and RSS <= 1.5x bare; TTI with the kit config <= 1.0x bare cold "
        "(compare column 5 with the bare page's column 4); burst <= 1.5x bare."
    )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
