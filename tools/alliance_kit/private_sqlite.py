"""Owner-only SQLite files: the journal, the saved reflections and the library index.

Everything the kit keeps for a person is private to that person's account, so a file is
created with mode 0o600 (and a missing folder above it with 0o700) *before* SQLite opens it:
SQLite would otherwise create it world-readable under a common umask, if only for a moment.
Each store keeps its own choices (pragmas, timeouts, transaction style, the sentences it shows)
and passes them in; what is here is only what every one of them needs.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from .paths import sqlite_uri

#: The first 16 bytes of every SQLite 3 database.
SQLITE_HEADER = b"SQLite format 3\x00"

#: What SQLite says of a file that really is damaged (or not a database at all). Any other
#: failure (a constraint, a full disk, a value it cannot store) is not the file's fault, and
#: calling the file damaged then would send its owner to restore a backup for nothing.
_DAMAGE = ("malformed", "not a database", "encrypted", "no such table", "no such column")

Failure = Literal["locked", "read-only", "duplicate", "damaged", "other"]


def _private_folder(folder: Path) -> None:
    """Create ``folder`` and any missing folder above it, each private to its owner."""
    missing = []
    while not folder.is_dir():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process made it meanwhile
            path.mkdir(mode=0o700)


def create_private(path: Path, *, new: bool = False, tighten: bool = False) -> bool:
    """Create ``path`` empty and owner-only unless it exists; True when it was created here.

    ``new`` refuses an existing file (``FileExistsError``), for a file that is built and then
    renamed into place. ``tighten`` also takes group and other access away from an existing
    file, for a store that only the kit ever writes.
    """
    _private_folder(path.parent)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600)
    except FileExistsError:
        if new:
            raise
        if tighten:
            with contextlib.suppress(OSError):  # a filesystem without POSIX modes
                path.chmod(0o600)
        return False
    os.close(fd)
    return True


def has_sqlite_header(path: Path) -> bool:
    """True when the file is empty or starts as an SQLite database does (``OSError`` when it
    cannot be read), so a store can refuse some other file before SQLite touches it."""
    with open(path, "rb") as fh:
        head = fh.read(len(SQLITE_HEADER))
    return not head or head == SQLITE_HEADER


def connect(
    path: Path | str,
    *,
    pragmas: Iterable[str] = (),
    timeout: float = 5.0,
    read_only: bool = False,
    new: bool = False,
    tighten: bool = False,
    **options: Any,
) -> sqlite3.Connection:
    """Open ``path`` (creating it owner-only first, unless ``read_only``) and run ``pragmas``,
    each a ``"name = value"`` string, in order.

    ``options`` go to ``sqlite3.connect`` (``isolation_level``, ``check_same_thread``). A
    read-only connection goes through ``paths.sqlite_uri``, so a data folder whose name holds
    ``#``, ``?`` or ``%`` still opens. A failing pragma closes the connection before raising.
    """
    path = Path(path)
    if read_only:
        conn = sqlite3.connect(sqlite_uri(path, mode="ro"), uri=True, timeout=timeout, **options)
    else:
        create_private(path, new=new, tighten=tighten)
        conn = sqlite3.connect(str(path), timeout=timeout, **options)
    try:
        for pragma in pragmas:
            conn.execute(f"PRAGMA {pragma}")
    except BaseException:
        conn.close()
        raise
    return conn


def vacuum_quietly(conn: sqlite3.Connection) -> None:
    """Rewrite the file so removed rows leave no trace in free pages; a file that is busy
    keeps them overwritten by ``secure_delete`` all the same, so a failure here is not one."""
    with contextlib.suppress(sqlite3.Error):
        conn.execute("VACUUM")


def failure(exc: sqlite3.Error) -> Failure:
    """What kind of failure an SQLite error is, for the store to word its own sentence."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return "locked"
    if isinstance(exc, sqlite3.OperationalError) and "readonly" in text.replace(" ", ""):
        return "read-only"
    if isinstance(exc, sqlite3.IntegrityError):
        return "duplicate"
    if any(word in text for word in _DAMAGE):
        return "damaged"
    return "other"
