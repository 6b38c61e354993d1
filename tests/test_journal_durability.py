"""The journal under stress: two writers at once, and a writer killed with SIGKILL mid-stream."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from alliance_kit.journal import open_journal

WRITER = r"""
import datetime as dt, sys
from alliance_kit.journal import open_journal
from alliance_kit.questionnaire import load
items = [i.id for i in load().items]
day = (dt.date.today() - dt.timedelta(days=1)).isoformat()
j = open_journal(sys.argv[1])
n = 0
while True:
    n += 1
    s = j.add_session({"session_date": day, "channel": "video", "phase": "established",
                       "client_code": f"W-{sys.argv[2]}", "note": "x" * (n % 200),
                       "answers": {i: 1 + (n + k) % 5 for k, i in enumerate(items)}})
    print(s.id, flush=True)
"""


def _write_many(path: str, code: str, n: int) -> None:
    from alliance_kit.questionnaire import load

    items = [i.id for i in load().items]
    with open_journal(path, timeout=30) as j:
        for k in range(n):
            j.add_session(
                {
                    "session_date": "2025-01-01",
                    "channel": "phone",
                    "phase": "early",
                    "client_code": code,
                    "answers": {i: 1 + (k % 5) for i in items},
                    "note": f"entry {k}",
                },
                today=None,
            )


def test_two_processes_writing_at_once_keep_every_row(tmp_path, monkeypatch):
    path = tmp_path / "journal.sqlite"
    with open_journal(path) as j:
        j.set_retention_months(120)
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_write_many, args=(str(path), f"P-{n}", 60)) for n in (1, 2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
        assert p.exitcode == 0
    with open_journal(path) as j:
        assert j.count() == 120
        codes = [s.client_code for s in j.sessions()]
        assert codes.count("P-1") == 60 and codes.count("P-2") == 60


@pytest.mark.slow
def test_sigkill_never_loses_an_acknowledged_entry(tmp_path):
    path = tmp_path / "journal.sqlite"
    rng = random.Random(4)
    acknowledged: list[str] = []
    for round_no in range(5):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(round_no)],
            stdout=subprocess.PIPE,
            text=True,
        )
        # let it write for a random while, counting acknowledgements as they arrive
        kill_after = rng.randint(5, 60)
        got = 0
        deadline = time.monotonic() + 60
        while got < kill_after and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            acknowledged.append(line.strip())
            got += 1
        time.sleep(rng.random() * 0.05)  # land the kill at a random point of the next write
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        # anything printed before the kill landed was acknowledged too
        acknowledged += [ln.strip() for ln in proc.stdout.read().splitlines() if ln.strip()]
        proc.stdout.close()
        assert proc.returncode == -signal.SIGKILL
        assert got > 0, "the writer never acknowledged a write"
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {r[0] for r in conn.execute("SELECT id FROM sessions")}
    finally:
        conn.close()
    missing = [a for a in acknowledged if a not in stored]
    assert not missing, f"{len(missing)} acknowledged entries lost"
    assert len(acknowledged) >= 25
    with open_journal(path) as j:
        assert j.count() >= len(acknowledged)
