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
from dataclasses import replace
from typing import Any, TypeVar

import msgspec

from .content import Problem
from .i18n import N_, _

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
    "str": N_("text"),
    "int": N_("a whole number"),
    "float": N_("a number"),
    "bool": N_("true or false"),
    "object": N_("a mapping of fields"),
    "array": N_("a list"),
    "null": N_("empty"),
}
#: The sentences other code recognises by their ``Problem.code`` (the words are translated).
MISSING = "missing"
UNKNOWN_FIELD = "unknown-field"
NOT_ALLOWED = "not-allowed"
EMPTY = "empty"


def _parts(path: str) -> list[str | int]:
    return [name if name else int(index) for name, index in _PART.findall(path)]


def field_path(parts: Iterable[str | int]) -> str:
    """``options[0].text``: the notation the kit's messages have always used."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or _("(top level)")


def _value_at(data: Any, parts: list[str | int]) -> Any:
    for part in parts:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _kind(name: str) -> str:
    return _(" or ").join(
        _(_KINDS[n.strip(" `")]) if n.strip(" `") in _KINDS else n.strip(" `")
        for n in name.split("|")
    )


def _sentence(what: str, value: Any) -> tuple[str, str | None, str]:
    """msgspec's wording turned into the kit's, in the active language: (the sentence, a field
    it names below the path, the sentence's ``Problem.code``)."""
    shown = f"{value!r:.60}"
    if m := re.match(r"Object missing required field `([^`]+)`", what):
        return _("is missing"), m.group(1), MISSING
    if m := re.match(r"Object contains unknown field `([^`]+)`", what):
        return _("is not a known field"), m.group(1), UNKNOWN_FIELD
    if m := re.match(r"Expected `([^`]+)`, got `([^`]+)`", what):
        kinds = {"kind": _kind(m.group(1)), "found": _kind(m.group(2)), "value": shown}
        return _("should be %(kind)s, found %(found)s %(value)s") % kinds, None, ""
    if m := re.match(r"Invalid enum value (.*)", what):
        return _("%(value)s is not allowed") % {"value": f"{m.group(1):.60}"}, None, NOT_ALLOWED
    if re.match(r"Expected `str` of length >= 1\b", what):
        return _("should not be empty"), None, EMPTY
    if m := re.match(r"Expected `str` of length >= (\d+)", what):
        return _("should be at least %(count)s characters") % {"count": m.group(1)}, None, ""
    if m := re.match(r"Expected `str` of length <= (\d+)", what):
        return _("should be at most %(count)s characters") % {"count": m.group(1)}, None, ""
    if m := re.match(r"Expected `str` matching regex '(.*)'", what):
        pattern = {"value": shown, "pattern": m.group(1)}
        return _("%(value)s does not match the pattern %(pattern)s") % pattern, None, ""
    if m := re.match(r"Expected `(?:int|float)` >= (\S+)", what):
        limits = {"value": value, "limit": m.group(1)}
        return _("%(value)s is below the minimum %(limit)s") % limits, None, ""
    if m := re.match(r"Expected `(?:int|float)` <= (\S+)", what):
        limits = {"value": value, "limit": m.group(1)}
        return _("%(value)s is above the maximum %(limit)s") % limits, None, ""
    if m := re.match(r"Expected `array` of length >= (\d+)", what):
        return _("should have at least %(count)s entries") % {"count": m.group(1)}, None, ""
    if m := re.match(r"Expected `array` of length <= (\d+)", what):
        return _("should have at most %(count)s entries") % {"count": m.group(1)}, None, ""
    return what, None, ""


def problem(exc: msgspec.ValidationError, data: Any, where: str, item: str | None) -> Problem:
    """A msgspec error as a :class:`Problem` naming file, item and field."""
    match = _AT.match(str(exc))
    what, path = (match.group("what"), match.group("path") or "") if match else (str(exc), "")
    parts = _parts(path)
    if rule := _FIELD_RULE.match(what):  # a declaration's own rule, from field_error
        parts, what = [*parts, *_parts("." + rule.group("field"))], rule.group("what")
    sentence, below, code = _sentence(what, _value_at(data, parts))
    # "is missing" and "is not a known field" name a field below the path.
    if below:
        parts = [*parts, below]
    return Problem(where, sentence, item, field_path(parts) if parts else None, code=code)


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
    if found.code == NOT_ALLOWED:
        values = [
            v
            for info in _type_at(kind, parts)
            if isinstance(info, msgspec.inspect.LiteralType)
            for v in info.values
        ]
        extra = _("; use one of: %(values)s") % {"values": ", ".join(map(repr, values))}
        extra = extra if values else ""
    elif found.code == UNKNOWN_FIELD and parts:
        names = [
            f.encode_name
            for info in _type_at(kind, parts[:-1])
            if isinstance(info, msgspec.inspect.StructType)
            for f in info.fields
        ]
        extra = _(" (known fields: %(names)s)") % {"names": ", ".join(names)} if names else ""
    else:
        return found
    if not extra:
        return found
    return replace(found, message=found.message + extra)


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
            problems.append(Problem(where, _("duplicate id (ids must be unique)"), name, id_field))
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


def _in_list(found: Problem, name: str, index: int) -> Problem:
    """An item's problem located in its file: ``pages[11].id`` rather than ``id``."""
    at = f"{name}[{index}]"
    return replace(found, field=f"{at}.{found.field}" if found.field else at)


def convert_file(
    data: Any,
    kind: type[T],
    where: str,
    lists: dict[str, type],
    *,
    id_field: str = "id",
    unique_ids: bool = True,
) -> tuple[T | None, dict[str, list[Any]], list[Problem]]:
    """A file whose ``lists`` hold items checked one by one (as :func:`convert_items`), then
    the rest of the file with the good items only: one run names every broken item and a
    wrong top-level field too.

    Returns the file as ``kind`` (None when anything but an item list is wrong), the good
    items of each list, and every problem. Ids must be unique within a list unless
    ``unique_ids`` is false (a kind whose own check words that problem).
    """
    from .content import ContentError

    if not isinstance(data, dict):
        try:
            convert(data, kind, where)
        except ContentError as exc:
            return None, {}, [exc.problem]
    good: dict[str, list[Any]] = {}
    problems: list[Problem] = []
    broken: list[str] = []
    whole = dict(data)
    for name, item_kind in lists.items():
        items = data.get(name)
        if not isinstance(items, list):
            continue
        seen: set[str] = set()
        good[name], kept = [], []
        for index, raw in enumerate(items):
            ident = raw.get(id_field) if isinstance(raw, dict) else None
            label = str(ident) if ident else f"#{index + 1}"
            objects, found = convert_items(
                where,
                [raw],
                item_kind,
                id_field=id_field,
                seen_ids=seen if unique_ids else set(),
                label=lambda *_, n=label: n,
            )
            good[name] += objects
            kept += [raw] if objects else []
            problems += [_in_list(p, name, index) for p in found]
        if len(kept) < len(items):
            broken.append(name)
            whole[name] = kept
    try:
        return convert(whole, kind, where), good, problems
    except ContentError as exc:
        # A list left short by its broken items says nothing new.
        if not any((exc.problem.field or "").startswith(name) for name in broken):
            problems.insert(0, exc.problem)
        return None, good, problems
