"""``alliance-kit scenarios``: what the channel scenarios cover, for an educator's planning."""

from __future__ import annotations

import argparse

HELP = "List the channel scenarios: cases by channels, with phase, risk level and client situation."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--markdown", action="store_true", help="print the table as Markdown (for a handout)"
    )


def _table(rows: list[dict[str, str]], headers: dict[str, str], markdown: bool) -> list[str]:
    keys = list(headers)
    if markdown:
        lines = ["| " + " | ".join(headers[k] for k in keys) + " |"]
        lines.append("|" + "|".join("---" for _ in keys) + "|")
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
    headers = {"case": "Case", "phase": "Phase", "risk": "Risk", "situation": "Client situation"}
    headers.update(CHANNELS)
    rows = coverage_rows(catalogue.cases)
    if rows:
        print("\n".join(_table(rows, headers, args.markdown)))
    else:
        print("No scenario cases could be loaded.")
    counts = {ch: sum(1 for r in rows if r[ch] == "yes") for ch in CHANNELS}
    print()
    print(
        f"{len(rows)} case(s); playable on " + ", ".join(f"{n} by {ch}" for ch, n in counts.items())
    )
    for line in coverage(catalogue.cases).lines():
        print(line)
    gaps = missing_coverage(catalogue.cases)
    if gaps:
        print("Not yet covered: " + "; ".join(gaps))
    if catalogue.problems:
        print(f"\n{len(catalogue.problems)} problem(s) kept some cases out:")
        for problem in catalogue.problems:
            print(f"  - {problem}")
        print("Run 'alliance-kit check scenarios' after fixing them.")
        return 1
    return 0
