"""Fill a language's catalogue from a YAML file of ``English: translation`` pairs.

Translators usually edit the ``.po`` file itself (any PO editor works); this is for adding many
translations at once from a reviewed list: ``python tools/fill_translations.py nl pairs.yaml``,
then ``make translations``. Existing translations are replaced only when the list has a new one.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml
from babel.messages.pofile import read_po, write_po

from alliance_kit.i18n import DOMAIN, LOCALE_DIR


def fill(lang: str, pairs: dict[str, str]) -> tuple[int, list[str]]:
    """Put ``pairs`` into ``lang``'s catalogue; returns how many were set and the English
    texts the catalogue does not have (run ``make translations`` first to extract them)."""
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    done, unknown = 0, []
    for english, translated in pairs.items():
        key = english if english in catalog else None
        if key is None:
            unknown.append(english)
            continue
        message = catalog[key]
        message.string = translated
        message.flags.discard("fuzzy")
        done += 1
    with path.open("wb") as fh:
        write_po(fh, catalog, width=100, no_location=True, sort_output=True)
    return done, unknown


def main() -> int:
    lang, source = sys.argv[1], Path(sys.argv[2])
    pairs = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    done, unknown = fill(lang, pairs)
    print(f"{done} translation(s) set in {lang}")
    for text in unknown:
        print(f"  not in the catalogue (extract first): {text[:70]!r}")
    return 1 if unknown else 0


if __name__ == "__main__":
    raise SystemExit(main())
