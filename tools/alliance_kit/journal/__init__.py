"""The officer's private journal of scored sessions (see ``store`` for why it is built so).

pandas is not imported here: the form that writes a session must open fast; the analysis in
``journal.analysis`` imports it when an overview is drawn.
"""

from __future__ import annotations

from .errors import JournalCorrupt, JournalError, JournalInvalid, JournalLocked, JournalTooNew
from .models import CLIENT_SOURCES, RISK_BANDS, Session, validate_session
from .store import (
    DEFAULT_RETENTION_MONTHS,
    SCHEMA_VERSION,
    Journal,
    default_path,
    months_before,
    open_journal,
)

__all__ = [
    "CLIENT_SOURCES",
    "DEFAULT_RETENTION_MONTHS",
    "RISK_BANDS",
    "SCHEMA_VERSION",
    "Journal",
    "JournalCorrupt",
    "JournalError",
    "JournalInvalid",
    "JournalLocked",
    "JournalTooNew",
    "Session",
    "default_path",
    "months_before",
    "open_journal",
    "validate_session",
]
