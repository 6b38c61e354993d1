"""A room logs in at once: the hub (one server per trainee) against one workshop server.

``make bench BENCH_ARGS="hub --trainees=30"``. The trainees are browser-less visitors
(``tests/benchmarks/visitors.py``) that ask the server what a page's JavaScript asks; 30
headless Chromium tabs on the server's own 2 cores would measure Chromium, not the kit. In
the same run:

1. ``alliance-kit serve --workshop N --page learn_trust``, started before the room as a
   facilitator does (the table says how long its warm kernels took); N visitors open the learn
   page at the same moment; time until every one is interactive, and the memory of the server
   tree per visitor.
2. The kit's JupyterHub (deploy/jupyterhub), cold: start-up time; then N trainees log in through
   the hub's log-in form at the same moment, each gets their own server and opens the learn
   page; time until all N are interactive, and memory per trainee (their server and kernel;
   the hub, proxy and culler are counted apart).
3. The same hub with the room prepared, as a facilitator does before the room arrives: the N
   names on the roster (``ALLIANCE_KIT_HUB_ROSTER``) and the learn page to keep warm
   (``ALLIANCE_KIT_HUB_WARM_PAGE``). The table says how long preparing took (every server
   ready, then every warm page run and the machine quiet again) and the memory each prepared
   trainee holds before anyone arrives; then the same N log in at once and open the page.

``--hub cold,prepared`` chooses which hubs run (both by default).

``--browsers K`` then opens K pages in headless Chromium beside K visitors, on the settled
workshop server, to show that a visitor counts a page interactive when a browser does.
Target: the hub at most 2x the workshop server's time (each hub is compared with it). The
table is printed and written to ``bench-results/hub-<N>.md``. Each failed visit (an empty
page, an error) is counted in the table, not hidden in the times.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psutil
import requests
import websocket

from tests.benchmarks import summary
from tests.benchmarks.visitors import (
    VisitFailed,
    browser_assets_apart,
    crowd_of,
    default_assets,
    hub_session,
    read_page,
    visit,
)
from tests.conftest import start_kit_server
from tests.support import REPO, is_kernel

# hub_support imports conftest as the test run does (tests/ on the path).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from hub_support import TRAINEE_PASSWORD, Hub, hub_env, start_hub

PAGE = "learn_trust.ipynb"
PAGE_PATH = f"voila/render/{PAGE}"
READY = ".ak-page"
MIB = 1024 * 1024
POOL_FILLED = re.compile(r"Kernel pool of (\S+) is filled")
ROOM_PREPARED = re.compile(r"The room is prepared: (\d+) of (\d+) servers ready")
WARM = "A kernel for learn_trust.ipynb is warm"
HUBS = ("cold", "prepared")
TARGET_RATIO = 2.0


def tree(pid: int) -> list[psutil.Process]:
    """A process and its descendants (none when it has gone)."""
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def tree_memory(pid: int) -> dict[str, dict[str, float]]:
    """RSS and PSS (MiB) and CPU seconds of a process and its descendants, by kind of process.

    PSS shares each page among the processes that map it, so the kernels' common libraries
    count once: what the machine really holds. RSS counts them in every process.
    """
    kinds: dict[str, dict[str, float]] = {}
    for proc in tree(pid):
        try:
            cmd = " ".join(proc.cmdline())
            info = proc.memory_full_info()
            times = proc.cpu_times()
        except psutil.Error:
            continue
        if is_kernel(proc.cmdline()):
            kind = "kernel"
        elif "singleuser" in cmd:
            kind = "server"
        elif "configurable-http-proxy" in cmd:
            kind = "proxy"
        elif "idle_culler" in cmd:
            kind = "culler"
        else:
            kind = "hub" if "jupyterhub" in cmd else "kit-server"
        into = kinds.setdefault(kind, {"rss": 0.0, "pss": 0.0, "cpu": 0.0, "count": 0})
        into["cpu"] += times.user + times.system
        into["rss"] += info.rss / MIB
        into["pss"] += getattr(info, "pss", info.rss) / MIB
        into["count"] += 1
    return kinds


def _sum(kinds: dict[str, dict[str, float]], names: tuple[str, ...], key: str) -> float:
    return sum(kinds.get(name, {}).get(key, 0.0) for name in names)


def _per_kernel(kinds: dict[str, dict[str, float]]) -> float:
    kernels = kinds.get("kernel", {})
    return kernels.get("rss", 0.0) / max(kernels.get("count", 0), 1)


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds a process and its descendants have used (cheaper than ``tree_memory``)."""
    total = 0.0
    for proc in tree(pid):
        try:
            times = proc.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def wait_until_quiet(pid: int, timeout: float, ready=lambda: True) -> float:
    """Seconds until ``ready()`` holds and the process tree, together, uses under a tenth of a
    core (0.3 CPU-seconds in 3 s)."""
    began = time.monotonic()
    before = tree_cpu_seconds(pid)
    while time.monotonic() - began < timeout:
        time.sleep(3)
        now = tree_cpu_seconds(pid)
        if ready() and now - before < 0.3:
            return time.monotonic() - began
        before = now
    print(f"the server did not settle within {timeout:.0f} s; the room comes anyway")
    return time.monotonic() - began


