"""What "no English text left on a Dutch page" means, for the browser tests.

The English texts are the catalogue's own: every text marked for translation whose Dutch
differs. A Dutch page leaks one when a line of the page is that text, or, for a text of three
words or more, when the page contains it anywhere (placeholders such as ``{count}`` split a
text into the literal pieces that must not show).

And the content's: every text of the English content files (questionnaire, scenarios, quiz
and practice items, the channel model) whose Dutch file has another text in the same place. A
page leaks one when it shows the text's first six words: a page that read the English file
(the trends page's reflection once did) shows whole sentences of it.
"""

from __future__ import annotations

import re
from functools import cache

import yaml
from babel.messages.pofile import read_po

from alliance_kit import i18n
from alliance_kit.paths import content_dir

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


#: Words of a content text that identify it on a page (Markdown may change what follows).
CONTENT_WORDS = 6


def _pairs(english: object, translated: object) -> list[tuple[str, str]]:
    """The (English, translated) strings at the same place in two parsed files."""
    if isinstance(english, str):
        return [(english, translated if isinstance(translated, str) else "")]
    if isinstance(english, dict):
        other = translated if isinstance(translated, dict) else {}
        return [p for key, value in english.items() for p in _pairs(value, other.get(key))]
    if isinstance(english, list):
        other = translated if isinstance(translated, list) else []
        return [
            p
            for i, value in enumerate(english)
            for p in _pairs(value, other[i] if i < len(other) else None)
        ]
    return []


@cache
def english_content_texts(lang: str = "nl") -> tuple[str, ...]:
    """The opening words of every English content text that the ``lang`` content files word
    otherwise (a text left in English in a translation is not counted)."""
    english_root, translated_root = content_dir(), content_dir(lang)
    texts: set[str] = set()
    for path in english_root.rglob("*.yaml"):
        relative = path.relative_to(english_root)
        if relative.parts[0] == lang:
            continue
        translated = translated_root / relative
        if not translated.is_file():
            continue
        english = yaml.safe_load(path.read_text(encoding="utf-8"))
        other = yaml.safe_load(translated.read_text(encoding="utf-8"))
        for text, dutch in _pairs(english, other):
            words = text.split()
            if len(words) >= CONTENT_WORDS and " ".join(dutch.split()) != " ".join(words):
                texts.add(" ".join(words[:CONTENT_WORDS]))
    return tuple(sorted(texts))


def english_left(text: str, lang: str = "nl") -> list[str]:
    """The English interface and content texts that show in ``text`` (a page's visible
    text)."""
    lines = {line.strip(" .,:;!?") for line in text.splitlines()}
    flat = " ".join(text.split())
    return [
        english
        for english in english_interface_texts(lang)
        if english in lines or (len(english.split()) >= 3 and english in text)
    ] + [english for english in english_content_texts(lang) if english in flat]


def forget_language(data_dir) -> None:
    """Forget the language a ``?lang=`` address made the kit remember in ``data_dir``, so the
    next test on the same server gets the kit's default again."""
    (data_dir / i18n.PREFERENCES_FILE).unlink(missing_ok=True)
