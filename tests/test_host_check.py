"""A kit served on this machine answers only to this machine's names (no DNS rebinding).

A web page elsewhere can point its own host name at 127.0.0.1; the browser then sends that
name in the ``Host`` header. Every route (pages, API, websockets, static files) must refuse it.
Real HTTP requests against a real server.
"""

from __future__ import annotations

import re
import socket
import urllib.error
import urllib.request

import pytest

from alliance_kit.page_list import registry
from conftest import KitServer, start_kit_server

EVIL = "evil.example"


@pytest.fixture(scope="module")
def kit_server(tmp_path_factory) -> KitServer:
    server = start_kit_server(tmp_path_factory.mktemp("host"), ["--no-preheat"])
    yield server
    server.stop()


def get(server: KitServer, path: str, host: str) -> tuple[int, str]:
    request = urllib.request.Request(f"{server.url}{path}", headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def websocket_status(server: KitServer, path: str, host: str) -> int:
    """The status line of a websocket upgrade request, as a browser would send it."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(
            (
                f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\n"
                "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                f"Origin: http://{host}\r\n\r\n"
            ).encode()
        )
        first_line = sock.recv(4096).split(b"\r\n", 1)[0].decode()
    return int(first_line.split()[1])


@pytest.fixture(scope="module")
def kernel_id(kit_server: KitServer) -> str:
    """The kernel of a page served to a proper visitor (the landing page has none)."""
    page = registry().available()[0].notebook
    status, html = get(kit_server, f"/voila/render/{page}", f"127.0.0.1:{kit_server.port}")
    assert status == 200
    return re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', html).group(1)


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "[::1]"])
def test_this_machines_names_are_served(kit_server, name):
    status, body = get(kit_server, "/voila/static/voila.js", f"{name}:{kit_server.port}")
    assert status == 200 and body


@pytest.mark.parametrize(
    "path",
    [
        "/voila/render/index.ipynb",
        "/voila/render/my_trends.ipynb",
        "/",
        "/voila/static/voila.js",
        "/voila/templates/alliance/static/alliance.css",
        "/voila/labextensions/@jupyter-widgets/jupyterlab-manager/package.json",
        "/no/such/route",
    ],
)
@pytest.mark.parametrize("host", [EVIL, f"{EVIL}:PORT", "127.0.0.1:1", "localhost"])
def test_other_hosts_get_403_on_every_route(kit_server, path, host):
    before = kit_server.kernel_count()
    status, body = get(kit_server, path, host.replace("PORT", str(kit_server.port)))
    assert status == 403
    assert "only answers to addresses of this computer" in body
    assert kit_server.kernel_count() == before  # no page ran for the refused visitor


def test_the_kernel_api_refuses_other_hosts(kit_server, kernel_id):
    status, body = get(kit_server, f"/api/kernels/{kernel_id}", EVIL)
    assert status == 403
    assert kernel_id not in body
    status, _ = get(kit_server, f"/api/kernels/{kernel_id}", f"localhost:{kit_server.port}")
    assert status != 403


def test_kernel_websockets_refuse_other_hosts(kit_server, kernel_id):
    path = f"/api/kernels/{kernel_id}/channels"
    assert websocket_status(kit_server, path, f"{EVIL}:{kit_server.port}") == 403
    assert websocket_status(kit_server, path, f"127.0.0.1:{kit_server.port}") == 101


def test_refusals_are_logged(kit_server):
    get(kit_server, "/voila/render/index.ipynb", "rebound.example")
    assert "refused a request for host 'rebound.example'" in kit_server.log()
