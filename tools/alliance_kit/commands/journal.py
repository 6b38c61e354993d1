"""``alliance-kit journal``: export, import, erase the private journal, or set its retention."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = "Export, import or erase your session journal, or set how long it keeps sessions."


def _journal_option(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    # Accepted before or after the action; SUPPRESS keeps the action's parser from
    # overwriting a value given before it with its own default.
    parser.add_argument(
        "--journal",
        metavar="PATH",
        type=Path,
        default=None if top else argparse.SUPPRESS,
        help="the journal file (default: journal.sqlite in the kit's data folder)",
    )


def _months(value: str) -> int:
    # Read when the option is used: other commands need not import the journal.
    from ..journal.store import MAX_RETENTION_MONTHS
    from .arguments import whole_number

    return whole_number(1, MAX_RETENTION_MONTHS, "months")(value)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    _journal_option(parser, top=True)
    sub = parser.add_subparsers(dest="action", metavar="ACTION")
    exp = sub.add_parser("export", help="write every session as CSV or JSON")
    exp.add_argument("--format", choices=("csv", "json"), default="json")
    exp.add_argument("--out", metavar="FILE", type=Path, help="write to FILE (default: stdout)")
    _journal_option(exp)
    imp = sub.add_parser("import", help="add the sessions of an exported CSV or JSON file")
    imp.add_argument("file", metavar="FILE", type=Path)
    _journal_option(imp)
    era = sub.add_parser("erase", help="remove every session from the journal")
    era.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    _journal_option(era)
    ret = sub.add_parser("retention", help="show or set how many months sessions are kept")
    ret.add_argument(
        "--months",
        type=_months,
        metavar="N",
        help="keep sessions for N months",
    )
    ret.add_argument(
        "--yes", action="store_true", help="shorten the period without asking for confirmation"
    )
    _journal_option(ret)


def run(args: argparse.Namespace) -> int:
    from ..journal import JournalError, open_journal

    if not args.action:
        print("alliance-kit journal: choose export, import, erase or retention (see --help)")
        return 2
    try:
        # Retention runs after the action, by the setting in force then: run before, it would
        # apply the old period (deleting what a longer new one keeps) and export less than
        # the journal held.
        with open_journal(args.journal, apply_retention=False) as journal:
            code = _ACTIONS[args.action](journal, args)
            removed = journal.apply_retention()
            if removed:
                print(
                    f"Note: {removed} session(s) older than {journal.retention_months()} "
                    "months were removed (retention setting).",
                    file=sys.stderr,
                )
            return code
    except JournalError as exc:
        print(f"alliance-kit journal: {exc.sentence}", file=sys.stderr)
        return 1


def _export(journal, args: argparse.Namespace) -> int:  # noqa: ANN001
    from ..journal.exchange import export

    text = export(journal, args.format)
    if args.out:
        from ..journal.exchange import write_private

        write_private(args.out, text)
        print(f"Exported {journal.count()} session(s) to {args.out}.", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _import(journal, args: argparse.Namespace) -> int:  # noqa: ANN001
    from ..journal.exchange import import_file

    report = import_file(journal, args.file)
    print("\n".join(report.lines()))
    return 0 if not (report.duplicates or report.invalid) else 1


def _erase(journal, args: argparse.Namespace) -> int:  # noqa: ANN001
    count = journal.count()
    if not args.yes:
        try:
            answer = input(
                f"Erase all {count} session(s) from {journal.path}, with its backups and the "
                "saved reflection answers in the same folder? This cannot be undone. "
                "Type 'erase' to confirm: "
            )
        except EOFError:
            answer = ""
        if answer.strip().lower() != "erase":
            print("Nothing was erased.")
            return 1
    removed = journal.erase()
    print(f"Erased {removed} session(s).")
    if journal.erased_reflections:
        print(f"Erased {journal.erased_reflections} saved reflection answer(s).")
    return 0


def _retention(journal, args: argparse.Namespace) -> int:  # noqa: ANN001
    from ..journal import JournalInvalid
    from ..journal.store import check_retention_months

    if args.months is not None:
        try:
            check_retention_months(args.months)
        except JournalInvalid as exc:
            print(f"alliance-kit journal: {exc.sentence}", file=sys.stderr)
            return 2
        going = journal.expired(args.months)
        if going and not _confirm_removal(going, args):
            print(
                f"Nothing was changed; sessions are still kept for "
                f"{journal.retention_months()} months."
            )
            return 1
        journal.set_retention_months(args.months)
        removed = journal.apply_retention()
        print(f"Sessions are now kept for {args.months} months.")
        if removed:
            print(f"Removed {removed} session(s) older than that.")
    else:
        print(f"Sessions are kept for {journal.retention_months()} months.")
    return 0


def _confirm_removal(going: list, args: argparse.Namespace) -> bool:
    """Show what a shorter period removes and ask, unless ``--yes`` was given."""
    print(f"A period of {args.months} months removes {len(going)} session(s):")
    for s in going[:20]:
        print(f"  - {s.session_date.isoformat()}  {s.client_code}  ({s.channel}, {s.phase})")
    if len(going) > 20:
        print(f"  ... and {len(going) - 20} more, the newest of {going[-1].session_date}.")
    if args.yes:
        return True
    try:
        answer = input("Export them first if you want to keep them. Type 'remove' to go on: ")
    except EOFError:
        answer = ""
    return answer.strip().lower() == "remove"


_ACTIONS = {"export": _export, "import": _import, "erase": _erase, "retention": _retention}
