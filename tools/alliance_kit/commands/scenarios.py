"""``alliance-kit scenarios``: what the channel scenarios cover, for an educator's planning."""

from __future__ import annotations

import argparse

from ..i18n import N_, _

HELP = N_(
    "List the channel scenarios: cases by channels, with phase, risk level and client situation."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--markdown", action="store_true", help=_("print the table as Markdown (for a handout)")
    )


def _table(rows: list[dict[str, str]], headers: dict[str, str], markdown: bool) -> list[str]:
    keys = list(headers)
    if markdown:
        lines = ["| " + " | ".join(headers[k] for k in keys) + " |"]
        lines.append("|" + "|".join("---" for _key in keys) + "|")
        lines += ["| " + " | ".join(row[k] for k in keys) + " |" for row in rows]
        return lines
    widths = {k: max([len(headers[k])] + [len(r[k]) for r in rows]) for k in keys}
    lines = ["  ".join(headers[k].ljust(widths[k]) for k in keys).rstrip()]
    lines.append("  ".join("-" * widths[k] for k in keys))
    lines += ["  ".join(row[k].ljust(widths[k]) for k in keys).rstrip() for row in rows]
    return lines


def run(args: argparse.Namespace) -> int:
    from ..alliance import CHANNELS
    from ..scenarios.coverage import coverage, coverage_rows, missing_coverage
    from ..scenarios.loading import load_cases

    catalogue = load_cases()
    headers = {
        "case": _("Case"),
        "phase": _("Phase"),
        "risk": _("Risk"),
        "situation": _("Client situation"),
    }
    headers.update({channel: _(label) for channel, label in CHANNELS.items()})
    rows = coverage_rows(catalogue.cases)
    if rows:
        print("\n".join(_table(rows, headers, args.markdown)))
    else:
        print(_("No scenario cases could be loaded."))
    counts = {ch: sum(1 for r in rows if r[ch] == "yes") for ch in CHANNELS}
    print()
    print(
        _("{count} case(s); playable on {channels}").format(
            count=len(rows),
            channels=", ".join(
                _("{count} by {channel}").format(count=n, channel=ch) for ch, n in counts.items()
            ),
        )
    )
    for line in coverage(catalogue.cases).lines():
        print(line)
    gaps = missing_coverage(catalogue.cases)
    if gaps:
        print(_("Not yet covered: {gaps}").format(gaps="; ".join(gaps)))
    if catalogue.problems:
        print()
        print(_("{count} problem(s) kept some cases out:").format(count=len(catalogue.problems)))
        for problem in catalogue.problems:
            print(f"  - {problem}")
        print(_("Run 'alliance-kit check scenarios' after fixing them."))
        return 1
    return 0
