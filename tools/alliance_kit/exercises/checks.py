"""Autograder helpers: a failing test tells the student what is wrong in a sentence.

A bare ``assert answer == expected`` shows the student ``AssertionError`` and nothing else, which
teaches nothing and floods the educator with "what did I do wrong?" mail. Every helper here
raises ``AssertionError`` with a sentence that says what was expected and, where it does not
give the answer away, a hint. Only the standard library and the kit's vocabulary are imported:
these run in every autograded notebook, and the kernel start is the cost students wait for.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from ..alliance import CHARACTERISTIC_IDS as CHARACTERISTICS


class Mismatch(AssertionError):
    """A test failure worded for the student (still an AssertionError for nbgrader)."""

    def _render_traceback_(self) -> list[str]:
        # IPython shows this instead of the frames. The frames only lead into the kit's own
        # code, and formatting them (reading and highlighting its source) cost a failing
        # notebook up to half a second of autograding; the sentence is what the student needs.
        return [f"{type(self).__name__}: {self}"]


def _fail(message: str, hint: str | None = None) -> None:
    text = message if not hint else f"{message}\nHint: {hint}"
    raise Mismatch(text)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def check_type(value: Any, expected: type | tuple[type, ...], name: str) -> None:
    if not isinstance(value, expected):
        names = (
            " or ".join(t.__name__ for t in expected)
            if isinstance(expected, tuple)
            else expected.__name__
        )
        _fail(f"`{name}` should be a {names}, but it is a {type(value).__name__}: {_show(value)}.")


def check_equal(
    actual: Any, expected: Any, hint: str | None = None, name: str = "Your answer"
) -> None:
    """``actual == expected`` or a sentence saying what was given and what was expected."""
    if actual != expected:
        _fail(f"{name} is {_show(actual)}, but {_show(expected)} was expected.", hint)


def check_close(
    actual: Any,
    expected: float,
    hint: str | None = None,
    name: str = "Your answer",
    tol: float = 0.01,
) -> None:
    """A number within ``tol`` of ``expected`` (rounding differences are not mistakes)."""
    try:
        value = float(actual)
    except (TypeError, ValueError):
        _fail(f"{name} should be a number, but it is {_show(actual)}.", hint)
        return
    if math.isnan(value) or abs(value - expected) > tol:
        _fail(f"{name} is {value:.3f}, which is not close enough to the expected value.", hint)


def check_one_of(value: Any, allowed: Iterable[str], name: str, hint: str | None = None) -> None:
    """A value from a fixed vocabulary, with the valid values listed when it is not."""
    allowed = tuple(allowed)
    if value not in allowed:
        close = [a for a in allowed if isinstance(value, str) and value.lower().strip() in a]
        extra = f" Did you mean {close[0]!r}?" if close else ""
        _fail(f"{name} is {_show(value)}, which is not one of: {', '.join(allowed)}.{extra}", hint)


def check_characteristic(value: Any, name: str) -> None:
    check_one_of(
        value,
        CHARACTERISTICS,
        name,
        "use the kit's ids, in lower case with hyphens, e.g. 'goals-and-conditions'.",
    )


def check_keys(mapping: Any, expected: Iterable[str], name: str) -> None:
    """A dict with exactly the expected keys: lists the missing and the unexpected ones."""
    check_type(mapping, dict, name)
    expected = list(expected)
    missing = [k for k in expected if k not in mapping]
    extra = [k for k in mapping if k not in expected]
    if missing:
        _fail(f"`{name}` has no entry for: {', '.join(map(str, missing))}.")
    if extra:
        _fail(f"`{name}` has entries that are not asked for: {', '.join(map(str, extra))}.")


def check_mapping(
    actual: Mapping[str, Any],
    expected: Mapping[str, Any],
    name: str,
    hints: Mapping[str, str] | None = None,
    reveal: bool = True,
) -> None:
    """Compare answers key by key and name every wrong one (with its own hint if given).

    With ``reveal=False`` (hidden tests) the message says how many are wrong but not which
    answer was expected, so the feedback does not hand out the answers to the next cohort.
    """
    wrong = [k for k in expected if actual.get(k) != expected[k]]
    if not wrong:
        return
    if not reveal:
        _fail(
            f"{len(wrong)} of {len(expected)} answers in `{name}` ({', '.join(wrong)}) are not "
            "what the research would call them.",
            "read the one-line description of each characteristic again, and ask what is at "
            "stake in the line, not which word it uses.",
        )
    lines = [f"{len(wrong)} of {len(expected)} answers in `{name}` are not right:"]
    for key in wrong:
        line = f"  - {key}: you said {_show(actual.get(key))}"
        if hints and key in hints:
            line += f"; {hints[key]}"
        lines.append(line)
    _fail("\n".join(lines))


def check_same_items(
    actual: Iterable[Any], expected: Iterable[Any], name: str, hint: str | None = None
) -> None:
    """The same items in any order; says how many are missing or extra without listing them."""
    got, want = set(actual), set(expected)
    if got != want:
        _fail(
            f"`{name}` has {len(got & want)} of the {len(want)} expected items "
            f"({len(want - got)} missing, {len(got - want)} that should not be there).",
            hint,
        )


def check_true(condition: bool, message: str, hint: str | None = None) -> None:
    """The general case: a condition and the sentence to show when it does not hold."""
    if not condition:
        _fail(message, hint)
