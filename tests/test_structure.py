"""The package's layers, read from the source with ``ast`` (imports inside functions count).

Widgets belong to the pages: an engine, a store or a content kind that imports ``ipywidgets`` or
a page cannot run in the command line, a check or an nbgrader autograde without a notebook
front end, and a page that an engine imports makes every kernel pay for it. ``content.py`` is
what every content kind stands on, so it may import nothing of theirs.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import alliance_kit

PACKAGE = Path(alliance_kit.__file__).resolve().parent
ROOT = "alliance_kit"
#: Where widgets and pages may be imported.
PAGE_LAYER = ("alliance_kit.pages",)
#: Modules that still break the layering today, with why; each test is expected to fail until
#: the module moves (strict: a fixed one fails the run, so its line here is removed).
KNOWN_PAGE_IMPORTS: dict[str, str] = {
    "alliance_kit.content_kinds": "the page list's check is still registered from "
    "alliance_kit.pages.registry; it moves below the pages with its declaration",
}


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = [ROOT, *path.relative_to(PACKAGE).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imported_names(path: Path, name: str) -> set[str]:
    """Every module ``path`` imports (relative imports resolved, ``from a import b`` as both
    ``a`` and ``a.b``), plus every string constant naming a kit module, since
    ``importlib.import_module("alliance_kit.x")`` imports as surely as ``import`` does."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value.startswith("alliance_kit.")
            and " " not in node.value
        ):
            found.add(node.value)
    return found


def in_layer(name: str, layer: tuple[str, ...]) -> bool:
    return any(name == top or name.startswith(top + ".") for top in layer)


def widget_or_page_imports(path: Path, name: str) -> list[str]:
    return sorted(
        n
        for n in imported_names(path, name)
        if n.split(".")[0] == "ipywidgets" or in_layer(n, PAGE_LAYER)
    )


BELOW_PAGES = [name for name in modules() if not in_layer(name, PAGE_LAYER)]


@pytest.mark.parametrize(
    "module",
    [
        pytest.param(
            name,
            marks=pytest.mark.xfail(reason=KNOWN_PAGE_IMPORTS[name], strict=True),
        )
        if name in KNOWN_PAGE_IMPORTS
        else name
        for name in BELOW_PAGES
    ],
)
def test_layers_no_module_below_the_pages_imports_widgets_or_a_page(module: str) -> None:
    assert widget_or_page_imports(modules()[module], module) == []


def test_layers_the_scan_sees_imports_in_functions_relative_and_by_name(tmp_path: Path) -> None:
    """The scanner itself: a planted engine with each kind of hidden import is caught."""
    engine = tmp_path / "engine.py"
    engine.write_text(
        "import importlib\n"
        "def later():\n"
        "    import ipywidgets as w\n"
        "    from .pages import common\n"
        "    return importlib.import_module('alliance_kit.pages.learn')\n",
        encoding="utf-8",
    )
    assert widget_or_page_imports(engine, "alliance_kit.engine") == [
        "alliance_kit.pages",
        "alliance_kit.pages.common",
        "alliance_kit.pages.learn",
        "ipywidgets",
    ]


def test_layers_known_offenders_are_still_modules() -> None:
    """A moved or renamed module must leave this list, not linger in it."""
    assert set(KNOWN_PAGE_IMPORTS) <= set(BELOW_PAGES)


#: What content.py, the base of every content kind, may stand on.
CONTENT_BASE = {"alliance_kit.paths", "alliance_kit.schema"}
CONTENT_THIRD_PARTY = {"yaml", "platformdirs"}


def test_layers_content_imports_nothing_above_it() -> None:
    known = modules()
    seen: set[str] = set()
    pending = ["alliance_kit.content"]
    outside: set[str] = set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        for imported in imported_names(known[name], name):
            top = imported.split(".")[0]
            if top == "alliance_kit":
                # ``from . import schema`` names the package and the module: follow the module.
                if imported in known and imported != ROOT:
                    pending.append(imported)
            elif top not in sys.stdlib_module_names and top != "__future__":
                outside.add(top)
    assert seen - {"alliance_kit.content"} <= CONTENT_BASE, sorted(seen)
    assert outside <= CONTENT_THIRD_PARTY, sorted(outside)