def wait_until_warm(pid: int, log, pools: int, timeout: float) -> float:
    """Seconds until the workshop server's ``pools`` warm pools are filled and have settled.

    Voila logs a pool as filled when its kernels have started; each then still runs its
    notebook. The server is warm when its processes, together, use less than a tenth of a core.
    """
    return wait_until_quiet(pid, timeout, lambda: len(set(POOL_FILLED.findall(log()))) >= pools)


def timing(total: float, times: list[float]) -> dict[str, float]:
    return {
        "all interactive (s)": total,
        "median visitor (s)": statistics.median(times) if times else float("nan"),
        "slowest (s)": max(times, default=float("nan")),
    }


def run_workshop(n: int, tmp: Path, timeout: float, browsers: int) -> tuple[dict, list[str]]:
    """The workshop server's figures, and the files a browser fetched for the page."""
    server = start_kit_server(tmp / "workshop", ["--workshop", str(n), "--page", "learn_trust"])
    url = f"{server.url}/{PAGE_PATH}"
    try:
        # A facilitator starts the server before the room arrives: wait for its warm kernels
        # (the learn page's; the landing page runs no kernel).
        warm = wait_until_warm(server.process.pid, server.log, 1, timeout)
        # One real browser shows which files a page load asks of the server; every visitor
        # then asks for the same. Its kernel is refilled before the room comes.
        recorded = browser_assets_apart(url, READY, min(timeout, 180))
        assets = default_assets_of(url) if recorded is None else recorded[1]
        wait_until_warm(server.process.pid, server.log, 1, timeout)
        started_before = server.log().count("Kernel started")
        room = crowd_of(server.url, PAGE_PATH, n, assets=assets, timeout=timeout)
        # Kernels the pool started while the room came in (its refill of the first taken).
        started_meanwhile = server.log().count("Kernel started") - started_before
        # The room's kernels stay, as while they work: the server is weighed with them.
        room.disconnect()
        visits, failures = [v for v in room.visits if v.ok], room.errors
        for failure in sorted(set(failures)):
            print(f"workshop visitor failed: {failure}", flush=True)
        # The pool refills what the room took: count and weigh the server once that is done.
        wait_until_warm(server.process.pid, server.log, 1, timeout)
        kinds = tree_memory(server.process.pid)
        started = server.log().count("Kernel started") - started_before
        result = {
            "warm pools ready (s)": warm,
            **timing(room.seconds, [v.interactive for v in visits]),
            "visitors with an empty or broken page": float(len(failures)),
            "median page served (s)": statistics.median(v.page for v in visits),
            # The pool refills as it is used: these count its refills, which start as the
            # first visitors take their kernels from the full pool.
            "kernels started while the room came": float(started_meanwhile),
            "kernels started by the pool after": float(started - started_meanwhile),
            "kernels running after": kinds.get("kernel", {}).get("count", 0.0),
            "MiB RSS per trainee": _sum(kinds, ("kit-server", "kernel"), "rss") / n,
            "MiB PSS per trainee": _sum(kinds, ("kit-server", "kernel"), "pss") / n,
            "MiB RSS of one page's kernel": _per_kernel(kinds),
            "CPU s per trainee: server": _sum(kinds, ("kit-server",), "cpu") / n,
            "CPU s per trainee: kernel": _sum(kinds, ("kernel",), "cpu") / n,
        }
        if browsers:
            result.update(compare_with_browsers(server.url, browsers, timeout, assets))
    finally:
        server.stop()
    return result, assets


