"""``alliance-kit library``: rebuild the resource index, or search it from a terminal."""

from __future__ import annotations

import argparse
import html
import re
import sys

from ..i18n import N_, _

HELP = N_("Search the resource library from the terminal, or rebuild its index.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from .arguments import name, whole_number

    sub = parser.add_subparsers(dest="action", metavar=_("ACTION"))
    index = sub.add_parser(
        "index",
        help=_("rebuild the search index from the resource files now"),
        description=_(
            "Rebuild the search index from the resource files (the kit's own and "
            "the folders named by ALLIANCE_KIT_RESOURCES) and list any problems."
        ),
    )
    index.add_argument("--quiet", action="store_true", help=_("print only problems"))
    search = sub.add_parser(
        "search",
        help=_("search the library and print the results"),
        description=_(
            "Search the resource library. Any text is fine: quotes, symbols and "
            "half-typed words included."
        ),
    )
    search.add_argument(
        "query",
        nargs="*",
        help=_("words to search for (none: list everything); the first 2,000 characters are read"),
    )
    search.add_argument(
        "--characteristic",
        action="append",
        default=[],
        metavar="ID",
        help=_("goals-and-conditions, trust, bond or reactance (repeat for several)"),
    )
    search.add_argument(
        "--channel",
        action="append",
        default=[],
        metavar="ID",
        help=_("face-to-face, phone, video or messaging (repeat for several)"),
    )
    search.add_argument(
        "--phase",
        action="append",
        default=[],
        metavar="ID",
        help=_("intake, early, established or closing (repeat for several)"),
    )
    search.add_argument(
        "--type", action="append", default=[], metavar="ID", help=_("resource type, e.g. checklist")
    )
    search.add_argument(
        "--audience", action="append", default=[], metavar="ID", help=_("officer, client or both")
    )
    search.add_argument(
        "--language",
        action="append",
        default=[],
        metavar="CODE",
        type=name(20, _("language code")),
        help=_(
            "only versions in this language: en or nl (repeat for several; default: each "
            "resource once, in the query's language where it has a version)"
        ),
    )
    search.add_argument(
        "--max-minutes",
        type=whole_number(0, 10_000, _("minutes")),
        metavar="N",
        help=_("only resources of N min or less"),
    )
    search.add_argument(
        "--limit",
        type=_limit,
        default=10,
        metavar="N",
        help=_("show N results (10)"),
    )
    # Words that start with "-" look like options to argparse; "--" ends the options.
    search.set_defaults(
        _dash_hint=_(
            "hint: to search for words that start with '-', put -- before them: "
            "alliance-kit library search -- {words}"
        )
    )


# The library's bounds are read when the option is used, so other commands do not pay for
# importing the library.
def _limit(value: str) -> int:
    from ..library.search import MAX_LIMIT
    from .arguments import whole_number

    return whole_number(0, MAX_LIMIT)(value)


def _plain(snippet_html: str, bold: bool) -> str:
    on, off = ("\033[1m", "\033[0m") if bold else ("*", "*")
    text = snippet_html.replace("<mark>", on).replace("</mark>", off)
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def _index(args: argparse.Namespace) -> int:
    from ..library import default_index

    index = default_index()
    stats = index.rebuild()
    problems = index.problems()
    if not args.quiet:
        print(
            _("Indexed {count} resource(s) in {ms} ms: {path}").format(
                count=stats.resources, ms=f"{stats.seconds * 1000:.0f}", path=stats.path
            )
        )
    for problem in problems:
        print(f"  - {problem}")
    if problems:
        print(
            _("{count} file problem(s): those resources are left out of the index.").format(
                count=len(problems)
            )
        )
        return 1
    return 0


def _search(args: argparse.Namespace) -> int:
    from ..library import search
    from ..library.model import FACETS

    query = " ".join(args.query)
    try:
        result = search(
            query,
            characteristics=args.characteristic,
            channels=args.channel,
            phases=args.phase,
            types=args.type,
            audiences=args.audience,
            max_minutes=args.max_minutes,
            limit=args.limit,
            languages=args.language,
        )
    except ValueError as exc:
        print(f"alliance-kit library search: {exc}")
        return 2
    bold = sys.stdout.isatty()
    if result.message:
        print(result.message)
    if result.suggestions:
        print(_("Try: {words}").format(words=", ".join(result.suggestions)))
    shown = len(result.hits)
    found = _("{count} resource(s) found").format(count=result.total)
    if shown < result.total:
        found += _(", showing {count}").format(count=shown)
    print(found)
    for number, hit in enumerate(result.hits, start=1):
        local = " [" + _("local") + "]" if hit.local else ""
        local += f" [{hit.language}]" if hit.language != "en" else ""
        tags = ", ".join(
            [_(FACETS["characteristic"][c]) for c in hit.characteristics]
            + [_(FACETS["channel"][c]) for c in hit.channels]
        )
        kind = _(FACETS["type"][hit.type])
        print(f"\n{number}. {hit.title}{local}  ({hit.minutes} min, {kind})")
        print(f"   id: {hit.id}  ·  {tags}")
        print(f"   {_plain(hit.snippet_html, bold)}")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.action == "index":
        return _index(args)
    if args.action == "search":
        return _search(args)
    print(_("usage: alliance-kit library {index,search} ... (see alliance-kit library --help)"))
    return 2
