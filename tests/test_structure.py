"""The package's shape: imports run one way, so each part can be read, tested and changed from
the bottom up. The graph is read from the source with ``ast``, imports inside functions
included: an import moved into a function still closes a circle, it only hides it.

Other parts extend this file: a part that becomes free of circles leaves ``KNOWN_CYCLES``, and
a part with a declared layering adds its own order test beside the Learn one.

Widgets belong to the pages: an engine, a store or a content kind that imports ``ipywidgets`` or
a page cannot run in the command line, a check or an nbgrader autograde without a notebook
front end, and a page that an engine imports makes every kernel pay for it. ``content.py`` is
what every content kind stands on, so it may import nothing of theirs.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import alliance_kit

PACKAGE = Path(alliance_kit.__file__).resolve().parent
ROOT = "alliance_kit"

#: Circles that remain elsewhere in the package, each to be broken by the part that owns it;
#: this list only shrinks (a test fails while an entry here is no longer a circle).
KNOWN_CYCLES: frozenset[frozenset[str]] = frozenset()


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = [ROOT, *path.relative_to(PACKAGE).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node but those under ``if TYPE_CHECKING:``, which never run."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (n for child in node.orelse for n in [child, *_runtime_nodes(child)])
            continue
        yield node
        yield from _runtime_nodes(node)


def import_statements(name: str, path: Path) -> Iterator[tuple[str, tuple[str, ...]]]:
    """``(module, names)`` of every import that runs: ``import a`` as ``("a", ())``,
    ``from .b import c`` as ``("<package>.b", ("c",))`` (relative dots resolved)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from ((alias.name, ()) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            yield source, tuple(alias.name for alias in node.names)


def imported(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The package's modules that ``name`` imports, wherever in the file the import is."""
    targets: set[str] = set()
    for source, names in import_statements(name, path):
        # ``from . import reflections`` imports a module; ``from .x import f`` a name of x.
        targets.update(
            f"{source}.{n}" if f"{source}.{n}" in known else source for n in names or ("",)
        )
    return {t for t in targets if t in known and t != name}


def import_graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imported(name, path, known) for name, path in known.items()}


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The circles of the graph: its strongly connected parts of more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            part = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                part.add(member)
                if member == node:
                    break
            if len(part) > 1:
                found.append(frozenset(part))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def describe(part: frozenset[str], graph: dict[str, set[str]]) -> str:
    """One circle written as the imports that close it, so the message says what to move."""
    return "; ".join(
        f"{a} imports {', '.join(sorted(graph[a] & part))}" for a in sorted(part) if graph[a] & part
    )


def test_cycles_are_found_in_function_level_imports(tmp_path: Path) -> None:
    """The detector itself: a circle closed only inside a function is still a circle."""
    (tmp_path / "a.py").write_text("from .b import x\n", encoding="utf-8")
    (tmp_path / "b.py").write_text("def f():\n    from .a import y\n", encoding="utf-8")
    known = {"p.a": tmp_path / "a.py", "p.b": tmp_path / "b.py"}
    graph = {name: imported(name, path, known) for name, path in known.items()}
    assert cycles(graph) == [frozenset({"p.a", "p.b"})]


def test_no_import_cycle() -> None:
    graph = import_graph()
    new = [part for part in cycles(graph) if part not in KNOWN_CYCLES]
    assert not new, "import circle(s): " + " | ".join(describe(p, graph) for p in new)


def test_known_cycles_are_still_cycles() -> None:
    """A circle that was broken leaves the list, so it cannot come back unnoticed."""
    gone = KNOWN_CYCLES - set(cycles(import_graph()))
    assert not gone, f"no longer a circle, remove from KNOWN_CYCLES: {sorted(map(sorted, gone))}"


def test_learn_has_no_import_cycle() -> None:
    """The Learn part is layered: declarations, then the engines, then the checks on top; the
    engines do not know each other and nothing in it knows a page."""
    graph = import_graph()
    learn = {name: deps for name, deps in graph.items() if name.startswith(f"{ROOT}.learn.")}
    assert not [p for p in cycles(graph) if any(m.startswith(f"{ROOT}.learn") for m in p)]
    inside = {
        name: {d for d in deps if d.startswith(f"{ROOT}.learn.")} for name, deps in learn.items()
    }
    model, engines = (
        f"{ROOT}.learn.model",
        {f"{ROOT}.learn.{m}" for m in ("texts", "quiz", "trainer")},
    )
    assert inside[model] == set()
    for engine in engines:
        assert inside[engine] <= {model}, engine
    assert inside[f"{ROOT}.learn.reflections"] == set()
    assert not [n for n, deps in learn.items() if any(d.startswith(f"{ROOT}.pages") for d in deps)]


#: Where widgets and pages may be imported.
PAGE_LAYER = ("alliance_kit.pages",)
#: Modules that still break the layering today, with why; each test is expected to fail until
#: the module moves (strict: a fixed one fails the run, so its line here is removed).
KNOWN_PAGE_IMPORTS: dict[str, str] = {}


def imported_names(path: Path, name: str) -> set[str]:
    """Every module ``path`` imports (``from a import b`` as both ``a`` and ``a.b``), plus every
    string constant naming a kit module, since ``importlib.import_module("alliance_kit.x")``
    imports as surely as ``import`` does."""
    found: set[str] = set()
    for source, names in import_statements(name, path):
        found.add(source)
        found.update(f"{source}.{n}" for n in names)
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if (
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


#: What content.py, the base of every content kind, may stand on: the paths, and the language
#: its sentences are worded in (i18n stands on paths alone).
CONTENT_BASE = {"alliance_kit.paths", "alliance_kit.i18n", "alliance_kit.lazy_re"}
CONTENT_THIRD_PARTY = {"yaml", "platformdirs", "babel"}  # babel: i18n.number, when called


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
        for target in imported_names(known[name], name):
            top = target.split(".")[0]
            if top == "alliance_kit":
                # ``from . import schema`` names the package and the module: follow the module.
                if target in known and target != ROOT:
                    pending.append(target)
            elif top not in sys.stdlib_module_names and top != "__future__":
                outside.add(top)
    assert seen - {"alliance_kit.content"} <= CONTENT_BASE, sorted(seen)
    assert outside <= CONTENT_THIRD_PARTY, sorted(outside)
