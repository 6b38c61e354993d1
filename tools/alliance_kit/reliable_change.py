"""What counts as a real change in a characteristic score, rather than noise.

Rule: the Jacobson-Truax reliable change index (Jacobson & Truax 1991, J Consult Clin
Psychol 59(1):12-19). A change between two scores is reliable when

    |after - before| / S_diff > z,   with   S_diff = sqrt(2) * SD * sqrt(1 - r)

so the smallest reliable change is ``z * sqrt(2) * SD * sqrt(1 - r)``.

Assumptions (stated on the trends page, and to be replaced when the kit's own items have been
studied; they have NOT been estimated from data):

* SD = 0.8 on the 1-5 scale: the spread of a characteristic score between sessions and
  clients. Alliance scores usually sit in the upper half of an agreement scale with a standard
  deviation of about 0.6 to 1.0 points; 0.8 is the middle of that range.
* r = 0.80: the reliability (internal consistency) of a 3- or 4-statement score. Short
  alliance scales typically report 0.75 to 0.90.
* z = 1.96: a change this large would happen by measurement error alone less than 5 % of the
  time (two-sided).

With these values the threshold is about 1.0 point. The same threshold is used for the gap
between the officer's and the client's score of one session: a gap of at least one reliable
change means they see the session differently enough to talk about it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

IMPROVED = "improved"
WORSENED = "worsened"
NO_CHANGE = "no reliable change"


@dataclass(frozen=True)
class ReliableChangeRule:
    sd: float = 0.8
    reliability: float = 0.80
    z: float = 1.96

    def __post_init__(self) -> None:
        if self.sd <= 0:
            raise ValueError("sd must be positive")
        if not 0 <= self.reliability < 1:
            raise ValueError("reliability must be at least 0 and below 1")
        if self.z <= 0:
            raise ValueError("z must be positive")

    @property
    def s_diff(self) -> float:
        """Standard error of the difference between two scores."""
        return math.sqrt(2) * self.sd * math.sqrt(1 - self.reliability)

    @property
    def threshold(self) -> float:
        """The smallest change (in scale points) that counts as reliable."""
        return self.z * self.s_diff

    def index(self, before: float, after: float) -> float:
        """The reliable change index: the change in units of its standard error."""
        return (after - before) / self.s_diff

    def classify(self, before: float, after: float, *, higher_is_better: bool = True) -> str:
        """``improved``, ``worsened`` or ``no reliable change``, respecting the direction
        (for Reactance a rise is a worsening)."""
        rci = self.index(before, after)
        if abs(rci) <= self.z:
            return NO_CHANGE
        rose = rci > 0
        return IMPROVED if rose == higher_is_better else WORSENED

    def band(self, centre: float, low: float = 1.0, high: float = 5.0) -> tuple[float, float]:
        """The band of scores around ``centre`` that differ from it by noise only."""
        return max(low, centre - self.threshold), min(high, centre + self.threshold)

    def strong_gap(self, officer: float, client: float) -> bool:
        """Officer and client see the session differently by at least one reliable change."""
        return abs(officer - client) >= self.threshold

    def describe(self) -> str:
        """When a change counts as real, in the active language (numbers written its way)."""
        from .i18n import _, number

        return _(
            "A change counts as real when it is larger than {threshold} points (Jacobson-Truax "
            "reliable change at the 95 percent level, assuming a spread (SD) of {sd} points and "
            "a reliability of {reliability}). These are assumptions, not figures measured for "
            "this questionnaire."
        ).format(
            threshold=number(self.threshold, "0.0"),
            sd=number(self.sd, "0.###"),
            reliability=number(self.reliability, "0.00"),
        )


DEFAULT_RULE = ReliableChangeRule()
