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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..alliance import CHANNELS, CHARACTERISTIC_NAMES, PHASES
from ..content import ContentError, Problem, display_path
from ..i18n import N_, _
from ..paths import resource_library_dir
from .vocabulary import AUDIENCES, TYPES, base_language

if TYPE_CHECKING:
    from .resource import Resource, Source

__all__ = [
    "AUDIENCES",
    "CHARACTERISTIC_NAMES",
    "TYPES",
    "Resource",
    "Source",
    "base_language",
    "load_resources",
]

#: Loaded on first use: what declares and checks a resource (msgspec) is needed to read the
#: files, not to list and filter them from the index, which is what a page does first.
_DECLARED = ("Resource", "ResourceFrontMatter", "ResourceTranslation", "Source")


def __getattr__(name: str) -> Any:
    if name in _DECLARED:
        from . import resource

        return getattr(resource, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


RESOURCES_ENV = "ALLIANCE_KIT_RESOURCES"
#: Languages named here (comma-separated, e.g. ``nl``) make a resource without a version in
#: them a problem for ``alliance-kit check``; otherwise missing translations are a note.
#: Languages the library searches with their own stemmer, in facet (bit) order.
LANGUAGES: dict[str, str] = {"en": "English", "nl": "Nederlands"}
#: The languages a resource may lack, by their English names (translated where shown); English
#: itself is never missing, and its name stays out of the catalogue, where a Dutch page's
#: language switch ("English") would read as English left on the page.
LANGUAGE_NAMES_EN: dict[str, str] = {"en": "English", "nl": N_("Dutch")}

#: Duration facet: "up to N minutes" buckets (cumulative, so they map onto ``max_minutes``).
DURATIONS: dict[str, int | None] = {
    "up-to-5": 5,
    "up-to-10": 10,
    "up-to-20": 20,
    "up-to-30": 30,
    "any": None,
}
DURATION_LABELS: dict[str, str] = {
    "up-to-5": N_("Up to 5 min"),
    "up-to-10": N_("Up to 10 min"),
    "up-to-20": N_("Up to 20 min"),
    "up-to-30": N_("Up to 30 min"),
    "any": N_("Any length"),
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
    import msgspec

    from .. import front_matter
    from .resource import Resource, ResourceFrontMatter

    where = display_path(path)
    try:
        data, body = front_matter.read(path, where)
    except ContentError as exc:
        return None, [exc.problem]
    if "translation_of" in data:
        return _parse_translation(data, body, where, local)
    label = str(data["id"]) if isinstance(data.get("id"), str) and data["id"] else None
    front, problems = _checked(data, ResourceFrontMatter, where, label, body)
    if front is None:
        return None, problems
    fields = msgspec.structs.asdict(front)
    return Resource(**fields, body=body.strip() + "\n", path=where, local=local), []


def _checked(
    data: dict, kind: type, where: str, label: str | None, body: str
) -> tuple[Any, list[Problem]]:
    """The front matter as declared, or what is wrong with it and with the body."""
    import msgspec

    from ..declared import problem

    problems: list[Problem] = []
    try:
        front = msgspec.convert(data, kind, strict=True)
    except msgspec.ValidationError as exc:
        front = None
        problems.append(problem(exc, data, where, label))
    if not body.strip():
        problems.append(Problem(where, _("has no text after the front matter"), label, "body"))
    return (None if problems else front), problems


def _parse_translation(
    data: dict, body: str, where: str, local: bool
) -> tuple[Resource | None, list[Problem]]:
    """A translation as a draft: the text is its own, the rest is filled in from the original
    by ``load_resources`` (``type`` stays empty until then)."""
    from .resource import Resource, ResourceTranslation

    of = data.get("translation_of")
    label = str(of) if isinstance(of, str) and of else None
    text, problems = _checked(data, ResourceTranslation, where, label, body)
    if text is None:
        return None, problems
    draft = Resource(
        id=text.translation_of,
        title=text.title,
        summary=text.summary,
        type="",
        characteristics=(),
        channels=(),
        phases=(),
        minutes=0,
        audience="",
        language=text.language,
        body=body.strip() + "\n",
        path=where,
        local=local,
        keywords=text.keywords,
        cites=text.cites,
        translation_of=text.translation_of,
    )
    return draft, []


def _attach(
    draft: Resource, originals: dict[str, Resource], versions: dict[tuple[str, str], str]
) -> tuple[Resource | None, list[Problem]]:
    """The draft translation completed from its original, or the reason it cannot be."""
    import msgspec

    original = originals.get(draft.id)
    if original is None:
        return None, [
            Problem(
                draft.path,
                _("translation_of names '%(id)s', which is not a resource in this library")
                % {"id": draft.id},
                draft.id,
                "translation_of",
            )
        ]
    key = (draft.id, draft.lang)
    if key in versions:
        return None, [
            Problem(
                draft.path,
                _("'%(id)s' already has a version in '%(language)s': %(file)s")
                % {"id": draft.id, "language": draft.language, "file": versions[key]},
                draft.id,
                "language",
            )
        ]
    if draft.cites and draft.cites != original.cites:
        return None, [
            Problem(
                draft.path,
                _(
                    "cites %(cites)s but the original %(original)s cites %(original_cites)s; "
                    "a translation cites the same sources"
                )
                % {
                    "cites": list(draft.cites),
                    "original": original.path,
                    "original_cites": list(original.cites),
                },
                draft.id,
                "cites",
            )
        ]
    full = msgspec.structs.replace(
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
                    _("is named by %(setting)s but is not a folder; nothing in it is loaded")
                    % {"setting": RESOURCES_ENV},
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
                    _("duplicate id: %(file)s already uses it (ids must be unique)")
                    % {"file": seen[resource.id]},
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
