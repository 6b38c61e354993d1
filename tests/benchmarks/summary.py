"""One table for every benchmark: each records its headline figures here as it finishes.

``record(...)`` adds a row (what was measured, against what, the target, whether it was met);
``python -m tests.benchmarks`` prints all rows as one table at the end and writes it to
``bench-results/summary.md``. A benchmark run on its own prints its own table as before.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    benchmark: str
    name: str
    measured: float
    unit: str
    reference: float | None = None  # the bare page, the raw query, the empty notebook...
    target_ratio: float | None = None  # measured / reference at most this
    target_max: float | None = None  # measured at most this

    @property
    def ratio(self) -> float | None:
        if self.reference is None or not self.reference:
            return None
        return self.measured / self.reference

    @property
    def met(self) -> bool | None:
        if math.isnan(self.measured):
            return False
        if self.target_ratio is not None and self.ratio is not None:
            return self.ratio <= self.target_ratio
        if self.target_max is not None:
            return self.measured <= self.target_max
        return None

    @property
    def target(self) -> str:
        if self.target_ratio is not None:
            return f"<= {self.target_ratio:g}x"
        if self.target_max is not None:
            return f"<= {self.target_max:g} {self.unit}"
        return "-"


ROWS: list[Row] = []
_current = {"benchmark": ""}


def start(benchmark: str) -> None:
    """Rows recorded from now on belong to ``benchmark`` (set by the runner)."""
    _current["benchmark"] = benchmark


def record(
    name: str,
    measured: float,
    unit: str,
    *,
    reference: float | None = None,
    target_ratio: float | None = None,
    target_max: float | None = None,
) -> Row:
    row = Row(_current["benchmark"], name, measured, unit, reference, target_ratio, target_max)
    ROWS.append(row)
    return row


def _number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "-"
    if math.isnan(value):
        return "failed"
    digits = 0 if abs(value) >= 100 else 2 if abs(value) < 10 else 1
    return f"{value:.{digits}f}{' ' + unit if unit else ''}"


def table(rows: list[Row], silent: list[str] | None = None) -> str:
    """The one table: name, measured, bare/reference, ratio, target, met?"""
    lines = [
        "| benchmark | measured | value | bare / reference | ratio | target | met? |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        met = {True: "yes", False: "NO", None: "-"}[row.met]
        ratio = f"{row.ratio:.2f}x" if row.ratio is not None else "-"
        lines.append(
            f"| {row.benchmark} | {row.name} | {_number(row.measured, row.unit)} | "
            f"{_number(row.reference, row.unit)} | {ratio} | {row.target} | {met} |"
        )
    for name in silent or []:
        lines.append(f"| {name} | (its own table above) | - | - | - | - | - |")
    return "\n".join(lines) + "\n"
