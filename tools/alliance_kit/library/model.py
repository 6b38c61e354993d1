"""A resource as the kit knows it: Markdown with YAML front matter, validated against a schema.

Resources come from two places: the kit's own ``resource_library/`` and, optionally, an
organisation's folder named by ``ALLIANCE_KIT_RESOURCES`` (several folders separated by the
platform's path separator). A resource may have translations: a file whose front matter names
``translation_of: <id>`` (the kit keeps them in ``resource_library/<language>/``). A translation
carries only what is read (title, summary, keywords, body) and takes its id, facets, minutes and
citations from the original, so links, journal prompts and filters never depend on the language
and the versions cannot drift apart. A broken file becomes a ``Problem`` naming the file and
the field, and every other file still loads: an officer in a session must never lose the whole
library because a colleague left a typo in one file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .. import front_matter
from ..alliance import CHANNELS, CHARACTERISTICS, PHASES
from ..content import ContentError, Problem, display_path, load_schema, schema_problems
from ..paths import resource_library_dir

RESOURCES_ENV = "ALLIANCE_KIT_RESOURCES"
#: Languages named here (comma-separated, e.g. ``nl``) make a resource without a version in
#: them a problem for ``alliance-kit check``; otherwise missing translations are a note.
#: Languages the library searches with their own stemmer, in facet (bit) order.
LANGUAGES: dict[str, str] = {"en": "English", "nl": "Nederlands"}
LANGUAGE_NAMES_EN: dict[str, str] = {"en": "English", "nl": "Dutch"}

TYPES: dict[str, str] = {
    "conversation-guide": "Conversation guide",
    "worksheet": "Worksheet",
    "checklist": "Checklist",
    "script": "Script",
    "exercise": "Exercise",
    "background": "Background",
}
AUDIENCES: dict[str, str] = {
    "officer": "Officer",
    "client": "Client",
    "both": "Officer and client",
}
CHARACTERISTIC_NAMES: dict[str, str] = {c.id: c.name for c in CHARACTERISTICS}
#: Duration facet: "up to N minutes" buckets (cumulative, so they map onto ``max_minutes``).
DURATIONS: dict[str, int | None] = {
    "up-to-5": 5,
    "up-to-10": 10,
    "up-to-20": 20,
    "up-to-30": 30,
    "any": None,
}
DURATION_LABELS: dict[str, str] = {
    "up-to-5": "Up to 5 min",
    "up-to-10": "Up to 10 min",
    "up-to-20": "Up to 20 min",
    "up-to-30": "Up to 30 min",
    "any": "Any length",
}
#: facet name -> (value id -> label), in display order.
FACETS: dict[str, dict[str, str]] = {
    "characteristic": CHARACTERISTIC_NAMES,
    "channel": dict(CHANNELS),
    "phase": dict(PHASES),
    "type": TYPES,
    "audience": AUDIENCES,
    "duration": DURATION_LABELS,
    "language": LANGUAGES,
}


def base_language(code: str) -> str:
    """``nl`` of ``nl-BE``: stemming and the language facet work on the language, not the region."""
    return code.split("-")[0].lower()


@dataclass(frozen=True)
class Source:
    citation: str
    url: str | None = None


@dataclass(frozen=True)
class Resource:
    """One resource: its front matter, its Markdown body, and where it came from."""

    id: str
    title: str
    summary: str
    type: str
    characteristics: tuple[str, ...]
    channels: tuple[str, ...]
    phases: tuple[str, ...]
    minutes: int
    audience: str
    sources: tuple[Source, ...]
    language: str
    body: str
    path: str = ""
    local: bool = False
    keywords: tuple[str, ...] = field(default_factory=tuple)
    cites: tuple[str, ...] = field(default_factory=tuple)
    #: the id of the original when this is a translation (then equal to ``id``)
    translation_of: str | None = None

    @property
    def lang(self) -> str:
        return base_language(self.language)

    @property
    def references(self) -> tuple[Source, ...]:
        """What the reader shows under Sources: the cited bibliography entries written out in
        full, then any free-text sources (an organisation's own resources may use those)."""
        from ..bibliography import references

        cited = tuple(Source(ref.full, ref.link) for ref in references(self.cites))
        return cited + self.sources

    @cached_property
    def html(self) -> str:
        """The body rendered and sanitised: safe to put in a page as it is."""
        from .render import render_markdown

        return render_markdown(self.body)

    @property
    def link(self) -> str:
        """A relative link that opens this resource on the library page (a translation in its
        own language; the plain id link opens the original)."""
        from urllib.parse import quote

        if self.translation_of:
            return f"library.ipynb?resource={quote(self.id)}&language={quote(self.language)}"
        return f"library.ipynb?resource={quote(self.id)}"

    def front_matter(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "summary": self.summary,
            "type": self.type,
            "characteristics": list(self.characteristics),
            "channels": list(self.channels),
            "phases": list(self.phases),
            "minutes": self.minutes,
            "audience": self.audience,
            "language": self.language,
        }
        if self.cites:
            data["cites"] = list(self.cites)
        if self.sources:
            data["sources"] = [
                {"citation": s.citation, **({"url": s.url} if s.url else {})} for s in self.sources
            ]
        if self.keywords:
            data["keywords"] = list(self.keywords)
        if self.translation_of:
            data["translation_of"] = self.translation_of
        return data

    @classmethod
    def from_front_matter(
        cls, data: dict[str, Any], body: str, path: str = "", local: bool = False
    ) -> Resource:
        return cls(
            id=data["id"],
            title=data["title"],
            summary=data["summary"],
            type=data["type"],
            characteristics=tuple(data["characteristics"]),
            channels=tuple(data["channels"]),
            phases=tuple(data["phases"]),
            minutes=int(data["minutes"]),
            audience=data["audience"],
            sources=tuple(Source(s["citation"], s.get("url")) for s in data.get("sources", ())),
            language=data["language"],
            body=body,
            path=path,
            local=local,
            keywords=tuple(data.get("keywords", ())),
            cites=tuple(data.get("cites", ())),
            translation_of=data.get("translation_of"),
        )


@dataclass(frozen=True)
class LibraryFolder:
    """A folder of resources; ``local`` marks an organisation's own (drop-in) folder."""

    path: Path
    local: bool


def library_folders() -> list[LibraryFolder]:
    """The kit's own library, then each drop-in folder named by ``ALLIANCE_KIT_RESOURCES``."""
    folders = [LibraryFolder(resource_library_dir(), False)]
    extra = os.environ.get(RESOURCES_ENV, "").strip()
    for part in extra.split(os.pathsep) if extra else ():
        if part.strip():
            folders.append(LibraryFolder(Path(part.strip()).expanduser().resolve(), True))
    return folders


def resource_files(folder: Path) -> list[Path]:
    """Markdown files of a folder and its sub-folders, skipping hidden ones (editor backups)."""
    return [Path(path) for path, _ in resource_file_stats(folder)]


def resource_file_stats(folder: Path) -> list[tuple[str, os.stat_result]]:
    """``resource_files`` as strings with each file's stat, in one walk: the index checks its
    freshness with this at every page start, so it costs one ``stat`` per file (``os.scandir``
    tells files from folders) and no ``Path`` objects."""
    if not folder.is_dir():
        return []
    found: list[tuple[tuple[str, ...], str, os.stat_result]] = []
    root = len(str(folder)) + 1
    pending = [str(folder)]
    while pending:
        try:
            entries = list(os.scandir(pending.pop()))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if name.startswith((".", "_")):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                elif name.endswith(".md") and name.lower() != "readme.md" and entry.is_file():
                    path = entry.path
                    found.append((tuple(path[root:].split(os.sep)), path, entry.stat()))
            except OSError:
                continue
    found.sort(key=lambda item: item[0])  # the order of sorted Paths: part by part
    return [(path, st) for _, path, st in found]


def parse_resource(path: Path, local: bool = False) -> tuple[Resource | None, list[Problem]]:
    """Read and validate one resource file; a broken one gives problems and no resource."""
    where = display_path(path)
    try:
        data, body = front_matter.read(path, where)
    except ContentError as exc:
        return None, [exc.problem]
    if "translation_of" in data:
        return _parse_translation(data, body, where, local)
    label = str(data["id"]) if isinstance(data.get("id"), str) and data["id"] else None
    problems = schema_problems(data, resource_schema(), where, label)
    if not body.strip():
        problems.append(Problem(where, "has no text after the front matter", label, "body"))
    if problems:
        return None, problems
    return Resource.from_front_matter(data, body.strip() + "\n", where, local), []


def _parse_translation(
    data: dict, body: str, where: str, local: bool
) -> tuple[Resource | None, list[Problem]]:
    """A translation as a draft: the text is its own, the rest is filled in from the original
    by ``load_resources`` (``type`` stays empty until then)."""
    of = data.get("translation_of")
    label = str(of) if isinstance(of, str) and of else None
    problems = schema_problems(data, load_schema("resource_translation"), where, label)
    if not body.strip():
        problems.append(Problem(where, "has no text after the front matter", label, "body"))
    if problems:
        return None, problems
    draft = Resource(
        id=data["translation_of"],
        title=data["title"],
        summary=data["summary"],
        type="",
        characteristics=(),
        channels=(),
        phases=(),
        minutes=0,
        audience="",
        sources=(),
        language=data["language"],
        body=body.strip() + "\n",
        path=where,
        local=local,
        keywords=tuple(data.get("keywords", ())),
        cites=tuple(data.get("cites", ())),
        translation_of=data["translation_of"],
    )
    return draft, []


def _attach(
    draft: Resource, originals: dict[str, Resource], versions: dict[tuple[str, str], str]
) -> tuple[Resource | None, list[Problem]]:
    """The draft translation completed from its original, or the reason it cannot be."""
    from dataclasses import replace

    original = originals.get(draft.id)
    if original is None:
        return None, [
            Problem(
                draft.path,
                f"translation_of names '{draft.id}', which is not a resource in this library",
                draft.id,
                "translation_of",
            )
        ]
    key = (draft.id, draft.lang)
    if key in versions:
        return None, [
            Problem(
                draft.path,
                f"'{draft.id}' already has a version in '{draft.language}': {versions[key]}",
                draft.id,
                "language",
            )
        ]
    if draft.cites and draft.cites != original.cites:
        return None, [
            Problem(
                draft.path,
                f"cites {list(draft.cites)} but the original {original.path} cites "
                f"{list(original.cites)}; a translation cites the same sources",
                draft.id,
                "cites",
            )
        ]
    full = replace(
        original,
        title=draft.title,
        summary=draft.summary,
        language=draft.language,
        body=draft.body,
        path=draft.path,
        local=draft.local,
        keywords=draft.keywords,
        translation_of=original.id,
    )
    return full, []


_SCHEMA: dict | None = None


def resource_schema() -> dict:
    global _SCHEMA
    if _SCHEMA is None:
        _SCHEMA = load_schema("resource")
    return _SCHEMA


def load_resources(
    folders: list[LibraryFolder] | None = None,
) -> tuple[list[Resource], list[Problem]]:
    """Every valid resource of the folders and every problem; ids are unique across folders.

    The kit's own folder comes first, so an organisation's file that reuses a built-in id is
    the one reported (and skipped), never the kit's.
    """
    files, problems = library_files(library_folders() if folders is None else folders)
    resources, found = load_files(files)
    return resources, problems + found


def library_files(folders: list[LibraryFolder]) -> tuple[list[tuple[Path, bool]], list[Problem]]:
    """Every resource file as (path, local), in library order, and the folders that are not."""
    problems: list[Problem] = []
    files: list[tuple[Path, bool]] = []
    for folder in folders:
        if folder.local and not folder.path.is_dir():
            problems.append(
                Problem(
                    str(folder.path),
                    f"is named by {RESOURCES_ENV} but is not a folder; nothing in it is loaded",
                )
            )
            continue
        files += [(path, folder.local) for path in resource_files(folder.path)]
    return files, problems


def load_files(
    files: list[tuple[Path, bool]],
    parsed: dict[Path, tuple[Resource | None, list[Problem]]] | None = None,
) -> tuple[list[Resource], list[Problem]]:
    """The resources of these (path, local) files, in library order, and their problems.

    The index calls it with only the files of the resources a change touched (every version
    of each), so the same rules decide as for the whole library; ``parsed`` holds files it
    has read already.
    """
    resources: list[Resource] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    drafts: list[Resource] = []
    for path, local in files:
        resource, found = (parsed or {}).get(path) or parse_resource(path, local)
        problems.extend(found)
        if resource is None:
            continue
        if resource.translation_of:
            drafts.append(resource)
            continue
        if resource.id in seen:
            problems.append(
                Problem(
                    resource.path,
                    f"duplicate id: {seen[resource.id]} already uses it (ids must be unique)",
                    resource.id,
                    "id",
                )
            )
            continue
        seen[resource.id] = resource.path
        resources.append(resource)
    # Translations after every original, so a drop-in folder may translate the kit's resources.
    originals = {r.id: r for r in resources}
    versions = {(r.id, r.lang): r.path for r in resources}
    for draft in drafts:
        full, found = _attach(draft, originals, versions)
        problems.extend(found)
        if full is not None:
            versions[(full.id, full.lang)] = full.path
            resources.append(full)
    return resources, problems


def missing_translations(resources: list[Resource], language: str) -> list[Resource]:
    """Originals that have no version in ``language``, in file order."""
    language = base_language(language)
    have = {r.id for r in resources if r.lang == language}
    return [r for r in resources if not r.translation_of and r.id not in have]
