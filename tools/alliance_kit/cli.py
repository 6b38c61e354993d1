"""The ``alliance-kit`` command: serve the kit, check content, and the subcommands of each part.

Each subcommand lives in its own module under ``alliance_kit.commands`` with ``HELP``,
``add_arguments(parser)`` and ``run(args) -> int``, so the parts of the kit stay independent.
"""

from __future__ import annotations

import argparse
import importlib
import os
import shlex
import sys
from collections.abc import Sequence

from . import __version__, i18n
from .commands import argparse_messages
from .i18n import _
from .lighter_start import skip_imports

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
        description=_(
            "Training and reflection kit on the working alliance with mandated clients. "
            "Run 'alliance-kit serve' to open the kit in your browser."
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"alliance-kit {__version__}",
        help=_("show the version and exit"),
    )
    sub = parser.add_subparsers(dest="command", metavar=_("COMMAND"))
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(module_name)
        cmd = sub.add_parser(name, help=_(module.HELP), description=_(module.HELP))
        module.add_arguments(cmd)
        cmd.set_defaults(_run=module.run)
    return parser


def _stdout_gone() -> int:
    """The reader of our output went away (``| head``): end quietly, as Unix tools do.

    Python would otherwise print a BrokenPipeError traceback, and complain once more when it
    flushes stdout on exit; pointing stdout at the null device stops both. 141 is what a shell
    reports for a command ended by SIGPIPE.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return 141


def _parse(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace:
    """``parse_args``, with a hint for free text that argparse took for an option.

    A subcommand that takes free text (``library search``) sets ``_dash_hint`` (a format with
    ``{words}``): ``alliance-kit library search -foo`` then also says to put ``--`` first.
    """
    args, extras = parser.parse_known_args(argv)
    if extras:
        message = _("{prog}: error: unrecognized arguments: {words}").format(
            prog=parser.prog, words=" ".join(extras)
        )
        message += "\n"
        hint = getattr(args, "_dash_hint", None)
        if hint and any(word.startswith("-") for word in extras):
            message += hint.format(words=shlex.join(extras)) + "\n"
        parser.print_usage(sys.stderr)
        parser.exit(2, message)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    skip_imports()  # before anything imports Jupyter: `serve` starts a second or two sooner
    # Before the parser is built: its help texts are translated when they are made.
    i18n.activate(i18n.cli_language())
    argparse_messages.translate()
    try:
        try:
            parser = build_parser()
            args = _parse(parser, argv)
            if not getattr(args, "_run", None):
                parser.print_help()
                code = 2
            else:
                code = int(args._run(args) or 0)
        except KeyboardInterrupt:
            code = 130
        except SystemExit:  # argparse after --help, --version or a usage error
            sys.stdout.flush()
            raise
        sys.stdout.flush()
    except BrokenPipeError:
        return _stdout_gone()
    return code


if __name__ == "__main__":
    sys.exit(main())
