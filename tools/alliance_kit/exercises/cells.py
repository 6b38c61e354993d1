"""Reading an nbgrader notebook's cells and the course's small YAML files.

Below both the course checks (``course``) and the translated assignments (``translate``),
which each need them and one of which uses the other.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

#: Where a notebook says which language its text is in (``translate`` writes it).
METADATA_KEY = "alliance_kit"


def notebook_language(nb: Any) -> str:
    """The language a notebook's text is written in: a translated assignment's notebook says
    so in its metadata; any other notebook is English."""
    meta = nb.get("metadata", {}).get(METADATA_KEY, {})
    lang = meta.get("language") if isinstance(meta, dict) else None
    return lang if isinstance(lang, str) and lang else "en"


def nbgrader_meta(cell: Any) -> dict:
    return dict(cell.get("metadata", {}).get("nbgrader", {}) or {})


def graded_cells(nb: Any) -> Iterator[Any]:
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if meta.get("grade") or meta.get("task"):
            yield cell


def read_yaml_map(path: Path) -> dict:
    import yaml

    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return data if isinstance(data, dict) else {}
