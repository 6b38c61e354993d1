"""A test run that is killed (a timeout, CI cutting it off) leaves no kit server behind."""

from __future__ import annotations

import subprocess
import sys
import time

import psutil

from tests.support import REPO, is_kernel

#: A server with one warm kernel (the pool for the page named), as a workshop test starts it.
STARTS_A_SERVER = """
import sys, time
from pathlib import Path
from tests.conftest import start_kit_server
server = start_kit_server(Path(sys.argv[1]), ["--page", "learn_trust"])
print(server.process.pid, flush=True)
time.sleep(600)
"""


def kernels_of(server: psutil.Process, timeout: float = 60) -> list[psutil.Process]:
    """The server's kernels, once it has started one."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = []
        for child in server.children(recursive=True):
            try:
                if is_kernel(child.cmdline()):
                    found.append(child)
            except psutil.Error:
                continue
        if found:
            return found
        time.sleep(0.2)
    return []


def test_a_killed_run_takes_its_server_and_kernels_with_it(tmp_path):
    run = subprocess.Popen(
        [sys.executable, "-c", STARTS_A_SERVER, str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        server = psutil.Process(int(run.stdout.readline()))
        assert "alliance_kit.cli" in " ".join(server.cmdline())
        kernels = kernels_of(server)
        assert kernels, "the server started no kernel for its page"
    finally:
        run.kill()  # no fixture's end runs
        run.wait()
    _gone, alive = psutil.wait_procs([server, *kernels], timeout=30)
    for process in alive:
        process.kill()
    assert not alive, f"outlived the run that started them: {[p.cmdline() for p in alive]}"
