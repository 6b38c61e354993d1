"""Visitors that open a kit page as its own JavaScript does, without a browser.

A room of trainees loads the server with what their pages ask of it, not with the browsers on
their own laptops (on a 2-core machine 30 Chromium tabs spend more CPU than the server they
measure). One visitor asks for the same things Voila's page and ipywidgets' manager ask, in
the same order:

1. GET the page (cookies kept, the ``_xsrf`` cookie among them) and read ``kernelId``,
   ``baseUrl`` and the widgets it shows from it;
2. GET ``api/kernels/<id>`` (the page's ``KernelAPI.getKernelModel``) and, if asked to, the
   files the page loads: a browser's record of them, or the page's own links;
3. open ``api/kernels/<id>/channels`` with the page's cookies, in the protocol the page asks
   for (``v1.kernel.websocket.jupyter.org``: binary frames the server forwards unread; JSON
   text frames where a server does not take it), and wait for the reply to
   ``kernel_info_request`` (a kernel connection counts as connected then);
4. open the ``jupyter.widget.control`` comm and send ``request_states``; the widget manager
   gives the kernel 4 s to answer with ``update_states``, then falls back to
   ``comm_info_request`` for ``jupyter.widget`` and one ``request_state`` per widget. The
   visitor is *interactive* when every widget the page's HTML shows has its state;
5. :meth:`Visitor.close` closes the websocket and posts the page's shutdown beacon, so the
   kernel goes away; :meth:`Visitor.disconnect` only closes the websocket (the kernel stays).

:func:`visit` is one visitor, :func:`crowd_of` and :func:`crowd` send many at the same moment,
:func:`hub_session` logs a trainee in through a JupyterHub's form over HTTP and returns the
session a :class:`Visitor` then uses. ``python -m tests.benchmarks.visitors --help`` says how
to send visitors to a running server, record a browser's files, or compare one visitor with
one Chromium tab (``--check``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import re
import struct
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote, urljoin, urlsplit

import requests
import websocket

CONTROL_TARGET = "jupyter.widget.control"
#: The kernel websocket protocol a Voila page's JavaScript (JupyterLab's services) asks for
#: first; a server that accepts it forwards messages as they are, without parsing them.
V1_PROTOCOL = "v1.kernel.websocket.jupyter.org"
WIDGET_TARGET = "jupyter.widget"
PROTOCOL_VERSION = "5.3"
#: What ipywidgets' manager waits for the control comm before it falls back (ManagerBase).
CONTROL_COMM_WAIT = 4.0
#: A browser fetches at most six files from one server at once.
PARALLEL_FETCHES = 6
VIEW_MIME = "application/vnd.jupyter.widget-view+json"
#: How Voila's page carries each output of the notebook.
OUTPUT_MIME = "application/vnd.voila.cell-output+json"
REPO_ROOT = Path(__file__).resolve().parents[2]
NAN = float("nan")
T = TypeVar("T")


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


def render_path(notebook: str) -> str:
    """The page path Voila serves a notebook on, relative to the server's base URL."""
    name = notebook if notebook.endswith(".ipynb") else f"{notebook}.ipynb"
    return f"voila/render/{name}"


def default_assets(parts: PageParts) -> list[str]:
    """Files every page load asks for, without a browser's record: the page's own scripts and
    stylesheets and each widget extension's entry point (a browser then fetches their chunks).

    Relative to the server's base URL, so the same list serves every person's server on a hub.
    """
    config = parts.config
    base = _base_path(config)
    wanted = list(parts.assets)
    labextensions = str(config.get("fullLabextensionsUrl") or "").rstrip("/")
    for extension in config.get("federated_extensions") or []:
        load = str(extension.get("load", "")).removeprefix("./")
        wanted.append(f"{labextensions}/{extension['name']}/{load}")
    return [path.removeprefix(base) if path.startswith(base) else path for path in wanted]


def _base_path(config: dict) -> str:
    """The page's server's base path (``/user/<name>/`` on a hub), with both slashes."""
    return ("/" + str(config.get("baseUrl") or "/").strip("/") + "/").replace("//", "/")


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


