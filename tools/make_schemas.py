"""Write the JSON Schemas shipped for editors from the content declarations.

Run after changing a declaration: ``python tools/make_schemas.py``. ``tests/test_schemas.py``
fails while a shipped file differs from its declaration.
"""

from __future__ import annotations

from alliance_kit.content import SCHEMA_DIR
from alliance_kit.content_kinds import all_checkers
from alliance_kit.declared import SHIPPED_SCHEMAS, schema_text


def main() -> None:
    all_checkers()
    for name, kind in sorted(SHIPPED_SCHEMAS.items()):
        path = SCHEMA_DIR / f"{name}.schema.json"
        path.write_text(schema_text(kind), encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