def default_assets_of(url: str) -> list[str]:
    """What a page loads by its own links, when no browser could record it."""
    import requests

    print("visitors fetch the page's own links only", flush=True)
    return default_assets(read_page(requests.get(url, timeout=120).text))


def compare_with_browsers(
    base_url: str, count: int, timeout: float, assets: list[str]
) -> dict[str, float]:
    """Open the page in ``count`` Chromium tabs and with ``count`` visitors, one after another.

    The browser's extra time is its own work (parsing scripts, drawing the widgets): on a
    trainee's laptop, not on the server.
    """
    browser_times, visitor_times = [], []
    for _ in range(count):
        recorded = browser_assets_apart(f"{base_url}/{PAGE_PATH}", READY, min(timeout, 180))
        if recorded is None:
            continue
        browser_times.append(recorded[0])
        one = visit(base_url, PAGE_PATH, timeout=timeout, assets=assets, keep=True)
        visitor_times.append(one.interactive)
    if not browser_times:
        return {}
    return {
        "one Chromium tab alone (s)": statistics.median(browser_times),
        "one visitor alone (s)": statistics.median(visitor_times),
    }


def hub_trainee(hub: Hub, name: str, timeout: float, assets: list[str]) -> tuple[float, float]:
    """Log in, wait for the own server, open the page: (seconds to server, to interactive)."""
    began = time.monotonic()
    http = hub_session(hub.url, name, TRAINEE_PASSWORD, PAGE_PATH, timeout=timeout)
    server_up = time.monotonic() - began
    visit(hub.url, f"user/{name}/{PAGE_PATH}", timeout=timeout, assets=assets, http=http, keep=True)
    return server_up, time.monotonic() - began


def trainee_name(i: int) -> str:
    return f"trainee{i:02d}"


def prepare_room(hub: Hub, n: int, timeout: float) -> dict[str, float]:
    """Wait for the hub's prepare-room service, then for the warm pages and a quiet machine.

    Returns the seconds from the hub's start until every server was ready, until every warm
    page had run and the machine had settled, and what the prepared room holds per trainee.
    """
    began = time.monotonic() - hub.started_in
    deadline = time.monotonic() + timeout
    while not ROOM_PREPARED.search(hub.log()):
        if time.monotonic() > deadline:
            raise RuntimeError(f"the room was not prepared within {timeout:.0f} s")
        time.sleep(1)
    servers_ready = time.monotonic() - began
    ready, total = map(int, ROOM_PREPARED.search(hub.log()).groups())
    if ready < total:
        print(f"only {ready} of {total} servers were prepared", flush=True)
    while hub.log().count(WARM) < ready and time.monotonic() < deadline:
        time.sleep(1)
    pages_warm = time.monotonic() - began
    # the warm pages have run; wait until the hub's whole tree is quiet, as before a room
    wait_until_quiet(hub.process.pid, timeout)
    hub.remember_processes()
    kinds = tree_memory(hub.process.pid)
    return {
        "servers prepared, from the hub's start (s)": servers_ready,
        "warm pages run, from the hub's start (s)": pages_warm,
        "machine quiet again (s)": time.monotonic() - began,
        "servers prepared": float(ready),
        "MiB RSS per prepared trainee, before the room": _sum(kinds, ("server", "kernel"), "rss")
        / n,
        "MiB PSS per prepared trainee, before the room": _sum(kinds, ("server", "kernel"), "pss")
        / n,
    }


