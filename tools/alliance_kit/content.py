"""Loading content files with messages an educator can act on, and the check registry.

Every content kind (pages, questions, questionnaire, scenarios, resources...) registers its
own checker here when its module is imported; this module knows none of them, and
``alliance_kit.content_kinds`` names the kinds the kit ships. Loaders return the valid items
together with the problems, so one bad item never takes a whole page down.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from .i18n import _
from .paths import CONTENT_DIR_ENV, PACKAGE_DIR, cache_dir, keep, kit_root, read_kept

#: Which translations must be complete for ``alliance-kit check`` to pass. The kit ships every
#: text in Dutch, so Dutch is required unless an organisation that adds its own English content
#: relaxes it (``ALLIANCE_KIT_REQUIRE_TRANSLATIONS=none``) until its translations are done.
REQUIRE_TRANSLATIONS_ENV = "ALLIANCE_KIT_REQUIRE_TRANSLATIONS"
DEFAULT_REQUIRED_TRANSLATIONS = ("nl",)


def required_translations() -> tuple[str, ...]:
    """The languages every text must exist in (``nl`` of ``nl-BE``), one setting for all kinds."""
    raw = os.environ.get(REQUIRE_TRANSLATIONS_ENV)
    if raw is None:
        return DEFAULT_REQUIRED_TRANSLATIONS
    if raw.strip().lower() in ("", "0", "none", "no"):
        return ()
    return tuple(p.strip().split("-")[0].lower() for p in raw.split(",") if p.strip())


SCHEMA_DIR = PACKAGE_DIR / "schemas"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one content file, located as precisely as we can."""

    file: str
    message: str
    item: str | None = None
    field: str | None = None
    #: What kind of sentence ``message`` is, for code that acts on it whatever the language
    #: it is worded in (``declared.MISSING``...); empty for most.
    code: str = dataclass_field(default="", compare=False)

    def __str__(self) -> str:
        where = self.file
        if self.item:
            where += " · " + _("item %(item)s") % {"item": self.item}
        if self.field:
            where += " · " + _("field %(field)s") % {"field": self.field}
        return f"{where}: {self.message}"


class ContentError(Exception):
    """A content file cannot be used at all (unreadable, not YAML, wrong shape)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def display_path(path: Path) -> str:
    """A path as an educator would recognise it: relative to the kit when it is inside."""
    try:
        return str(path.resolve().relative_to(_resolved_kit_root(os.environ.get(CONTENT_DIR_ENV))))
    except (ValueError, FileNotFoundError):
        return str(path)


@lru_cache(maxsize=8)
def _resolved_kit_root(_override: str | None) -> Path:
    """``kit_root()`` resolved, once per content folder setting: every file of a library of
    100,000 resources is named through ``display_path`` when the index is built."""
    return kit_root().resolve()


def read_yaml(path: Path) -> Any:
    """Parse a YAML file, turning every failure into a ContentError naming the file.

    What a file's text parses to is kept on disk by the text's hash, so a new kernel reading
    unchanged content neither imports PyYAML nor parses again; an edited file hashes to a new
    entry and is parsed (and then checked by its kind) like any other. Only what parses is
    kept, so a file with a mistake is reported the same way every time. (Resources' front
    matter is not kept: the library index holds what it says, and a library may have
    100,000 files.)
    """
    import hashlib

    where = display_path(path)
    text = read_text(path, where)
    name = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()
    folder = _parsed_folder()
    kept = read_kept(folder, name)
    if kept is not None:
        import marshal

        try:
            return marshal.loads(kept)
        except (EOFError, ValueError, TypeError):
            pass
    data = parse_yaml(text, where)
    _keep_parsed(folder, name, data)
    return data


def read_text(path: Path, where: str) -> str:
    """A content file's text; a file that is missing, unreadable or not UTF-8 is a
    ContentError naming it as ``where``."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError(Problem(where, _("file not found"))) from None
    except UnicodeDecodeError:
        raise ContentError(Problem(where, _("is not UTF-8 text"))) from None
    except OSError as exc:
        reason = {"reason": exc.strerror}
        raise ContentError(Problem(where, _("cannot be read (%(reason)s)") % reason)) from None


#: The ``part`` of a Markdown file that holds its fields (``parse_yaml(..., part=...)``).
FRONT_MATTER = "front matter"


