"""The officer's private journal: one SQLite file, owner-only, that never loses a saved entry.

Why it is built the way it is:

* **WAL + synchronous=FULL**: once ``add_session`` returns, the entry is on disk, even if the
  kernel is killed the next moment.
* **One transaction per write** (``BEGIN IMMEDIATE``): two pages or a page and the command line
  can write at once; each waits its turn instead of failing half-way.
* **Versioned schema** (``PRAGMA user_version``), migrated forward on open, after a backup copy
  of the file. A file from a newer kit, a damaged file or some other file is refused with a
  sentence and left exactly as it was.
* **secure_delete** and a checkpoint after erase or retention, so removed entries do not linger
  in free pages or the write-ahead log. Erase and retention reach every copy the kit made: the
  backups made before migrations and the saved reflections in the same folder.
* **Retention by the setting in force**: the command line applies it after its action, so a
  longer period set by that command keeps what it should and an export holds everything.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import json
import re
import sqlite3
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from .. import private_sqlite
from ..i18n import _
from ..learn import reflections
from .errors import JournalCorrupt, JournalError, JournalInvalid, JournalLocked, JournalTooNew
from .models import CLIENT_SOURCES, Session, identifier_warnings, validate_session

FILE_NAME = "journal.sqlite"
DEFAULT_RETENTION_MONTHS = 12
MAX_RETENTION_MONTHS = 120
DEFAULT_TIMEOUT = 10.0

#: Forward migrations: version -> statements that bring version-1 to it. Never edit a
#: released step; add a new one. Version 1 kept only the officer's answers; version 2 added
#: risk band, duration, questionnaire version, client ratings and settings; version 3 the
#: parts of a structured session the session had (a JSON list; NULL when not recorded).
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            session_date TEXT NOT NULL,
            channel TEXT NOT NULL,
            phase TEXT NOT NULL,
            client_code TEXT NOT NULL,
            answers TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        )""",
        "CREATE INDEX sessions_by_code ON sessions (client_code, session_date)",
    ),
    2: (
        "ALTER TABLE sessions ADD COLUMN risk_band TEXT",
        "ALTER TABLE sessions ADD COLUMN duration_min INTEGER",
        "ALTER TABLE sessions ADD COLUMN questionnaire_version INTEGER NOT NULL DEFAULT 1",
        "CREATE INDEX sessions_by_date ON sessions (session_date)",
        """CREATE TABLE client_ratings (
            session_id TEXT PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
            answers TEXT NOT NULL,
            source TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""",
        "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ),
    3: ("ALTER TABLE sessions ADD COLUMN parts TEXT",),
}
SCHEMA_VERSION = max(MIGRATIONS)
#: A backup copy is scrubbed as the journal is: overwritten, and a session's rating with it.
_SCRUB_PRAGMAS = ("secure_delete = ON", "foreign_keys = ON")

_SELECT = """
SELECT s.id, s.session_date, s.channel, s.phase, s.client_code, s.answers, s.note,
       s.risk_band, s.duration_min, s.questionnaire_version, s.created_at,
       c.answers, c.source, c.created_at, s.parts
FROM sessions s LEFT JOIN client_ratings c ON c.session_id = s.id
"""


