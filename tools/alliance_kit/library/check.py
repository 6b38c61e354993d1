"""``alliance-kit check resources``: every resource file, the kit's own and the drop-in folders'."""

from __future__ import annotations

from ..content import Problem, register_checker
from .model import load_resources


@register_checker(
    "resources", "the resource library (resource_library/ and ALLIANCE_KIT_RESOURCES)"
)
def check_resources() -> list[Problem]:
    # Read the files themselves, not the index: the check must see the files as they are now.
    _, problems = load_resources()
    return problems
