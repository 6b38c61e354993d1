"""Regular expressions compiled on their first use instead of when their module is imported.

The privacy checks hold a few dozen long patterns that cost a new kernel about 10 ms to
compile, while a page only needs them once a visitor types a note or a client code. A
:class:`Pattern` reads like the module-level ``re.compile`` it replaces and answers every
method of the compiled pattern.
"""

from __future__ import annotations

import re
from typing import Any


class Pattern:
    """``re.compile(pattern, flags)``, done when a method is first asked for."""

    __slots__ = ("_compiled", "_flags", "_source")

    def __init__(self, source: str, flags: int | re.RegexFlag = 0) -> None:
        self._source = source
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self._source, self._flags)
        return self._compiled

    def __getattr__(self, name: str) -> Any:
        return getattr(self.compiled(), name)

    def __repr__(self) -> str:
        return f"lazy {self.compiled()!r}"


def compile(source: str, flags: int | re.RegexFlag = 0) -> Pattern:
    """What the module-level ``re.compile`` calls become."""
    return Pattern(source, flags)
