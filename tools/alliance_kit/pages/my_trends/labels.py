"""The words and numbers of the trends page in the visitor's language.

Characteristic, channel and phase ids stay the same in every language (the journal stores
ids), so a session scored on a Dutch page shows on an English one and the other way round;
only what is shown is translated, here.
"""

from __future__ import annotations

import math
from typing import Any

from ...alliance import BY_ID, PHASES, SESSION_CHANNELS
from ...i18n import N_, _
from ..common import decimal

#: The views of one client and of all sessions, by key.
VIEWS = {
    "trend": N_("Trend for this client"),
    "gap": N_("Officer and client"),
    "overview": N_("All my sessions"),
}


def char_name(cid: str) -> str:
    return _(BY_ID[cid].name)


def direction(cid: str) -> str:
    """Which way is better on this characteristic's scale, in words."""
    return _(BY_ID[cid].direction_label)


def char_label(cid: str) -> str:
    """The name, with the direction beside it where a higher score is worse (Reactance), so
    a rising line of friction is never read as progress."""
    char = BY_ID[cid]
    name = _(char.name)
    return name if char.higher_is_better else f"{name} ({direction(cid)})"


def channel_name(channel: str) -> str:
    return _(SESSION_CHANNELS[channel]) if channel in SESSION_CHANNELS else channel


def phase_name(phase: str) -> str:
    return _(PHASES[phase]) if phase in PHASES else phase


def score(value: Any) -> str:
    """A score with one decimal as the visitor's language writes it; a dash when missing."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "–"
    return "–" if value is None or math.isnan(number) else decimal(number)


def short_date(value: Any) -> str:
    """A session date as in the charts' ticks: 02 Mar 2026, 02 mrt 2026."""
    from ...i18n import day

    return day(value, "dd MMM y")
