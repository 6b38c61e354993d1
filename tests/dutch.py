"""What "no English interface text left on a Dutch page" means, for the browser tests.

The English texts are the catalogue's own: every text marked for translation whose Dutch
differs. A Dutch page leaks one when a line of the page is that text, or, for a text of three
words or more, when the page contains it anywhere (placeholders such as ``{count}`` split a
text into the literal pieces that must not show).
"""

from __future__ import annotations

import re
from functools import cache

from babel.messages.pofile import read_po

from alliance_kit import i18n

_PLACEHOLDER = re.compile(r"\{[^}]*\}|%\(\w+\)[sd]|%[sd]")


@cache
def english_interface_texts(lang: str = "nl") -> tuple[str, ...]:
    with (i18n.LOCALE_DIR / lang / "LC_MESSAGES" / "alliance_kit.po").open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    texts: set[str] = set()
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english in ids:
            if not english or english in strings:
                continue  # the same in both languages (a name, a number format)
            for piece in _PLACEHOLDER.split(english):
                piece = piece.strip(" .,:;!?()-–")
                if len(piece) >= 4 and piece not in strings:
                    texts.add(piece)
    return tuple(sorted(texts))


def english_left(text: str, lang: str = "nl") -> list[str]:
    """The English interface texts that show in ``text`` (a page's visible text)."""
    lines = {line.strip(" .,:;!?") for line in text.splitlines()}
    return [
        english
        for english in english_interface_texts(lang)
        if english in lines or (len(english.split()) >= 3 and english in text)
    ]
