"""What many test modules share: where the checkout is, the kit's command line as a user runs
it, and a fresh copy of the nbgrader course.

A plain module (not fixtures) so that helpers such as ``hub_support`` can use it too.
"""

from __future__ import annotations

import fnmatch
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
#: The virtual environment's scripts (nbgrader, jupyter), put first on PATH for subprocesses.
BIN = Path(sys.executable).parent

#: What nbgrader and the kit make while a course runs (students' work, grades, exports), as
#: ``exercises/.gitignore`` lists it: a copy of the course starts without any of it, whatever
#: an educator has run in this checkout.
COURSE_RUN_FILES = (
    "release",
    "submitted",
    "autograded",
    "feedback",
    "downloaded",
    ".ipynb_checkpoints",
    "*.db",
    "*.csv",
)
#: Shipped with the course although it matches the patterns above.
COURSE_KEEP = ("roster-example.csv",)


def is_kernel(cmdline: list[str]) -> bool:
    """Whether a process is a notebook kernel: a page's (the kit's kernel spec starts
    ``alliance_kit.page_kernel``) or nbgrader's and JupyterLab's (``ipykernel_launcher``)."""
    command = " ".join(cmdline)
    return "alliance_kit.page_kernel" in command or "ipykernel" in command


def run_cli(
    *args: str,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    stdin: str | None = None,
    timeout: float = 180,
) -> subprocess.CompletedProcess:
    """``alliance-kit ARGS`` in a real subprocess, with ``env`` added to this environment."""
    return subprocess.run(
        [sys.executable, "-m", "alliance_kit.cli", *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        cwd=cwd,
    )


def tool_env() -> dict[str, str]:
    """This environment with the virtual environment's scripts first on PATH (nbgrader)."""
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


def _course_run_files(folder: str, names: list[str]) -> set[str]:
    return {
        name
        for name in names
        if name not in COURSE_KEEP
        and any(fnmatch.fnmatch(name, pattern) for pattern in COURSE_RUN_FILES)
    }


def copy_course(target: Path) -> Path:
    """A copy of ``exercises/`` as it ships, at ``target`` (which must not exist yet)."""
    shutil.copytree(REPO / "exercises", target, ignore=_course_run_files)
    return target


def find_by_class(box: Any, css: str) -> list[Any]:
    """The widgets under ``box`` (depth first, in page order) that carry the CSS class ``css``,
    as a user's browser finds them by it."""
    out = []
    for child in getattr(box, "children", ()):
        if css in child._dom_classes:
            out.append(child)
        out.extend(find_by_class(child, css))
    return out


def result_links(html: str) -> list[tuple[str, str]]:
    """The (title, address) of each result card in the library page's results, in order, as
    the browser shows them: each card's title is a link that opens the resource."""
    import html as html_module
    import re

    found = re.findall(r'<a class="ak-library-open" href="([^"]*)"[^>]*>([^<]*)</a>', html)
    return [(html_module.unescape(title), html_module.unescape(href)) for href, title in found]


def stopped_with_this_process(command: list[str]) -> list[str]:
    """``command``, made to get SIGTERM when the process that starts it dies.

    A server a test starts is stopped by its fixture; a test run killed on a timeout, or by
    CI cutting it off, never runs the fixture's end, and the server and its kernels would stay
    on the machine. ``setpriv --pdeathsig`` (util-linux) asks the kernel to signal it instead.
    The signal follows the thread that started it, so only from the main thread (a worker
    thread's end would stop the server mid-test).
    """
    setpriv = shutil.which("setpriv")
    if setpriv is None or threading.current_thread() is not threading.main_thread():
        return command
    return [setpriv, "--pdeathsig", "TERM", *command]
