"""The reading part of a Learn module, kept as data so an educator can adapt it without code."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..content import ContentError, Problem, display_path, read_yaml
from ..declared import convert
from ..i18n import _
from ..paths import SOURCE_LANGUAGE
from .model import ModuleText, learn_dir


def text_path(cid: str, directory: Path | None = None) -> Path:
    return (directory or learn_dir() / "texts") / f"{cid}.yaml"


def read_text(cid: str, directory: Path | None = None) -> tuple[ModuleText | None, list[Problem]]:
    """A module text, or None with the problem that makes it unusable.

    The text is one document: a broken section would leave a gap in the argument, so unlike
    questions the file is either used whole or reported, and the page says so.
    """
    path = text_path(cid, directory)
    where = display_path(path)
    try:
        text = convert(read_yaml(path), ModuleText, where)
    except ContentError as exc:
        return None, [exc.problem]
    if text.characteristic != cid:
        sentence = _("should be about %(characteristic)r") % {"characteristic": cid}
        return None, [Problem(where, sentence, None, "characteristic")]
    return text, []


@lru_cache(maxsize=16)
def _cached_text(directory: str, cid: str) -> tuple[ModuleText | None, tuple[Problem, ...]]:
    text, problems = read_text(cid, Path(directory))
    return text, tuple(problems)


def load_text(
    cid: str, lang: str = SOURCE_LANGUAGE
) -> tuple[ModuleText | None, tuple[Problem, ...]]:
    """A module text in ``lang``, parsed once per process and content folder."""
    return _cached_text(str(learn_dir(lang) / "texts"), cid)


def overview_markdown(lang: str = SOURCE_LANGUAGE) -> str | None:
    """The overview page's introduction (plain Markdown), or None when the file is missing."""
    path = learn_dir(lang) / "texts" / "overview.md"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None
