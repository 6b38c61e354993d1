"""Visitors that open a kit page as its own JavaScript does, without a browser.

A room of trainees loads the server with what their pages ask of it, not with the browsers on
their own laptops. One visitor here asks for the same things a page does, in the same order:

1. GET the Voila page (the kernel runs the notebook while the page streams) and, unless told
   not to, the scripts and stylesheets the page links to on the same server;
2. open the kernel's websocket (``/api/kernels/<id>/channels``) with the page's cookies;
3. ask for the kernel's info, then for the widget states as ipywidgets' manager does on
   start-up: ``comm_info_request`` for ``jupyter.widget``, then a ``jupyter.widget.control``
   comm with ``request_states``;
4. count the visitor interactive when the ``update_states`` reply has arrived: from then on the
   page only builds its views in the browser.

``open_like_a_browser(base_url, page, cookies)`` is one visitor (seconds until interactive);
``stampede`` sends many at the same moment; ``hub_session`` logs a trainee in through a
JupyterHub's log-in form over HTTP and returns the cookies their server wants.
``python -m tests.benchmarks.visitors URL [N]`` sends N visitors to a running server's page.
"""

from __future__ import annotations

import json
import re
import struct
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import requests
import websocket

CONTROL_TARGET = "jupyter.widget.control"
WIDGET_TARGET = "jupyter.widget"
PROTOCOL_VERSION = "5.3"
VIEW_MIME = "application/vnd.jupyter.widget-view+json"
#: How Voila's page carries each output of the notebook.
OUTPUT_MIME = "application/vnd.voila.cell-output+json"
REPO_ROOT = Path(__file__).resolve().parents[2]


class VisitFailed(RuntimeError):
    """A visitor could not get the page to the point where a trainee can use it."""


@dataclass
class PageParts:
    """What a visitor reads from a served Voila page."""

    config: dict
    assets: list[str] = field(default_factory=list)
    #: The widgets the page shows: the model ids of its widget-view outputs.
    views: list[str] = field(default_factory=list)


