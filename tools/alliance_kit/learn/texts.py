"""The reading part of a Learn module, kept as data so an educator can adapt it without code."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..content import (
    ContentError,
    Problem,
    display_path,
    load_schema,
    read_yaml,
    schema_problems,
)
from .model import learn_dir


@dataclass(frozen=True)
class Section:
    id: str
    heading: str
    body: str
    cites: tuple[str, ...] = ()


@dataclass(frozen=True)
class Line:
    speaker: str
    line: str


@dataclass(frozen=True)
class Example:
    title: str
    dialogue: tuple[Line, ...]
    commentary: str
    channel: str | None = None
    phase: str | None = None


@dataclass(frozen=True)
class Prompt:
    id: str
    prompt: str


@dataclass(frozen=True)
class ModuleText:
    characteristic: str
    summary: str
    sections: tuple[Section, ...]
    examples: tuple[Example, ...]
    prompts: tuple[Prompt, ...]


def text_path(cid: str, directory: Path | None = None) -> Path:
    return (directory or learn_dir() / "texts") / f"{cid}.yaml"


def read_text(cid: str, directory: Path | None = None) -> tuple[ModuleText | None, list[Problem]]:
    """A module text, or None with the problems that make it unusable.

    The text is one document: a broken section would leave a gap in the argument, so unlike
    questions the file is either used whole or reported, and the page says so.
    """
    path = text_path(cid, directory)
    where = display_path(path)
    try:
        data = read_yaml(path)
    except ContentError as exc:
        return None, [exc.problem]
    problems = schema_problems(data, load_schema("learn_text"), where)
    if not problems and data["characteristic"] != cid:
        problems.append(Problem(where, f"should be about {cid!r}", None, "characteristic"))
    if not problems:
        ids = [p["id"] for p in data["reflection_prompts"]]
        if len(set(ids)) != len(ids):
            problems.append(Problem(where, "has a duplicate prompt id", None, "reflection_prompts"))
    if problems:
        return None, problems
    return (
        ModuleText(
            characteristic=cid,
            summary=data["summary"].strip(),
            sections=tuple(
                Section(s["id"], s["heading"], s["body"], tuple(s.get("cites", ())))
                for s in data["sections"]
            ),
            examples=tuple(
                Example(
                    e["title"],
                    tuple(Line(d["speaker"], d["line"].strip()) for d in e["dialogue"]),
                    e["commentary"].strip(),
                    e.get("channel"),
                    e.get("phase"),
                )
                for e in data["examples"]
            ),
            prompts=tuple(Prompt(p["id"], p["prompt"].strip()) for p in data["reflection_prompts"]),
        ),
        [],
    )


@lru_cache(maxsize=16)
def _cached_text(directory: str, cid: str) -> tuple[ModuleText | None, tuple[Problem, ...]]:
    text, problems = read_text(cid, Path(directory))
    return text, tuple(problems)


def load_text(cid: str) -> tuple[ModuleText | None, tuple[Problem, ...]]:
    """A module text, parsed once per process and content folder."""
    return _cached_text(str(learn_dir() / "texts"), cid)


def overview_markdown() -> str | None:
    """The overview page's introduction (plain Markdown), or None when the file is missing."""
    path = learn_dir() / "texts" / "overview.md"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None
