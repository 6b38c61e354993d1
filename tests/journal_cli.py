"""Running ``alliance-kit journal`` as a user does: a real subprocess, stdin and exit code."""

from __future__ import annotations

import os
import subprocess
import sys


def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "alliance_kit.cli", "journal", *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=60,
        env={**os.environ},
    )
