"""Shared fixtures: a real kit server on 127.0.0.1 and a real headless Chromium.

* ``kit_server`` (one per test module): ``alliance-kit serve`` in a subprocess, with its own
  data directory, stopped at the end of the module.
* ``browser`` (one per session): Debian's ``chromium`` driven by Playwright.
* ``open_page``: opens a kit page, waits until it is ready (``.ak-page`` visible), and after the
  test fails it if the page showed an error, asked any host other than the local server, or
  did anything its Content-Security-Policy refused (eval included).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.support import is_kernel, stopped_with_this_process

ERROR_TEXT = re.compile(
    r"Traceback|Error executing|could not be shown|kon niet worden getoond|ExecutionError", re.I
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def content_with(tmp: Path, notebooks: dict[str, list[str]]) -> dict[str, str]:
    """A copy of the kit's pages plus notebooks of the given code cells; the server's
    environment that serves them (``start_kit_server(..., env=content_with(...))``)."""
    import nbformat

    content = tmp / "content"
    modules = Path(__file__).resolve().parent.parent / "modules"
    shutil.copytree(modules, content / "modules", dirs_exist_ok=True)
    for name, cells in notebooks.items():
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
        nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
        nbformat.write(nb, content / "modules" / name)
    return {"ALLIANCE_KIT_CONTENT_DIR": str(content)}


def _port_block() -> range:
    """The ports this test process hands out: below the range the system gives to programs
    that ask for any port (kernels' ZeroMQ sockets, browsers), so that no server of the kit
    can lose its port to one of those between being told it and binding it; and one block per
    pytest-xdist worker, so that two workers never hand out the same port."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    index = int(worker) if worker.isdigit() else 0
    try:
        low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768
    first = 20000 + (index % 12) * 1000
    if first + 1000 > low:  # an unusual system: ask it for any free port instead
        return range(0)
    return range(first, first + 1000)


_PORTS = _port_block()
_next_port = 0


def free_port() -> int:
    """A port nothing listens on now, and that this test run has not handed out lately."""
    global _next_port
    for _ in range(len(_PORTS)):
        port = _PORTS[_next_port % len(_PORTS)]
        _next_port += 1
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class KitServer:
    url: str
    port: int
    data_dir: Path
    process: subprocess.Popen
    log_path: Path
    extra_args: list[str] = field(default_factory=list)

    def kernel_count(self) -> int:
        import psutil

        try:
            children = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return 0
        count = 0
        for child in children:
            try:
                if is_kernel(child.cmdline()):
                    count += 1
            except psutil.Error:
                continue
        return count

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def start_kit_server(
    tmp_dir: Path, extra_args: list[str] | None = None, env: dict[str, str] | None = None
) -> KitServer:
    """Start ``alliance-kit serve`` on a free loopback port and wait until it answers."""
    port = free_port()
    data_dir = tmp_dir / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = tmp_dir / "server.log"
    full_env = {**os.environ, "ALLIANCE_KIT_DATA_DIR": str(data_dir), **(env or {})}
    args = [
        sys.executable,
        "-m",
        "alliance_kit.cli",
        "serve",
        "--no-browser",
        "--port",
        str(port),
        *(extra_args or []),
    ]
    log_fh = open(log_path, "w", encoding="utf-8")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        stopped_with_this_process(args),
        stdout=log_fh,
        stderr=subprocess.STDOUT,
        env=full_env,
        cwd=tmp_dir,
    )
    server = KitServer(f"http://127.0.0.1:{port}", port, data_dir, proc, log_path, extra_args or [])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"kit server exited early:\n{server.log()}")
        try:
            with urllib.request.urlopen(f"{server.url}/voila/static/", timeout=2):
                pass
            return server
        except urllib.error.HTTPError:
            return server  # it answers: any HTTP status will do
        except OSError:
            time.sleep(0.25)
    server.stop()
    raise RuntimeError(f"kit server did not answer within 60 s:\n{server.log()}")


@pytest.fixture(scope="module")
def kit_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KitServer]:
    server = start_kit_server(tmp_path_factory.mktemp("kit"))
    yield server
    server.stop()


