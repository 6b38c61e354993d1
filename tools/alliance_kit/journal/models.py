"""One journal entry (a scored session) and the rules every entry must keep.

The same rules apply to the form, the store and an import, so a file imported from elsewhere
can never hold what the form would refuse.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..alliance import PHASES, SESSION_CHANNELS
from ..privacy import client_code_problem

RISK_BANDS: dict[str, str] = {
    "low": "Low",
    "medium": "Medium",
    "high": "High",
    "very-high": "Very high",
}
CLIENT_SOURCES: dict[str, str] = {
    "paper": "entered by the officer from paper",
    "client-page": "filled in by the client on the client page",
}
NOTE_MAX = 500
DURATION_MAX = 600
EARLIEST = dt.date(2000, 1, 1)
_ID = re.compile(r"^[A-Za-z0-9_-]{6,64}$")
_ITEM_ID = re.compile(r"^[a-z][a-z0-9-]{0,29}$")


@dataclass
class Session:
    """One scored session. A plain (not frozen) dataclass: five years of them are built each
    time the trends page draws, and frozen instances are several times slower to create."""

    id: str
    session_date: dt.date
    channel: str
    phase: str
    client_code: str
    answers: dict[str, int]
    note: str = ""
    risk_band: str | None = None
    duration_min: int | None = None
    questionnaire_version: int = 1
    created_at: str = ""
    client_answers: dict[str, int] | None = None
    client_source: str | None = None
    client_rated_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The portable form used by export (and accepted by import)."""
        return {
            "id": self.id,
            "session_date": self.session_date.isoformat(),
            "channel": self.channel,
            "phase": self.phase,
            "client_code": self.client_code,
            "risk_band": self.risk_band,
            "duration_min": self.duration_min,
            "note": self.note,
            "questionnaire_version": self.questionnaire_version,
            "created_at": self.created_at,
            "answers": dict(self.answers),
            "client_answers": dict(self.client_answers) if self.client_answers else None,
            "client_source": self.client_source,
            "client_rated_at": self.client_rated_at,
        }


def _answers(raw: Any, label: str, problems: list[str]) -> dict[str, int] | None:
    if raw is None or raw == {}:
        return None
    if not isinstance(raw, Mapping):
        problems.append(f"{label} should be a mapping of statement id to a number 1-5.")
        return None
    out: dict[str, int] = {}
    for key, value in raw.items():
        if not isinstance(key, str) or not _ITEM_ID.match(key):
            problems.append(f"{label}: {key!r} is not a statement id.")
            continue
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            problems.append(f"{label}: the answer to {key} should be 1 to 5, not {value!r}.")
            continue
        out[key] = value
    return out


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def validate_session(
    raw: Mapping[str, Any], *, today: dt.date | None = None
) -> tuple[dict[str, Any] | None, list[str]]:
    """Check one record; return it normalised (or None) and the problems as sentences."""
    today = today or dt.date.today()
    problems: list[str] = []
    out: dict[str, Any] = {}
    sid = raw.get("id")
    if sid not in (None, ""):
        if not isinstance(sid, str) or not _ID.match(sid):
            problems.append(f"The id {sid!r} should be 6-64 letters, digits, - or _.")
        out["id"] = sid
    day = parse_date(raw.get("session_date"))
    if day is None:
        problems.append("Give the date of the session (YYYY-MM-DD).")
    elif day > today:
        problems.append(f"The session date {day.isoformat()} is in the future.")
    elif day < EARLIEST:
        problems.append(f"The session date {day.isoformat()} is before {EARLIEST.year}.")
    out["session_date"] = day
    channel = raw.get("channel")
    if channel not in SESSION_CHANNELS:
        problems.append(f"Choose a channel ({', '.join(SESSION_CHANNELS)}), not {channel!r}.")
    out["channel"] = channel
    phase = raw.get("phase")
    if phase not in PHASES:
        problems.append(f"Choose a phase ({', '.join(PHASES)}), not {phase!r}.")
    out["phase"] = phase
    code = raw.get("client_code")
    code = code.strip() if isinstance(code, str) else ""
    why = client_code_problem(code)
    if why:
        problems.append(why)
    out["client_code"] = code
    band = raw.get("risk_band") or None
    if band is not None and band not in RISK_BANDS:
        problems.append(f"The risk band should be one of {', '.join(RISK_BANDS)}, not {band!r}.")
    out["risk_band"] = band
    duration = raw.get("duration_min")
    if duration in (None, ""):
        duration = None
    else:
        if isinstance(duration, str) and duration.strip().isdigit():
            duration = int(duration.strip())
        if isinstance(duration, float) and duration.is_integer():
            duration = int(duration)
        if isinstance(duration, bool) or not isinstance(duration, int):
            problems.append("The duration should be a whole number of minutes.")
            duration = None
        elif not 1 <= duration <= DURATION_MAX:
            problems.append(f"The duration should be 1 to {DURATION_MAX} minutes.")
    out["duration_min"] = duration
    note = raw.get("note") or ""
    if not isinstance(note, str):
        problems.append("The note should be text.")
        note = ""
    elif len(note) > NOTE_MAX:
        problems.append(f"Keep the note to {NOTE_MAX} characters (it has {len(note)}).")
    out["note"] = note.strip()
    answers = _answers(raw.get("answers"), "Officer answers", problems)
    if not answers:
        problems.append("The session has no answers from the officer.")
    out["answers"] = answers or {}
    client = _answers(raw.get("client_answers"), "Client answers", problems)
    out["client_answers"] = client or None
    source = raw.get("client_source") or None
    if client and source not in CLIENT_SOURCES:
        problems.append(f"Say where the client's answers came from ({', '.join(CLIENT_SOURCES)}).")
    out["client_source"] = source if client else None
    out["client_rated_at"] = (raw.get("client_rated_at") or None) if client else None
    version = raw.get("questionnaire_version", 1)
    if isinstance(version, str) and version.strip().isdigit():
        version = int(version)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        problems.append("The questionnaire version should be a whole number from 1.")
    out["questionnaire_version"] = version
    created = raw.get("created_at") or ""
    out["created_at"] = created if isinstance(created, str) else ""
    return (None if problems else out), problems
