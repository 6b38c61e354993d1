"""A room logs in at once: the hub (one server per trainee) against one workshop server.

``python -m tests.benchmarks hub -- --trainees 30``. In the same run:

1. ``alliance-kit serve --workshop N --page learn_trust``: N Chromium tabs open the learn page
   at the same moment; time until every one is interactive (its ``.ak-page`` visible), and the
   memory of the server and its kernels per trainee.
2. The kit's JupyterHub (deploy/jupyterhub): start-up time; then N trainees log in through
   the hub's log-in page at the same moment, each gets their own server and opens the learn
   page; time until all N are interactive, and memory per trainee (their server and kernel;
   the hub, proxy and culler are counted apart).

Target: the hub at most 2x the workshop server's time. The table is printed and written to
``bench-results/hub.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import psutil

from tests.conftest import CHROMIUM_ARGS, chromium_path, start_kit_server
from tests.support import REPO

# hub_support imports conftest as the test run does (tests/ on the path).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from hub_support import TRAINEE_PASSWORD, Hub, start_hub

PAGE = "learn_trust.ipynb"
READY = ".ak-page"
MIB = 1024 * 1024


def tree_rss(pid: int) -> tuple[float, dict[str, float]]:
    """Resident memory of a process and its descendants, in MiB, by kind of process."""
    kinds: dict[str, float] = {}
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0, kinds
    for proc in processes:
        try:
            cmd = " ".join(proc.cmdline())
            rss = proc.memory_info().rss / MIB
        except psutil.Error:
            continue
        if "ipykernel" in cmd:
            kind = "kernel"
        elif "jupyterhub-singleuser" in cmd:
            kind = "server"
        elif "configurable-http-proxy" in cmd:
            kind = "proxy"
        elif "idle_culler" in cmd:
            kind = "culler"
        else:
            kind = "hub" if "jupyterhub" in cmd else "kit-server"
        kinds[kind] = kinds.get(kind, 0.0) + rss
    return sum(kinds.values()), kinds


async def open_learn_page(browser, url: str, timeout: float) -> float:
    context = await browser.new_context()
    try:
        page = await context.new_page()
        began = time.monotonic()
        await page.goto(url, wait_until="domcontentloaded", timeout=timeout * 1000)
        await page.wait_for_selector(READY, state="visible", timeout=timeout * 1000)
        return time.monotonic() - began
    finally:
        await context.close()


async def hub_trainee(browser, hub: Hub, name: str, timeout: float, contexts: list) -> float:
    """Log in, wait for the own server (retrying while the hub limits spawns), open the page."""
    context = await browser.new_context()
    contexts.append(context)
    page = await context.new_page()
    began = time.monotonic()
    deadline = began + timeout
    # The facilitator hands out the learn page's link: the hub logs in, starts the server
    # and then opens that page, as for a trainee following the link.
    target = f"/user/{name}/voila/render/{PAGE}"
    # (the log-in page's own address ends with the target too, in its ?next=)
    landed = f"{hub.url}{target}"
    # /hub/spawn?next= starts the server and then opens the page; a bare /user/ link would
    # stop at the hub's "server not running" page.
    spawn = f"/hub/spawn?next={quote(target)}"
    await page.goto(f"{hub.url}/hub/login?next={quote(spawn)}", wait_until="domcontentloaded")
    await page.fill("#username_input", name)
    await page.fill("#password_input", TRAINEE_PASSWORD)
    await page.click("#login_submit")
    while True:
        try:
            await page.wait_for_url(lambda url: url.startswith(landed), timeout=timeout * 1000)
            await page.wait_for_selector(READY, state="visible", timeout=120_000)
            return time.monotonic() - began
        except Exception:
            if time.monotonic() > deadline:
                print(f"{name} gave up at {page.url}", flush=True)
                raise
            await asyncio.sleep(2)  # the hub said "too many starting": try again, as a user would
            await page.goto(f"{hub.url}{target}", wait_until="domcontentloaded")


async def run_workshop(n: int, tmp: Path, timeout: float) -> dict[str, float]:
    from playwright.async_api import async_playwright

    server = start_kit_server(tmp / "workshop", ["--workshop", str(n), "--page", "learn_trust"])
    try:
        await asyncio.sleep(5)  # let the pool fill, as a facilitator starts before the room
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            url = f"{server.url}/voila/render/{PAGE}"
            began = time.monotonic()
            visits = (open_learn_page(browser, url, timeout) for _ in range(n))
            times = await asyncio.gather(*visits)
            total = time.monotonic() - began
            rss, _kinds = tree_rss(server.process.pid)
            await browser.close()
    finally:
        server.stop()
    return {"all interactive (s)": total, "slowest (s)": max(times), "MiB per trainee": rss / n}


async def run_hub(n: int, tmp: Path, timeout: float) -> dict[str, float]:
    from playwright.async_api import async_playwright

    hub = start_hub(tmp / "hub")
    try:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            contexts: list = []
            began = time.monotonic()
            times = await asyncio.gather(
                *(hub_trainee(browser, hub, f"trainee{i:02d}", timeout, contexts) for i in range(n))
            )
            total = time.monotonic() - began
            _rss, kinds = tree_rss(hub.process.pid)
            for context in contexts:
                await context.close()
            await browser.close()
    finally:
        left = hub.stop()
    per_trainee = (kinds.get("server", 0) + kinds.get("kernel", 0)) / n
    shared = kinds.get("hub", 0) + kinds.get("proxy", 0) + kinds.get("culler", 0)
    return {
        "hub start-up (s)": hub.started_in,
        "all interactive (s)": total,
        "slowest (s)": max(times),
        "MiB per trainee": per_trainee,
        "MiB hub+proxy+culler": shared,
        "left running": float(len(left)),
    }


def render(n: int, workshop: dict[str, float], hub: dict[str, float]) -> str:
    ratio = hub["all interactive (s)"] / workshop["all interactive (s)"]
    lines = [
        f"# {n} trainees open {PAGE} at the same moment ({psutil.cpu_count()} cores)",
        "",
        "| | workshop server | hub |",
        "|---|---|---|",
    ]
    keys = list(dict.fromkeys([*workshop, *hub]))
    for key in keys:
        w = f"{workshop[key]:.1f}" if key in workshop else ""
        h = f"{hub[key]:.1f}" if key in hub else ""
        lines.append(f"| {key} | {w} | {h} |")
    verdict = "met" if ratio <= 2 else "NOT met"
    lines += ["", f"hub / workshop time: {ratio:.2f}x (target at most 2x: {verdict})"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench hub")
    parser.add_argument("--trainees", type=int, default=30)
    parser.add_argument("--timeout", type=float, default=600, help="seconds per trainee")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ak-bench-hub-") as tmp_name:
        tmp = Path(tmp_name)
        workshop = asyncio.run(run_workshop(args.trainees, tmp, args.timeout))
        print(f"workshop server: {workshop}", flush=True)
        hub = asyncio.run(run_hub(args.trainees, tmp, args.timeout))
        print(f"hub: {hub}", flush=True)
    table = render(args.trainees, workshop, hub)
    print(table)
    out = REPO / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "hub.md").write_text(table + "\n", encoding="utf-8")
    return 0 if hub["left running"] == 0 else 1
