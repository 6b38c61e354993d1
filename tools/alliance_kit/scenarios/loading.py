"""Reading the case files: one case per file, checked field by field and then as a graph.

A broken file is reported and left out; the other cases still load, so one typo never takes
the scenario page down. The Dutch mirror (``modules/content/nl/scenarios/``) is the same kind
of file in another folder: ``load_cases(content_dir("nl") / "scenarios")`` reads it, and
``alliance-kit check content-nl`` runs :func:`check_case_data` on every Dutch case.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..content import ContentError, Problem, display_path, read_yaml, register_checker
from ..declared import convert_file
from ..i18n import N_, _
from ..paths import SOURCE_LANGUAGE, content_dir, modules_dir
from .graph import graph_problems
from .model import Case, Scene, Signal


def scenarios_dir() -> Path:
    return modules_dir() / "content" / "scenarios"


def _scene_label(data: Any, field_path: str | None) -> str | None:
    """``scenes[3].choices[0].feedback`` belongs to that scene: messages name it by its id."""
    if not field_path or not field_path.startswith("scenes[") or not isinstance(data, dict):
        return None
    try:
        index = int(field_path[len("scenes[") : field_path.index("]")])
        scene = data["scenes"][index]
    except (ValueError, IndexError, KeyError, TypeError):
        return None
    if isinstance(scene, dict) and isinstance(scene.get("id"), str):
        return f"scene {scene['id']}"
    return f"scene #{index + 1}"


def read_case(data: Any, where: str) -> tuple[Case | None, list[Problem]]:
    """One parsed case file as a :class:`Case`, or None and what is wrong with it."""
    lists = {"signals": Signal, "scenes": Scene}
    case, _, found = convert_file(data, Case, where, lists, unique_ids=False)
    if case is None or found:
        return None, [replace(p, item=_scene_label(data, p.field) or p.item) for p in found]
    problems = graph_problems(case, where)
    return (None if problems else case), problems


def check_case_data(data: Any, where: str) -> list[Problem]:
    """Every problem in one parsed case file, each located by file, scene and field."""
    return read_case(data, where)[1]


@dataclass(frozen=True)
class Catalogue:
    cases: tuple[Case, ...]
    problems: tuple[Problem, ...]
    #: The file each case was read from, by case id.
    files: dict[str, str]

    def by_id(self, case_id: str) -> Case:
        for case in self.cases:
            if case.id == case_id:
                return case
        raise KeyError(f"no scenario case with id {case_id!r}")


def load_cases(directory: Path | None = None) -> Catalogue:
    """Load every case file; broken files are reported and left out, the rest still load."""
    folder = directory if directory is not None else scenarios_dir()
    cases: list[Case] = []
    problems: list[Problem] = []
    files: dict[str, str] = {}
    if not folder.is_dir():
        missing = Problem(display_path(folder), _("the scenario folder is missing"))
        return Catalogue((), (missing,), {})
    for path in sorted(folder.glob("*.y*ml")):
        where = display_path(path)
        try:
            data = read_yaml(path)
        except ContentError as exc:
            problems.append(exc.problem)
            continue
        case, found = read_case(data, where)
        if case is not None and case.id in files:
            message = _("duplicate case id (also used in %(file)s)") % {"file": files[case.id]}
            found = [Problem(where, message, case.id, "id")]
        problems.extend(found)
        if case is None or found:
            continue
        files[case.id] = where
        cases.append(case)
    return Catalogue(tuple(cases), tuple(problems), files)


@lru_cache(maxsize=4)
def catalogue(lang: str = SOURCE_LANGUAGE) -> Catalogue:
    """The shipped cases in ``lang`` (English while it has none), parsed once per process
    (a page validates on every kernel start)."""
    if lang == SOURCE_LANGUAGE:
        return load_cases()
    return load_cases(content_dir(lang) / "scenarios")


@register_checker("scenarios", N_("branching channel scenarios (modules/content/scenarios/*.yaml)"))
def check_scenarios() -> list[Problem]:
    return list(load_cases().problems)