class _PageReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []
        self._in_config = False
        self.config_text = ""
        self._in_view = False
        self.view_texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "script" and named.get("id") == "jupyter-config-data":
            self._in_config = True
        elif tag == "script" and named.get("type") in (OUTPUT_MIME, VIEW_MIME):
            self._in_view = True
            self.view_texts.append("")
        elif tag == "script" and named.get("src"):
            self.assets.append(named["src"] or "")
        elif tag == "link" and named.get("rel") == "stylesheet" and named.get("href"):
            self.assets.append(named["href"] or "")

    def handle_data(self, data: str) -> None:
        if self._in_config:
            self.config_text += data
        elif self._in_view:
            self.view_texts[-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_config = False
            self._in_view = False


def _shown_widget(text: str) -> str:
    """The model id of a widget an output shows ("" for other outputs)."""
    output = json.loads(text) if text.strip() else {}
    view = output.get("data", {}).get(VIEW_MIME, output)
    return str(view.get("model_id", "")) if isinstance(view, dict) else ""


def read_page(html: str) -> PageParts:
    """The page's config (its kernel id among it) and the same-server assets it links to."""
    reader = _PageReader()
    reader.feed(html)
    if not reader.config_text.strip():
        raise VisitFailed("the page holds no jupyter-config-data: it is not a Voila page")
    config = json.loads(reader.config_text)
    if not config.get("kernelId"):
        raise VisitFailed("the page names no kernel")
    local = [a for a in reader.assets if not urlsplit(a).netloc]
    views = [view for text in reader.view_texts if (view := _shown_widget(text))]
    return PageParts(config, local, views)


def _message(msg_type: str, content: dict, session: str, channel: str = "shell") -> dict:
    return {
        "header": {
            "msg_id": uuid.uuid4().hex,
            "msg_type": msg_type,
            "session": session,
            "username": "",
            "date": datetime.now(timezone.utc).isoformat(),
            "version": PROTOCOL_VERSION,
        },
        "parent_header": {},
        "metadata": {},
        "content": content,
        "channel": channel,
        "buffers": [],
    }


def _decode(frame: str | bytes) -> dict:
    """A message of Jupyter's JSON websocket protocol; binary frames carry buffers after it."""
    if isinstance(frame, str):
        return json.loads(frame)
    (count,) = struct.unpack("!I", frame[:4])
    offsets = struct.unpack(f"!{count}I", frame[4 : 4 + 4 * count])
    end = offsets[1] if count > 1 else len(frame)
    return json.loads(frame[offsets[0] : end].decode("utf-8"))


def _ws_url(page_url: str, config: dict, session: str, xsrf: str | None) -> str:
    """The page's kernel websocket: on its server's base URL (``/user/<name>/`` on a hub)."""
    parts = urlsplit(page_url)
    scheme = "wss" if parts.scheme == "https" else "ws"
    base = "/" + str(config.get("baseUrl") or "/").strip("/")
    url = f"{scheme}://{parts.netloc}{base.rstrip('/')}/api/kernels/{config['kernelId']}/channels"
    url += f"?session_id={session}"
    return url + (f"&_xsrf={quote(xsrf)}" if xsrf else "")


def _cookie_header(cookies: Mapping[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def _wait_for_states(ws: websocket.WebSocket, session: str, deadline: float) -> set[str]:
    """Ask for the widget states as ipywidgets' manager does; return the widgets' ids."""
    info = _message("kernel_info_request", {}, session)
    comm_info = _message("comm_info_request", {"target_name": WIDGET_TARGET}, session)
    comm_id = uuid.uuid4().hex
    opened = _message(
        "comm_open",
        {"comm_id": comm_id, "target_name": CONTROL_TARGET, "data": {}},
        session,
    )
    opened["metadata"] = {"version": "1.0.0"}
    request = _message(
        "comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}}, session
    )
    for message in (info, comm_info, opened, request):
        ws.send(json.dumps(message))
    while True:
        ws.settimeout(max(deadline - time.monotonic(), 0.1))
        try:
            reply = _decode(ws.recv())
        except websocket.WebSocketTimeoutException as error:
            raise VisitFailed("the widget states did not arrive in time") from error
        content = reply.get("content", {})
        if reply.get("msg_type") == "comm_msg" and content.get("comm_id") == comm_id:
            data = content.get("data", {})
            if data.get("method") == "update_states":
                ws.send(
                    json.dumps(_message("comm_close", {"comm_id": comm_id, "data": {}}, session))
                )
                return set(data.get("states", {}))
        if reply.get("msg_type") == "comm_close" and content.get("comm_id") == comm_id:
            raise VisitFailed("the kernel closed the widget control comm without the states")
        if time.monotonic() > deadline:
            raise VisitFailed("the widget states did not arrive in time")


@dataclass
class Visit:
    """One visitor's timings, in seconds from its first request."""

    page: float = 0.0
    assets: float = 0.0
    interactive: float = 0.0
    widgets: int = 0
    kernel_id: str = ""


#: A browser fetches at most six files from one server at once.
PARALLEL_FETCHES = 6


def default_assets(parts: PageParts) -> list[str]:
    """Files every page load asks for, without a browser's record: the page's own scripts and
    stylesheets and each widget extension's entry point (a browser then fetches their chunks).

    Relative to the server's base URL, so the same list serves every person's server on a hub.
    """
    config = parts.config
    base = "/" + str(config.get("baseUrl") or "/").strip("/") + "/"
    base = base.replace("//", "/")
    wanted = list(parts.assets)
    labextensions = str(config.get("fullLabextensionsUrl") or "").rstrip("/")
    for extension in config.get("federated_extensions") or []:
        load = str(extension.get("load", "")).removeprefix("./")
        wanted.append(f"{labextensions}/{extension['name']}/{load}")
    return [path.removeprefix(base) if path.startswith(base) else path for path in wanted]


def _server_url(page_url: str, config: dict, path: str) -> str:
    """``path`` as the page names it: absolute, or relative to its server's base URL."""
    if path.startswith("/"):
        return urljoin(page_url, path)
    base = "/" + str(config.get("baseUrl") or "/").strip("/") + "/"
    return urljoin(page_url, base.replace("//", "/") + path)


def visit(
    base_url: str,
    page: str,
    cookies: Mapping[str, str] | None = None,
    *,
    timeout: float = 300,
    assets: list[str] | None = None,
    http: requests.Session | None = None,
) -> Visit:
    """Open ``page`` (a path below ``base_url``, e.g. ``voila/render/x.ipynb``) as a tab would.

    ``assets`` are the files the page then loads, relative to its server's base URL (as
    :func:`browser_assets` records them); without them, :func:`default_assets`.
    """
    session_http = http or requests.Session()
    if cookies:
        session_http.cookies.update(dict(cookies))
    began = time.monotonic()
    deadline = began + timeout
    page_url = urljoin(base_url.rstrip("/") + "/", page)
    response = session_http.get(page_url, timeout=timeout)
    if response.status_code != 200:
        raise VisitFailed(f"{page_url} answered {response.status_code}")
    parts = read_page(response.text)
    config = parts.config
    result = Visit(page=time.monotonic() - began, kernel_id=config["kernelId"])
    wanted = default_assets(parts) if assets is None else assets
    wanted = [*wanted, f"api/kernels/{result.kernel_id}"]

    def fetch(path: str) -> None:
        url = _server_url(response.url, config, path)
        answer = session_http.get(url, timeout=max(deadline - time.monotonic(), 1))
        if answer.status_code != 200:
            raise VisitFailed(f"{url} answered {answer.status_code}")

    with ThreadPoolExecutor(max_workers=PARALLEL_FETCHES) as fetches:
        list(fetches.map(fetch, wanted))
    result.assets = time.monotonic() - began
    jar = {c.name: c.value for c in session_http.cookies}
    session = uuid.uuid4().hex
    ws = websocket.create_connection(
        _ws_url(response.url, config, session, jar.get("_xsrf")),
        header=[f"Cookie: {_cookie_header(jar)}"] if jar else None,
        timeout=max(deadline - time.monotonic(), 1),
    )
    try:
        states = _wait_for_states(ws, session, deadline)
    finally:
        ws.close()
    result.widgets = len(states)
    # The page shows the widgets its outputs name; without such an output (an output lost
    # while the notebook ran) or without their states, a browser would show an empty page.
    if not parts.views:
        raise VisitFailed(f"{page_url}: the page holds no widget output, it would stay empty")
    missing = [view for view in parts.views if view not in states]
    if missing:
        raise VisitFailed(f"{page_url}: the kernel has no state for the shown widget {missing[0]}")
    result.interactive = time.monotonic() - began
    return result


def browser_assets(
    page_url: str, ready: str = ".ak-page", timeout: float = 300
) -> tuple[float, list[str]]:
    """Open the page once in headless Chromium: seconds until ``ready`` shows, and the files it
    fetched from its server (relative to the server's base URL) for visitors to fetch alike."""
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM_ARGS, chromium_path

    parts = urlsplit(page_url)
    server = f"{parts.scheme}://{parts.netloc}"
    fetched: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context().new_page()
            page.on(
                "request",
                lambda r: fetched.append(r.url) if r.method == "GET" else None,
            )
            began = time.monotonic()
            page.goto(page_url, wait_until="domcontentloaded", timeout=timeout * 1000)
            page.wait_for_selector(ready, state="visible", timeout=timeout * 1000)
            seconds = time.monotonic() - began
            base = "/" + str(
                page.evaluate(
                    "JSON.parse(document.getElementById('jupyter-config-data').textContent).baseUrl"
                )
            ).strip("/")
        finally:
            browser.close()
    prefix = f"{server}{base.rstrip('/')}/"
    paths = [
        url.removeprefix(prefix)
        for url in fetched
        if url.startswith(prefix)
        and url != page_url
        and "/api/kernels/" not in f"/{url.removeprefix(prefix)}"
    ]
    return seconds, list(dict.fromkeys(paths))


def open_like_a_browser(
    base_url: str,
    page: str,
    cookies: Mapping[str, str] | None = None,
    timeout: float = 300,
    assets: list[str] | None = None,
) -> float:
    """Seconds until ``page`` is interactive for one visitor who asks what a browser tab asks."""
    return visit(base_url, page, cookies, timeout=timeout, assets=assets).interactive


def stampede(
    visitors: list[tuple[str, str, Mapping[str, str] | None]],
    timeout: float = 300,
    assets: list[str] | None = None,
) -> tuple[float, list[Visit], list[str]]:
    """Send every ``(base_url, page, cookies)`` visitor at the same moment.

    Returns the seconds until the last one was done, the timings of those who got an
    interactive page and, for each one who did not, the reason (as a trainee would see it:
    an empty or broken page).
    """
    start = threading.Barrier(len(visitors))

    def one(args: tuple[str, str, Mapping[str, str] | None]) -> Visit | str:
        start.wait()
        try:
            return visit(*args, timeout=timeout, assets=assets)
        except (VisitFailed, requests.RequestException, websocket.WebSocketException) as error:
            return str(error) or type(error).__name__

    began = time.monotonic()
    with ThreadPoolExecutor(max_workers=len(visitors)) as pool:
        outcomes = list(pool.map(one, visitors))
    total = time.monotonic() - began
    visits = [o for o in outcomes if isinstance(o, Visit)]
    return total, visits, [o for o in outcomes if isinstance(o, str)]


# --- JupyterHub -------------------------------------------------------------------------------

_XSRF_FIELD = re.compile(r'name="_xsrf"\s+value="([^"]+)"')


def hub_log_in(hub_url: str, name: str, password: str, http: requests.Session) -> None:
    """Log in through the hub's own form (with its XSRF field and cookie) as a person would."""
    form = http.get(f"{hub_url}/hub/login", timeout=60)
    found = _XSRF_FIELD.search(form.text)
    data = {"username": name, "password": password}
    if found:
        data["_xsrf"] = found.group(1)
    answer = http.post(f"{hub_url}/hub/login", data=data, timeout=120, allow_redirects=False)
    if answer.status_code != 302:
        raise VisitFailed(f"the hub refused {name}'s log-in ({answer.status_code})")


def hub_session(
    hub_url: str, name: str, password: str, page: str, timeout: float = 300
) -> requests.Session:
    """Log ``name`` in and start their server as the hub's spawn link and pending page do.

    ``/hub/spawn?next=`` starts the server; when the hub already starts as many as it allows
    it says so (429) and the person tries again a moment later. The pending page's script
    waits for the server, then goes to ``next``: here ``/hub/spawn-pending/<name>`` is asked
    again each second until it redirects. The returned session holds the hub's cookies; the
    first request to the person's server then goes through the hub's OAuth, as in a browser.
    """
    http = requests.Session()
    hub_log_in(hub_url, name, password, http)
    target = quote(f"/user/{name}/{page}")
    deadline = time.monotonic() + timeout
    while True:
        answer = http.get(
            f"{hub_url}/hub/spawn?next={target}", allow_redirects=False, timeout=timeout
        )
        if answer.status_code in (301, 302, 303):
            break
        if answer.status_code != 429 or time.monotonic() > deadline:
            raise VisitFailed(f"the hub would not start {name}'s server ({answer.status_code})")
        time.sleep(2)
    while time.monotonic() < deadline:
        answer = http.get(
            f"{hub_url}/hub/spawn-pending/{name}?next={target}",
            allow_redirects=False,
            timeout=timeout,
        )
        if answer.status_code in (301, 302, 303):
            return http
        if answer.status_code >= 400:
            raise VisitFailed(f"{name}'s server failed to start ({answer.status_code})")
        time.sleep(1)
    raise VisitFailed(f"{name}'s server did not start within {timeout:.0f} s")


def browser_assets_apart(
    page_url: str, ready: str = ".ak-page", timeout: float = 300
) -> tuple[float, list[str]] | None:
    """:func:`browser_assets` in a process of its own, given up after ``timeout``.

    On a machine this loaded a headless Chromium can die without Playwright noticing, and the
    caller would wait forever; None says the browser did not finish.
    """
    command = [sys.executable, "-m", "tests.benchmarks.visitors", "--record", page_url, ready]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, cwd=REPO_ROOT
        )
    except subprocess.TimeoutExpired:
        print(f"Chromium did not finish {page_url} within {timeout:.0f} s", flush=True)
        return None
    if done.returncode != 0:
        print(f"Chromium could not open {page_url}: {done.stderr.strip()[-500:]}", flush=True)
        return None
    recorded = json.loads(done.stdout.strip().splitlines()[-1])
    return recorded["seconds"], recorded["assets"]


def main(argv: list[str]) -> int:
    if argv[:1] == ["--record"] and len(argv) >= 2:
        seconds, assets = browser_assets(argv[1], *argv[2:3])
        print(json.dumps({"seconds": seconds, "assets": assets}))
        return 0
    if not argv:
        print("usage: python -m tests.benchmarks.visitors URL-OF-A-PAGE [VISITORS]")
        print("       python -m tests.benchmarks.visitors --record URL-OF-A-PAGE [READY-SELECTOR]")
        return 2
    url = urlsplit(argv[0])
    count = int(argv[1]) if len(argv) > 1 else 1
    base = f"{url.scheme}://{url.netloc}/"
    total, visits, failures = stampede([(base, url.path.lstrip("/"), None)] * count)
    for v in visits:
        print(f"page {v.page:.1f} s, interactive {v.interactive:.1f} s, {v.widgets} widgets")
    for failure in failures:
        print(f"failed: {failure}")
    print(f"{len(visits)} of {count} interactive after {total:.1f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
