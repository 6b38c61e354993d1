"""The resource library: guides, scripts and worksheets to use during a supervision session.

Other pages call it like this::

    from alliance_kit.library import search, get_resource

    found = search(characteristics=["trust"], channels=["phone"], phases=["intake"], limit=3)
    for hit in found.hits:
        print(hit.title, hit.minutes)
    resource = get_resource(found.hits[0].id)  # .html is rendered and sanitised

Importing this package is cheap (sqlite3 only): reading resource files (YAML, msgspec) and
rendering Markdown load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .index import LibraryIndex, default_index
from .model import FACETS, RESOURCES_ENV
from .results import Hit, SearchResult
from .search import get_resource, resource_languages, search

if TYPE_CHECKING:
    from .resource import Resource, Source

__all__ = [
    "FACETS",
    "RESOURCES_ENV",
    "Hit",
    "LibraryIndex",
    "Resource",
    "SearchResult",
    "Source",
    "default_index",
    "get_resource",
    "problems",
    "refresh",
    "resource_languages",
    "search",
]


def __getattr__(name: str) -> Any:
    """``Resource`` and ``Source`` load on first use (see ``model``)."""
    if name in ("Resource", "Source"):
        from . import resource

        return getattr(resource, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def refresh(force: bool = False) -> bool:
    """Look at the files now (instead of within a few seconds); True when the index was rebuilt."""
    return default_index().refresh(force=force)


def problems() -> list:
    """Problems found in the resource files when the index was last built."""
    return default_index().problems()
