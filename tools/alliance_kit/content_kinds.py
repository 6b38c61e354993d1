"""The content kinds the kit ships, each registering its own check when imported.

``alliance-kit check`` and the tests import this module; ``content`` stays below every kind.
A new content kind adds its module here.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from .content import Checker, Problem, checkers
from .content import run_checks as _run_checks
from .content import run_notes as _run_notes

#: Modules that register a checker on import.
KIND_MODULES: tuple[str, ...] = (
    "alliance_kit.pages.registry",
    "alliance_kit.library.check",
    "alliance_kit.scenarios",
    "alliance_kit.channel_model",
    "alliance_kit.learn.checks",
    "alliance_kit.questionnaire",
    "alliance_kit.bibliography",
    "alliance_kit.citations",
    "alliance_kit.translations",
)


def all_checkers() -> dict[str, tuple[str, Checker]]:
    """Every shipped kind's checker, by kind."""
    for module in KIND_MODULES:
        importlib.import_module(module)
    return checkers()


def run_checks(kinds: Iterable[str] = ()) -> dict[str, list[Problem]]:
    """Run the named kinds' checks (all when none are named)."""
    all_checkers()
    return _run_checks(kinds)


def run_notes(kinds: Iterable[str] = ()) -> dict[str, list[str]]:
    """The named kinds' review notes (all when none are named)."""
    all_checkers()
    return _run_notes(kinds)
