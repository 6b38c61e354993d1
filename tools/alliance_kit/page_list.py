"""The list of pages (``modules/pages.yaml``), declared once: it drives the landing page and the
browser tests, and editors get its JSON Schema (``schemas/pages.schema.json``).

The list is content, not a page: it lives below ``pages/`` so the check and the tests read it
without importing any page.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated

from msgspec import Meta

from .content import ContentError, Problem, display_path, read_yaml, register_checker
from .declared import Declared, convert_file, ships_schema
from .paths import modules_dir

Text = Annotated[str, Meta(min_length=1)]


class Group(Declared, frozen=True):
    """A group of pages on the landing page: what the user came to do."""

    id: Annotated[str, Meta(pattern="^[a-z][a-z0-9-]*$")]
    title: Text
    why: Text


class Page(Declared, frozen=True):
    """One page: its notebook, where it is listed and what shows once it is ready."""

    id: Annotated[str, Meta(pattern="^[a-z][a-z0-9_]*$")]
    notebook: Annotated[str, Meta(pattern=r"^[a-z][a-z0-9_]*\.ipynb$")]
    group: Text
    title: Annotated[str, Meta(min_length=1, max_length=60)]
    summary: Annotated[str, Meta(min_length=1, max_length=160)]
    expect: Annotated[
        tuple[Text, ...],
        Meta(
            description="CSS selectors that must become visible once the page is ready "
            "(browser tests)."
        ),
    ] = ()

    @property
    def exists(self) -> bool:
        return (modules_dir() / self.notebook).is_file()


@ships_schema("pages")
class PageList(Declared, frozen=True):
    """alliance-kit page registry (modules/pages.yaml)."""

    groups: Annotated[tuple[Group, ...], Meta(min_length=1)]
    pages: Annotated[tuple[Page, ...], Meta(min_length=1)]


@dataclass(frozen=True)
class Registry:
    groups: tuple[Group, ...]
    pages: tuple[Page, ...]
    problems: tuple[Problem, ...]

    def available(self) -> list[Page]:
        """Pages whose notebook ships with this kit, in registry order."""
        return [p for p in self.pages if p.exists]

    def by_group(self) -> list[tuple[Group, list[Page]]]:
        pages = self.available()
        return [(g, [p for p in pages if p.group == g.id]) for g in self.groups]


def _load() -> Registry:
    """The good groups and pages, and a problem for each one left out."""
    path = modules_dir() / "pages.yaml"
    where = display_path(path)
    try:
        data = read_yaml(path)
    except ContentError as exc:
        return Registry((), (), (exc.problem,))
    _, good, problems = convert_file(data, PageList, where, {"groups": Group, "pages": Page})
    groups = tuple(good.get("groups", ()))
    group_ids = {g.id for g in groups}
    pages: list[Page] = []
    for page in good.get("pages", ()):
        if page.group not in group_ids:
            problems.append(Problem(where, "names a group that is not listed", page.id, "group"))
            continue
        pages.append(page)
    return Registry(groups, tuple(pages), tuple(problems))


@lru_cache(maxsize=1)
def registry() -> Registry:
    return _load()


@register_checker("pages", "the page list behind the landing page (modules/pages.yaml)")
def check_pages() -> list[Problem]:
    reg = _load()
    problems = list(reg.problems)
    listed = {p.notebook for p in reg.pages}
    for nb in sorted(modules_dir().glob("*.ipynb")):
        if nb.name != "index.ipynb" and nb.name not in listed:
            problems.append(
                Problem(
                    display_path(nb), "is not listed in modules/pages.yaml, so no link leads to it"
                )
            )
    return problems
