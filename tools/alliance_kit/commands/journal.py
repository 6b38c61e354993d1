"""``alliance-kit journal``: export, import, erase the private journal, or set its retention."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..i18n import N_, _

HELP = N_("Export, import or erase your session journal, or set how long it keeps sessions.")


def _journal_option(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    # Accepted before or after the action; SUPPRESS keeps the action's parser from
    # overwriting a value given before it with its own default.
    parser.add_argument(
        "--journal",
        metavar=_("PATH"),
        type=Path,
        default=None if top else argparse.SUPPRESS,
        help=_("the journal file (default: journal.sqlite in the kit's data folder)"),
    )


def _months(value: str) -> int:
    # Read when the option is used: other commands need not import the journal.
    from ..journal.store import MAX_RETENTION_MONTHS
    from .arguments import whole_number

    return whole_number(1, MAX_RETENTION_MONTHS, _("months"))(value)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    _journal_option(parser, top=True)
    sub = parser.add_subparsers(dest="action", metavar=_("ACTION"))
    exp = sub.add_parser("export", help=_("write every session as CSV or JSON"))
    exp.add_argument("--format", choices=("csv", "json"), default="json")
    exp.add_argument(
        "--out", metavar=_("FILE"), type=Path, help=_("write to FILE (default: stdout)")
    )
    _journal_option(exp)
    imp = sub.add_parser("import", help=_("add the sessions of an exported CSV or JSON file"))
    imp.add_argument("file", metavar=_("FILE"), type=Path)
    _journal_option(imp)
    era = sub.add_parser("erase", help=_("remove every session from the journal"))
    era.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
    _journal_option(era)
    ret = sub.add_parser("retention", help=_("show or set how many months sessions are kept"))
    ret.add_argument(
        "--months",
        type=_months,
        metavar="N",
        help=_("keep sessions for N months"),
    )
    ret.add_argument(
        "--yes",
        action="store_true",
        help=_("shorten the period without asking for confirmation"),
    )
    _journal_option(ret)


def run(args: argparse.Namespace) -> int:
    from ..journal import JournalError, open_journal

    if not args.action:
        print(_("alliance-kit journal: choose export, import, erase or retention (see --help)"))
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
                    _(
                        "Note: {count} session(s) older than {months} months were removed "
                        "(retention setting)."
                    ).format(count=removed, months=journal.retention_months()),
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
        print(
            _("Exported {count} session(s) to {path}.").format(
                count=journal.count(), path=args.out
            ),
            file=sys.stderr,
        )
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
                _(
                    "Erase all {count} session(s) from {path}, with its backups and the saved "
                    "reflection answers in the same folder? This cannot be undone. "
                    "Type 'erase' to confirm: "
                ).format(count=count, path=journal.path)
            )
        except EOFError:
            answer = ""
        # The word to type stays 'erase' in every language: scripts and habits keep working.
        if answer.strip().lower() != "erase":
            print(_("Nothing was erased."))
            return 1
    removed = journal.erase()
    print(_("Erased {count} session(s).").format(count=removed))
    if journal.erased_reflections:
        print(
            _("Erased {count} saved reflection answer(s).").format(count=journal.erased_reflections)
        )
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
                _("Nothing was changed; sessions are still kept for {months} months.").format(
                    months=journal.retention_months()
                )
            )
            return 1
        journal.set_retention_months(args.months)
        removed = journal.apply_retention()
        print(_("Sessions are now kept for {months} months.").format(months=args.months))
        if removed:
            print(_("Removed {count} session(s) older than that.").format(count=removed))
    else:
        print(_("Sessions are kept for {months} months.").format(months=journal.retention_months()))
    return 0


def _confirm_removal(going: list, args: argparse.Namespace) -> bool:
    """Show what a shorter period removes and ask, unless ``--yes`` was given."""
    print(
        _("A period of {months} months removes {count} session(s):").format(
            months=args.months, count=len(going)
        )
    )
    for s in going[:20]:
        print(f"  - {s.session_date.isoformat()}  {s.client_code}  ({s.channel}, {s.phase})")
    if len(going) > 20:
        print(
            "  "
            + _("... and {count} more, the newest of {date}.").format(
                count=len(going) - 20, date=going[-1].session_date
            )
        )
    if args.yes:
        return True
    try:
        answer = input(_("Export them first if you want to keep them. Type 'remove' to go on: "))
    except EOFError:
        answer = ""
    return answer.strip().lower() == "remove"


_ACTIONS = {"export": _export, "import": _import, "erase": _erase, "retention": _retention}
