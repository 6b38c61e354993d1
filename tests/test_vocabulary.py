"""The vocabulary (characteristic, channel and phase ids and their names) lives once, in
``alliance_kit.alliance``.

A second copy drifts: a fifth channel added to ``alliance.py`` would be refused by a schema that
kept its own list, or missing from a grading check. So no module of the kit may spell out two or
more of the ids in a tuple, list, set or ``Literal[...]``, nor map them to their names, and every
list of ids in a shipped JSON Schema is one of alliance's vocabularies exactly.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import alliance_kit
from alliance_kit.alliance import (
    CHANNELS,
    CHARACTERISTIC_IDS,
    CHARACTERISTIC_NAMES,
    PHASES,
    SESSION_CHANNELS,
)
from alliance_kit.content import SCHEMA_DIR

PACKAGE = Path(alliance_kit.__file__).parent
VOCABULARY: frozenset[str] = frozenset(
    (*CHARACTERISTIC_IDS, *SESSION_CHANNELS, *PHASES),
)
NAMES: dict[str, str] = {**CHARACTERISTIC_NAMES, **SESSION_CHANNELS, **PHASES}
#: Each list a schema may hold: one vocabulary, whole.
WHOLE: tuple[frozenset[str], ...] = (
    frozenset(CHARACTERISTIC_IDS),
    frozenset(CHANNELS),
    frozenset(SESSION_CHANNELS),
    frozenset(PHASES),
)


def _ids(node: ast.expr) -> list[str] | None:
    """The vocabulary ids a literal collection consists of (None when anything else is in it)."""
    if not isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return None
    values = [e.value if isinstance(e, ast.Constant) else None for e in node.elts]
    if len(values) < 2 or not all(isinstance(v, str) and v in VOCABULARY for v in values):
        return None
    return values  # type: ignore[return-value]


def copies_in_source(source: str, name: str) -> Iterator[str]:
    """Where ``source`` spells out the vocabulary: ``name:line`` and what it found."""
    for node in ast.walk(ast.parse(source, filename=name)):
        found = _ids(node)  # type: ignore[arg-type]
        if found is not None:
            yield f"{name}:{node.lineno}: the ids {', '.join(found)} written out"
        if isinstance(node, ast.Dict):
            named = [
                k.value
                for k, v in zip(node.keys, node.values, strict=True)
                if isinstance(k, ast.Constant)
                and isinstance(v, ast.Constant)
                and k.value in NAMES
                and NAMES[k.value] == v.value
            ]
            if len(named) >= 2:
                yield f"{name}:{node.lineno}: the names of {', '.join(named)} written out"


def copies_in_package(root: Path) -> list[str]:
    found: list[str] = []
    for path in sorted(root.rglob("*.py")):
        if path.name == "alliance.py" and path.parent == root:
            continue
        name = str(path.relative_to(root.parent))
        found += copies_in_source(path.read_text(encoding="utf-8"), name)
    return found


def copies_in_schema(data: object, name: str, at: str = "") -> Iterator[str]:
    """Lists of vocabulary ids in a schema that are not one whole vocabulary of alliance."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from copies_in_schema(value, name, f"{at}/{key}")
    elif isinstance(data, list):
        ids = [v for v in data if isinstance(v, str) and v in VOCABULARY]
        if len(ids) >= 2 and frozenset(data) not in WHOLE:
            yield f"{name} {at}: {', '.join(map(str, data))} is not one of alliance's vocabularies"
        for index, value in enumerate(data):
            yield from copies_in_schema(value, name, f"{at}/{index}")


def test_no_module_of_the_kit_keeps_its_own_copy_of_the_vocabulary() -> None:
    found = copies_in_package(PACKAGE)
    assert not found, "take these from alliance_kit.alliance instead:\n" + "\n".join(found)


@pytest.mark.parametrize("path", sorted(SCHEMA_DIR.glob("*.schema.json")), ids=lambda p: p.name)
def test_shipped_schemas_list_exactly_alliances_ids(path: Path) -> None:
    found = list(copies_in_schema(json.loads(path.read_text(encoding="utf-8")), path.name))
    assert not found, "\n".join(found)


def test_a_planted_copy_is_caught(tmp_path: Path) -> None:
    package = tmp_path / "alliance_kit"
    (package / "pages").mkdir(parents=True)
    (package / "alliance.py").write_text('IDS = ("trust", "bond")\n', encoding="utf-8")
    (package / "pages" / "fine.py").write_text(
        'ONE = ("phone",) * 4\nWORDS = ("trust", "safety plan")\n'
        'MARKERS = {"phone": "diamond", "video": "square"}\n',
        encoding="utf-8",
    )
    (package / "pages" / "copied.py").write_text(
        "from typing import Literal\n\n"
        'Phase = Literal["intake", "early", "established", "closing"]\n'
        'REMOTE = ["phone", "video"]\n'
        "if channel in {'video', 'messaging'}:\n    pass\n"
        'LABELS = {"trust": "Trust", "bond": "Bond"}\n',
        encoding="utf-8",
    )
    found = copies_in_package(package)
    assert sorted(f.split(":")[:2] for f in found) == [
        ["alliance_kit/pages/copied.py", "3"],
        ["alliance_kit/pages/copied.py", "4"],
        ["alliance_kit/pages/copied.py", "5"],
        ["alliance_kit/pages/copied.py", "7"],
    ], found


def test_a_schema_with_a_partial_copy_is_caught() -> None:
    schema = {
        "properties": {
            "channel": {"enum": ["face-to-face", "phone", "video"]},
            "phase": {"enum": sorted(PHASES)},
            "channels": {"items": {"enum": list(SESSION_CHANNELS)}},
        }
    }
    found = list(copies_in_schema(schema, "x.schema.json"))
    assert len(found) == 1 and "/properties/channel/enum" in found[0], found