def default_path() -> Path:
    from ..paths import data_dir

    return data_dir() / FILE_NAME


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier (clamped to the month's length)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        with contextlib.suppress(ValueError):
            return dt.date(year, month, min(day.day, d))
    raise AssertionError("unreachable")


def _locked_or_corrupt(exc: sqlite3.Error, path: Path) -> JournalError:
    kind = private_sqlite.failure(exc)
    if kind == "locked":
        return JournalLocked(
            _(
                "The journal {path} is in use by another program (another kit page or a "
                "command). Close it or wait a moment, then try again. Nothing was changed."
            ).format(path=path),
            path,
        )
    if kind == "read-only":
        return JournalError(
            _("The journal {path} cannot be written (read-only).").format(path=path), path
        )
    if kind == "duplicate":
        return JournalError(
            _(
                "The journal {path} already holds an entry with the same id (another page or "
                "command may have written it a moment ago). Nothing was changed; try again."
            ).format(path=path),
            path,
        )
    if kind == "damaged":
        return JournalCorrupt(
            _(
                "The journal {path} is damaged or is not a journal file ({reason}). It was left "
                "untouched; keep a copy and restore an export, or choose another file."
            ).format(path=path, reason=exc),
            path,
        )
    return JournalError(
        _(
            "The journal {path} could not be used ({reason}). Nothing was changed; try again."
        ).format(path=path, reason=exc),
        path,
    )


def _check_header(path: Path) -> None:
    try:
        is_sqlite = private_sqlite.has_sqlite_header(path)
    except OSError as exc:
        raise JournalError(
            _("The journal {path} cannot be read ({reason}).").format(
                path=path, reason=exc.strerror
            ),
            path,
        ) from None
    if not is_sqlite:
        raise JournalCorrupt(
            _(
                "The file {path} is not a journal (it is not an SQLite database) or it is "
                "damaged. It was left untouched; restore it from an export, or choose another "
                "file."
            ).format(path=path),
            path,
        )


class Journal:
    """An open journal file. Use ``open_journal``; close it (or use ``with``) when done."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        #: sessions removed by the retention rule when the journal was opened
        self.removed_on_open = 0
        #: the backup copy made before a migration on open (None when none was needed)
        self.backup_path: Path | None = None
        #: saved reflection answers removed by the last ``erase`` (they sit beside the journal)
        self.erased_reflections = 0

    # --- plumbing ---------------------------------------------------------------------
    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._conn.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction: all of it is on disk when this block ends, or none of it."""
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _locked_or_corrupt(exc, self.path) from None
        try:
            yield self._conn
            self._conn.execute("COMMIT")
        except BaseException as exc:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise _locked_or_corrupt(exc, self.path) from None
            raise

    def _read(self, sql: str, args: tuple = ()) -> list[tuple]:
        try:
            return self._conn.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise _locked_or_corrupt(exc, self.path) from None

    # --- settings ---------------------------------------------------------------------
    def retention_months(self) -> int:
        """The retention period in force; a stored value out of range is clamped, not trusted
        (the settings table may have been edited by hand, or by a future version)."""
        rows = self._read("SELECT value FROM settings WHERE key = 'retention_months'")
        if not rows:
            return DEFAULT_RETENTION_MONTHS
        return clamp_retention(rows[0][0])

    def set_retention_months(self, months: int) -> None:
        check_retention_months(months)
        with self._write() as conn:
            conn.execute(
                "INSERT INTO settings (key, value) VALUES ('retention_months', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(months),),
            )

    def expired(self, months: int | None = None, today: dt.date | None = None) -> list[Session]:
        """The sessions a retention period of ``months`` (default: the one in force) removes,
        so they can be shown before a shorter period takes them."""
        cutoff = self._cutoff(months, today)
        return [
            self._session(r)
            for r in self._read(
                _SELECT + " WHERE s.session_date < ? ORDER BY s.session_date, s.id",
                (cutoff.isoformat(),),
            )
        ]

    def _cutoff(self, months: int | None, today: dt.date | None) -> dt.date:
        months = self.retention_months() if months is None else clamp_retention(months)
        return months_before(today or dt.date.today(), months)

    def apply_retention(self, today: dt.date | None = None) -> int:
        """Remove sessions older than the retention period in force, from the journal and from
        every copy the kit keeps beside it; return how many went from the journal."""
        cutoff = self._cutoff(None, today)
        with self._write() as conn:
            removed = conn.execute(
                "DELETE FROM sessions WHERE session_date < ?", (cutoff.isoformat(),)
            ).rowcount
        if removed:
            self._checkpoint()
        _scrub_backups(self.path, "DELETE FROM sessions WHERE session_date < ?", (cutoff,))
        # A reflections file in use or unreadable must not stop the journal from opening; the
        # next open tries again.
        with contextlib.suppress(sqlite3.Error):
            reflections.apply_retention(cutoff, path=self.path.parent / reflections.DB_NAME)
        return removed

    def _checkpoint(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # --- writing ----------------------------------------------------------------------
    def add_session(self, record: Mapping[str, Any], *, today: dt.date | None = None) -> Session:
        """Validate and store one session (with the client's answers, when given)."""
        clean, problems = validate_session(record, today=today)
        if clean is None:
            raise JournalInvalid(problems)
        clean["id"] = clean.get("id") or uuid.uuid4().hex
        clean["created_at"] = clean["created_at"] or _now()
        with self._write() as conn:
            self._insert(conn, clean)
        saved = self.get(clean["id"])
        assert saved is not None  # just written in the same connection
        saved.warnings = tuple(message for _f, message in identifier_warnings(clean))
        return saved

    @staticmethod
    def _insert(conn: sqlite3.Connection, clean: Mapping[str, Any]) -> None:
        conn.execute(
            "INSERT INTO sessions (id, session_date, channel, phase, client_code, answers, note,"
            " risk_band, duration_min, questionnaire_version, created_at, parts)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                clean["id"],
                clean["session_date"].isoformat(),
                clean["channel"],
                clean["phase"],
                clean["client_code"],
                json.dumps(clean["answers"], sort_keys=True),
                clean["note"],
                clean["risk_band"],
                clean["duration_min"],
                clean["questionnaire_version"],
                clean["created_at"],
                json.dumps(list(clean["parts"])) if clean.get("parts") else None,
            ),
        )
        if clean.get("client_answers"):
            conn.execute(
                "INSERT INTO client_ratings (session_id, answers, source, created_at)"
                " VALUES (?, ?, ?, ?)",
                (
                    clean["id"],
                    json.dumps(clean["client_answers"], sort_keys=True),
                    clean["client_source"],
                    clean.get("client_rated_at") or _now(),
                ),
            )

    def set_client_rating(
        self, session_id: str, answers: Mapping[str, int], source: str = "client-page"
    ) -> Session:
        """Attach (or replace) the client's answers for one session."""
        if source not in CLIENT_SOURCES:
            raise JournalInvalid([f"Unknown source of client answers {source!r}."])
        existing = self.get(session_id)
        if existing is None:
            raise JournalInvalid(["That session is no longer in the journal."])
        record = {**existing.to_dict(), "client_answers": dict(answers), "client_source": source}
        clean, problems = validate_session(record, today=dt.date.max)
        if clean is None or not clean["client_answers"]:
            raise JournalInvalid(problems or ["The client gave no answers."])
        with self._write() as conn:
            conn.execute(
                "INSERT INTO client_ratings (session_id, answers, source, created_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (session_id) DO UPDATE SET"
                " answers = excluded.answers, source = excluded.source,"
                " created_at = excluded.created_at",
                (session_id, json.dumps(clean["client_answers"], sort_keys=True), source, _now()),
            )
        return self.get(session_id)  # type: ignore[return-value]

    def erase(self) -> int:
        """Remove every entry and setting, the backups made before migrations, and the saved
        reflections in the same data folder: erase means every copy the kit made."""
        with self._write() as conn:
            removed = conn.execute("DELETE FROM sessions").rowcount
            conn.execute("DELETE FROM client_ratings")
            conn.execute("DELETE FROM settings")
        self._checkpoint()
        private_sqlite.vacuum_quietly(self._conn)
        for backup in backups(self.path):
            with contextlib.suppress(OSError):
                backup.unlink()
        try:
            self.erased_reflections = reflections.erase(path=self.path.parent / reflections.DB_NAME)
        except sqlite3.Error as exc:
            raise JournalError(
                f"The journal was erased, but the saved reflection answers beside it could "
                f"not be ({exc}). Close the kit's pages and erase again.",
                self.path,
            ) from None
        return removed

    # --- reading ----------------------------------------------------------------------
    @staticmethod
    def _session(row: tuple) -> Session:
        return Session(
            id=row[0],
            session_date=dt.date.fromisoformat(row[1]),
            channel=row[2],
            phase=row[3],
            client_code=row[4],
            answers=json.loads(row[5]),
            note=row[6] or "",
            risk_band=row[7],
            duration_min=row[8],
            questionnaire_version=row[9] or 1,
            created_at=row[10] or "",
            client_answers=json.loads(row[11]) if row[11] else None,
            client_source=row[12],
            client_rated_at=row[13],
            parts=tuple(json.loads(row[14])) if row[14] else None,
        )

    def get(self, session_id: str) -> Session | None:
        rows = self._read(_SELECT + " WHERE s.id = ?", (session_id,))
        return self._session(rows[0]) if rows else None

    def sessions(self, client_code: str | None = None) -> list[Session]:
        """Sessions in date order (all, or those of one client code)."""
        order = " ORDER BY s.session_date, s.created_at, s.id"
        if client_code is None:
            rows = self._read(_SELECT + order)
        else:
            rows = self._read(_SELECT + " WHERE s.client_code = ?" + order, (client_code,))
        return [self._session(r) for r in rows]

    def latest_session(self, client_code: str | None = None) -> Session | None:
        """The last of ``sessions(client_code)``, read on its own: one row, however long the
        journal is."""
        where, args = (
            (" WHERE s.client_code = ?", (client_code,)) if client_code is not None else ("", ())
        )
        rows = self._read(
            _SELECT + where + " ORDER BY s.session_date DESC, s.created_at DESC, s.id DESC LIMIT 1",
            args,
        )
        return self._session(rows[0]) if rows else None

    def client_codes(self) -> list[str]:
        return [r[0] for r in self._read("SELECT DISTINCT client_code FROM sessions ORDER BY 1")]

    def count(self) -> int:
        return int(self._read("SELECT count(*) FROM sessions")[0][0])


def content_key(clean: Mapping[str, Any]) -> tuple:
    return (
        clean["client_code"],
        clean["session_date"].isoformat(),
        clean["channel"],
        clean["phase"],
        json.dumps(clean["answers"], sort_keys=True),
    )


def check_retention_months(months: object) -> None:
    """Raise ``JournalInvalid`` with a sentence unless ``months`` is a period the kit keeps."""
    if isinstance(months, bool) or not isinstance(months, int):
        raise JournalInvalid([_("The retention period should be a whole number of months.")])
    if not 1 <= months <= MAX_RETENTION_MONTHS:
        raise JournalInvalid(
            [
                _("The retention period should be 1 to {most} months.").format(
                    most=MAX_RETENTION_MONTHS
                )
            ]
        )


def _span(sessions: list[Session]) -> str:
    from ..i18n import _, day

    first, last = (
        day(d, "dd MMM y") for d in (sessions[0].session_date, sessions[-1].session_date)
    )
    if first == last:
        return _("of {date}").format(date=first)
    return _("from {first} to {last}").format(first=first, last=last)


def retention_notice(removed: list[Session], soon: list[Session], months: int) -> str:
    """What the retention setting just removed and what it removes within a month, in words
    (in the page's language: the officer reads it on the score and trends pages)."""
    from ..i18n import _

    parts = []
    if removed:
        parts.append(
            _(
                "{count} session(s) {span} were older than {months} months and were removed "
                "from your journal (your retention setting)."
            ).format(count=len(removed), span=_span(removed), months=months)
        )
    coming = [s for s in soon if s.id not in {r.id for r in removed}]
    if coming:
        parts.append(
            _(
                "{count} session(s) {span} pass the {months}-month retention period within 30 "
                "days and will then be removed; export them if you want to keep a copy."
            ).format(count=len(coming), span=_span(coming), months=months)
        )
    return " ".join(parts)


def clamp_retention(value: object) -> int:
    """A retention period from whatever was stored: out-of-range values are clamped, and
    anything that is not a whole number falls back to the default."""
    text = str(value).strip()
    if not re.fullmatch(r"[+-]?[0-9]+", text, re.ASCII):
        return DEFAULT_RETENTION_MONTHS
    # A long run of digits would hit Python's limit on int() of huge strings; it is huge anyway.
    months = int(text) if len(text) < 10 else (-1 if text[0] == "-" else MAX_RETENTION_MONTHS)
    return max(1, min(MAX_RETENTION_MONTHS, months))


def backups(path: Path) -> list[Path]:
    """The copies made before migrations (``glob.escape``: a journal may be named ``a[1]``)."""
    return sorted(path.parent.glob(f"{glob.escape(path.name)}.bak-v*"))


def _scrub_backups(path: Path, sql: str, args: tuple) -> None:
    """Apply a removal to every backup copy too, overwriting what it removes.

    A backup that cannot be opened as SQLite is left alone: it is not one the kit can read
    either, and deleting it would lose the one copy of an older journal.
    """
    args = tuple(a.isoformat() if isinstance(a, dt.date) else a for a in args)
    for copy in backups(path):
        try:
            conn = private_sqlite.connect(
                copy, pragmas=_SCRUB_PRAGMAS, timeout=DEFAULT_TIMEOUT, isolation_level=None
            )
        except sqlite3.Error:
            continue
        try:
            if conn.execute(sql, args).rowcount:
                conn.execute("VACUUM")
        except sqlite3.Error:
            pass
        finally:
            conn.close()


def _backup(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.bak-v{version}-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.bak-v{version}-{stamp}-{n}")
    dest = private_sqlite.connect(target)
    try:
        conn.backup(dest)
    finally:
        dest.close()
    return target


def _migrate(conn: sqlite3.Connection, path: Path) -> Path | None:
    """Bring the file to SCHEMA_VERSION, one transaction per step, after a backup copy."""
    backup: Path | None = None
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if 0 < version < SCHEMA_VERSION:
        # Outside the transaction: SQLite's backup cannot read through this connection's own
        # write lock. Two processes migrating at once may both make a copy; that is harmless.
        backup = _backup(conn, path, version)
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for step in range(version + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[step]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {step}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return backup


def open_journal(
    path: Path | str | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    apply_retention: bool = True,
    today: dt.date | None = None,
) -> Journal:
    """Open (creating when needed) the journal; migrate it; apply the retention rule.

    Raises ``JournalCorrupt``, ``JournalLocked`` or ``JournalTooNew`` (each with a
    ``sentence``) and leaves the file as it was.
    """
    path = Path(path).expanduser() if path else default_path()
    if path.exists():
        _check_header(path)
    try:
        conn = private_sqlite.connect(
            path, timeout=timeout, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as exc:
        raise _locked_or_corrupt(exc, path) from None
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise JournalTooNew(
                _(
                    "The journal {path} was written by a newer version of alliance-kit "
                    "(journal format {version}; this version knows up to {known}). Update "
                    "alliance-kit to open it. The file was left untouched."
                ).format(path=path, version=version, known=SCHEMA_VERSION),
                path,
            )
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        if version == 0 and tables:
            raise JournalCorrupt(
                _(
                    "The file {path} is an SQLite database but not an alliance-kit journal. It "
                    "was left untouched; choose another file."
                ).format(path=path),
                path,
            )
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise JournalCorrupt(
                _(
                    "The journal {path} is damaged ({reason}). It was left untouched; keep a "
                    "copy and restore an export, or choose another file."
                ).format(path=path, reason=check),
                path,
            )
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")
        # Migrate (and back up) before switching to WAL: the backup is the file as it was.
        backup = _migrate(conn, path) if version < SCHEMA_VERSION else None
        conn.execute("PRAGMA journal_mode = WAL")
    except JournalError:
        conn.close()
        raise
    except sqlite3.Error as exc:
        conn.close()
        raise _locked_or_corrupt(exc, path) from None
    journal = Journal(conn, path)
    journal.backup_path = backup
    if apply_retention:
        try:
            journal.removed_on_open = journal.apply_retention(today)
        except JournalError:
            journal.close()
            raise
    return journal
