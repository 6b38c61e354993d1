"""One journal entry (a scored session) and the rules every entry must keep.

The same rules apply to the form, the store and an import, so a file imported from elsewhere
can never hold what the form would refuse.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..alliance import PHASES, SESSION_CHANNELS
from ..i18n import N_
from ..privacy import check_client_code, check_free_text, client_code_problem

RISK_BANDS: dict[str, str] = {
    "low": N_("Low"),
    "medium": N_("Medium"),
    "high": N_("High"),
    "very-high": N_("Very high"),
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
    #: the parts of a structured session it had (ids in questionnaire order); None: not recorded
    parts: tuple[str, ...] | None = None
    #: what in the entry may identify the client, as sentences (set when it was just written)
    warnings: tuple[str, ...] = field(default=(), compare=False, repr=False)

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
            "parts": list(self.parts) if self.parts is not None else None,
        }


#: Whole numbers in ASCII digits only: ``"²".isdigit()`` is true, but ``int("²")`` fails, and
#: Arabic-Indic or full-width digits in a spreadsheet are more likely a paste error than a score.
_WHOLE = re.compile(r"[0-9]{1,6}", re.ASCII)
#: Text fields that are stored as given; anything longer is refused rather than kept.
TEXT_MAX = 64
VERSION_MAX = 1000
Problem = tuple[str, str]  # (field, sentence)


def shown(value: Any, limit: int = 40) -> str:
    """A short, safe rendering of a value for a message: never a huge or nested repr."""
    if isinstance(value, str):
        text = value if len(value) <= limit else value[:limit] + "…"
        return repr(text)
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int):
        digits = len(str(abs(value))) if abs(value) < 10**limit else limit + 1
        return repr(value) if digits <= limit else "a number too large to store"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    return f"a value of type {type(value).__name__}"


def _whole(value: Any) -> Any:
    """A whole number from an int, an integral float or ASCII digits; else the value as given."""
    if isinstance(value, str) and _WHOLE.fullmatch(value.strip()):
        return int(value.strip())
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _text(value: Any) -> str | None:
    """The value when it is text, else None (lists, mappings, numbers where text belongs)."""
    return value if isinstance(value, str) else None


def _unencodable(text: str, label: str) -> str | None:
    """A sentence when the text holds lone surrogates (valid in JSON, not storable as UTF-8)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return f"The {label} holds characters that are not valid text; retype it."
    return None


def identifier_warnings(clean: Mapping[str, Any]) -> list[Problem]:
    """What in a valid record may identify the client: warnings, never a refusal.

    The form shows these before saving; an import or ``add_session`` returns them so an entry
    written without the form does not slip past the same check silently.
    """
    found = [("client_code", f.message) for f in check_client_code(clean.get("client_code", ""))]
    found += [("note", f.message) for f in check_free_text(clean.get("note") or "")]
    return found


def _choice(raw: Mapping[str, Any], key: str, allowed: Mapping[str, Any]) -> str | None:
    value = raw.get(key)
    return value if isinstance(value, str) and value in allowed else None


def _answers(raw: Any, name: str, label: str, problems: list[Problem]) -> dict[str, int] | None:
    if raw is None or raw == {}:
        return None
    if not isinstance(raw, Mapping):
        problems.append((name, f"{label} should be a mapping of statement id to a number 1-5."))
        return None
    out: dict[str, int] = {}
    for key, value in raw.items():
        if not isinstance(key, str) or not _ITEM_ID.fullmatch(key):
            problems.append((name, f"{label}: {shown(key)} is not a statement id."))
            continue
        value = _whole(value)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            problems.append(
                (name, f"{label}: the answer to {key} should be 1 to 5, not {shown(value)}.")
            )
            continue
        out[key] = value
    return out


#: How a CSV cell lists the parts of a session: ``check-in;review``.
PARTS_SEPARATOR = ";"


def _parts(raw: Any, problems: list[Problem]) -> tuple[str, ...] | None:
    """The parts a session had, in the questionnaire's order; None when none were recorded
    (the check is optional, and exports from before it existed have no such field)."""
    if raw in (None, "", []):
        return None
    if isinstance(raw, str):
        raw = [p.strip() for p in raw.split(PARTS_SEPARATOR) if p.strip()]
    if not isinstance(raw, (list, tuple)):
        problems.append(("parts", f"The session parts should be a list, not {shown(raw)}."))
        return None
    from ..questionnaire import load

    known = load().part_ids
    wrong = [p for p in raw if not isinstance(p, str) or p not in known]
    if wrong:
        problems.append(
            (
                "parts",
                f"{shown(wrong[0])} is not a session part; use {', '.join(known)} "
                f"(separated by {PARTS_SEPARATOR!r} in a CSV cell).",
            )
        )
        return None
    return tuple(p for p in known if p in raw) or None


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip()[:10].isascii():
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def validate_session(
    raw: Mapping[str, Any], *, today: dt.date | None = None
) -> tuple[dict[str, Any] | None, list[str]]:
    """Check one record; return it normalised (or None) and the problems as sentences."""
    clean, problems = validate_fields(raw, today=today)
    return clean, [sentence for _field, sentence in problems]