def _pack_v1(message: dict) -> bytes:
    """A message in the kernel websocket protocol ``v1.kernel.websocket.jupyter.org``: the
    channel and the message's JSON parts behind a table of their offsets (8-byte little-endian
    integers), as jupyter_server and JupyterLab's ``serializeV1KernelWebsocketJupyterOrg``
    write it. The server passes such parts between websocket and kernel without reading them."""
    parts = [
        json.dumps(message[key]).encode("utf-8")
        for key in ("header", "parent_header", "metadata", "content")
    ]
    channel = message["channel"].encode("utf-8")
    offsets = [8 * (1 + 1 + len(parts) + 1)]
    offsets.append(offsets[-1] + len(channel))
    for part in parts:
        offsets.append(offsets[-1] + len(part))
    table = [len(offsets).to_bytes(8, "little"), *(o.to_bytes(8, "little") for o in offsets)]
    return b"".join([*table, channel, *parts])


def _unpack_v1(frame: bytes) -> dict:
    """The channel and JSON parts of a ``v1`` message (:func:`_pack_v1`); buffers are left."""
    count = int.from_bytes(frame[:8], "little")
    offsets = [int.from_bytes(frame[8 * (i + 1) : 8 * (i + 2)], "little") for i in range(count)]
    parts = [frame[offsets[i] : offsets[i + 1]] for i in range(1, count - 1)]
    names = ("header", "parent_header", "metadata", "content")
    message = {
        key: json.loads(part) if part else {} for key, part in zip(names, parts[:4], strict=True)
    }
    message["channel"] = frame[offsets[0] : offsets[1]].decode("utf-8")
    return message


@dataclass
class Visit:
    """What one visitor saw; times in seconds from its page request (NaN: not reached)."""

    path: str
    kernel_id: str = ""
    page: float = NAN  # the page's HTML fully read
    assets: float = NAN  # the files the page loads, and its kernel's model, fetched
    connected: float = NAN  # kernel_info_reply on the websocket
    interactive: float = NAN  # every shown widget's state arrived
    widgets: int = 0  # widget states the kernel sent
    views: int = 0  # widget outputs in the page's HTML, each drawn from one of those states
    fell_back: bool = False  # the control comm did not answer in time
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and not math.isnan(self.interactive)


