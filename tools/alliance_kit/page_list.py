"""The list of pages (``modules/pages.yaml``): drives the landing page and the browser tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from . import schema as _schema
from .content import (
    ContentError,
    Problem,
    display_path,
    load_schema,
    read_yaml,
    register_checker,
    schema_problems,
)
from .paths import modules_dir


@dataclass(frozen=True)
class Group:
    id: str
    title: str
    why: str


@dataclass(frozen=True)
class Page:
    id: str
    notebook: str
    group: str
    title: str
    summary: str
    expect: tuple[str, ...] = field(default_factory=tuple)

    @property
    def exists(self) -> bool:
        return (modules_dir() / self.notebook).is_file()


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
    path = modules_dir() / "pages.yaml"
    where = display_path(path)
    try:
        data = read_yaml(path)
    except ContentError as exc:
        return Registry((), (), (exc.problem,))
    problems = schema_problems(data, load_schema("pages"), where)
    if not isinstance(data, dict):
        return Registry((), (), tuple(problems))
    groups = tuple(
        Group(g["id"], g["title"], g["why"])
        for g in data.get("groups") or []
        if isinstance(g, dict) and {"id", "title", "why"} <= g.keys()
    )
    group_ids = {g.id for g in groups}
    pages: list[Page] = []
    seen: set[str] = set()
    for raw in data.get("pages") or []:
        if not isinstance(raw, dict) or _schema.errors(raw, load_schema("pages")["$defs"]["page"]):
            continue
        if raw["group"] not in group_ids:
            problems.append(Problem(where, "names a group that is not listed", raw["id"], "group"))
            continue
        if raw["id"] in seen:
            problems.append(Problem(where, "duplicate id (ids must be unique)", raw["id"], "id"))
            continue
        seen.add(raw["id"])
        pages.append(
            Page(
                raw["id"],
                raw["notebook"],
                raw["group"],
                raw["title"],
                raw["summary"],
                tuple(raw.get("expect", ())),
            )
        )
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
