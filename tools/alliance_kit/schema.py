"""A small, fast validator for the JSON Schema subset the kit's content schemas use.

Pages validate their content every time a kernel starts, so this stays import-light (no
jsonschema on the page's start-up path). The test suite checks every shipped schema and file
against the full ``jsonschema`` implementation too, so the two cannot drift apart unnoticed.

Supported keywords: type, enum, const, required, properties, additionalProperties, items,
minItems, maxItems, uniqueItems, minLength, maxLength, pattern, minimum, maximum, $defs/$ref
(local only), anyOf.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
}


def _type_ok(value: Any, expected: str | list[str]) -> bool:
    names = [expected] if isinstance(expected, str) else expected
    for name in names:
        if name in ("integer", "number") and isinstance(value, bool):
            continue
        if isinstance(value, _TYPES[name]):
            return True
    return False


def _path(parts: tuple[Any, ...]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def iter_errors(
    value: Any, schema: dict, root: dict | None = None, path: tuple[Any, ...] = ()
) -> Iterator[tuple[str, str]]:
    """Yield ``(field path, message)`` for every way ``value`` breaks ``schema``."""
    root = root if root is not None else schema
    if "$ref" in schema:
        ref = schema["$ref"]
        if not ref.startswith("#/$defs/"):
            raise ValueError(f"only local $defs references are supported, not {ref!r}")
        yield from iter_errors(value, root["$defs"][ref.split("/")[-1]], root, path)
        return
    if "anyOf" in schema:
        options = [list(iter_errors(value, s, root, path)) for s in schema["anyOf"]]
        if all(options):
            yield min(options, key=len)[0]
        return
    if "type" in schema and not _type_ok(value, schema["type"]):
        want = schema["type"] if isinstance(schema["type"], str) else " or ".join(schema["type"])
        yield _path(path), f"should be {want}, found {type(value).__name__} {value!r:.60}"
        return
    if "const" in schema and value != schema["const"]:
        yield _path(path), f"should be {schema['const']!r}"
    if "enum" in schema and value not in schema["enum"]:
        allowed = ", ".join(repr(v) for v in schema["enum"])
        yield _path(path), f"{value!r:.60} is not allowed; use one of: {allowed}"
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            yield (
                _path(path),
                "should not be empty"
                if schema["minLength"] == 1
                else (f"should be at least {schema['minLength']} characters"),
            )
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            yield _path(path), f"should be at most {schema['maxLength']} characters"
        if "pattern" in schema and not re.search(schema["pattern"], value):
            yield _path(path), f"{value!r:.60} does not match the pattern {schema['pattern']}"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            yield _path(path), f"{value} is below the minimum {schema['minimum']}"
        if "maximum" in schema and value > schema["maximum"]:
            yield _path(path), f"{value} is above the maximum {schema['maximum']}"
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            yield _path(path), f"should have at least {schema['minItems']} entries"
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            yield _path(path), f"should have at most {schema['maxItems']} entries"
        if schema.get("uniqueItems"):
            seen: list[Any] = []
            for item in value:
                if item in seen:
                    yield _path(path), f"has {item!r:.40} more than once"
                seen.append(item)
        if "items" in schema:
            for i, item in enumerate(value):
                yield from iter_errors(item, schema["items"], root, (*path, i))
    if isinstance(value, dict):
        for name in schema.get("required", []):
            if name not in value:
                yield _path((*path, name)), "is missing"
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in props:
                yield from iter_errors(item, props[key], root, (*path, key))
            elif extra is False:
                known = ", ".join(props)
                yield _path((*path, key)), f"is not a known field (known fields: {known})"
            elif isinstance(extra, dict):
                yield from iter_errors(item, extra, root, (*path, key))


def errors(value: Any, schema: dict) -> list[tuple[str, str]]:
    return list(iter_errors(value, schema))
