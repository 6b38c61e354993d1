"""Export the journal (CSV for a spreadsheet, JSON for a full copy) and import it again.

An import never stops at the first bad row: it brings in every valid, new session in one
transaction and reports, row by row and field by field, what it refused and why, so the
officer can fix the file. An import file may come from anywhere, so nothing in it is trusted:
any value of any type, in any field, becomes a sentence in the report, never a traceback.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import os
import sqlite3
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..i18n import _
from .errors import JournalError
from .models import PARTS_SEPARATOR, identifier_warnings, validate_fields
from .store import Journal, _now, content_key

FORMAT_NAME = "alliance-kit-journal"
#: Larger than a decade of daily sessions exported as JSON; anything bigger is not an export.
MAX_IMPORT_BYTES = 8 * 1024 * 1024
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
    "parts",
)
OFFICER_PREFIX = "officer:"
CLIENT_PREFIX = "client:"
#: A spreadsheet treats a cell starting with one of these as a formula (OWASP, CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: str) -> str:
    """Make a cell inert in a spreadsheet by a leading apostrophe, reversibly.

    A cell that already starts with apostrophes before a formula character gets one more, so
    ``restore_cell`` gives back exactly what was written whatever the note said.
    """
    return "'" + value if value.lstrip("'").startswith(FORMULA_START) else value


def restore_cell(value: str) -> str:
    """Undo ``neutralise_cell`` on import."""
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_START):
        return value[1:]
    return value


def _item_ids(rows: list[dict[str, Any]]) -> list[str]:
    """Item ids in questionnaire order first, then any others (older wording) sorted."""
    from ..questionnaire import load

    order = list(load().all_item_ids)
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
    # CRLF, as RFC 4180 and spreadsheets expect: with it the writer also quotes a note holding
    # a bare carriage return, which with a plain newline would split the row in two.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for r in rows:
        officer = r["answers"] or {}
        client = r["client_answers"] or {}
        r = {**r, "parts": PARTS_SEPARATOR.join(r["parts"]) if r["parts"] else None}
        cells = [
            *("" if r[c] is None else r[c] for c in BASE_COLUMNS),
            *(officer.get(i, "") for i in items),
            *(client.get(i, "") for i in items),
        ]
        writer.writerow([neutralise_cell(c) if isinstance(c, str) else c for c in cells])
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
    #: imported rows whose client code or note may identify the client
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [_("Imported {count} session(s).").format(count=self.imported)]
        if self.duplicates:
            out.append(_("Refused {count} duplicate(s):").format(count=len(self.duplicates)))
            out += [f"  - {d}" for d in self.duplicates]
        if self.invalid:
            out.append(_("Refused {count} invalid row(s):").format(count=len(self.invalid)))
            out += [f"  - {d}" for d in self.invalid]
        if self.warnings:
            out.append(
                _("Check {count} imported value(s) that may identify a client:").format(
                    count=len(self.warnings)
                )
            )
            out += [f"  - {w}" for w in self.warnings]
        return out


#: One row of an import: where it is in the file, and the record (None: not a record at all).
Row = tuple[str, "dict[str, Any] | None"]


def _csv_record(header: list[str], cells: list[str]) -> dict[str, Any]:
    raw = dict(zip(header, (restore_cell(c) for c in cells), strict=False))
    rec: dict[str, Any] = {k: (v if v != "" else None) for k, v in raw.items() if k in BASE_COLUMNS}
    rec["note"] = raw.get("note") or ""
    rec["answers"] = {
        k[len(OFFICER_PREFIX) :]: v
        for k, v in raw.items()
        if k.startswith(OFFICER_PREFIX) and v != ""
    }
    rec["client_answers"] = {
        k[len(CLIENT_PREFIX) :]: v
        for k, v in raw.items()
        if k.startswith(CLIENT_PREFIX) and v != ""
    } or None
    return rec


def rows_from_csv(text: str) -> tuple[list[Row], list[str]]:
    """The records of a CSV export, and a sentence for each row that cannot be read at all.

    Rows are numbered as a spreadsheet shows them (the header is row 1). A row the CSV reader
    refuses (a field over its 128 KiB limit, say) is reported and the reader goes on.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[Row] = []
    unreadable: list[str] = []
    header: list[str] | None = None
    n = 0
    while True:
        n += 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            where = "the header row" if header is None else f"row {n}"
            unreadable.append(f"{where}: cannot be read as CSV ({exc}).")
            if header is None:
                break
            continue
        if header is None:
            header = [restore_cell(c).strip() for c in cells]
            continue
        if not any(c.strip() for c in cells):
            continue  # a blank line, as spreadsheets leave at the end
        if len(cells) > len(header):
            unreadable.append(
                f"row {n}: has {len(cells)} cells but the header names {len(header)} columns."
            )
            continue
        rows.append((f"row {n}", _csv_record(header, cells)))
    return rows, unreadable


def rows_from_json(text: str) -> list[Row]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise JournalError(
            _("The file is not valid JSON (line {line}): {reason}.").format(
                line=exc.lineno, reason=exc.msg
            )
        ) from None
    except RecursionError:
        raise JournalError(
            _("The file is not a journal export: its JSON is nested too deeply to read.")
        ) from None
    except ValueError as exc:  # e.g. an integer with more digits than Python will convert
        raise JournalError(
            _("The file is not a journal export: {reason}.").format(reason=exc)
        ) from None
    sessions = doc.get("sessions") if isinstance(doc, dict) else doc
    if not isinstance(sessions, list):
        raise JournalError(_("The JSON file holds no list of sessions."))
    return [
        (f"session {n}", s if isinstance(s, dict) else None)
        for n, s in enumerate(sessions, start=1)
    ]


