"""A test run that is killed (a timeout, CI cutting it off) leaves no kit server behind."""

from __future__ import annotations

import subprocess
import sys

import psutil

from tests.support import REPO

STARTS_A_SERVER = """
import sys, time
from pathlib import Path
from tests.conftest import start_kit_server
server = start_kit_server(Path(sys.argv[1]))
print(server.process.pid, flush=True)
time.sleep(600)
"""


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
    finally:
        run.kill()  # no fixture's end runs
        run.wait()
    _gone, alive = psutil.wait_procs([server], timeout=30)
    if alive:
        server.kill()
    assert not alive, "the kit server outlived the run that started it"
