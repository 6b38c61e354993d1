"""Export the journal (CSV for a spreadsheet, JSON for a full copy) and import it again.

An import never stops at the first bad row: it brings in every valid, new session in one
transaction and reports, row by row, what it refused and why, so the officer can fix the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import JournalError
from .models import validate_session
from .store import Journal, _now, content_key

FORMAT_NAME = "alliance-kit-journal"
BASE_COLUMNS = (
    "id",
    "session_date",
    "channel",
    "phase",
    "client_code",
    "risk_band",
    "duration_min",
    "note",
    "questionnaire_version",
    "created_at",
    "client_source",
    "client_rated_at",
)
OFFICER_PREFIX = "officer:"
CLIENT_PREFIX = "client:"


def _item_ids(rows: list[dict[str, Any]]) -> list[str]:
    """Item ids in questionnaire order first, then any others (older wording) sorted."""
    from ..questionnaire import load

    order = list(load().item_ids)
    seen = {k for r in rows for k in (r["answers"] or {})}
    seen |= {k for r in rows for k in (r["client_answers"] or {})}
    return [i for i in order if i in seen] + sorted(seen - set(order))


def export_json(journal: Journal) -> str:
    rows = [s.to_dict() for s in journal.sessions()]
    doc = {
        "format": FORMAT_NAME,
        "exported_at": _now(),
        "retention_months": journal.retention_months(),
        "sessions": rows,
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def export_csv(journal: Journal) -> str:
    rows = [s.to_dict() for s in journal.sessions()]
    items = _item_ids(rows)
    header = [
        *BASE_COLUMNS,
        *(OFFICER_PREFIX + i for i in items),
        *(CLIENT_PREFIX + i for i in items),
    ]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for r in rows:
        officer = r["answers"] or {}
        client = r["client_answers"] or {}
        writer.writerow(
            [
                *("" if r[c] is None else r[c] for c in BASE_COLUMNS),
                *(officer.get(i, "") for i in items),
                *(client.get(i, "") for i in items),
            ]
        )
    return out.getvalue()


def export(journal: Journal, fmt: str) -> str:
    if fmt == "csv":
        return export_csv(journal)
    if fmt == "json":
        return export_json(journal)
    raise ValueError(f"unknown export format {fmt!r}; use csv or json")


@dataclass
class ImportReport:
    imported: int = 0
    duplicates: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"Imported {self.imported} session(s)."]
        if self.duplicates:
            out.append(f"Refused {len(self.duplicates)} duplicate(s):")
            out += [f"  - {d}" for d in self.duplicates]
        if self.invalid:
            out.append(f"Refused {len(self.invalid)} invalid row(s):")
            out += [f"  - {d}" for d in self.invalid]
        return out


def _rows_from_csv(text: str) -> list[tuple[str, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text))
    rows = []
    for n, raw in enumerate(reader, start=2):  # line 1 is the header
        rec: dict[str, Any] = {
            k: (v if v != "" else None) for k, v in raw.items() if k and k in BASE_COLUMNS
        }
        rec["note"] = raw.get("note") or ""
        rec["answers"] = {
            k[len(OFFICER_PREFIX) :]: v
            for k, v in raw.items()
            if k and k.startswith(OFFICER_PREFIX) and v not in (None, "")
        }
        rec["client_answers"] = {
            k[len(CLIENT_PREFIX) :]: v
            for k, v in raw.items()
            if k and k.startswith(CLIENT_PREFIX) and v not in (None, "")
        } or None
        rows.append((f"line {n}", rec))
    return rows


def _rows_from_json(text: str) -> list[tuple[str, dict[str, Any]]]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise JournalError(f"The file is not valid JSON (line {exc.lineno}): {exc.msg}.") from None
    sessions = doc.get("sessions") if isinstance(doc, dict) else doc
    if not isinstance(sessions, list):
        raise JournalError("The JSON file holds no list of sessions.")
    return [
        (f"session {n}", s if isinstance(s, dict) else {"_bad": s})
        for n, s in enumerate(sessions, start=1)
    ]


def read_rows(path: Path) -> list[tuple[str, dict[str, Any]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise JournalError(f"The file {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise JournalError(f"The file {path} cannot be read ({exc}).") from None
    if path.suffix.lower() == ".json" or text.lstrip().startswith(("{", "[")):
        return _rows_from_json(text)
    return _rows_from_csv(text)


def import_rows(
    journal: Journal, rows: list[tuple[str, dict[str, Any]]], *, today: dt.date | None = None
) -> ImportReport:
    """Import every valid, new row in one transaction; report the rest."""
    report = ImportReport()
    ids = journal.ids()
    keys = journal.content_keys()
    good: list[dict[str, Any]] = []
    for where, raw in rows:
        if "_bad" in raw:
            report.invalid.append(f"{where}: is not a session record.")
            continue
        clean, problems = validate_session(raw, today=today)
        if clean is None:
            report.invalid.append(f"{where}: {' '.join(problems)}")
            continue
        key = content_key(clean)
        if clean.get("id") in ids:
            report.duplicates.append(f"{where}: session {clean['id']} is already in the journal")
            continue
        if key in keys:
            report.duplicates.append(
                f"{where}: the same session ({clean['client_code']}, "
                f"{clean['session_date']}, {clean['channel']}) is already in the journal"
            )
            continue
        clean["id"] = clean.get("id") or uuid.uuid4().hex
        clean["created_at"] = clean["created_at"] or _now()
        ids.add(clean["id"])
        keys.add(key)
        good.append(clean)
    with journal._write() as conn:
        for clean in good:
            journal._insert(conn, clean)
    report.imported = len(good)
    return report


def import_file(journal: Journal, path: Path, *, today: dt.date | None = None) -> ImportReport:
    return import_rows(journal, read_rows(Path(path)), today=today)
