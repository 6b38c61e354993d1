"""Markdown files that start with YAML fields between two ``---`` lines (front matter).

The resource library keeps its resources this way, and the resource-choice exercise reads the
same files for their tags only; both read them here, so a file one accepts the other does too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .content import FRONT_MATTER, ContentError, Problem, parse_yaml, read_text
from .i18n import N_, _

NO_FRONT_MATTER = N_(
    "has no front matter: the file must start with a line '---', the YAML fields, "
    "and another line '---'"
)


def split(text: str) -> tuple[str, str] | None:
    """``(yaml, body)`` of a text that starts with a ``---`` fenced block (closed by ``---``
    or YAML's ``...``); None when it does not. A byte-order mark before it is ignored."""
    lines = text.lstrip("\ufeff").splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return "".join(lines[1:index]), "".join(lines[index + 1 :])
    return None


def parse(text: str, where: str) -> tuple[dict[str, Any], str]:
    """The fields and the body of a front-matter text; anything else is a ContentError whose
    sentence names ``where`` and, for broken YAML, the line as the file numbers it."""
    parts = split(text)
    if parts is None:
        raise ContentError(Problem(where, _(NO_FRONT_MATTER)))
    head, body = parts
    # The fields start on the file's line 2, after the opening '---'.
    data = parse_yaml(head, where, part=FRONT_MATTER, first_line=2)
    if not isinstance(data, dict):
        raise ContentError(
            Problem(where, _("front matter should be a set of 'field: value' lines"))
        )
    return data, body


def read(path: Path, where: str) -> tuple[dict[str, Any], str]:
    """``parse`` of a file, which must be UTF-8 text."""
    return parse(read_text(path, where), where)
