"""Argument types with bounds, so every command answers a wild value with one sentence.

argparse turns an ``ArgumentTypeError`` into "alliance-kit CMD: error: argument --X: <sentence>"
and exit status 2, never a traceback. Each bound is what the command can actually use: a
group size a server can hold, a port that exists, a name that stays inside the course folder.
"""

from __future__ import annotations

import argparse
import math
import re
from collections.abc import Callable

from ..i18n import _

#: Longer than any number a bound here allows; the rest is not read (int() of thousands of
#: digits is slow, and refuses past 4,300 digits).
_MAX_NUMBER_CHARS = 20
_WHOLE = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def _shown(text: str, limit: int = 30) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def whole_number(low: int, high: int, unit: str = "") -> Callable[[str], int]:
    """An argparse ``type``: a whole number from ``low`` to ``high`` (of ``unit``)."""
    span = _("{low} to {high}").format(low=low, high=high) + (f" {unit}" if unit else "")

    def parse(text: str) -> int:
        text = text.strip()
        if len(text) > _MAX_NUMBER_CHARS or not _WHOLE.fullmatch(text):
            raise argparse.ArgumentTypeError(
                _("{text} is not a whole number from {span}").format(text=_shown(text), span=span)
            )
        value = int(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                _("{value} is out of range; give {span}").format(value=value, span=span)
            )
        return value

    return parse


def number(low: float, high: float) -> Callable[[str], float]:
    """An argparse ``type``: a number (decimals allowed) from ``low`` to ``high``."""

    def parse(text: str) -> float:
        text = text.strip()
        if len(text) > _MAX_NUMBER_CHARS or not _DECIMAL.fullmatch(text):
            raise argparse.ArgumentTypeError(
                _("{text} is not a number from {low} to {high}").format(
                    text=_shown(text), low=f"{low:g}", high=f"{high:g}"
                )
            )
        value = float(text)
        if not math.isfinite(value) or not low <= value <= high:
            raise argparse.ArgumentTypeError(
                _("{value} is out of range; give {low} to {high}").format(
                    value=f"{value:g}", low=f"{low:g}", high=f"{high:g}"
                )
            )
        return value

    return parse


def name(max_chars: int, what: str) -> Callable[[str], str]:
    """An argparse ``type``: a short name of letters, digits, ``-``, ``_`` and ``.`` that
    cannot climb out of a folder (no ``/``, no ``..``)."""

    def parse(text: str) -> str:
        if len(text) > max_chars:
            raise argparse.ArgumentTypeError(
                _("{text} is {length:,} characters long; {what} has at most {most}").format(
                    text=_shown(text), length=len(text), what=what, most=max_chars
                )
            )
        if not _NAME.fullmatch(text) or ".." in text:
            raise argparse.ArgumentTypeError(
                _(
                    "{text} is not a usable {what}: use letters, digits, '-', '_' and '.' only"
                ).format(text=_shown(text), what=what)
            )
        return text

    return parse


def text(max_chars: int, what: str) -> Callable[[str], str]:
    """An argparse ``type``: free text of at most ``max_chars`` characters."""

    def parse(value: str) -> str:
        if len(value) > max_chars:
            raise argparse.ArgumentTypeError(
                _("{what} is {length:,} characters long; keep it to {most:,}").format(
                    what=what, length=len(value), most=max_chars
                )
            )
        return value

    return parse