def parse(text: str, *, json_file: bool = False) -> tuple[list[Row], list[str]]:
    """Rows and unreadable-row sentences from the text of a CSV or JSON export."""
    if json_file or text.lstrip().startswith(("{", "[")):
        return rows_from_json(text), []
    return rows_from_csv(text)


def read_text(path: Path) -> str:
    """The file's text, refusing (with a sentence) one that is too big or not text."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_IMPORT_BYTES + 1)
    except FileNotFoundError:
        raise JournalError(_("The file {path} does not exist.").format(path=path)) from None
    except IsADirectoryError:
        raise JournalError(_("{path} is a folder, not an export file.").format(path=path)) from None
    except OSError as exc:
        raise JournalError(
            _("The file {path} cannot be read ({reason}).").format(path=path, reason=exc.strerror)
        ) from None
    if len(data) > MAX_IMPORT_BYTES:
        raise JournalError(
            _(
                "The file {path} is larger than {mib} MiB, far more than a journal export; "
                "nothing was imported. Split it, or choose the right file."
            ).format(path=path, mib=MAX_IMPORT_BYTES // (1024 * 1024))
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise JournalError(
            _(
                "The file {path} is not UTF-8 text (byte {byte}); nothing was imported. "
                "Save it from the spreadsheet as 'CSV UTF-8'."
            ).format(path=path, byte=exc.start)
        ) from None


def check_row(where: str, raw: dict[str, Any] | None, today: dt.date | None) -> tuple:
    """(clean record or None, problems, identifier warnings): one line per refused row, naming
    the row and, in brackets, each field with what is wrong, so the report says what to fix."""
    if raw is None:
        return None, [f"{where}: is not a session record."], []
    clean, problems = validate_fields(raw, today=today)
    if clean is None:
        return None, [f"{where}: " + " ".join(f"[{n}] {s}" for n, s in problems)], []
    warnings = [f"{where}: [{name}] {message}" for name, message in identifier_warnings(clean)]
    return clean, [], warnings


def import_rows(
    journal: Journal,
    rows: list[Row],
    *,
    today: dt.date | None = None,
    unreadable: list[str] | None = None,
) -> ImportReport:
    """Import every valid, new row in one transaction; report the rest.

    Duplicates are judged inside the write transaction, so a session another page or command
    writes at the same moment is reported as a duplicate, not as a failed import.
    """
    report = ImportReport(invalid=list(unreadable or []))
    checked = []
    for where, raw in rows:
        clean, problems, warnings = check_row(where, raw, today)
        report.invalid += problems
        if clean is not None:
            checked.append((where, clean, warnings))
    with journal._write() as conn:
        ids = {r[0] for r in conn.execute("SELECT id FROM sessions")}
        keys = {
            tuple(r)
            for r in conn.execute(
                "SELECT client_code, session_date, channel, phase, answers FROM sessions"
            )
        }
        for where, clean, warnings in checked:
            key = content_key(clean)
            if clean.get("id") in ids:
                report.duplicates.append(
                    f"{where}: session {clean['id']} is already in the journal"
                )
                continue
            if key in keys:
                report.duplicates.append(
                    f"{where}: the same session ({clean['client_code']}, "
                    f"{clean['session_date']}, {clean['channel']}) is already in the journal"
                )
                continue
            clean["id"] = clean.get("id") or uuid.uuid4().hex
            clean["created_at"] = clean["created_at"] or _now()
            conn.execute("SAVEPOINT import_row")
            try:
                journal._insert(conn, clean)
            except (sqlite3.IntegrityError, OverflowError, ValueError) as exc:
                # Belt and braces: validation should have refused it; one row never sinks all.
                conn.execute("ROLLBACK TO import_row")
                report.invalid.append(f"{where}: cannot be stored ({exc}).")
                continue
            finally:
                conn.execute("RELEASE import_row")
            ids.add(clean["id"])
            keys.add(key)
            report.imported += 1
            report.warnings += warnings
    return report


def import_file(journal: Journal, path: Path, *, today: dt.date | None = None) -> ImportReport:
    path = Path(path)
    rows, unreadable = parse(read_text(path), json_file=path.suffix.lower() == ".json")
    return import_rows(journal, rows, today=today, unreadable=unreadable)


def write_private(path: Path, text: str) -> None:
    """Write an export owner-only by replacing ``path``.

    A new file is written beside the target and renamed over it: an existing file's wider
    mode is not kept, a symlink at ``path`` is replaced rather than followed (so an export
    cannot be steered into another file), and a crash leaves the old file or the new one.
    """
    path = Path(path)
    if path.is_dir() and not path.is_symlink():
        raise JournalError(
            _("{path} is a folder; give a file name to export to.").format(path=path)
        )
    folder = path.parent
    if not folder.is_dir():
        raise JournalError(
            _("The folder {folder} does not exist; nothing was exported.").format(folder=folder)
        )
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise JournalError(
            _("Cannot write in {folder} ({reason}).").format(folder=folder, reason=exc.strerror)
        ) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise JournalError(
            _("Cannot write {path} ({reason}).").format(path=path, reason=exc.strerror)
        ) from None
