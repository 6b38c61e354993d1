"""The kit's one bibliography, and the check that every citation in the content resolves.

Content files cite by id (a ``cites:`` list) instead of writing references out, so a reference
is corrected once and every page that cites it shows the correction. ``alliance-kit check
bibliography`` refuses an id that is not in the bibliography and a reference without a title or
a year, and lists entries that nothing cites (a note, not a failure: a reviewer decides whether
to cite or drop them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
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
)
from .declared import (
    EMPTY,
    MISSING,
    Declared,
    convert_items,
    problem,
    ships_schema,
    without,
)
from .i18n import _
from .paths import modules_dir


def bibliography_file() -> Path:
    return modules_dir() / "content" / "bibliography.yaml"


ReferenceId = Annotated[
    str,
    Meta(
        pattern="^[a-z0-9][a-z0-9-]*$",
        max_length=80,
        description="What content files write in their cites: list.",
    ),
]
#: A ``cites:`` list as every content kind declares it; the kind's ``__post_init__`` calls
#: :func:`no_repeats`, since msgspec has no rule for repeated entries.
Cites = Annotated[
    tuple[ReferenceId, ...],
    Meta(
        min_length=1,
        description="Ids of entries in modules/content/bibliography.yaml.",
        extra_json_schema={"uniqueItems": True},
    ),
]
_Text = Annotated[str, Meta(min_length=1)]


def no_repeats(values: Iterable[str], name: str) -> None:
    """Refuse a list that names one entry twice (a citation listed twice reads as a typo)."""
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(
                _("%(name)s lists %(value)r more than once") % {"name": name, "value": value}
            )
        seen.add(value)


class Reference(Declared, frozen=True):
    """One entry of the bibliography, formatted the two ways pages need."""

    id: ReferenceId
    authors: Annotated[
        tuple[_Text, ...],
        Meta(
            min_length=1,
            description="People as 'Surname, I.', or the organisation, as the source names them.",
        ),
    ]
    year: Annotated[
        Annotated[int, Meta(ge=1900, le=2100)]
        | Annotated[str, Meta(pattern="^[12][0-9]{3}(-([0-9]{2}|[12][0-9]{3}))?$")],
        Meta(description="The year, or a span such as 2020-21 when the source gives no one year."),
    ]
    title: _Text
    journal: _Text = ""
    publisher: _Text = ""
    volume: _Text = ""
    issue: _Text = ""
    pages: _Text = ""
    doi: Annotated[str, Meta(pattern="^10\\.[0-9]{4,9}/[^\\s]+$")] = ""
    url: Annotated[str, Meta(pattern="^https?://[^\\s]+$")] = ""
    note: _Text = ""
    label: Annotated[
        str,
        Meta(
            min_length=1,
            max_length=60,
            description="Who, for author-year text, when the authors are an organisation with a "
            "long name (the year is added).",
        ),
    ] = ""

    def __post_init__(self) -> None:
        # Pages show the year as text (2021 or 2020-21) and text without stray spaces.
        msgspec.structs.force_setattr(self, "year", str(self.year))
        for name in ("title", "journal", "publisher", "volume", "issue", "pages", "note"):
            msgspec.structs.force_setattr(self, name, getattr(self, name).strip())

    @property
    def short(self) -> str:
        """Author-year form for running text and tables: 'Sturm et al. 2021'."""
        if self.label:
            return f"{self.label} {self.year}"
        people = [a for a in self.authors if a != "et al."]
        surnames = [a.split(",")[0].strip() if _is_person(a) else a for a in people]
        if len(surnames) >= 3 or (len(surnames) < len(self.authors)):
            who = f"{surnames[0]} et al."
        elif len(surnames) == 2:
            who = f"{surnames[0]} & {surnames[1]}"
        else:
            who = surnames[0]
        return f"{who} {self.year}"

    @property
    def full(self) -> str:
        """The whole reference, in the usual author (year). Title. Where. order."""
        names = list(self.authors)
        if len(names) > 1 and names[-1] != "et al.":
            names[-1] = "& " + names[-1]
        who = ", ".join(names).replace(", et al.", " et al.")
        where = self.journal or self.publisher
        if self.journal and self.publisher:
            where = f"{self.journal}. {self.publisher}"
        if self.volume:
            where += f", {self.volume}" + (f"({self.issue})" if self.issue else "")
        if self.pages:
            where += f", {self.pages}"
        title = self.title if self.title.endswith(("?", "!", ".")) else self.title + "."
        text = f"{who} ({self.year}). {title}"
        if where:
            text += f" {where}."
        if self.doi:
            text += f" doi:{self.doi}"
        return text

    @property
    def link(self) -> str | None:
        """Where a reader can find the work: the DOI resolver first, else the public page."""
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return self.url or None


@ships_schema("bibliography")
class BibliographyFile(Declared, frozen=True):
    """alliance-kit bibliography (modules/content/bibliography.yaml)."""

    references: Annotated[list[Reference], Meta(min_length=1)]


_HEAD = without(BibliographyFile, ["references"])


def _is_person(author: str) -> bool:
    """'Sturm, A.' is a person; 'HM Inspectorate of Probation' is an organisation."""
    _, _, initials = author.partition(",")
    return re.fullmatch(r"(\s*[A-Z][a-z]?\.)+", initials) is not None


def load_bibliography(path: Path | None = None) -> tuple[dict[str, Reference], list[Problem]]:
    """Every valid reference by id, and the problems of the ones left out."""
    path = path if path is not None else bibliography_file()
    where = display_path(path)
    try:
        data = read_yaml(path)
    except ContentError as exc:
        return {}, [exc.problem]
    if not isinstance(data, dict) or not isinstance(data.get("references"), list):
        try:
            msgspec.convert(data, BibliographyFile, strict=True)
        except msgspec.ValidationError as exc:
            return {}, [problem(exc, data, where, None)]
    good, problems = convert_items(where, data["references"], Reference)
    problems = [_plain(p) for p in problems]
    head = {k: v for k, v in data.items() if k != "references"}
    # The file's own fields apart from its entries, then the whole file when nothing else is
    # wrong (an empty list shows only there).
    for part, kind in ((head, _HEAD), (data, BibliographyFile)):
        try:
            msgspec.convert(part, kind, strict=True)
        except msgspec.ValidationError as exc:
            problems.append(problem(exc, part, where, None))
        if problems:
            break
    return {ref.id: ref for ref in good}, problems


def _plain(problem: Problem) -> Problem:
    """Say what a missing title or year means, instead of the schema's bare 'is missing'."""
    field = problem.field or ""
    if field.rsplit(".", 1)[-1] in ("title", "year") and problem.code in (MISSING, EMPTY):
        what = field.rsplit(".", 1)[-1]
        return Problem(
            problem.file,
            _("has no %(field)s; every reference needs a title and a year") % {"field": what},
            problem.item,
            problem.field,
        )
    return problem


def bibliography() -> dict[str, Reference]:
    """The bibliography pages resolve citations with; read again only when the file changes,
    so an educator's correction shows at the next page start."""
    path = bibliography_file()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return {}
    return _read_cached(str(path), stamp)


@lru_cache(maxsize=4)
def _read_cached(path: str, stamp: int) -> dict[str, Reference]:
    return load_bibliography(Path(path))[0]


def references(ids: Iterable[str]) -> list[Reference]:
    """The references for ``ids`` in the order given; an unknown id is skipped (the check
    reports it), so a page never fails over a citation."""
    known = bibliography()
    return [known[i] for i in ids if i in known]


def cite_label(ids: Iterable[str]) -> str:
    """Short author-year labels for running text: 'Sturm et al. 2021; Dominey et al. 2021'."""
    return "; ".join(ref.short for ref in references(ids))
