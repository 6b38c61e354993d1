"""A room prepared on a real JupyterHub: the roster's servers run, each with a warm page, before
anyone logs in; log-in lands on them; a name off the roster still works; the preparing
service's token does nothing beyond reading and starting the roster's servers.

One hub (proxy, idle culler and the prepare-room service) runs for the module on 127.0.0.1
with a roster of two; the module ends by stopping it and checking nothing is left running.
"""

from __future__ import annotations

import base64
import os
import time
import uuid

import psutil
import pytest
import requests
from hub_support import TRAINEE_PASSWORD, hub_env, log_in, start_hub
from playwright.sync_api import expect

from alliance_kit.hub.hub_config import LANDING_URL, PREPARE_SERVICE, ROOM_GROUP
from tests.benchmarks.visitors import hub_log_in, hub_session, visit
from tests.support import is_kernel

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ROSTER = ("rosa", "rik")
NEWCOMER = "nora"
PAGE = "learn_trust.ipynb"
PREPARED = "The room is prepared: 2 of 2 servers ready"
WARMED = f"{PAGE} will be kept warm in one kernel"
OPENED_WARM = f"{PAGE} opened in its warm kernel"


def servers_of(hub) -> dict[str, psutil.Process]:
    """Each person's running single-user server process, by hub user name."""
    found = {}
    for proc in hub.remember_processes():
        try:
            if proc.is_running() and "alliance-kit-singleuser" in " ".join(proc.cmdline()):
                found[proc.environ().get("JUPYTERHUB_USER", "")] = proc
        except psutil.Error:
            continue
    return found


def kernels_of(server: psutil.Process) -> int:
    return sum(is_kernel(p.cmdline()) for p in server.children(recursive=True))


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("room")
    env = hub_env(
        tmp / "hub-data",
        ALLIANCE_KIT_HUB_ROSTER=",".join(ROSTER),
        ALLIANCE_KIT_HUB_WARM_PAGE="learn_trust",
    )
    hub = start_hub(tmp, env=env)
    try:
        deadline = time.monotonic() + 240
        while PREPARED not in hub.log() and time.monotonic() < deadline:
            time.sleep(1)
        hub.remember_processes()
        yield hub
    finally:
        hub.stop()


@pytest.fixture(scope="module")
def service_api(hub):
    """The preparing service's own token, as the hub gave it to the service's process."""
    (service,) = [
        p for p in hub.remember_processes() if "alliance_kit.hub.prepare" in " ".join(p.cmdline())
    ]
    token = service.environ()["JUPYTERHUB_API_TOKEN"]

    def call(method: str, path: str, **kwargs) -> requests.Response:
        headers = {"Authorization": f"token {token}"}
        return requests.request(
            method, f"{hub.url}/hub/api{path}", headers=headers, timeout=60, **kwargs
        )

    call.token = token
    return call


def test_the_rosters_servers_run_with_a_warm_page_before_anyone_logs_in(hub, service_api):
    assert PREPARED in hub.log(), hub.log()[-3000:]
    assert "User logged in" not in hub.log()
    running = servers_of(hub)
    assert set(ROSTER) <= set(running), running
    for name in ROSTER:
        model = service_api("GET", f"/users/{name}").json()
        assert model["servers"][""]["ready"] is True
    # one warm kernel each, and no more: the pool is filled once
    deadline = time.monotonic() + 120
    while hub.log().count("A kernel for learn_trust.ipynb is warm") < len(ROSTER):
        assert time.monotonic() < deadline, "the warm pages did not run"
        time.sleep(1)
    assert hub.log().count(WARMED) == len(ROSTER)
    assert [kernels_of(running[name]) for name in ROSTER] == [1, 1]


