"""Where the Learn content lives, and how a Learn content file is split into good items and
problems.

The engines (``texts``, ``quiz``, ``trainer``) share this loader so every Learn file reports
problems the same way: file, item and field, while the valid items still load.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..alliance import BY_ID
from ..content import (
    ContentError,
    Problem,
    definition_schema,
    display_path,
    load_schema,
    read_yaml,
    schema_problems,
    validate_items,
)
from ..paths import modules_dir


def learn_dir() -> Path:
    return modules_dir() / "content" / "learn"


def module_id(cid: str) -> str:
    """The page and reflection id of a module, e.g. ``learn_goals_and_conditions``."""
    return "learn_" + BY_ID[cid].id.replace("-", "_")


def load_listed(
    path: Path, kind: str, key: str, definition: str, seen_ids: set[str] | None = None
) -> tuple[list[dict], list[Problem]]:
    """Read a file shaped ``{key: [items]}``; return the valid items and every problem found."""
    where = display_path(path)
    try:
        data: Any = read_yaml(path)
    except ContentError as exc:
        return [], [exc.problem]
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        return [], [Problem(where, f"should be a mapping with a list under '{key}:'", None, key)]
    problems = schema_problems({**data, key: []}, load_schema(kind), where)
    good, item_problems = validate_items(
        where, data[key], definition_schema(kind, definition), seen_ids=seen_ids
    )
    return good, problems + item_problems
