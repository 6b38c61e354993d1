"""What the shipped cases cover (phases, risks, situations, channels), for an educator planning
a workshop (``alliance-kit scenarios``) and for the test that keeps the spread complete.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..alliance import CHANNELS, PHASES
from .model import Case


def coverage_rows(cases: Iterable[Case]) -> list[dict[str, str]]:
    """One row per case for the educator's coverage table (``alliance-kit scenarios``)."""
    rows = []
    for case in cases:
        row = {
            "case": case.id,
            "phase": PHASES.get(case.phase, case.phase),
            "risk": case.risk,
            "situation": case.situation_label,
        }
        for ch in CHANNELS:
            row[ch] = "yes" if ch in case.channels else "-"
        rows.append(row)
    return rows


#: The spread a workshop needs: enough cases, most playable by messaging, every phase.
MIN_CASES = 10
MIN_MESSAGING_SHARE = 0.75


@dataclass(frozen=True)
class Coverage:
    """The figures an educator plans a workshop with."""

    cases: int
    by_channel: Mapping[str, int]
    by_phase: Mapping[str, int]

    @property
    def messaging_share(self) -> float:
        return self.by_channel.get("messaging", 0) / self.cases if self.cases else 0.0

    def lines(self) -> list[str]:
        share = round(100 * self.messaging_share)
        return [
            f"Messaging: playable in {self.by_channel.get('messaging', 0)} of {self.cases} "
            f"case(s) ({share}%; the kit aims for at least {round(100 * MIN_MESSAGING_SHARE)}%)",
            "Phases: " + ", ".join(f"{PHASES[p]} {n}" for p, n in self.by_phase.items()),
        ]


def coverage(cases: Sequence[Case]) -> Coverage:
    return Coverage(
        cases=len(cases),
        by_channel={ch: sum(ch in c.channels for c in cases) for ch in CHANNELS},
        by_phase={p: sum(c.phase == p for c in cases) for p in PHASES},
    )


def missing_coverage(cases: Sequence[Case]) -> list[str]:
    """What the required spread of cases (phases, risks, situations) still lacks."""
    figures = coverage(cases)
    wanted = {
        f"at least {MIN_CASES} cases": figures.cases >= MIN_CASES,
        f"messaging in at least {round(100 * MIN_MESSAGING_SHARE)}% of cases": (
            figures.messaging_share >= MIN_MESSAGING_SHARE
        ),
        **{f"a case in the {PHASES[p].lower()} phase": n > 0 for p, n in figures.by_phase.items()},
        "an intake case": any(c.phase == "intake" for c in cases),
        "a later-phase case": any(c.phase != "intake" for c in cases),
        "a low-risk case": any(c.risk == "low" for c in cases),
        "a high-risk case": any(c.risk == "high" for c in cases),
        "complex needs (mental health or substance use)": any(
            s.startswith("complex-needs") for c in cases for s in c.situation
        ),
        "possible domestic abuse": any("domestic-abuse" in c.situation for c in cases),
        "childcare duties": any("childcare" in c.situation for c in cases),
        "a physical disability": any("physical-disability" in c.situation for c in cases),
        "no private space or data for video": any(
            {"no-private-space", "no-data"} & set(c.situation) for c in cases
        ),
    }
    return [label for label, ok in wanted.items() if not ok]
