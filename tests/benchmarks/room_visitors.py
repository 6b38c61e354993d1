"""Browser-less visitors of a Voila page: what the page's own JavaScript does, without a browser.

On a 2-core machine 30 Chromium tabs spend more CPU than the server they measure, so room-sized
bursts are timed with these visitors instead. A visitor does, in order, what Voila's page and
the ipywidgets manager do in the browser:

1. GET the page (cookies kept; the ``_xsrf`` cookie the kit's page handler sets among them) and
   read ``kernelId`` and ``baseUrl`` from the page's ``jupyter-config-data``;
2. GET ``api/kernels/<id>`` (the page's ``KernelAPI.getKernelModel``);
3. open ``api/kernels/<id>/channels?session_id=<client id>`` with the page's cookies, and wait
   for the reply to ``kernel_info_request`` (a kernel connection counts as connected then);
4. open the ``jupyter.widget.control`` comm and send ``request_states``; the widget manager
   gives the kernel 4 s to answer with ``update_states``, then falls back to
   ``comm_info_request`` for ``jupyter.widget`` and one ``request_state`` per widget. The
   visitor is *interactive* when the states have arrived, as the page is when it can draw them;
5. :meth:`Visitor.close` closes the websocket and posts the page's shutdown beacon
   (``voila/api/shutdown/<id>`` with the ``_xsrf`` form field), so the kernel goes away;
   :meth:`Visitor.disconnect` only closes the websocket, for a memory reading while kernels
   stay up.

Stable API (reused by the hub benchmark): :class:`Visitor`, :class:`Visit`, :func:`visit`,
:func:`crowd`, :func:`crowd_of`, :class:`Crowd`, :func:`render_path`, :func:`at_once`.
``python -m tests.benchmarks.visitors --check`` compares one visitor with one real Chromium
open on a fresh kit server.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import re
import struct
import threading
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

CONFIG_DATA = re.compile(
    r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', re.S
)
KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')
#: A widget output in the page: the page's JavaScript draws a view of this model.
VIEW = re.compile(r'"application/vnd\.jupyter\.widget-view\+json":\s*\{"model_id":\s*"(\w+)"')
#: What ipywidgets' manager waits for the control comm before it falls back (ManagerBase).
CONTROL_COMM_WAIT = 4.0
CONTROL_TARGET = "jupyter.widget.control"
T = TypeVar("T")
WIDGET_TARGET = "jupyter.widget"


def render_path(notebook: str) -> str:
    """The page path Voila serves a notebook on, relative to the server's base URL."""
    name = notebook if notebook.endswith(".ipynb") else f"{notebook}.ipynb"
    return f"voila/render/{name}"


@dataclass
class Visit:
    """What one visitor saw; times in seconds from the start of its page request."""

    page: str
    kernel_id: str = ""
    page_seconds: float = float("nan")  # the page's HTML fully read
    connected_seconds: float = float("nan")  # kernel_info_reply on the websocket
    interactive_seconds: float = float("nan")  # widget states arrived
    widgets: int = 0  # widget states the kernel sent
    views: int = 0  # widget outputs in the page's HTML, each drawn from one of those states
    fell_back: bool = False  # the control comm did not answer in 4 s
    error: str = ""

    @property
    def interactive(self) -> bool:
        return not self.error and self.interactive_seconds == self.interactive_seconds


@dataclass
class Crowd:
    """N visitors who opened their pages at the same moment."""

    visits: list[Visit]
    seconds: float  # from the common start until the last visitor was interactive
    visitors: list[Visitor] = field(default_factory=list, repr=False)

    @property
    def errors(self) -> list[str]:
        return [v.error for v in self.visits if v.error]

    @property
    def all_interactive(self) -> bool:
        return all(v.interactive for v in self.visits)

    def close(self) -> None:
        """Leave as closing tabs do: every kernel is shut down."""
        _each(self.visitors, Visitor.close)

    def disconnect(self) -> None:
        _each(self.visitors, Visitor.disconnect)


def _each(visitors: Sequence[Visitor], action) -> None:
    threads = [threading.Thread(target=action, args=(v,)) for v in visitors]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