def run_hub(
    n: int, tmp: Path, timeout: float, assets: list[str], prepared: bool = False
) -> dict[str, float]:
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    folder = tmp / ("hub-prepared" if prepared else "hub")
    env = None
    if prepared:
        env = hub_env(
            folder / "hub-data",
            ALLIANCE_KIT_HUB_ROSTER=",".join(trainee_name(i) for i in range(n)),
            ALLIANCE_KIT_HUB_WARM_PAGE=PAGE.removesuffix(".ipynb"),
            ALLIANCE_KIT_HUB_MAX_SERVERS=str(max(40, n)),
        )
    hub = start_hub(folder, env=env)
    try:
        preparation = prepare_room(hub, n, timeout) if prepared else {}
        start = Barrier(n)

        def one(i: int) -> tuple[float, float] | str:
            start.wait()
            try:
                return hub_trainee(hub, trainee_name(i), timeout, assets)
            except (VisitFailed, requests.RequestException, websocket.WebSocketException) as error:
                return str(error) or type(error).__name__

        began = time.monotonic()
        with ThreadPoolExecutor(max_workers=n) as pool:
            outcomes = list(pool.map(one, range(n)))
        total = time.monotonic() - began
        times = [o for o in outcomes if not isinstance(o, str)]
        failures = [o for o in outcomes if isinstance(o, str)]
        for failure in sorted(set(failures)):
            print(f"hub trainee failed: {failure}", flush=True)
        kinds = tree_memory(hub.process.pid)
        warm_used = float(hub.log().count("opened in its warm kernel"))
    finally:
        left = hub.stop()
    result = {
        "hub start-up (s)": hub.started_in,
        **preparation,
        **timing(total, [t for _up, t in times]),
        "trainees with an empty or broken page": float(len(failures)),
        "median server start (s)": statistics.median([up for up, _t in times] or [float("nan")]),
        "MiB RSS per trainee": _sum(kinds, ("server", "kernel"), "rss") / n,
        "MiB PSS per trainee": _sum(kinds, ("server", "kernel"), "pss") / n,
        "MiB RSS of one page's kernel": _per_kernel(kinds),
        "CPU s per trainee: server": _sum(kinds, ("server",), "cpu") / n,
        "CPU s per trainee: kernel": _sum(kinds, ("kernel",), "cpu") / n,
        "MiB RSS hub+proxy+culler": _sum(kinds, ("hub", "proxy", "culler"), "rss"),
        "CPU s hub+proxy+culler": _sum(kinds, ("hub", "proxy", "culler"), "cpu"),
        "left running": float(len(left)),
    }
    if prepared:
        result["pages opened in a warm kernel"] = warm_used
    return result


def render(n: int, workshop: dict[str, float], hubs: dict[str, dict[str, float]]) -> str:
    columns = {"workshop server": workshop, **{f"hub, {k}": v for k, v in hubs.items()}}
    lines = [
        f"# {n} trainees open {PAGE} at the same moment ({psutil.cpu_count()} cores)",
        "",
        "| | " + " | ".join(columns) + " |",
        "|---|" + "---|" * len(columns),
    ]
    keys = list(dict.fromkeys(k for figures in columns.values() for k in figures))
    for key in keys:
        cells = [f"{figures[key]:.1f}" if key in figures else "" for figures in columns.values()]
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    lines.append("")
    for kind, figures in hubs.items():
        ratio = figures["all interactive (s)"] / workshop["all interactive (s)"]
        verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
        lines.append(
            f"hub ({kind}) / workshop time: {ratio:.2f}x (target at most {TARGET_RATIO:.0f}x: "
            f"{verdict})"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench hub")
    parser.add_argument("--trainees", type=int, default=30)
    parser.add_argument("--timeout", type=float, default=600, help="seconds per trainee")
    parser.add_argument(
        "--hub",
        default=",".join(HUBS),
        help="which hubs to run: cold (log-in starts each server), prepared (a roster), or both",
    )
    parser.add_argument(
        "--browsers", type=int, default=0, help="also open this many pages in Chromium"
    )
    args = parser.parse_args(argv)
    kinds = [k.strip() for k in args.hub.split(",") if k.strip()]
    if not kinds or set(kinds) - set(HUBS):
        parser.error(f"--hub takes {' and/or '.join(HUBS)}, comma-separated")
    hubs: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="ak-bench-hub-") as tmp_name:
        tmp = Path(tmp_name)
        workshop, assets = run_workshop(args.trainees, tmp, args.timeout, args.browsers)
        print(f"workshop server: {workshop}", flush=True)
        for kind in kinds:
            hubs[kind] = run_hub(
                args.trainees, tmp, args.timeout, assets, prepared=kind == "prepared"
            )
            print(f"hub, {kind}: {hubs[kind]}", flush=True)
    table = render(args.trainees, workshop, hubs)
    print(table)
    for kind, figures in hubs.items():
        summary.record(
            f"{args.trainees} log in to the hub ({kind}) and open {PAGE}",
            figures["all interactive (s)"],
            "s",
            reference=workshop["all interactive (s)"],
            target_ratio=TARGET_RATIO,
        )
    out = REPO / "bench-results"
    out.mkdir(exist_ok=True)
    (out / f"hub-{args.trainees}.md").write_text(table + "\n", encoding="utf-8")
    return 0 if all(h["left running"] == 0 for h in hubs.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
