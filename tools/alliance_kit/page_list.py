"""The list of pages (``modules/pages.yaml``), declared once: it drives the landing page and the
browser tests, and editors get its JSON Schema (``schemas/pages.schema.json``).

The list is content, not a page: it lives below ``pages/`` so the check and the tests read it
without importing any page.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated

import msgspec
from msgspec import Meta

from .content import (
    ContentError,
    Problem,
    display_path,
    read_yaml,
    register_checker,
    required_translations,
)
from .declared import Declared, convert, convert_file, ships_schema
from .i18n import N_, _
from .paths import SOURCE_LANGUAGE, modules_dir

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


class GroupText(Declared, frozen=True):
    id: str
    title: Text
    why: Text


class PageText(Declared, frozen=True):
    id: str
    title: Annotated[str, Meta(min_length=1, max_length=60)]
    summary: Annotated[str, Meta(min_length=1, max_length=160)]


class PageListText(Declared, frozen=True):
    """The words of the page list in another language (``modules/pages.<lang>.yaml``): the
    same ids, only the titles and descriptions differ."""

    groups: tuple[GroupText, ...] = ()
    pages: tuple[PageText, ...] = ()


def translation_file(lang: str) -> Path:
    return modules_dir() / f"pages.{lang}.yaml"


def _load_texts(lang: str) -> tuple[PageListText | None, list[Problem]]:
    path = translation_file(lang)
    if not path.is_file():
        return None, []
    where = display_path(path)
    try:
        return convert(read_yaml(path), PageListText, where), []
    except ContentError as exc:
        return None, [exc.problem]


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
    _page_list, good, problems = convert_file(
        data, PageList, where, {"groups": Group, "pages": Page}
    )
    groups = tuple(good.get("groups", ()))
    group_ids = {g.id for g in groups}
    pages: list[Page] = []
    for page in good.get("pages", ()):
        if page.group not in group_ids:
            problems.append(Problem(where, _("names a group that is not listed"), page.id, "group"))
            continue
        pages.append(page)
    return Registry(groups, tuple(pages), tuple(problems))


@lru_cache(maxsize=4)
def registry(lang: str = SOURCE_LANGUAGE) -> Registry:
    """The page list, its titles and descriptions in ``lang`` where it has them."""
    reg = _load()
    texts, _problems = _load_texts(lang) if lang != SOURCE_LANGUAGE else (None, [])
    if texts is None:
        return reg
    groups = {g.id: g for g in texts.groups}
    pages = {p.id: p for p in texts.pages}
    return Registry(
        tuple(
            msgspec.structs.replace(g, title=groups[g.id].title, why=groups[g.id].why)
            if g.id in groups
            else g
            for g in reg.groups
        ),
        tuple(
            msgspec.structs.replace(p, title=pages[p.id].title, summary=pages[p.id].summary)
            if p.id in pages
            else p
            for p in reg.pages
        ),
        reg.problems,
    )


@register_checker("pages", N_("the page list behind the landing page (modules/pages.yaml)"))
def check_pages() -> list[Problem]:
    reg = _load()
    problems = list(reg.problems)
    listed = {p.notebook for p in reg.pages}
    for nb in sorted(modules_dir().glob("*.ipynb")):
        if nb.name != "index.ipynb" and nb.name not in listed:
            problems.append(
                Problem(
                    display_path(nb),
                    _("is not listed in modules/pages.yaml, so no link leads to it"),
                )
            )
    for lang in required_translations():
        problems += _translation_problems(reg, lang)
    return problems


def _translation_problems(reg: Registry, lang: str) -> list[Problem]:
    """Every group and page has its words in ``lang``, and no id is unknown."""
    path = translation_file(lang)
    where = display_path(path)
    texts, problems = _load_texts(lang)
    if problems:
        return problems
    if texts is None:
        sentence = _("is missing: the page list has no %(language)s version") % {"language": lang}
        return [Problem(where, sentence)]
    for kind, known, given in (
        ("groups", {g.id for g in reg.groups}, [g.id for g in texts.groups]),
        ("pages", {p.id for p in reg.pages}, [p.id for p in texts.pages]),
    ):
        for missing in sorted(known - set(given)):
            sentence = _("has no %(language)s words for this") % {"language": lang}
            problems.append(Problem(where, sentence, missing, kind))
        for unknown in sorted(set(given) - known):
            problems.append(Problem(where, _("is not in modules/pages.yaml"), unknown, kind))
    return problems