class Visitor:
    """One browser-less visitor of one page.

    ``base_url`` is the server's root (with any prefix, e.g. a hub's ``/user/<name>/``);
    ``page`` is the path below it (see :func:`render_path`). ``cookies`` and ``headers`` carry
    a log-in done elsewhere (a hub's); they are sent with every request and the websocket.
    """

    def __init__(
        self,
        base_url: str,
        page: str,
        *,
        cookies: http.cookiejar.CookieJar | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float = 600,
    ) -> None:
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.page = page.lstrip("/")
        self.jar = cookies if cookies is not None else http.cookiejar.CookieJar()
        self.headers = dict(headers or {})
        self.timeout = timeout
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.client_id = uuid.uuid4().hex
        self.kernel_id = ""
        self.server_root = self.base_url  # the page's own baseUrl, once read
        self.ws = None
        self.view_ids: list[str] = []
        self.state_ids: set[str] = set()
        self._lock = threading.Lock()

    # -- HTTP -------------------------------------------------------------------------------
    def _request(self, url: str, data: bytes | None = None, method: str = "GET") -> bytes:
        req = urllib.request.Request(url, data=data, method=method, headers=self.headers)
        with self.opener.open(req, timeout=self.timeout) as response:
            return response.read()

    def _read_page(self) -> str:
        req = urllib.request.Request(self.base_url + self.page, headers=self.headers)
        with self.opener.open(req, timeout=self.timeout) as response:
            html = response.read().decode("utf-8", errors="replace")
            final = response.geturl()
        config = CONFIG_DATA.search(html)
        data = {}
        if config:
            try:
                data = json.loads(config.group(1))
            except ValueError:
                data = {}
        kernel = data.get("kernelId") or (KERNEL_ID.search(html) or [None, ""])[1]
        if not kernel:
            raise VisitError(f"the page {final} names no kernel")
        self.kernel_id = kernel
        self.view_ids = VIEW.findall(html)
        parts = urllib.parse.urlsplit(final)
        root = data.get("baseUrl") or urllib.parse.urlsplit(self.base_url).path
        self.server_root = f"{parts.scheme}://{parts.netloc}{root}"
        return html

    def xsrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "_xsrf"), "")

    # -- websocket --------------------------------------------------------------------------
    def _connect(self):
        import websocket

        http_url = f"{self.server_root}api/kernels/{self.kernel_id}/channels"
        query = {"session_id": self.client_id}
        if self.xsrf():
            query["_xsrf"] = self.xsrf()
        ws_url = http_url.replace("http", "ws", 1) + "?" + urllib.parse.urlencode(query)
        probe = urllib.request.Request(http_url, headers=self.headers)
        self.jar.add_cookie_header(probe)
        header = [f"{k}: {v}" for k, v in probe.header_items()]
        return websocket.create_connection(ws_url, header=header, timeout=self.timeout)

    def _message(self, msg_type: str, content: dict, channel: str = "shell") -> dict:
        return {
            "header": {
                "msg_id": uuid.uuid4().hex,
                "username": "",
                "session": self.client_id,
                "msg_type": msg_type,
                "version": "5.2",
                "date": "",
            },
            "parent_header": {},
            "metadata": {},
            "content": content,
            "channel": channel,
            "buffers": [],
        }

    def _send(self, msg: dict) -> str:
        self.ws.send(json.dumps(msg))
        return msg["header"]["msg_id"]

    def _receive(self, deadline: float) -> dict | None:
        """The next message before ``deadline``, or None when the deadline passed."""
        import websocket

        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        self.ws.settimeout(remaining)
        try:
            frame = self.ws.recv()
        except websocket.WebSocketTimeoutException:
            return None
        if isinstance(frame, bytes):
            return _binary_message(frame)
        return json.loads(frame)

    def _wait(self, deadline: float, match) -> dict | None:
        while True:
            msg = self._receive(deadline)
            if msg is None or match(msg):
                return msg

    def _reply_to(self, msg_id: str, deadline: float) -> dict:
        reply = self._wait(
            deadline,
            lambda m: (
                m.get("parent_header", {}).get("msg_id") == msg_id and m.get("channel") == "shell"
            ),
        )
        if reply is None:
            raise VisitError(f"the kernel {self.kernel_id} did not reply in time")
        return reply

    def _states_by_control_comm(self) -> int | None:
        comm_id = uuid.uuid4().hex
        opening = self._message(
            "comm_open", {"comm_id": comm_id, "target_name": CONTROL_TARGET, "data": {}}
        )
        opening["metadata"] = {"version": "1.0.0"}
        self._send(opening)
        self._send(
            self._message("comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}})
        )

        def is_states(m: dict) -> bool:
            content = m.get("content", {})
            return (
                m.get("header", {}).get("msg_type") in ("comm_msg", "comm_close")
                and content.get("comm_id") == comm_id
            )

        msg = self._wait(time.monotonic() + CONTROL_COMM_WAIT, is_states)
        self._send(self._message("comm_close", {"comm_id": comm_id, "data": {}}))
        if msg is None or msg["header"]["msg_type"] != "comm_msg":
            return None
        data = msg["content"].get("data", {})
        if data.get("method") != "update_states":
            return None
        self.state_ids = set(data.get("states", {}))
        return len(self.state_ids)

    def _states_one_by_one(self, deadline: float) -> int:
        """The widget manager's fallback: list the widget comms, ask each for its state."""
        msg_id = self._send(self._message("comm_info_request", {"target_name": WIDGET_TARGET}))
        comms = self._reply_to(msg_id, deadline)["content"].get("comms", {})
        self.state_ids = set(comms)
        waiting = set(comms)
        for comm_id in comms:
            self._send(
                self._message("comm_msg", {"comm_id": comm_id, "data": {"method": "request_state"}})
            )
        while waiting:
            msg = self._receive(deadline)
            if msg is None:
                raise VisitError(f"{len(waiting)} widget states did not arrive in time")
            content = msg.get("content", {})
            if content.get("data", {}).get("method") == "update":
                waiting.discard(content.get("comm_id"))
        return len(comms)

    # -- the visit --------------------------------------------------------------------------
    def open(self) -> Visit:
        """Open the page until its widgets could be drawn; the websocket stays open."""
        result = Visit(page=self.page)
        start = time.perf_counter()
        deadline = time.monotonic() + self.timeout
        try:
            self._read_page()
            result.kernel_id = self.kernel_id
            result.page_seconds = time.perf_counter() - start
            self._request(f"{self.server_root}api/kernels/{self.kernel_id}")
            with self._lock:
                self.ws = self._connect()
            self._reply_to(self._send(self._message("kernel_info_request", {})), deadline)
            result.connected_seconds = time.perf_counter() - start
            widgets = self._states_by_control_comm()
            if widgets is None:
                result.fell_back = True
                widgets = self._states_one_by_one(deadline)
            result.widgets = widgets
            result.views = len(self.view_ids)
            if not self.view_ids:
                # A page whose outputs were lost while it ran shows nothing to work with.
                raise VisitError("the page arrived without any widget output")
            missing = [v for v in self.view_ids if v not in self.state_ids]
            if missing:
                raise VisitError(f"{len(missing)} widget(s) of the page have no state")
            result.interactive_seconds = time.perf_counter() - start
        except VisitError as exc:
            result.error = f"{self.page}: {exc}"
        except Exception as exc:  # a benchmark reports every failure and goes on
            result.error = f"{self.page}: {type(exc).__name__}: {exc}"
        return result

    def disconnect(self) -> None:
        """Close the websocket only (the kernel stays, as after a lost connection)."""
        with self._lock:
            ws, self.ws = self.ws, None
        if ws is not None:
            with contextlib.suppress(Exception):
                ws.close()

    def close(self) -> None:
        """Leave as a closing tab does: websocket closed, shutdown beacon posted."""
        self.disconnect()
        if not self.kernel_id:
            return
        form = urllib.parse.urlencode({"_xsrf": self.xsrf()}).encode()
        # A beacon's answer is never read either.
        with contextlib.suppress(Exception):
            self._request(
                f"{self.server_root}voila/api/shutdown/{self.kernel_id}", data=form, method="POST"
            )


class VisitError(Exception):
    """A visit that could not go on, said in one sentence."""


def _binary_message(frame: bytes) -> dict:
    """Jupyter's legacy websocket framing of a message with buffers: offsets, JSON, buffers."""
    (count,) = struct.unpack("!I", frame[:4])
    offsets = list(struct.unpack(f"!{count}I", frame[4 : 4 * (count + 1)]))
    end = offsets[1] if count > 1 else len(frame)
    return json.loads(frame[offsets[0] : end])


def visit(
    base_url: str,
    page: str,
    *,
    cookies: http.cookiejar.CookieJar | None = None,
    headers: Mapping[str, str] | None = None,
    keep: bool = False,
    timeout: float = 600,
) -> tuple[Visit, Visitor]:
    """One visit. With ``keep`` the kernel stays (websocket closed); else the tab closes."""
    visitor = Visitor(base_url, page, cookies=cookies, headers=headers, timeout=timeout)
    result = visitor.open()
    if keep:
        visitor.disconnect()
    else:
        visitor.close()
    return result, visitor


def at_once(actions: Sequence[Callable[[], T]]) -> tuple[list[T | None], float]:
    """Run every action at the same moment (one thread each): results, and seconds until the
    last one finished."""
    barrier = threading.Barrier(len(actions) + 1)
    results: list[T | None] = [None] * len(actions)

    def go(index: int, action: Callable[[], T]) -> None:
        barrier.wait()
        results[index] = action()

    threads = [threading.Thread(target=go, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    return results, time.perf_counter() - start


def crowd(visitors: Sequence[Visitor], *, keep: bool = True) -> Crowd:
    """Every visitor opens at the same moment (one thread each); seconds until the last is in.

    With ``keep`` (the default) websockets and kernels stay open for a memory reading; call
    :meth:`Crowd.close` afterwards. Otherwise every tab closes once all are in.
    """
    results, seconds = at_once([v.open for v in visitors])
    visits = [
        r or Visit(page=v.page, error="no result") for r, v in zip(results, visitors, strict=True)
    ]
    done = Crowd(visits=visits, seconds=seconds, visitors=list(visitors))
    if not keep:
        done.close()
    return done


def crowd_of(
    base_url: str,
    page: str,
    n: int,
    *,
    headers: Mapping[str, str] | None = None,
    keep: bool = True,
    timeout: float = 600,
) -> Crowd:
    """N visitors of one page of one server, each with its own cookies."""
    visitors = [Visitor(base_url, page, headers=headers, timeout=timeout) for _ in range(n)]
    return crowd(visitors, keep=keep)


def _settle(server, expected: int) -> None:
    deadline = time.monotonic() + 30
    while server.kernel_count() > expected and time.monotonic() < deadline:
        time.sleep(0.2)


def _check(argv: Sequence[str]) -> int:
    """One visitor and one Chromium tab on the same fresh server: both interactive, and close."""
    import argparse
    import tempfile
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM_ARGS, chromium_path, start_kit_server

    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.visitors")
    parser.add_argument("--check", action="store_true", required=True)
    parser.add_argument("--page", default="learn_trust")
    parser.add_argument("--ready", default=".ak-page", help="CSS selector of an interactive page")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        server = start_kit_server(Path(tmp), ["--no-preheat"])
        try:
            path = render_path(args.page)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
                tab = browser.new_page()
                start = time.perf_counter()
                tab.goto(f"{server.url}/{path}", wait_until="commit")
                tab.wait_for_selector(args.ready, state="visible", timeout=120_000)
                chromium = time.perf_counter() - start
                tab.close(run_before_unload=True)
                time.sleep(1)  # the beacon leaves before the browser goes
                browser.close()
            _settle(server, 0)
            before = server.kernel_count()
            result, _ = visit(server.url, path)
            _settle(server, before)
            left = server.kernel_count() - before
        finally:
            server.stop()
    print(f"Chromium: interactive after {chromium:.2f} s")
    how = " (fallback)" if result.fell_back else ""
    problem = f", ERROR {result.error}" if result.error else ""
    print(
        f"visitor:  page {result.page_seconds:.2f} s, connected {result.connected_seconds:.2f} s, "
        f"interactive {result.interactive_seconds:.2f} s, {result.widgets} widget states"
        f"{how}{problem}"
    )
    print(f"kernels left by the Chromium tab: {before}; by the visitor: {left}")
    return 0 if result.interactive and result.widgets and not left else 1


if __name__ == "__main__":
    import sys

    raise SystemExit(_check(sys.argv[1:]))
