"""A synthetic self-score dataset for the data-analysis exercise: no real client, ever.

Real reflections are about real people, so exercises never use them. This generator makes a
plausible record of supervision sessions (pseudonymous client codes, the four characteristics
rated 1-5 by officer and client) with a few patterns planted on purpose, so that the exercise
has answers worth finding: the alliance grows over the phases, Trust is lowest on messaging,
and a handful of sessions show officer and client seeing the same session very differently.
A fixed seed and the standard library's ``random`` make every student's copy identical on
every platform; pandas is imported only when the table is built.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..alliance import CHANNEL_IDS as CHANNELS
from ..alliance import CHARACTERISTIC_IDS as CHARACTERISTICS
from ..alliance import PHASE_IDS as PHASES

if TYPE_CHECKING:
    import pandas as pd

SEED = 2024
#: column-friendly names: officer_trust, client_goals_and_conditions, ...
COLUMN_NAMES = {c: c.replace("-", "_") for c in CHARACTERISTICS}

#: Where the alliance starts and how much it grows per phase (reactance falls: higher = worse).
_START = {"goals-and-conditions": 2.6, "trust": 2.3, "bond": 2.5, "reactance": 3.4}
_STEP = {"goals-and-conditions": 0.55, "trust": 0.5, "bond": 0.4, "reactance": -0.45}
#: Channel effect on the client's view (teaching pattern, not a research finding).
_CHANNEL = {
    "face-to-face": {"trust": 0.2, "bond": 0.2},
    "phone": {"trust": 0.0},
    "video": {"trust": -0.1},
    "messaging": {"trust": -0.7, "bond": -0.3, "reactance": 0.2},
}
#: Channel mix per phase, weights in ``CHANNELS`` order: in person first, more remote later.
_MIX = {
    "intake": (0.85, 0.10, 0.05, 0.0),
    "early": (0.55, 0.20, 0.15, 0.10),
    "established": (0.30, 0.25, 0.20, 0.25),
    "closing": (0.40, 0.25, 0.15, 0.20),
}


def column(role: str, characteristic: str) -> str:
    """``column("client", "goals-and-conditions")`` -> ``"client_goals_and_conditions"``."""
    if role not in ("officer", "client"):
        raise ValueError("role must be 'officer' or 'client'")
    return f"{role}_{COLUMN_NAMES[characteristic]}"


def _clip(value: float) -> int:
    return int(min(5, max(1, round(value))))


def self_score_rows(seed: int = SEED, clients: int = 14) -> list[dict]:
    """The dataset as plain rows (what :func:`self_score_sessions` turns into a DataFrame)."""
    rng = random.Random(seed)
    rows: list[dict] = []
    start_day = date(2024, 1, 8)
    for n in range(1, clients + 1):
        code = f"K{n:02d}"
        sessions = rng.randint(8, 14)
        client_shift = rng.uniform(-0.5, 0.5)
        day = start_day + timedelta(days=rng.randint(0, 60))
        for s in range(1, sessions + 1):
            progress = (s - 1) / max(sessions - 1, 1)
            phase = PHASES[min(3, int(progress * 4))]
            channel = rng.choices(CHANNELS, weights=_MIX[phase])[0]
            level = PHASES.index(phase)
            # Now and then officer and client see a session very differently.
            clash = rng.random() < 0.06
            row: dict = {
                "client_code": code,
                "session": s,
                "date": day.isoformat(),
                "channel": channel,
                "phase": phase,
            }
            for c in CHARACTERISTICS:
                base = _START[c] + _STEP[c] * level + client_shift * (1 if c != "reactance" else -1)
                client_view = base + _CHANNEL[channel].get(c, 0.0) + rng.gauss(0, 0.55)
                officer_view = base + rng.gauss(0, 0.5)
                if clash:
                    # the officer thinks it went well; the client does not (or the reverse)
                    officer_view += 1.8 if c != "reactance" else -1.8
                row[column("officer", c)] = _clip(officer_view)
                row[column("client", c)] = _clip(client_view)
            rows.append(row)
            day += timedelta(days=rng.choice((7, 14, 14, 21)))
    return rows


def self_score_sessions(seed: int = SEED, clients: int = 14) -> pd.DataFrame:
    """Synthetic supervision sessions, one row each, scored 1-5 by officer and by client.

    Columns: ``client_code`` (pseudonymous), ``session`` (1, 2, ... per client), ``date``
    (datetime), ``channel``, ``phase`` (ordered categorical: intake < early < established <
    closing), then ``officer_<characteristic>`` and ``client_<characteristic>`` for the four
    characteristics (hyphens become underscores). Reactance: higher = more friction, which is worse.
    """
    import pandas as pd

    df = pd.DataFrame(self_score_rows(seed, clients))
    df["date"] = pd.to_datetime(df["date"])
    df["phase"] = pd.Categorical(df["phase"], categories=list(PHASES), ordered=True)
    return df
