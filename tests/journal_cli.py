"""Running ``alliance-kit journal`` as a user does: a real subprocess, stdin and exit code."""

from __future__ import annotations

import subprocess

from support import run_cli


def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return run_cli("journal", *args, stdin=stdin, timeout=60)
