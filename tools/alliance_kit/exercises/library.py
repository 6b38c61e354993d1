"""The resource library's tags, read the quick way for the resource-choice exercise.

The library page builds a search index; an autograded notebook needs only each resource's id
and tags, so this reads just the YAML front matter (between the ``---`` lines) of
``resource_library/*.md``. Tests check students' choices against these tags, so the exercise
stays right when the library grows, and an id that does not exist gets a clear message.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import front_matter
from ..content import ContentError
from .checks import _fail


@dataclass(frozen=True)
class ResourceTags:
    id: str
    title: str
    characteristics: tuple[str, ...]
    channels: tuple[str, ...]
    phases: tuple[str, ...]


def library_dir() -> Path:
    from ..paths import resource_library_dir

    return resource_library_dir()


@lru_cache(maxsize=4)
def _load(folder: str) -> dict[str, ResourceTags]:
    found: dict[str, ResourceTags] = {}
    for path in sorted(Path(folder).glob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        try:
            data, _ = front_matter.read(path, path.name)
        except ContentError:
            continue  # `alliance-kit check library` reports broken files; skip them here
        if not isinstance(data.get("id"), str):
            continue
        found[data["id"]] = ResourceTags(
            data["id"],
            str(data.get("title", data["id"])),
            tuple(data.get("characteristics") or ()),
            tuple(data.get("channels") or ()),
            tuple(data.get("phases") or ()),
        )
    return found


def resources(folder: Path | None = None) -> dict[str, ResourceTags]:
    """Every resource of the library by id."""
    return _load(str(folder or library_dir()))


def resource(resource_id: str, folder: Path | None = None) -> ResourceTags:
    """One resource; a wrong id fails with the closest existing ids as a suggestion."""
    known = resources(folder)
    if resource_id not in known:
        close = difflib.get_close_matches(str(resource_id), list(known), n=2)
        hint = (
            f"did you mean {' or '.join(map(repr, close))}?"
            if close
            else ("run `show_library()` to see every id.")
        )
        _fail(f"There is no resource with the id {resource_id!r} in the library.", hint)
    return known[resource_id]


def show_library(folder: Path | None = None) -> None:
    """Print the library as a table of ids and tags, for students to choose from."""
    rows = sorted(resources(folder).values(), key=lambda r: r.id)
    width = max((len(r.id) for r in rows), default=2)
    print(f"{'id'.ljust(width)}  characteristics / channels / phases")
    for r in rows:
        print(
            f"{r.id.ljust(width)}  {', '.join(r.characteristics)} / {', '.join(r.channels)} / "
            f"{', '.join(r.phases)}"
        )