def validate_fields(
    raw: Mapping[str, Any], *, today: dt.date | None = None
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Like ``validate_session``, with the field each problem belongs to (for import reports).

    Any value may arrive here from a hostile file: a list or mapping where text belongs, a
    number too large for SQLite, digits from other scripts. Each becomes a problem, never an
    exception.
    """
    today = today or dt.date.today()
    problems: list[Problem] = []
    out: dict[str, Any] = {}
    sid = raw.get("id")
    if sid not in (None, ""):
        if not isinstance(sid, str) or not _ID.fullmatch(sid):
            problems.append(("id", f"The id {shown(sid)} should be 6-64 letters, digits, - or _."))
        out["id"] = sid
    day = parse_date(raw.get("session_date"))
    if day is None:
        problems.append(("session_date", "Give the date of the session (YYYY-MM-DD)."))
    elif day > today:
        problems.append(("session_date", f"The session date {day.isoformat()} is in the future."))
    elif day < EARLIEST:
        problems.append(
            ("session_date", f"The session date {day.isoformat()} is before {EARLIEST.year}.")
        )
    out["session_date"] = day
    channel = _choice(raw, "channel", SESSION_CHANNELS)
    if channel is None:
        problems.append(
            (
                "channel",
                f"Choose a channel ({', '.join(SESSION_CHANNELS)}), "
                f"not {shown(raw.get('channel'))}.",
            )
        )
    out["channel"] = channel
    phase = _choice(raw, "phase", PHASES)
    if phase is None:
        problems.append(
            ("phase", f"Choose a phase ({', '.join(PHASES)}), not {shown(raw.get('phase'))}.")
        )
    out["phase"] = phase
    code = raw.get("client_code")
    if code is not None and not isinstance(code, str):
        problems.append(("client_code", f"The client code should be text, not {shown(code)}."))
        code = ""
    else:
        code = (code or "").strip()
        why = client_code_problem(code) or _unencodable(code, "client code")
        if why:
            problems.append(("client_code", why))
    out["client_code"] = code
    band = raw.get("risk_band") or None
    if band is not None and _choice(raw, "risk_band", RISK_BANDS) is None:
        problems.append(
            (
                "risk_band",
                f"The risk band should be one of {', '.join(RISK_BANDS)}, not {shown(band)}.",
            )
        )
        band = None
    out["risk_band"] = band
    duration = raw.get("duration_min")
    if duration in (None, ""):
        duration = None
    else:
        duration = _whole(duration)
        if isinstance(duration, bool) or not isinstance(duration, int):
            problems.append(("duration_min", "The duration should be a whole number of minutes."))
            duration = None
        elif not 1 <= duration <= DURATION_MAX:
            problems.append(
                ("duration_min", f"The duration should be 1 to {DURATION_MAX} minutes.")
            )
            duration = None
    out["duration_min"] = duration
    note = raw.get("note") or ""
    if not isinstance(note, str):
        problems.append(("note", f"The note should be text, not {shown(note)}."))
        note = ""
    elif len(note) > NOTE_MAX:
        problems.append(("note", f"Keep the note to {NOTE_MAX} characters (it has {len(note)})."))
    elif why := _unencodable(note, "note"):
        problems.append(("note", why))
    out["note"] = note.strip()
    answers = _answers(raw.get("answers"), "answers", "Officer answers", problems)
    if not answers and not any(name == "answers" for name, _s in problems):
        problems.append(("answers", "The session has no answers from the officer."))
    out["answers"] = answers or {}
    client = _answers(raw.get("client_answers"), "client_answers", "Client answers", problems)
    out["client_answers"] = client or None
    source = raw.get("client_source") or None
    if client and _choice(raw, "client_source", CLIENT_SOURCES) is None:
        problems.append(
            (
                "client_source",
                f"Say where the client's answers came from ({', '.join(CLIENT_SOURCES)}).",
            )
        )
    out["client_source"] = source if client else None
    rated = raw.get("client_rated_at") or None
    if rated is not None and (_text(rated) is None or len(rated) > TEXT_MAX or not rated.isascii()):
        problems.append(
            ("client_rated_at", f"The client's rating time should be a date, not {shown(rated)}.")
        )
        rated = None
    out["client_rated_at"] = rated if client else None
    version = _whole(raw.get("questionnaire_version"))
    version = 1 if version in (None, "") else version
    if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= VERSION_MAX:
        problems.append(
            (
                "questionnaire_version",
                f"The questionnaire version should be a whole number from 1 to {VERSION_MAX}.",
            )
        )
    out["questionnaire_version"] = version
    out["parts"] = _parts(raw.get("parts"), problems)
    created = raw.get("created_at") or ""
    if _text(created) is None or len(created) > TEXT_MAX or not created.isascii():
        problems.append(
            ("created_at", f"The creation time should be a date, not {shown(created)}.")
        )
        created = ""
    out["created_at"] = created
    return (None if problems else out), problems
