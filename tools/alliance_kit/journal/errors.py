"""Failures of the journal store, each with a sentence an officer can act on.

Pages and commands show ``exc.sentence``; the file in question is never overwritten when one
of these is raised, so nothing the officer recorded is lost by trying again later.
"""

from __future__ import annotations

from pathlib import Path


class JournalError(Exception):
    """Base class: ``sentence`` is what the user sees."""

    def __init__(self, sentence: str, path: Path | None = None) -> None:
        super().__init__(sentence)
        self.sentence = sentence
        self.path = path


class JournalCorrupt(JournalError):
    """The file is not a readable journal (damaged, or some other file)."""


class JournalLocked(JournalError):
    """Another program holds the file; trying again later may work."""


class JournalTooNew(JournalError):
    """The file was written by a newer alliance-kit; this version must not touch it."""


class JournalInvalid(JournalError, ValueError):
    """A record breaks the rules (missing answer, date in the future...)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems
