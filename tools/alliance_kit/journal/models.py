"""One journal entry (a scored session) and the rules every entry must keep.

The same rules apply to the form, the store and an import, so a file imported from elsewhere
can never hold what the form would refuse.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta

from ..alliance import PHASES, SESSION_CHANNELS, PhaseId, SessionChannelId
from ..privacy import check_client_code, check_free_text, client_code_problem

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

# ``\Z``, not ``$``: "abcdefgh\n" is not an id.
ItemId = Annotated[str, Meta(pattern=r"^[a-z][a-z0-9-]{0,29}\Z")]
Answer = Annotated[int, Meta(ge=1, le=5)]
Stamp = Annotated[str, Meta(max_length=TEXT_MAX, pattern=r"^[\x00-\x7f]*\Z")]


class SessionRecord(msgspec.Struct, kw_only=True):
    """What one journal entry may hold, whoever wrote it: the form, an import or
    ``add_session``. :func:`validate_fields` checks each field against its type here."""

    id: Annotated[str, Meta(pattern=r"^[A-Za-z0-9_-]{6,64}\Z")] | None = None
    session_date: dt.date
    channel: SessionChannelId
    phase: PhaseId
    client_code: str = ""
    risk_band: Literal[tuple(RISK_BANDS)] | None = None  # type: ignore[valid-type]
    duration_min: Annotated[int, Meta(ge=1, le=DURATION_MAX)] | None = None
    note: Annotated[str, Meta(max_length=NOTE_MAX)] = ""
    answers: dict[ItemId, Answer]
    client_answers: dict[ItemId, Answer] | None = None
    client_source: Literal[tuple(CLIENT_SOURCES)] | None = None  # type: ignore[valid-type]
    client_rated_at: Stamp | None = None
    questionnaire_version: Annotated[int, Meta(ge=1, le=VERSION_MAX)] = 1
    #: part ids of the questionnaire in use, checked against it by ``_parts``
    parts: tuple[str, ...] | None = None
    created_at: Stamp = ""


_TYPES: dict[str, Any] = {
    **{f.name: f.type for f in msgspec.structs.fields(SessionRecord)},
    "statement": ItemId,
    "answer": Answer,
}
# msgspec keeps its checker for a Struct but builds one anew for a bare type at every call,
# which made an import of thousands of rows several times slower: each field's type is held
# in a one-field Struct, built once.
_HOLDERS: dict[str, type] = {
    name: msgspec.defstruct(f"Holds_{name}", [("value", kind)]) for name, kind in _TYPES.items()
}


def _fits(value: Any, name: str) -> bool:
    """Whether ``value`` is of the type declared for field ``name``. Lone surrogates make
    msgspec raise ``UnicodeEncodeError`` rather than a validation error: such text does not
    fit either."""
    try:
        msgspec.convert({"value": value}, _HOLDERS[name], strict=True)
    except (msgspec.ValidationError, UnicodeEncodeError):
        return False
    return True


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


def _answers(
    given: Any, name: str, label: str, wrong: set[str], problems: list[Problem]
) -> dict[str, int] | None:
    """The answers as given (whole numbers already made by ``_given``); a sentence for each
    entry that is not a statement id with an answer 1-5."""
    if given is None:
        return None
    if not isinstance(given, Mapping):
        problems.append((name, f"{label} should be a mapping of statement id to a number 1-5."))
        return None
    if name not in wrong:
        return dict(given)
    out: dict[str, int] = {}
    for key, value in given.items():
        if not _fits(key, "statement"):
            problems.append((name, f"{label}: {shown(key)} is not a statement id."))
            continue
        if not _fits(value, "answer"):
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


def _given(raw: Mapping[str, Any]) -> dict[str, Any]:
    """What msgspec cannot say, said first: a spreadsheet's " 45" or 45.0 is the whole number
    45 (never "４５" or "²"), a date may carry a time, and an empty cell is an absent value."""
    given = {name: raw.get(name) for name in _FIELDS}
    for name in ("risk_band", "client_source", "client_rated_at"):
        given[name] = given[name] or None
    for name in ("note", "created_at"):
        given[name] = given[name] or ""
    if given["id"] in (None, ""):
        del given["id"]
    given["session_date"] = parse_date(given["session_date"])
    code = given["client_code"]
    given["client_code"] = "" if code is None else code.strip() if isinstance(code, str) else code
    duration = given["duration_min"]
    given["duration_min"] = None if duration in (None, "") else _whole(duration)
    version = _whole(given["questionnaire_version"])
    given["questionnaire_version"] = 1 if version in (None, "") else version
    for name in ("answers", "client_answers"):
        answers = given[name]
        if answers is None or answers == {}:
            given[name] = None
        elif isinstance(answers, Mapping):
            given[name] = {
                key: value if type(value) is int else _whole(value)
                for key, value in answers.items()
            }
    given["parts"] = None
    return given


_FIELDS = tuple(SessionRecord.__struct_fields__)


def _wrong(given: dict[str, Any]) -> set[str]:
    """The fields whose values are not of their declared type: one check of the whole record
    in the usual case, field by field only when something is wrong."""
    try:
        msgspec.convert(given, SessionRecord, strict=True)
    except (msgspec.ValidationError, UnicodeEncodeError):
        return {name for name, value in given.items() if not _fits(value, name)}
    return set()


def validate_fields(
    raw: Mapping[str, Any], *, today: dt.date | None = None
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Like ``validate_session``, with the field each problem belongs to (for import reports).

    Any value may arrive here from a hostile file: a list or mapping where text belongs, a
    number too large for SQLite, digits from other scripts. Each becomes a problem, never an
    exception. Every field is checked against its type in :class:`SessionRecord`; a record
    with several wrong fields gets a sentence for each. The rules that depend on today, on the
    privacy checks, on the questionnaire or on another field follow the types.
    """
    today = today or dt.date.today()
    problems: list[Problem] = []
    given = _given(raw)
    wrong = _wrong(given)
    out: dict[str, Any] = {}
    if "id" in given:
        if "id" in wrong:
            sid = given["id"]
            problems.append(("id", f"The id {shown(sid)} should be 6-64 letters, digits, - or _."))
        out["id"] = given["id"]
    day = given["session_date"]
    if day is None:
        problems.append(("session_date", "Give the date of the session (YYYY-MM-DD)."))
    elif day > today:
        problems.append(("session_date", f"The session date {day.isoformat()} is in the future."))
    elif day < EARLIEST:
        problems.append(
            ("session_date", f"The session date {day.isoformat()} is before {EARLIEST.year}.")
        )
    out["session_date"] = day
    for name, what, allowed in (
        ("channel", "a channel", SESSION_CHANNELS),
        ("phase", "a phase", PHASES),
    ):
        out[name] = None if name in wrong else given[name]
        if name in wrong:
            problems.append(
                (name, f"Choose {what} ({', '.join(allowed)}), not {shown(given[name])}.")
            )
    code = given["client_code"]
    if not isinstance(code, str):
        problems.append(("client_code", f"The client code should be text, not {shown(code)}."))
        code = ""
    elif why := client_code_problem(code) or _unencodable(code, "client code"):
        problems.append(("client_code", why))
    out["client_code"] = code
    band = given["risk_band"]
    if "risk_band" in wrong:
        problems.append(
            (
                "risk_band",
                f"The risk band should be one of {', '.join(RISK_BANDS)}, not {shown(band)}.",
            )
        )
        band = None
    out["risk_band"] = band
    duration = given["duration_min"]
    if "duration_min" in wrong:
        whole = isinstance(duration, int) and not isinstance(duration, bool)
        problems.append(
            (
                "duration_min",
                f"The duration should be 1 to {DURATION_MAX} minutes."
                if whole
                else "The duration should be a whole number of minutes.",
            )
        )
        duration = None
    out["duration_min"] = duration
    note = given["note"]
    if not isinstance(note, str):
        problems.append(("note", f"The note should be text, not {shown(note)}."))
        note = ""
    elif why := _unencodable(note, "note"):
        problems.append(("note", why))
    elif "note" in wrong:
        problems.append(("note", f"Keep the note to {NOTE_MAX} characters (it has {len(note)})."))
    out["note"] = note.strip()
    answers = _answers(given["answers"], "answers", "Officer answers", wrong, problems)
    if not answers and not any(name == "answers" for name, _s in problems):
        problems.append(("answers", "The session has no answers from the officer."))
    out["answers"] = answers or {}
    client = _answers(given["client_answers"], "client_answers", "Client answers", wrong, problems)
    out["client_answers"] = client or None
    source = given["client_source"]
    if client and (source is None or "client_source" in wrong):
        problems.append(
            (
                "client_source",
                f"Say where the client's answers came from ({', '.join(CLIENT_SOURCES)}).",
            )
        )
    out["client_source"] = source if client else None
    rated = given["client_rated_at"]
    if "client_rated_at" in wrong:
        problems.append(
            ("client_rated_at", f"The client's rating time should be a date, not {shown(rated)}.")
        )
        rated = None
    out["client_rated_at"] = rated if client else None
    out["questionnaire_version"] = given["questionnaire_version"]
    if "questionnaire_version" in wrong:
        problems.append(
            (
                "questionnaire_version",
                f"The questionnaire version should be a whole number from 1 to {VERSION_MAX}.",
            )
        )
    out["parts"] = _parts(raw.get("parts"), problems)
    created = given["created_at"]
    if "created_at" in wrong:
        problems.append(
            ("created_at", f"The creation time should be a date, not {shown(created)}.")
        )
        created = ""
    out["created_at"] = created
    return (None if problems else out), problems
