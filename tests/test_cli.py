"""The ``alliance-kit`` command as a user runs it: a real subprocess each time."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys

import pytest

from alliance_kit.cli import COMMANDS
from support import REPO, run_cli


def test_version():
    from alliance_kit import __version__

    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"alliance-kit {__version__}"


def all_command_paths() -> list[tuple[str, ...]]:
    """Every subcommand, nested actions included (``journal export``, ``library search``...)."""
    import argparse

    from alliance_kit.cli import build_parser

    found: list[tuple[str, ...]] = []

    def walk(parser: argparse.ArgumentParser, prefix: tuple[str, ...]) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    found.append((*prefix, name))
                    walk(sub, (*prefix, name))

    walk(build_parser(), ())
    return found


def test_every_command_is_listed():
    assert {path[0] for path in all_command_paths()} == set(COMMANDS)


@pytest.mark.parametrize("command", all_command_paths(), ids=" ".join)
def test_every_subcommand_has_help(command):
    result = run_cli(*command, "--help")
    assert result.returncode == 0, result.stderr
    assert f"usage: alliance-kit {' '.join(command)}" in result.stdout


def test_no_command_prints_help_and_fails():
    result = run_cli()
    assert result.returncode == 2
    assert "serve" in result.stdout and "check" in result.stdout


def test_check_passes_on_shipped_content():
    result = run_cli("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All content is valid." in result.stdout


def test_check_names_file_item_and_field(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(REPO / "modules", content / "modules")
    pages = content / "modules" / "pages.yaml"
    text = pages.read_text(encoding="utf-8")
    text = text.replace(
        "group: practise\n    title: Channel scenarios",
        "group: nowhere\n    title: Channel scenarios",
    )
    text = text.replace("  - id: library\n", "  - id: Library Page\n")
    pages.write_text(text, encoding="utf-8")
    result = run_cli("check", "pages", env={"ALLIANCE_KIT_CONTENT_DIR": str(content)})
    assert result.returncode == 1
    assert (
        "modules/pages.yaml · item scenarios · field group: names a group that is not listed"
        in result.stdout
    )
    assert "field pages[11].id" in result.stdout
    assert "problem(s) found" in result.stdout


def test_check_reports_broken_yaml_with_line(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(REPO / "modules", content / "modules")
    (content / "modules" / "pages.yaml").write_text("groups: [\n  - id: x\n", encoding="utf-8")
    result = run_cli("check", env={"ALLIANCE_KIT_CONTENT_DIR": str(content)})
    assert result.returncode == 1
    assert "modules/pages.yaml: is not valid YAML (line" in result.stdout


def test_check_rejects_unknown_kind():
    result = run_cli("check", "nonsense")
    assert result.returncode == 2
    assert "unknown kind" in result.stdout


def test_serve_rejects_unknown_workshop_page():
    result = run_cli("serve", "--no-browser", "--workshop", "5", "--page", "no_such_page")
    assert result.returncode == 2
    assert "unknown page(s): no_such_page" in result.stdout


def run_into_closed_pipe(*args: str) -> subprocess.CompletedProcess:
    """Run the command with its stdout on a pipe whose reader has already gone."""
    import os

    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [sys.executable, "-m", "alliance_kit.cli", *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write_end)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        # a few lines: the pipe breaks when Python flushes stdout on exit
        (("library", "search", ""), 141),
        # many lines: it breaks inside print()
        (("library", "search", "", "--limit", "500"), 141),
        # argparse's own output (argparse ignores the failed write and exits 0)
        (("--help",), 0),
    ],
    ids=["short", "long", "help"],
)
def test_output_into_a_closed_pipe_ends_quietly(args, code):
    result = run_into_closed_pipe(*args)
    assert result.stderr == ""  # no BrokenPipeError traceback, no "Exception ignored"
    assert result.returncode == code  # 141: like any Unix tool ended by SIGPIPE


def test_piping_into_head_shows_just_the_first_line():
    command = f"{shlex.quote(sys.executable)} -m alliance_kit.cli library search '' --limit 500"
    result = subprocess.run(
        f"{command} | head -1", shell=True, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0
    assert result.stdout.strip().endswith("resource(s) found")
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr


def test_a_search_that_starts_with_a_dash_gets_a_hint():
    result = run_cli("library", "search", "-foo")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines[-2] == "alliance-kit: error: unrecognized arguments: -foo"
    assert lines[-1] == (
        "hint: to search for words that start with '-', put -- before them: "
        "alliance-kit library search -- -foo"
    )
    assert "Traceback" not in result.stderr
    # and the hinted form works
    followed = run_cli("library", "search", "--", "-foo")
    assert followed.returncode == 0, followed.stdout + followed.stderr
    assert "resource(s) found" in followed.stdout


def test_other_unknown_options_get_no_search_hint():
    result = run_cli("check", "--bogus")
    assert result.returncode == 2
    assert "unrecognized arguments: --bogus" in result.stderr
    assert "hint" not in result.stderr
