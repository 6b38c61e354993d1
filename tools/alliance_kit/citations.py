"""Every citation in the content, checked against the bibliography.

A check of its own, above both the bibliography and the resource library: resources cite
bibliography entries, so the bibliography cannot know the library without a circle.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .bibliography import bibliography_file, load_bibliography
from .content import (
    ContentError,
    Problem,
    display_path,
    read_yaml,
    register_checker,
    register_notes,
)
from .i18n import N_, _
from .library.model import load_resources
from .paths import modules_dir


@dataclass(frozen=True)
class Citation:
    """One id in one ``cites:`` list, located like a Problem."""

    file: str
    item: str | None
    field: str
    id: str


def _walk(
    data: Any, path: str = "", item: str | None = None
) -> Iterator[tuple[str | None, str, str]]:
    """(item, field, id) for every ``cites`` list anywhere in a parsed content file."""
    if isinstance(data, dict):
        here = str(data["id"]) if isinstance(data.get("id"), str) else item
        for key, value in data.items():
            sub = f"{path}.{key}" if path else str(key)
            if key == "cites" and isinstance(value, list):
                for i, cited in enumerate(value):
                    yield here, f"{sub}[{i}]", str(cited)
            else:
                yield from _walk(value, sub, here)
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _walk(value, f"{path}[{i}]", item)


def _content_files() -> list[Path]:
    content = modules_dir() / "content"
    files = [content / "channel_model.yaml", content / "learn" / "practice_items.yaml"]
    for folder in ("learn/texts", "learn/questions", "scenarios"):
        files += sorted((content / folder).glob("*.y*ml"))
    return [f for f in files if f.is_file()]


def citations() -> list[Citation]:
    """Every citation in the YAML content and the resource library (files that cannot be read
    are left to their own checkers)."""
    found: list[Citation] = []
    for path in _content_files():
        try:
            data = read_yaml(path)
        except ContentError:
            continue
        where = display_path(path)
        found += [Citation(where, item, fld, cid) for item, fld, cid in _walk(data)]
    resources, _problems = load_resources()
    for resource in resources:
        found += [Citation(resource.path, resource.id, "cites", cid) for cid in resource.cites]
    return found


def _listed_ids(path: Path) -> set[str]:
    try:
        data = read_yaml(path)
    except ContentError:
        return set()
    refs = data.get("references") if isinstance(data, dict) else None
    return {str(r["id"]) for r in refs or () if isinstance(r, dict) and r.get("id")}


@register_checker("bibliography", N_("the bibliography and every citation (cites:) in the content"))
def check_bibliography() -> list[Problem]:
    known, problems = load_bibliography()
    if not known and problems:
        return problems
    bib = display_path(bibliography_file())
    listed = _listed_ids(bibliography_file())
    for cited in citations():
        if cited.id in known or cited.id in listed:
            continue  # a listed but broken entry is reported once, above, not at every use
        close = difflib.get_close_matches(cited.id, list(known), n=1)
        hint = _(" (did you mean %(id)r?)") % {"id": close[0]} if close else ""
        problems.append(
            Problem(
                cited.file,
                _("cites %(id)r, which is not in the bibliography (%(file)s)%(hint)s")
                % {"id": cited.id, "file": bib, "hint": hint},
                cited.item,
                cited.field,
            )
        )
    return problems


@register_notes("bibliography")
def unused_references() -> list[str]:
    """Entries nothing cites: kept for a reason, or to be dropped."""
    known, _problems = load_bibliography()
    used = {c.id for c in citations()}
    return [
        _("%(id)s (%(short)s) is not cited by any content")
        % {"id": ref_id, "short": known[ref_id].short}
        for ref_id in sorted(set(known) - used)
    ]
