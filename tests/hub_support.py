"""A real JupyterHub running the kit's deploy config on 127.0.0.1, for tests and benchmarks.

``start_hub`` runs ``jupyterhub -f deploy/jupyterhub/jupyterhub_config.py`` with its real proxy
and idle culler in a temporary folder; ``Hub.stop`` stops it and reports any process of the hub
(single-user server, kernel, proxy) still alive afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from conftest import free_port
from support import REPO, stopped_with_this_process

CONFIG = REPO / "deploy" / "jupyterhub" / "jupyterhub_config.py"
TRAINEE_PASSWORD = "workshop-password-1"
EDUCATOR = "edu"
EDUCATOR_PASSWORD = "educator-password-that-is-long-enough-42"


def hub_env(data: Path, **overrides: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ALLIANCE_KIT_", "JUPYTERHUB_", "CONFIGPROXY_"))
    }
    env.update(
        {
            "ALLIANCE_KIT_HUB_PASSWORD": TRAINEE_PASSWORD,
            "ALLIANCE_KIT_HUB_ADMINS": EDUCATOR,
            "ALLIANCE_KIT_HUB_ADMIN_PASSWORD": EDUCATOR_PASSWORD,
            "ALLIANCE_KIT_HUB_DATA": str(data),
        }
    )
    env.update(overrides)
    return env


def hub_command(port: int) -> list[str]:
    return [
        str(Path(sys.executable).parent / "jupyterhub"),
        "-f",
        str(CONFIG),
        "--ip",
        "127.0.0.1",
        "--port",
        str(port),
        f"--JupyterHub.hub_port={free_port()}",
        f"--ConfigurableHTTPProxy.api_url=http://127.0.0.1:{free_port()}",
    ]


@dataclass
class Hub:
    url: str
    port: int
    data: Path
    process: subprocess.Popen
    log_path: Path
    started_in: float = 0.0
    seen: dict[int, psutil.Process] = field(default_factory=dict)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def remember_processes(self) -> list[psutil.Process]:
        """Every process the hub started so far (servers, kernels, proxy, culler)."""
        try:
            for child in psutil.Process(self.process.pid).children(recursive=True):
                self.seen.setdefault(child.pid, child)
        except psutil.NoSuchProcess:
            pass
        return list(self.seen.values())

    def stop(self, timeout: float = 90) -> list[str]:
        """Stop the hub as an operator would (SIGTERM); return what is still running after."""
        self.remember_processes()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        deadline = time.monotonic() + 20
        alive = [p for p in self.seen.values() if _alive(p)]
        while alive and time.monotonic() < deadline:
            time.sleep(0.5)
            alive = [p for p in alive if _alive(p)]
        left = [" ".join(p.cmdline()[:4]) for p in alive if _alive(p)]
        for p in alive:  # never leave them behind, even when the test then fails
            if _alive(p):
                p.kill()
        return left


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def start_hub(tmp: Path, env: dict[str, str] | None = None, timeout: float = 120) -> Hub:
    """Start the hub; if another program took one of its ports meanwhile, start it on others."""
    for attempt in range(3):
        try:
            return _start_hub_once(tmp, env, timeout)
        except PortTaken:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


class PortTaken(RuntimeError):
    pass


def _start_hub_once(tmp: Path, env: dict[str, str] | None, timeout: float) -> Hub:
    tmp.mkdir(parents=True, exist_ok=True)
    data = tmp / "hub-data"
    port = free_port()
    log_path = tmp / "hub.log"
    log = open(log_path, "w", encoding="utf-8")  # noqa: SIM115 - closed with the process
    began = time.monotonic()
    proc = subprocess.Popen(
        stopped_with_this_process(hub_command(port)),
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env or hub_env(data),
        cwd=tmp,
    )
    hub = Hub(f"http://127.0.0.1:{port}", port, data, proc, log_path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log_text = hub.log()
            if "Address already in use" in log_text:
                hub.stop()
                raise PortTaken(f"a port of the hub was taken:\n{log_text}")
            raise RuntimeError(f"the hub exited early:\n{log_text}")
        try:
            with urllib.request.urlopen(f"{hub.url}/hub/login", timeout=3) as response:
                if response.status == 200:
                    hub.started_in = time.monotonic() - began
                    hub.remember_processes()
                    return hub
        except (OSError, urllib.error.HTTPError):
            pass
        time.sleep(0.3)
    hub.stop()
    raise RuntimeError(f"the hub did not answer within {timeout} s:\n{hub.log()}")


def log_in(browser, hub: Hub, name: str, password: str, timeout: float = 180_000):
    """Log in through the hub's own log-in page; return the context and the page it lands on."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    # Each person's server starts cold (no preheated kernels on a hub): give pages time.
    context.set_default_timeout(120_000)
    page = context.new_page()
    page.goto(f"{hub.url}/hub/login", wait_until="domcontentloaded")
    page.fill("#username_input", name)
    page.fill("#password_input", password)
    page.click("#login_submit")
    page.wait_for_url(f"**/user/{name}/**", timeout=timeout, wait_until="domcontentloaded")
    hub.remember_processes()
    return context, page


def xsrf_headers(context, hub: Hub, name: str) -> dict[str, str]:
    """The header a person's server wants on a POST: its ``_xsrf`` cookie echoed back."""
    for cookie in context.cookies(f"{hub.url}/user/{name}/"):
        if cookie["name"] == "_xsrf" and cookie["path"].startswith(f"/user/{name}"):
            return {"X-XSRFToken": cookie["value"]}
    raise AssertionError(f"{name}'s server set no _xsrf cookie")
