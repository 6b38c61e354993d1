"""The room benchmark's browser-less visitor counts a page interactive only when it would be."""

from __future__ import annotations

import json

import pytest
import requests

from tests.benchmarks.visitors import VisitFailed, Visitor, default_assets, read_page, visit

PAGE = "voila/render/learn_trust.ipynb"


def test_a_visitor_gets_the_learn_page_with_every_shown_widget(kit_server):
    result = visit(kit_server.url, PAGE, assets=True, timeout=180)
    assert result.widgets > 10
    assert 0 < result.page <= result.assets <= result.interactive
    parts = read_page(requests.get(f"{kit_server.url}/{PAGE}", timeout=180).text)
    assert parts.views, "the page names the widgets it shows"
    # the files a page loads are named relative to the server, as on a hub's /user/<name>/
    assert "voila/static/voila.js" in default_assets(parts)


def test_a_page_that_lost_its_widget_output_is_not_counted(kit_server):
    html = requests.get(f"{kit_server.url}/{PAGE}", timeout=180).text
    # what a busy server served when a cell's outputs came too late: no output at all
    start = html.index('<script type="application/vnd.voila.cell-output+json">')
    end = html.index("</script>", start) + len("</script>")
    assert not read_page(html[:start] + html[end:]).views


def test_a_page_that_is_not_a_voila_page_says_so():
    with pytest.raises(VisitFailed, match="not a Voila page"):
        read_page("<html><body>Service unavailable</body></html>")


def test_a_hub_trainee_sends_their_servers_xsrf_cookie_not_the_hubs():
    """Logged in through a hub, a visitor holds two ``_xsrf`` cookies, as a browser does."""
    http = requests.Session()
    http.cookies.set("_xsrf", "hub", domain="127.0.0.1", path="/hub/")
    http.cookies.set("_xsrf", "own", domain="127.0.0.1", path="/user/trainee00/")
    http.cookies.set("jupyterhub-session-id", "s", domain="127.0.0.1", path="/")
    visitor = Visitor("http://127.0.0.1:8000", f"user/trainee00/{PAGE}", http=http)
    assert visitor.xsrf() == "own"
    assert visitor.cookies() == {"jupyterhub-session-id": "s", "_xsrf": "own"}


def test_a_visitor_speaks_the_pages_own_kernel_protocol(kit_server):
    """A Voila page's JavaScript asks for ``v1.kernel.websocket.jupyter.org``, which the server
    forwards unread; a visitor on the older JSON protocol would cost the server more per
    message than a trainee's browser does."""
    visitor = Visitor(kit_server.url, PAGE, timeout=180)
    result = visitor.open()
    try:
        assert result.ok, result.error
        assert visitor.v1
    finally:
        visitor.close()


def test_a_visitor_on_the_json_protocol_gets_the_page_too(kit_server):
    """What a visitor speaks where a server takes no subprotocol."""
    visitor = Visitor(kit_server.url, PAGE, timeout=180, protocols=())
    result = visitor.open()
    try:
        assert result.ok, result.error
        assert not visitor.v1 and result.widgets > 10
    finally:
        visitor.close()


def test_v1_messages_are_written_and_read_as_jupyter_server_does():
    from jupyter_server.services.kernels.connection.base import (
        deserialize_msg_from_ws_v1,
        serialize_msg_to_ws_v1,
    )

    from tests.benchmarks.visitors import _message, _pack_v1, _unpack_v1

    message = _message("comm_msg", {"data": {"method": "request_states", "é": "ë"}}, "s")
    channel, parts = deserialize_msg_from_ws_v1(_pack_v1(message))
    assert channel == "shell"
    assert [json.loads(p) for p in parts] == [message["header"], {}, {}, message["content"]]
    # what the server sends: the kernel's parts as they are, buffers after them
    read = _unpack_v1(serialize_msg_to_ws_v1([*parts, b"\x00buffer"], "iopub"))
    assert read["channel"] == "iopub"
    assert read["header"] == message["header"]
    assert read["content"] == message["content"]
