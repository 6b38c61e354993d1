"""The JSON Schemas shipped for editors are the content declarations, not a second copy."""

from __future__ import annotations

import json

import jsonschema
import pytest

from alliance_kit.content import SCHEMA_DIR
from alliance_kit.content_kinds import all_checkers
from alliance_kit.declared import SHIPPED_SCHEMAS, schema_text

all_checkers()


@pytest.mark.parametrize("name", sorted(SHIPPED_SCHEMAS))
def test_shipped_schema_is_generated_from_its_declaration(name: str) -> None:
    path = SCHEMA_DIR / f"{name}.schema.json"
    assert path.exists(), f"run python tools/make_schemas.py to write {path.name}"
    assert path.read_text(encoding="utf-8") == schema_text(SHIPPED_SCHEMAS[name]), (
        f"{path.name} differs from its declaration: run python tools/make_schemas.py"
    )


@pytest.mark.parametrize("name", sorted(SHIPPED_SCHEMAS))
def test_shipped_schema_is_valid_json_schema(name: str) -> None:
    schema = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
