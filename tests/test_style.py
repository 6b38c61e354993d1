"""ruff lint and format checks, as part of the test command."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from support import REPO


def ruff() -> str:
    found = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert found, "ruff is part of the test extras: pip install -e '.[test]'"
    return found


def test_ruff_lint():
    result = subprocess.run([ruff(), "check", "."], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format():
    result = subprocess.run(
        [ruff(), "format", "--check", "."], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