class Visitor:
    """One browser-less visitor of one page.

    ``base_url`` is the server's root; ``page`` the path below it (see :func:`render_path`;
    on a hub ``user/<name>/...`` below the hub's URL). ``http`` carries a log-in done elsewhere
    (:func:`hub_session`); its cookies go with every request and the websocket. ``assets``
    are the files the page then loads, relative to its server's base URL (as
    :func:`browser_assets` records them); True fetches the page's own links
    (:func:`default_assets`); by default only the kernel's model, as the page asks first.
    """

    def __init__(
        self,
        base_url: str,
        page: str,
        *,
        http: requests.Session | None = None,
        assets: Sequence[str] | bool = False,
        timeout: float = 600,
        protocols: Sequence[str] = (V1_PROTOCOL,),
    ) -> None:
        self.protocols = protocols  # () speaks the JSON protocol, as older pages did
        self.page_url = urljoin(base_url.rstrip("/") + "/", page.lstrip("/"))
        self.path = page
        self.http = http or requests.Session()
        self.assets = assets
        self.timeout = timeout
        self.session = uuid.uuid4().hex
        self.kernel_id = ""
        self.server_url = ""  # the page's own server root, once read
        self.ws: websocket.WebSocket | None = None
        self.v1 = False  # the server took the page's own protocol (V1_PROTOCOL)
        self._lock = threading.Lock()

    def cookies(self) -> dict[str, str]:
        """The cookies a browser sends to the page's server: on a hub both the hub and the
        person's server set ``_xsrf``, each on its own path, and the longer path wins."""
        path = urlsplit(self.server_url or self.page_url).path
        chosen: dict[str, str] = {}
        for cookie in sorted(self.http.cookies, key=lambda c: len(c.path or "")):
            if path.startswith(cookie.path or "/") and cookie.value is not None:
                chosen[cookie.name] = cookie.value
        return chosen

    def xsrf(self) -> str:
        return self.cookies().get("_xsrf", "")

    # -- HTTP -------------------------------------------------------------------------------
    def _get(self, url: str, deadline: float) -> requests.Response:
        answer = self.http.get(url, timeout=max(deadline - time.monotonic(), 1))
        if answer.status_code != 200:
            raise VisitFailed(f"{url} answered {answer.status_code}")
        return answer

    def _fetch_assets(self, parts: PageParts, deadline: float) -> None:
        links = default_assets(parts) if self.assets is True else list(self.assets or [])
        wanted = [f"api/kernels/{self.kernel_id}", *links]

        def fetch(path: str) -> None:
            self._get(urljoin(self.server_url, path), deadline)

        with ThreadPoolExecutor(max_workers=PARALLEL_FETCHES) as fetches:
            list(fetches.map(fetch, wanted))

    # -- websocket --------------------------------------------------------------------------
    def _connect(self, deadline: float) -> websocket.WebSocket:
        parts = urlsplit(self.server_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        url = f"{scheme}://{parts.netloc}{parts.path}api/kernels/{self.kernel_id}/channels"
        url += f"?session_id={self.session}"
        if self.xsrf():
            url += f"&_xsrf={quote(self.xsrf())}"
        jar = "; ".join(f"{name}={value}" for name, value in self.cookies().items())

        def connect(protocols: list[str] | None) -> websocket.WebSocket:
            return websocket.create_connection(
                url,
                header=[f"Cookie: {jar}"] if jar else None,
                timeout=max(deadline - time.monotonic(), 1),
                subprotocols=protocols,
                # A browser checks a text frame's UTF-8 in native code; websocket-client checks
                # it in pure Python, about 20 ms for a 60 kB widget-state reply. With 30
                # visitors in one process that check (under one GIL) was a third of a room's
                # measured time.
                skip_utf8_validation=True,
            )

        if not self.protocols:
            return connect(None)
        try:
            return connect(list(self.protocols))
        except websocket.WebSocketBadStatusException:
            raise  # refused (403, 404): not a question of protocol
        except websocket.WebSocketException:
            # A server that takes no subprotocol answers without one, which websocket-client
            # refuses; a browser then speaks the JSON protocol, and so does a visitor.
            return connect(None)

    def _send(self, msg_type: str, content: dict, metadata: dict | None = None) -> str:
        message = _message(msg_type, content, self.session)
        message["metadata"] = metadata or {}
        assert self.ws is not None
        if self.v1:
            self.ws.send_binary(_pack_v1(message))
        else:
            self.ws.send(json.dumps(message))
        return message["header"]["msg_id"]

    def _receive(self, deadline: float) -> dict | None:
        """The next message before ``deadline``, or None when the deadline passed."""
        remaining = deadline - time.monotonic()
        if remaining <= 0 or self.ws is None:
            return None
        self.ws.settimeout(remaining)
        try:
            frame = self.ws.recv()
            return _unpack_v1(frame) if self.v1 and isinstance(frame, bytes) else _decode(frame)
        except websocket.WebSocketTimeoutException:
            return None

    def _wait(self, deadline: float, match: Callable[[dict], bool]) -> dict | None:
        while True:
            message = self._receive(deadline)
            if message is None or match(message):
                return message

    def _reply_to(self, msg_id: str, deadline: float) -> dict:
        reply = self._wait(
            deadline,
            lambda m: (
                m.get("parent_header", {}).get("msg_id") == msg_id and m.get("channel") == "shell"
            ),
        )
        if reply is None:
            raise VisitFailed(f"the kernel {self.kernel_id} did not reply in time")
        return reply

    def _states_by_control_comm(self, deadline: float) -> set[str] | None:
        """The states as ipywidgets' manager asks first; None when the kernel does not answer
        within the manager's patience."""
        comm_id = uuid.uuid4().hex
        self._send(
            "comm_open",
            {"comm_id": comm_id, "target_name": CONTROL_TARGET, "data": {}},
            {"version": "1.0.0"},
        )
        self._send("comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}})
        reply = self._wait(
            min(time.monotonic() + CONTROL_COMM_WAIT, deadline),
            lambda m: (
                m.get("header", {}).get("msg_type") in ("comm_msg", "comm_close")
                and m.get("content", {}).get("comm_id") == comm_id
            ),
        )
        self._send("comm_close", {"comm_id": comm_id, "data": {}})
        if reply is None or reply["header"]["msg_type"] != "comm_msg":
            return None
        data = reply["content"].get("data", {})
        return set(data.get("states", {})) if data.get("method") == "update_states" else None

    def _states_one_by_one(self, deadline: float) -> set[str]:
        """The widget manager's fallback: list the widget comms, ask each for its state."""
        msg_id = self._send("comm_info_request", {"target_name": WIDGET_TARGET})
        comms = set(self._reply_to(msg_id, deadline)["content"].get("comms", {}))
        for comm_id in comms:
            self._send("comm_msg", {"comm_id": comm_id, "data": {"method": "request_state"}})
        waiting = set(comms)
        while waiting:
            message = self._receive(deadline)
            if message is None:
                raise VisitFailed(f"{len(waiting)} widget states did not arrive in time")
            content = message.get("content", {})
            if content.get("data", {}).get("method") == "update":
                waiting.discard(content.get("comm_id"))
        return comms

    # -- the visit --------------------------------------------------------------------------
    def open(self) -> Visit:
        """Open the page until its widgets could be drawn; the websocket stays open.

        Never raises: a benchmark counts every failure (``Visit.error``) and goes on.
        """
        result = Visit(path=self.path)
        try:
            self._open(result)
        except VisitFailed as error:
            result.error = f"{self.path}: {error}"
        except Exception as error:  # a benchmark reports every failure and goes on
            result.error = f"{self.path}: {type(error).__name__}: {error}"
        return result

    def _open(self, result: Visit) -> None:
        began = time.monotonic()
        deadline = began + self.timeout
        response = self._get(self.page_url, deadline)
        parts = read_page(response.text)
        self.kernel_id = result.kernel_id = parts.config["kernelId"]
        where = urlsplit(response.url)
        self.server_url = f"{where.scheme}://{where.netloc}{_base_path(parts.config)}"
        result.page = time.monotonic() - began
        self._fetch_assets(parts, deadline)
        result.assets = time.monotonic() - began
        with self._lock:
            self.ws = self._connect(deadline)
            self.v1 = self.ws.getsubprotocol() == V1_PROTOCOL
        self._reply_to(self._send("kernel_info_request", {}), deadline)
        result.connected = time.monotonic() - began
        states = self._states_by_control_comm(deadline)
        if states is None:
            result.fell_back = True
            states = self._states_one_by_one(deadline)
        result.widgets, result.views = len(states), len(parts.views)
        # The page shows the widgets its outputs name; without such an output (an output lost
        # while the notebook ran) or without their states, a browser would show an empty page.
        if not parts.views:
            raise VisitFailed("the page holds no widget output, it would stay empty")
        missing = [view for view in parts.views if view not in states]
        if missing:
            raise VisitFailed(f"the kernel has no state for the shown widget {missing[0]}")
        result.interactive = time.monotonic() - began

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
        # A beacon's answer is never read either.
        with contextlib.suppress(requests.RequestException):
            self.http.post(
                f"{self.server_url}voila/api/shutdown/{self.kernel_id}",
                data={"_xsrf": self.xsrf()},
                timeout=60,
            )


def visit(
    base_url: str,
    page: str,
    *,
    http: requests.Session | None = None,
    assets: Sequence[str] | bool = False,
    keep: bool = False,
    timeout: float = 600,
) -> Visit:
    """One visitor until the page is interactive; :class:`VisitFailed` says why it is not.

    With ``keep`` the kernel stays (websocket closed); else the tab closes.
    """
    visitor = Visitor(base_url, page, http=http, assets=assets, timeout=timeout)
    result = visitor.open()
    if keep:
        visitor.disconnect()
    else:
        visitor.close()
    if result.error:
        raise VisitFailed(result.error)
    return result


@dataclass
class Crowd:
    """N visitors who opened their pages at the same moment."""

    visits: list[Visit]
    seconds: float  # from the common start until the last visitor was done
    visitors: list[Visitor] = field(default_factory=list, repr=False)

    @property
    def errors(self) -> list[str]:
        return [v.error for v in self.visits if v.error]

    @property
    def all_interactive(self) -> bool:
        return all(v.ok for v in self.visits)

    def close(self) -> None:
        """Leave as closing tabs do: every kernel is shut down."""
        at_once([v.close for v in self.visitors])

    def disconnect(self) -> None:
        at_once([v.disconnect for v in self.visitors])


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
    start = time.monotonic()
    for t in threads:
        t.join()
    return results, time.monotonic() - start


def crowd(visitors: Sequence[Visitor], *, keep: bool = True) -> Crowd:
    """Every visitor opens at the same moment (one thread each).

    With ``keep`` (the default) websockets and kernels stay open for a memory reading; call
    :meth:`Crowd.close` afterwards. Otherwise every tab closes once all are in.
    """
    results, seconds = at_once([v.open for v in visitors])
    visits = [
        r or Visit(path=v.path, error="no result") for r, v in zip(results, visitors, strict=True)
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
    assets: Sequence[str] | bool = False,
    keep: bool = True,
    timeout: float = 600,
) -> Crowd:
    """N visitors of one page of one server, each with its own cookies."""
    visitors = [Visitor(base_url, page, assets=assets, timeout=timeout) for _ in range(n)]
    return crowd(visitors, keep=keep)


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
    command = [
        sys.executable,
        "-m",
        "tests.benchmarks.visitors",
        "--record",
        page_url,
        "--ready",
        ready,
    ]
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


def _settle(server, expected: int) -> None:
    deadline = time.monotonic() + 30
    while server.kernel_count() > expected and time.monotonic() < deadline:
        time.sleep(0.2)


def _check(page: str, ready: str) -> int:
    """One visitor and one Chromium tab on the same fresh server: both interactive, and close."""
    import tempfile

    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM_ARGS, chromium_path, start_kit_server

    with tempfile.TemporaryDirectory() as tmp:
        server = start_kit_server(Path(tmp), ["--no-preheat"])
        try:
            path = render_path(page)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
                tab = browser.new_page()
                start = time.monotonic()
                tab.goto(f"{server.url}/{path}", wait_until="commit")
                tab.wait_for_selector(ready, state="visible", timeout=120_000)
                chromium = time.monotonic() - start
                tab.close(run_before_unload=True)
                time.sleep(1)  # the beacon leaves before the browser goes
                browser.close()
            _settle(server, 0)
            before = server.kernel_count()
            visitor = Visitor(server.url, path)
            result = visitor.open()
            visitor.close()
            _settle(server, before)
            left = server.kernel_count() - before
        finally:
            server.stop()
    print(f"Chromium: interactive after {chromium:.2f} s")
    how = " (fallback)" if result.fell_back else ""
    problem = f", ERROR {result.error}" if result.error else ""
    print(
        f"visitor:  page {result.page:.2f} s, connected {result.connected:.2f} s, "
        f"interactive {result.interactive:.2f} s, {result.widgets} widget states"
        f"{how}{problem}"
    )
    print(f"kernels left by the Chromium tab: {before}; by the visitor: {left}")
    return 0 if result.ok and result.widgets and not left else 1


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.benchmarks.visitors",
        description="Browser-less visitors of a kit page.",
    )
    parser.add_argument("url", nargs="?", help="a page of a running server: send visitors to it")
    parser.add_argument("visitors", nargs="?", type=int, default=1, help="how many at once")
    parser.add_argument(
        "--record",
        action="store_true",
        help="open URL once in Chromium; print its seconds and the files it fetched as JSON",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="compare one visitor with one Chromium tab on a fresh kit server",
    )
    parser.add_argument("--page", default="learn_trust", help="the notebook --check opens")
    parser.add_argument("--ready", default=".ak-page", help="CSS selector of an interactive page")
    args = parser.parse_args(argv)
    if args.check:
        return _check(args.page, args.ready)
    if not args.url:
        parser.error("give the URL of a page, or --check")
    if args.record:
        seconds, assets = browser_assets(args.url, args.ready)
        print(json.dumps({"seconds": seconds, "assets": assets}))
        return 0
    url = urlsplit(args.url)
    base = f"{url.scheme}://{url.netloc}/"
    room = crowd_of(base, url.path.lstrip("/"), args.visitors, assets=True, keep=False)
    for v in room.visits:
        if v.ok:
            print(f"page {v.page:.1f} s, interactive {v.interactive:.1f} s, {v.widgets} widgets")
    for error in room.errors:
        print(f"failed: {error}")
    done = len(room.visits) - len(room.errors)
    print(f"{done} of {args.visitors} interactive after {room.seconds:.1f} s")
    return 1 if room.errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
