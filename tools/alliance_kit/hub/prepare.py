"""The hub service that starts the room's servers before the room arrives.

A trainee's first minute on the hub is their own server's start and then a cold kernel running
the page; when a whole room logs in at once, a small machine does all of those starts at the
same moment. A facilitator who knows who is coming names them (``ALLIANCE_KIT_HUB_ROSTER``);
the hub then creates those users (its ``load_groups``, group ``room``) and runs this service,
which asks JupyterHub's own REST API to start each of their servers, as many at a time as the
hub lets start at once (``concurrent_spawn_limit``) but the few it keeps free for anyone
logging in meanwhile. A trainee who then logs in under a roster name with the workshop
password finds their server running, holding a warm page.

The service only starts servers: JupyterHub spawns them, the proxy routes to them, the idle
culler stops them. Its token can read and start the servers of roster names and nothing else
(its role in ``hub_config``). It prepares the room once each time the hub starts and then waits,
so the hub does not start it again; prepared servers nobody uses are stopped by the idle culler
like any other.

It uses the standard library only, so the same file runs as a service of a hub that does not
have the kit installed (the Kubernetes hub image, see ``docs/deploy-z2jh.md``).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import quote

log = logging.getLogger("prepare-room")

ROSTER_ENV = "ALLIANCE_KIT_HUB_ROSTER"
#: Marks a server as started for the room: the hub then gives it the warm page.
PREPARED_OPTION = "prepared"
#: A start that fails is tried again this many times before the name is left to its log-in.
ATTEMPTS = 3


class HubApi:
    """The few REST calls the service makes, with the service's own token."""

    def __init__(self, url: str, token: str, timeout: float = 60) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.url}{path}", data=data, method=method)
        request.add_header("Authorization", f"token {self.token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        try:
            answer = json.loads(raw) if raw else {}
        except ValueError:
            answer = {"message": raw.decode(errors="replace")[:200]}
        return status, answer if isinstance(answer, dict) else {}

    def wait_until_up(self, timeout: float = 300) -> None:
        """The hub starts its services while it is still starting itself: wait for its API."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                status, _ = self.call("GET", "/")
                if status == 200:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the hub's API at {self.url} did not answer in {timeout} s")
            time.sleep(1)

    def start(self, name: str) -> tuple[str, str]:
        """Ask for ``name``'s server: ('started' | 'running' | 'busy' | 'failed', why)."""
        status, answer = self.call(
            "POST",
            f"/users/{quote(name)}/server",
            {"user_options": {PREPARED_OPTION: True}},
        )
        message = str(answer.get("message", ""))
        if status in (201, 202):
            return "started", ""
        if status == 400 and "already running" in message:
            return "running", ""
        if status == 400 and "pending" in message:
            return "started", ""
        if status == 429:
            return "busy", message
        return "failed", f"{status} {message}".strip()

    def server_state(self, name: str) -> str:
        """'ready', 'pending' or 'stopped' for ``name``'s default server."""
        status, answer = self.call("GET", f"/users/{quote(name)}")
        if status != 200:
            return "stopped"
        server = (answer.get("servers") or {}).get("")
        if not server:
            return "stopped"
        if server.get("ready"):
            return "ready"
        return "pending" if server.get("pending") else "stopped"


@dataclass
class Progress:
    names: list[str]
    began: float = field(default_factory=time.monotonic)
    ready: list[str] = field(default_factory=list)
    given_up: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def seconds(self) -> float:
        return time.monotonic() - self.began


def prepare_one(api: HubApi, name: str, progress: Progress, poll: float = 1.0) -> bool:
    """Start ``name``'s server and wait until the hub reports it ready; False if it never was.

    The hub answers a start only when the server is up or after its own ten seconds, and
    refuses one beyond its limit of servers starting at once (429): then wait and ask again.
    A server that fails to start is tried again, then left to start when its trainee logs in.
    """
    began = time.monotonic()
    why = ""
    for _attempt in range(ATTEMPTS):
        outcome, why = api.start(name)
        while outcome == "busy":
            time.sleep(2 * poll)
            outcome, why = api.start(name)
        state = "ready" if outcome == "running" else "pending"
        if outcome == "failed":
            state = "stopped"
        while state == "pending":
            time.sleep(poll)
            state = api.server_state(name)
        if state == "ready":
            with progress.lock:
                progress.ready.append(name)
                log.info(
                    "%s's server is ready after %.0f s (%d of %d, %.0f s in all)",
                    name,
                    time.monotonic() - began,
                    len(progress.ready),
                    len(progress.names),
                    progress.seconds(),
                )
            return True
        why = why or "it stopped while starting"
        log.warning("%s's server did not start (%s); trying again", name, why)
    with progress.lock:
        progress.given_up.append(name)
    log.error(
        "%s's server did not start after %d tries (%s); it will start when %s logs in",
        name,
        ATTEMPTS,
        why,
        name,
    )
    return False


def prepare(api: HubApi, names: list[str], at_once: int, poll: float = 1.0) -> Progress:
    """Start every named server, at most ``at_once`` starting at a time; return who is ready."""
    from concurrent.futures import ThreadPoolExecutor

    progress = Progress(list(names))
    at_once = max(1, min(at_once, len(names)))
    log.info("Preparing the room: starting %d servers, at most %d at a time", len(names), at_once)
    with ThreadPoolExecutor(max_workers=at_once, thread_name_prefix="prepare") as pool:
        list(pool.map(lambda name: prepare_one(api, name, progress, poll), names))
    return progress


def report(progress: Progress, cull_seconds: int) -> None:
    ready = len(progress.ready)
    log.info(
        "The room is prepared: %d of %d servers ready in %.0f s",
        ready,
        len(progress.names),
        progress.seconds(),
    )
    if ready and cull_seconds:
        until = datetime.now() + timedelta(seconds=cull_seconds)
        log.info(
            "Prepared servers nobody uses are stopped by the idle culler after %d minutes, "
            "from about %s; a trainee who logs in later gets a server started then",
            cull_seconds // 60,
            until.strftime("%H:%M"),
        )


def roster_from_env(environ: dict[str, str] | os._Environ) -> list[str]:
    return [n.strip() for n in environ.get(ROSTER_ENV, "").split(",") if n.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="prepare-room", description=__doc__.split("\n")[0])
    parser.add_argument("--at-once", type=int, default=10, help="servers starting at a time")
    parser.add_argument(
        "--cull-seconds", type=int, default=0, help="the idle culler's timeout, for the log"
    )
    parser.add_argument(
        "--exit", action="store_true", help="exit when prepared (run by hand, not as a service)"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO,
        format="[%(levelname).1s %(asctime)s %(name)s] %(message)s",
        datefmt="%Y-%m-%d %H:%M:%S",
        stream=sys.stderr,
    )
    names = roster_from_env(os.environ)
    api = HubApi(
        os.environ.get("JUPYTERHUB_API_URL", "http://127.0.0.1:8081/hub/api"),
        os.environ.get("JUPYTERHUB_API_TOKEN", ""),
    )
    if names:
        api.wait_until_up()
        report(prepare(api, names, args.at_once), args.cull_seconds)
    else:
        log.info("No roster: nothing to prepare")
    if args.exit:
        return 0
    # A managed service that exits is started again by the hub, which would prepare the room a
    # second time: wait here, doing nothing, until the hub stops the service.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    while True:
        signal.pause()


if __name__ == "__main__":
    sys.exit(main())
