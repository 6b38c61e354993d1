"""``alliance-kit check``: validate every content file the kit loads."""

from __future__ import annotations

import argparse

from ..i18n import N_, _

HELP = N_("Check every content file (pages, questions, scenarios, resources...) and list problems.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from .arguments import name

    parser.add_argument(
        "kinds",
        nargs="*",
        metavar="KIND",
        help=_("only these kinds of content (default: all); see --list"),
    )
    parser.add_argument("--list", action="store_true", help=_("list the kinds of content checked"))
    parser.add_argument(
        "--require-translations",
        metavar="LANG",
        type=name(20, _("language code")),
        help=_(
            "languages every text must exist in, comma-separated (default: nl); "
            "'none' makes missing translations notes"
        ),
    )


def run(args: argparse.Namespace) -> int:
    from ..content_kinds import all_checkers, run_checks, run_notes

    known = all_checkers()
    if args.list:
        for kind, (description, _check) in known.items():
            print(f"{kind:16} {_(description)}")
        return 0
    unknown = [k for k in args.kinds if k not in known]
    if unknown:
        print(
            _("alliance-kit check: unknown kind(s): {kinds} (see --list)").format(
                kinds=", ".join(unknown)
            )
        )
        return 2
    if args.require_translations:
        import os

        from ..content import REQUIRE_TRANSLATIONS_ENV

        os.environ[REQUIRE_TRANSLATIONS_ENV] = args.require_translations
    results = run_checks(args.kinds)
    notes = run_notes(args.kinds)
    total = 0
    for kind, problems in results.items():
        status = _("ok") if not problems else _("{count} problem(s)").format(count=len(problems))
        print(f"{kind}: {status}")
        for problem in problems:
            print(f"  - {problem}")
        for note in notes.get(kind, ()):
            print("  " + _("note: {note}").format(note=note))
        total += len(problems)
    if total:
        print()
        print(
            _("{count} problem(s) found. Fix them and run 'alliance-kit check' again.").format(
                count=total
            )
        )
        return 1
    print()
    print(_("All content is valid."))
    return 0