@pytest.fixture()
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private, empty ALLIANCE_KIT_DATA_DIR for one test."""
    path = tmp_path / "kit-data"
    monkeypatch.setenv("ALLIANCE_KIT_DATA_DIR", str(path))
    return path


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail(
            "Debian's chromium package is needed for the browser tests: "
            "run 'make test' (it installs it) or 'sudo apt-get install chromium'."
        )
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield b
        b.close()


def chart_share_controls(page) -> list[str]:
    """Every control on the page's charts that would send a chart off the machine (plotly's
    "Share chart", its Chart Studio button, its logo link to plotly.com)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.modebar-btn, .modebar a, a[href*="plotly"]')]
            .map(e => e.dataset.title || e.getAttribute('href') || e.className.baseVal ||
                       e.className)
            .filter(t => /share|cloud|plotly|logo|studio/i.test(String(t)))"""
    )


def wait_for_scenario_choices(page, timeout: float = 30_000) -> bool:
    """Wait until the scenario's buttons on the page are the current step's (the class its
    scene names), not the last step's, which a browser may still show for a moment; False
    when the scene is the end, with no choices left."""
    return (
        page.wait_for_function(
            """() => {
            const scene = document.querySelector('.ak-scenario-scene');
            if (!scene) return null;
            if (scene.hasAttribute('data-ended')) return 'ended';
            const buttons = [...document.querySelectorAll('.ak-scenario-choice')];
            const current = buttons.filter(b => b.classList.contains(scene.dataset.choices));
            const seen = b => getComputedStyle(b).display !== 'none';
            return current.length > 0 && current.every(seen)
                && buttons.every(b => current.includes(b) || !seen(b)) ? 'choices' : null;
        }""",
            timeout=timeout,
        ).json_value()
        == "choices"
    )


def wait_for_next_scene(
    page, before: str | None, timeout: float = 30_000, *, by: str = "scene"
) -> None:
    """Wait until the scenario shows a scene other than ``before``: its ``data-scene`` by
    default; ``by="choices"`` compares ``data-choices``, which names the case, the channel and
    the step as well (two cases both open on a scene called "opening")."""
    page.wait_for_function(
        "([prev, by]) => document.querySelector('.ak-scenario-scene').dataset[by] !== prev",
        arg=[before, by],
        timeout=timeout,
    )


@dataclass
class PageWatch:
    """What a page did that a user would notice (or a privacy rule forbids)."""

    external_requests: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    #: Every address the page fetched from the kit's server.
    fetched: list[str] = field(default_factory=list)
    #: The size of every message the server sent the page over its kernel's websocket.
    socket_messages: list[int] = field(default_factory=list)


@pytest.fixture()
def open_page(kit_server: KitServer, browser) -> Iterator[Callable]:
    """Open a page of the served kit: ``page = open_page("learn_trust.ipynb")``."""
    contexts = []
    watches: list[tuple[object, PageWatch]] = []

    def _open(
        notebook: str = "index.ipynb",
        ready: str = ".ak-page",
        timeout: float = 60_000,
        locale: str | None = None,
        init_script: str | None = None,
    ):
        # locale sets the browser's language (its Accept-Language header); init_script runs
        # in the page before any of its own scripts.
        options = {"locale": locale} if locale else {}
        context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
        contexts.append(context)
        page = context.new_page()
        watch = PageWatch()
        local = f"127.0.0.1:{kit_server.port}"

        def on_request(request) -> None:
            url = request.url
            if not (url.startswith(("data:", "blob:", "about:")) or local in url):
                watch.external_requests.append(url)

        page.on("request", on_request)
        page.on("requestfinished", lambda request: watch.fetched.append(request.url))
        page.on(
            "websocket",
            lambda socket: socket.on(
                "framereceived", lambda data: watch.socket_messages.append(len(data))
            ),
        )
        page.on("pageerror", lambda exc: watch.page_errors.append(str(exc)))

        def on_console(message) -> None:
            if "Content Security Policy" in message.text:
                watch.csp_violations.append(message.text)

        page.on("console", on_console)
        # Chromium reports some violations (eval, for one) only as this event, not the console.
        page.expose_function("akCspViolation", lambda text: watch.csp_violations.append(text))
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => window.akCspViolation("
            "`Content Security Policy: ${e.violatedDirective} refused ${e.blockedURI}`), true)"
        )
        if init_script:
            page.add_init_script(init_script)
        page.goto(
            f"{kit_server.url}/voila/render/{notebook}",
            wait_until="domcontentloaded",
            timeout=timeout,  # Voila streams the page while its notebook runs
        )
        page.wait_for_selector(ready, state="visible", timeout=timeout)
        watches.append((page, watch))
        page.kit_watch = watch
        return page

    yield _open

    try:
        for page, watch in watches:
            assert not watch.external_requests, (
                f"requests left the machine: {watch.external_requests}"
            )
            assert not watch.csp_violations, f"the page broke its CSP: {watch.csp_violations}"
            if not page.is_closed():
                body = page.inner_text("body")
                match = ERROR_TEXT.search(body)
                assert not match, (
                    f"error text on the page: {body[max(0, match.start() - 200) :][:600]}"
                )
    finally:
        for context in contexts:
            context.close()


_SUMMARY = pytest.StashKey[list[str]]()


@pytest.fixture
def terminal_summary(request: pytest.FixtureRequest) -> list[str]:
    """Lines a test measured (a precision table, say), shown once after the run."""
    return request.config.stash.setdefault(_SUMMARY, [])


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    """What the checks measured, and the accessibility checks' table of what remains."""
    lines = config.stash.get(_SUMMARY, [])
    if lines:
        terminalreporter.section("measured")
        for line in lines:
            terminalreporter.write_line(line)
    axe = sys.modules.get("axe")
    lines = axe.summary_lines() if axe is not None else []
    if lines:
        terminalreporter.section("accessibility")
        for line in lines:
            terminalreporter.write_line(line)