def test_a_roster_trainee_logs_in_to_their_running_server_and_gets_the_warm_page(hub, browser):
    before = servers_of(hub)["rosa"].pid
    context, page = log_in(browser, hub, "rosa", TRAINEE_PASSWORD)
    try:
        assert servers_of(hub)["rosa"].pid == before, "log-in started a second server"
        # the warm page, asked for in Dutch: the kernel hears the request and rebuilds it
        page.goto(f"{hub.url}/user/rosa/voila/render/{PAGE}?lang=nl", wait_until="domcontentloaded")
        expect(page.locator(".ak-page-root.ak-lang-nl")).to_be_visible(timeout=90_000)
        expect(page.locator(".ak-page")).to_be_visible()
        assert hub.log().count(OPENED_WARM) == 1
        # the pool is not refilled: the page's kernel is the only one
        time.sleep(3)
        assert kernels_of(servers_of(hub)["rosa"]) == 1
    finally:
        context.close()


def test_a_name_off_the_roster_still_gets_a_server_at_log_in(hub):
    assert NEWCOMER not in servers_of(hub)
    http = hub_session(hub.url, NEWCOMER, TRAINEE_PASSWORD, f"voila/render/{PAGE}", timeout=240)
    result = visit(hub.url, f"user/{NEWCOMER}/voila/render/{PAGE}", http=http, timeout=240)
    assert result.widgets > 0
    assert NEWCOMER in servers_of(hub)
    # started at log-in, so it warms nothing: the page ran in a kernel of its own
    assert hub.log().count(WARMED) == len(ROSTER)
    assert hub.log().count(OPENED_WARM) == 1


def test_the_preparing_service_can_do_nothing_beyond_its_scopes(hub, service_api):
    # what it needs: read a roster server, and start one (it is running already)
    assert service_api("GET", "/users/rik").status_code == 200
    started = service_api("POST", "/users/rik/server", json={})
    assert started.status_code == 400 and "already running" in started.text
    # nobody else's server, no user, no list, no stopping, no tokens, no groups
    refused = [
        ("GET", f"/users/{NEWCOMER}"),
        ("GET", "/users/edu"),
        ("POST", f"/users/{NEWCOMER}/server"),
        ("DELETE", "/users/rik/server"),
        ("DELETE", "/users/rik"),
        ("PATCH", "/users/rik"),
        ("POST", "/users/newcomer2"),
        ("GET", "/users"),
        ("POST", "/users/rik/tokens"),
        ("GET", f"/groups/{ROOM_GROUP}"),
        ("GET", f"/services/{PREPARE_SERVICE}"),
    ]
    for method, path in refused:
        answer = service_api(method, path, json={"admin": True} if method == "PATCH" else {})
        assert answer.status_code in (403, 404), (method, path, answer.status_code)
    assert "rik" in servers_of(hub), "the refused stop stopped nothing"
    # and its token opens no one's server, not even a roster trainee's
    assert service_api("GET", "/users/rik").json()["admin"] is False
    opened = requests.get(
        f"{hub.url}/user/rik/api/contents",
        headers={"Authorization": f"token {service_api.token}"},
        allow_redirects=False,
        timeout=60,
    )
    assert opened.status_code == 403, opened.status_code


def test_nobody_listens_in_on_a_warm_kernels_request_through_the_proxy(hub):
    """``voila/query`` passes a visitor's address and headers to the warm kernel: only the
    kernel, on the server's loopback address, may open it, never a browser through the hub."""
    http = requests.Session()
    hub_log_in(hub.url, "rik", TRAINEE_PASSWORD, http)
    # the kernel-free landing page, through the hub's OAuth: rik is let in to their server
    landing = http.get(f"{hub.url}/user/rik{LANDING_URL}", timeout=60)
    assert landing.status_code == 200, landing.status_code
    socket = http.get(
        f"{hub.url}/user/rik/voila/query/{uuid.uuid4()}",
        headers={
            "Connection": "Upgrade",
            "Upgrade": "websocket",
            "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode(),
            "Origin": hub.url,
        },
        timeout=60,
    )
    assert socket.status_code == 403, socket.status_code


def test_everything_the_room_started_stops_with_the_hub(hub):
    processes = hub.remember_processes()
    assert any("alliance_kit.hub.prepare" in " ".join(p.cmdline()) for p in processes)
    left = hub.stop()
    assert not left, f"still running after the hub stopped: {left}"
