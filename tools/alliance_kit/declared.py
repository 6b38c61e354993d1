"""One declaration per content kind: a msgspec Struct gives the check, the typed object and the
JSON Schema shipped for editors.

msgspec was chosen over pydantic v2 by what a page pays for it: importing msgspec costs about
25 ms of kernel start-up against about 36 ms for pydantic before any model is built, and
building a model class and validating with pydantic adds more again, while a Struct is
defined as cheaply as a dataclass (``python -X importtime -c "import msgspec"`` against
``"import pydantic"`` in the kit's environment).

msgspec stops at the first thing wrong in an item and words it for programmers ("Expected
`int` <= 5 - at `$.score`"). :func:`convert` turns that into the kit's sentence: the file, the
item, the field, and what is wrong in words an educator acts on ("9 is above the maximum 5").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import msgspec

from .content import Problem

T = TypeVar("T")


class Declared(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Base of every content declaration: unknown fields are refused, since a misspelt field
    would otherwise be silently ignored and the educator's text would never show."""


#: ``Meta(extra=PROSE)`` marks a field as prose: the text a translator writes, where every other
#: field of a translated file must equal the original (:func:`prose_fields`).
PROSE: dict[str, Any] = {"prose": True}

_AT = re.compile(r"^(?P<what>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.S)
_FIELD_RULE = re.compile(r"^`(?P<field>[^`]+)`: (?P<what>.*)$", re.S)
_PART = re.compile(r"\.([A-Za-z_][\w-]*)|\[(\d+)\]")
_KINDS = {
    "str": "text",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "object": "a mapping of fields",
    "array": "a list",
    "null": "empty",
}


def _parts(path: str) -> list[str | int]:
    return [name if name else int(index) for name, index in _PART.findall(path)]


def field_path(parts: Iterable[str | int]) -> str:
    """``options[0].text``: the notation the kit's messages have always used."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _value_at(data: Any, parts: list[str | int]) -> Any:
    for part in parts:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _kind(name: str) -> str:
    return " or ".join(_KINDS.get(n.strip(" `"), n.strip(" `")) for n in name.split("|"))


def _sentence(what: str, value: Any) -> str:
    """msgspec's wording turned into the kit's."""
    if m := re.match(r"Object missing required field `([^`]+)`", what):
        return f"{m.group(1)}: is missing"
    if m := re.match(r"Object contains unknown field `([^`]+)`", what):
        return f"{m.group(1)}: is not a known field"
    if m := re.match(r"Expected `([^`]+)`, got `([^`]+)`", what):
        return f"should be {_kind(m.group(1))}, found {_kind(m.group(2))} {value!r:.60}"
    if m := re.match(r"Invalid enum value (.*)", what):
        return f"{m.group(1):.60} is not allowed"
    if re.match(r"Expected `str` of length >= 1\b", what):
        return "should not be empty"
    if m := re.match(r"Expected `str` of length >= (\d+)", what):
        return f"should be at least {m.group(1)} characters"
    if m := re.match(r"Expected `str` of length <= (\d+)", what):
        return f"should be at most {m.group(1)} characters"
    if m := re.match(r"Expected `str` matching regex '(.*)'", what):
        return f"{value!r:.60} does not match the pattern {m.group(1)}"
    if m := re.match(r"Expected `(?:int|float)` >= (\S+)", what):
        return f"{value} is below the minimum {m.group(1)}"
    if m := re.match(r"Expected `(?:int|float)` <= (\S+)", what):
        return f"{value} is above the maximum {m.group(1)}"
    if m := re.match(r"Expected `array` of length >= (\d+)", what):
        return f"should have at least {m.group(1)} entries"
    if m := re.match(r"Expected `array` of length <= (\d+)", what):
        return f"should have at most {m.group(1)} entries"
    return what


def problem(exc: msgspec.ValidationError, data: Any, where: str, item: str | None) -> Problem:
    """A msgspec error as a :class:`Problem` naming file, item and field."""
    match = _AT.match(str(exc))
    what, path = (match.group("what"), match.group("path") or "") if match else (str(exc), "")
    parts = _parts(path)
    if rule := _FIELD_RULE.match(what):  # a declaration's own rule, from field_error
        parts, what = [*parts, *_parts("." + rule.group("field"))], rule.group("what")
    sentence = _sentence(what, _value_at(data, parts))
    # "name: is missing" and "name: is not a known field" name a field below the path.
    if sentence.endswith((": is missing", ": is not a known field")):
        name, sentence = sentence.split(": ", 1)
        parts = [*parts, name]
    return Problem(where, sentence, item, field_path(parts) if parts else None)


def _type_at(kind: type, parts: list[str | int]) -> list[Any]:
    """The declared types a field path can reach in ``kind`` (several through a union)."""
    infos: list[Any] = [msgspec.inspect.type_info(kind)]
    for part in [*parts, None]:
        flat: list[Any] = []
        while infos:
            info = infos.pop()
            if isinstance(info, msgspec.inspect.Metadata):
                infos.append(info.type)
            elif isinstance(info, msgspec.inspect.UnionType):
                infos.extend(info.types)
            else:
                flat.append(info)
        if part is None:
            return flat
        infos = []
        for info in flat:
            if isinstance(part, int) and hasattr(info, "item_type"):
                infos.append(info.item_type)
            elif isinstance(info, msgspec.inspect.StructType):
                infos += [f.type for f in info.fields if f.encode_name == part]
    return []


def name_choices(found: Problem, kind: type) -> Problem:
    """``found`` with what the declaration allows at its field, when it says a value or a field
    is not allowed: the educator then picks the right one instead of guessing."""
    parts = _parts("." + found.field) if found.field else []
    if found.message.endswith("is not allowed"):
        values = [
            v
            for info in _type_at(kind, parts)
            if isinstance(info, msgspec.inspect.LiteralType)
            for v in info.values
        ]
        extra = "; use one of: " + ", ".join(map(repr, values)) if values else ""
    elif found.message == "is not a known field" and parts:
        names = [
            f.encode_name
            for info in _type_at(kind, parts[:-1])
            if isinstance(info, msgspec.inspect.StructType)
            for f in info.fields
        ]
        extra = f" (known fields: {', '.join(names)})" if names else ""
    else:
        return found
    return Problem(found.file, found.message + extra, found.item, found.field)


def convert(data: Any, kind: type[T], where: str, item: str | None = None) -> T:
    """``data`` as a ``kind``, or :class:`~alliance_kit.content.ContentError` saying why not."""
    from .content import ContentError

    try:
        return msgspec.convert(data, kind, strict=True)
    except msgspec.ValidationError as exc:
        raise ContentError(name_choices(problem(exc, data, where, item), kind)) from None


def convert_items(
    where: str,
    items: Iterable[Any],
    kind: type[T],
    *,
    id_field: str = "id",
    seen_ids: set[str] | None = None,
    label: Callable[[Any, int], str] | None = None,
) -> tuple[list[T], list[Problem]]:
    """The valid items as ``kind`` objects, and a problem for each one left out.

    One broken item never takes the others down; ids must be unique across ``seen_ids``.
    """
    seen = seen_ids if seen_ids is not None else set()
    good: list[T] = []
    problems: list[Problem] = []
    for index, data in enumerate(items):
        if label is not None:
            name = label(data, index)
        else:
            raw = data.get(id_field) if isinstance(data, dict) else None
            name = str(raw) if raw else f"#{index + 1}"
        try:
            obj = msgspec.convert(data, kind, strict=True)
        except msgspec.ValidationError as exc:
            problems.append(name_choices(problem(exc, data, where, name), kind))
            continue
        ident = getattr(obj, id_field, None)
        if ident is not None and ident in seen:
            problems.append(Problem(where, "duplicate id (ids must be unique)", name, id_field))
            continue
        if ident is not None:
            seen.add(ident)
        good.append(obj)
    return good, problems


def field_error(field: str, sentence: str) -> ValueError:
    """What a declaration's ``__post_init__`` raises when a rule across fields fails: the
    problem then names ``field`` (a path below the item, ``options`` or ``options[1].text``)
    and says ``sentence``."""
    return ValueError(f"`{field}`: {sentence}")


def prose_fields(kind: type) -> frozenset[str]:
    """The names (as written in the file) of the fields marked ``PROSE`` in ``kind`` and in
    every declaration it holds."""
    names: set[str] = set()
    seen: set[type] = set()

    def walk(info: Any, is_prose: bool = False, name: str | None = None) -> None:
        if isinstance(info, msgspec.inspect.Metadata):
            walk(info.type, is_prose or bool((info.extra or {}).get("prose")), name)
        elif isinstance(info, msgspec.inspect.StructType):
            if info.cls not in seen:
                seen.add(info.cls)
                for f in info.fields:
                    walk(f.type, False, f.encode_name)
        elif isinstance(info, msgspec.inspect.UnionType):
            for member in info.types:
                walk(member, is_prose, name)
        elif isinstance(info, (msgspec.inspect.ListType, msgspec.inspect.VarTupleType)):
            walk(info.item_type, False, name)
        elif isinstance(info, msgspec.inspect.DictType):
            walk(info.value_type, False, name)
        elif is_prose and name:
            names.add(name)

    walk(msgspec.inspect.type_info(kind))
    return frozenset(names)


def json_schema(kind: type) -> dict:
    """The JSON Schema editors get for ``kind``, generated from the declaration itself."""
    return msgspec.json.schema(kind)


#: The JSON Schemas shipped for editors (``schemas/<name>.schema.json``), by file name, each
#: generated from its declaration by ``tools/make_schemas.py``.
SHIPPED_SCHEMAS: dict[str, type] = {}


def ships_schema(name: str) -> Callable[[type[T]], type[T]]:
    """Mark a declaration as the top level of one content file kind, whose JSON Schema is
    shipped as ``schemas/<name>.schema.json`` (a test keeps the file equal to the declaration)."""

    def decorate(kind: type[T]) -> type[T]:
        SHIPPED_SCHEMAS[name] = kind
        return kind

    return decorate


def schema_text(kind: type) -> str:
    """The shipped file's text: stable key order and a final newline, so a diff shows real
    changes only."""
    import json

    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"


def without(kind: type[T], leave_out: Iterable[str]) -> type:
    """``kind`` without the fields in ``leave_out``, taken from the declaration itself.

    A file's own fields are checked with this apart from its lists of items, which are
    checked one item at a time: msgspec stops at the first problem, and one broken item must
    be reported with its id while the other items still load.
    """
    skip = set(leave_out)
    fields: list[Any] = []
    for f in msgspec.structs.fields(kind):
        if f.name in skip:
            continue
        if f.default is not msgspec.NODEFAULT:
            fields.append((f.name, f.type, f.default))
        elif f.default_factory is not msgspec.NODEFAULT:
            fields.append((f.name, f.type, msgspec.field(default_factory=f.default_factory)))
        else:
            fields.append((f.name, f.type))
    return msgspec.defstruct(kind.__name__, fields, bases=(Declared,), kw_only=True)
