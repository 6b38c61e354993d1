"""The ``alliance-kit`` command: serve the kit, check content, and the subcommands of each part.

Each subcommand lives in its own module under ``alliance_kit.commands`` with ``HELP``,
``add_arguments(parser)`` and ``run(args) -> int``, so the parts of the kit stay independent.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from . import __version__

#: subcommand name -> module that implements it
COMMANDS: dict[str, str] = {
    "serve": "alliance_kit.commands.serve",
    "check": "alliance_kit.commands.check",
    "library": "alliance_kit.commands.library",
    "journal": "alliance_kit.commands.journal",
    "scenarios": "alliance_kit.commands.scenarios",
    "exercises": "alliance_kit.commands.exercises",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="alliance-kit",
        description=(
            "Training and reflection kit on the working alliance with mandated clients. "
            "Run 'alliance-kit serve' to open the kit in your browser."
        ),
    )
    parser.add_argument("--version", action="version", version=f"alliance-kit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(module_name)
        cmd = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(cmd)
        cmd.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    try:
        return int(args._run(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
