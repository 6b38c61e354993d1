"""The practice trainer: "which characteristic is most at stake in this line?".

Recognising the characteristics in ordinary sentences is the step from "unknowingly competent"
to using them on purpose, so a round is short, feedback is immediate, and the summary names the
one module most worth revisiting. Pure Python (no widgets), like every engine.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..alliance import BY_ID, CHARACTERISTIC_IDS
from ..content import Problem
from .model import PracticeFile, PracticeItem, learn_dir, read_listed

EFFECTS: dict[str, str] = {"strengthens": "Strengthens", "strains": "Strains"}
ROUND_SIZES: tuple[int, ...] = (5, 10, 20)
DEFAULT_ROUND_SIZE = 10


def read_items(path: Path) -> tuple[tuple[PracticeItem, ...], tuple[Problem, ...]]:
    items, problems = read_listed(path, PracticeFile, "items", PracticeItem)
    return tuple(items), tuple(problems)


@lru_cache(maxsize=4)
def _cached_items(path: str) -> tuple[tuple[PracticeItem, ...], tuple[Problem, ...]]:
    return read_items(Path(path))


def load_items(path: Path | None = None) -> tuple[tuple[PracticeItem, ...], tuple[Problem, ...]]:
    """The practice items, parsed once per process."""
    return _cached_items(str(path or learn_dir() / "practice_items.yaml"))


@dataclass(frozen=True)
class Verdict:
    item: PracticeItem
    chosen_characteristic: str
    chosen_effect: str

    @property
    def characteristic_ok(self) -> bool:
        return self.chosen_characteristic == self.item.characteristic

    @property
    def effect_ok(self) -> bool:
        return self.chosen_effect == self.item.effect

    @property
    def correct(self) -> bool:
        return self.characteristic_ok and self.effect_ok


@dataclass
class Tally:
    """How a learner did on the items whose true characteristic is this one."""

    seen: int = 0
    characteristic_ok: int = 0
    effect_ok: int = 0
    both_ok: int = 0

    @property
    def misses(self) -> int:
        return self.seen - self.both_ok


@dataclass(frozen=True)
class Summary:
    total: int
    correct: int
    tallies: dict[str, Tally]
    revisit: str | None


def recommend(tallies: dict[str, Tally]) -> str | None:
    """The characteristic whose module to revisit: the lowest share fully right, then the most
    misses; None when nothing was missed (there is no weak spot to send anyone to)."""
    candidates = [(cid, t) for cid, t in tallies.items() if t.seen and t.misses]
    if not candidates:
        return None
    order = {cid: i for i, cid in enumerate(CHARACTERISTIC_IDS)}
    candidates.sort(key=lambda ct: (ct[1].both_ok / ct[1].seen, -ct[1].misses, order[ct[0]]))
    return candidates[0][0]


@dataclass
class Round:
    """One round: ``size`` items drawn at random without repeats, answered one by one."""

    pool: tuple[PracticeItem, ...]
    size: int = DEFAULT_ROUND_SIZE
    rng: random.Random = field(default_factory=random.Random)
    items: list[PracticeItem] = field(init=False)
    verdicts: list[Verdict] = field(init=False, default_factory=list)
    position: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        if not self.pool:
            raise ValueError("there are no practice items to draw from")
        if self.size < 1:
            raise ValueError("a round needs at least one item")
        self.items = self.rng.sample(list(self.pool), min(self.size, len(self.pool)))

    @property
    def current(self) -> PracticeItem | None:
        return self.items[self.position] if self.position < len(self.items) else None

    @property
    def answered_current(self) -> bool:
        return len(self.verdicts) > self.position

    @property
    def finished(self) -> bool:
        return len(self.verdicts) == len(self.items)

    def answer(self, characteristic: str, effect: str) -> Verdict:
        if characteristic not in BY_ID:
            raise ValueError(f"unknown characteristic {characteristic!r}")
        if effect not in EFFECTS:
            raise ValueError(f"effect should be one of {', '.join(EFFECTS)}, not {effect!r}")
        item = self.current
        if item is None or self.answered_current:
            raise ValueError("this item is already answered; go to the next one")
        verdict = Verdict(item, characteristic, effect)
        self.verdicts.append(verdict)
        return verdict

    def next(self) -> PracticeItem | None:
        """Move on to the next item (None at the end of the round)."""
        if not self.answered_current:
            raise ValueError("answer this item before moving on")
        self.position += 1
        return self.current

    def tallies(self) -> dict[str, Tally]:
        out = {cid: Tally() for cid in CHARACTERISTIC_IDS}
        for v in self.verdicts:
            t = out[v.item.characteristic]
            t.seen += 1
            t.characteristic_ok += v.characteristic_ok
            t.effect_ok += v.effect_ok
            t.both_ok += v.correct
        return out

    def summary(self) -> Summary:
        tallies = self.tallies()
        return Summary(
            total=len(self.verdicts),
            correct=sum(v.correct for v in self.verdicts),
            tallies=tallies,
            revisit=recommend(tallies),
        )