def parse_yaml(text: str, where: str, *, part: str = "", first_line: int = 1) -> Any:
    """Parse YAML text; a failure is a ContentError naming the file, line and column.

    ``part`` names the part of the file the text is (``"front matter"``) and ``first_line``
    the file's line the text starts on, so the line told is the one an editor shows.
    """
    import yaml

    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = (
            _(" (line %(line)s, column %(column)s)")
            % {"line": mark.line + first_line, "column": mark.column + 1}
            if mark
            else ""
        )
        # YAML's own reason ("found unexpected end of stream") stays as the parser words it.
        reason = getattr(exc, "problem", None) or _("invalid YAML")
        # An unclosed bracket is noticed lines later: say where the unclosed thing began.
        context = getattr(exc, "context_mark", None)
        if context is not None and mark is not None and context.line != mark.line:
            reason += _(" (for what starts on line %(line)s)") % {"line": context.line + first_line}
        words = {"at": at, "reason": reason}
        if part == FRONT_MATTER:
            sentence = _("front matter is not valid YAML%(at)s: %(reason)s") % words
        else:
            sentence = _("is not valid YAML%(at)s: %(reason)s") % words
        raise ContentError(Problem(where, sentence)) from None


def _keep_parsed(folder: Path | None, name: str, data: Any) -> None:
    import marshal

    # marshal holds exactly the plain types safe YAML gives, and is the quickest to read back;
    # a value it cannot hold (a date) leaves the text to be parsed each time.
    with contextlib.suppress(ValueError):
        keep(folder, name, marshal.dumps(data))


#: Raise when ``parse_yaml`` reads a file differently (another loader, a new check), so texts
#: parsed the old way are not taken from the cache folder.
PARSE_RULES = "1"


@cache
def _parsed_folder() -> Path | None:
    """Parsed texts, by the Python that can read them back and the PyYAML that parsed them
    (its files' size and time, found without importing it)."""
    import sys
    from importlib.util import find_spec

    try:
        spec = find_spec("yaml")
        st = os.stat(spec.origin) if spec and spec.origin else None
    except (OSError, ValueError):
        st = None
    parser = f"{st.st_size}-{st.st_mtime_ns}" if st else "unknown"
    return cache_dir(f"yaml-{sys.implementation.cache_tag}-{parser}-{PARSE_RULES}")


# --- the check registry -------------------------------------------------------------------

Checker = Callable[[], list[Problem]]
_CHECKERS: dict[str, tuple[str, Checker]] = {}


def register_checker(kind: str, description: str) -> Callable[[Checker], Checker]:
    """Register ``func`` as the checker for one kind of content."""

    def decorate(func: Checker) -> Checker:
        _CHECKERS[kind] = (description, func)
        return func

    return decorate


Notes = Callable[[], list[str]]
_NOTES: dict[str, Notes] = {}


def register_notes(kind: str) -> Callable[[Notes], Notes]:
    """Register ``func`` as the source of notes for one kind: things a reviewer should look at
    that are not errors (``alliance-kit check`` prints them and still passes)."""

    def decorate(func: Notes) -> Notes:
        _NOTES[kind] = func
        return func

    return decorate


def run_notes(kinds: Iterable[str] = ()) -> dict[str, list[str]]:
    """The notes of the named kinds (all registered when none are named); a failing source is
    skipped, since its checker reports the same failure as a problem."""
    wanted = set(kinds)
    notes: dict[str, list[str]] = {}
    for kind, func in _NOTES.items():
        if wanted and kind not in wanted:
            continue
        try:
            notes[kind] = list(func())
        except Exception:  # the checker of the same kind reports the failure
            continue
    return notes


def checkers() -> dict[str, tuple[str, Checker]]:
    """The checkers registered so far (import ``alliance_kit.content_kinds`` for all)."""
    return dict(_CHECKERS)


def run_checks(kinds: Iterable[str] = ()) -> dict[str, list[Problem]]:
    """Run the named checkers (all when none are named); a crashing checker is a problem too."""
    wanted = set(kinds)
    results: dict[str, list[Problem]] = {}
    for kind, (_description, func) in checkers().items():
        if wanted and kind not in wanted:
            continue
        try:
            results[kind] = list(func())
        except Exception as exc:  # report, never hide: the educator must see it
            results[kind] = [
                Problem(kind, _("the checker itself failed: %(error)r") % {"error": exc})
            ]
    return results
