"""The kit's languages: which one a visitor gets, and gettext for the interface text.

Interface text (widget labels, messages, CLI output) is marked with ``_()`` and translated
through standard gettext catalogues in ``alliance_kit/locale``, managed with Babel
(``make translations`` extracts, updates and compiles them; see ``docs/translating.md``).
Content (learn texts, questions, scenarios, resources) is translated as content files, not
here: see ``paths.content_dir(lang)``.

Which language a visitor gets, first match wins:

1. the language they picked with the switch on a page (``?lang=nl``), remembered in their own
   data folder (not on a shared workshop server, where everyone has the same folder; there
   the kit's links carry the choice from page to page instead);
2. ``ALLIANCE_KIT_LANG``, a server-wide default an organisation sets;
3. the browser's language (``Accept-Language``);
4. English.

One kernel serves one page for one visitor, so the active language is a process-wide setting.
"""

from __future__ import annotations

import gettext as _gettext
import json
import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs

from . import lazy_re
from .paths import PACKAGE_DIR, SOURCE_LANGUAGE

#: Languages the interface and the content exist in, with their own names for the switch.
LANGUAGES: dict[str, str] = {"en": "English", "nl": "Nederlands"}
LANG_ENV = "ALLIANCE_KIT_LANG"
DOMAIN = "alliance_kit"
LOCALE_DIR = PACKAGE_DIR / "locale"
PREFERENCES_FILE = "preferences.json"

_active = SOURCE_LANGUAGE


def normalise(code: str | None) -> str | None:
    """``nl``, ``nl-BE``, ``NL_nl.UTF-8`` → ``nl``; None for a language the kit does not have."""
    if not code:
        return None
    base = code.strip().replace("_", "-").split(".")[0].split("-")[0].lower()
    return base if base in LANGUAGES else None


def from_accept_language(header: str | None) -> str | None:
    """The browser's most preferred language the kit has, by the header's q-values."""
    if not header:
        return None
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")[:32]):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        lang = normalise(tag)
        if lang and weight > 0:
            ranked.append((-weight, index, lang))
    return min(ranked)[2] if ranked else None


def from_query(query_string: str | None) -> str | None:
    """The ``lang`` a page address asks for (``?lang=nl``)."""
    if not query_string:
        return None
    values = parse_qs(query_string[:2000]).get("lang")
    return normalise(values[0]) if values else None


def server_default() -> str | None:
    """``ALLIANCE_KIT_LANG``, when it names a language the kit has."""
    return normalise(os.environ.get(LANG_ENV))


def _preferences_path() -> Path:
    from .paths import data_dir

    return data_dir(create=False) / PREFERENCES_FILE


def remembered() -> str | None:
    """The language this user last picked, from their data folder (None on a shared server)."""
    from .paths import shared_server

    if shared_server():
        return None
    try:
        data = json.loads(_preferences_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return normalise(data.get("language")) if isinstance(data, dict) else None


def remember(lang: str) -> bool:
    """Keep ``lang`` as this user's choice; False (and nothing written) on a shared server,
    where the data folder is everyone's. Written whole or not at all, owner-only."""
    from .paths import data_dir, shared_server

    lang = normalise(lang) or SOURCE_LANGUAGE
    if shared_server():
        return False
    if remembered() == lang:
        return True
    path = data_dir() / PREFERENCES_FILE
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"language": lang}, fh)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        return False
    return True


def choose(
    query_string: str | None = None,
    accept_language: str | None = None,
    *,
    remember_choice: bool = True,
) -> str:
    """The visitor's language by the order in this module's docstring; a language picked in
    the address is remembered for next time."""
    picked = from_query(query_string)
    if picked:
        if remember_choice:
            remember(picked)
        return picked
    return (
        remembered() or server_default() or from_accept_language(accept_language) or SOURCE_LANGUAGE
    )


def page_language(environ: Mapping[str, str] | None = None) -> str:
    """The language of the page a kernel is rendering, from what Voila passed on of the
    request (the address and the Accept-Language header)."""
    env = os.environ if environ is None else environ
    return choose(env.get("QUERY_STRING"), env.get("HTTP_ACCEPT_LANGUAGE"))


def cli_language(environ: Mapping[str, str] | None = None) -> str:
    """The language of the command line: the kit's own setting, the user's remembered choice,
    then the usual locale variables."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        system = normalise(env.get(name))
        if system:
            break
    else:
        system = None
    return normalise(env.get(LANG_ENV)) or remembered() or system or SOURCE_LANGUAGE


@cache
def translations(lang: str) -> _gettext.NullTranslations:
    """The compiled catalogue of ``lang`` (English needs none: the source text is English)."""
    return _gettext.translation(DOMAIN, LOCALE_DIR, [lang], fallback=True)


def activate(lang: str | None) -> str:
    """Make ``lang`` the language of everything translated from now on; returns it."""
    global _active
    _active = normalise(lang) or SOURCE_LANGUAGE
    return _active


def active() -> str:
    return _active


def gettext(message: str) -> str:
    return translations(_active).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_active).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """For one English word that needs two Dutch ones depending on where it stands."""
    return translations(_active).pgettext(context, message)


#: How English and Dutch write a number (CLDR's decimal sign and group separator, which Babel
#: gives too). Loading Babel's locale data for a kernel's first number costs 10-15 ms, more than
#: building a page's widgets, so the patterns the kit uses are written here for these two
#: languages; every other language and pattern goes through Babel, and a test compares both.
_SYMBOLS = {"en": (".", ","), "nl": (",", ".")}
_SIMPLE = lazy_re.compile(r"(#,##)?0(?:\.(0*)(#*))?")


def _simple_number(value: object, pattern: str, scale: int = 0, suffix: str = "") -> str | None:
    """Babel's rendering of a plain pattern (``#,##0.0#``, ``0.###``) in English or Dutch, step
    by step as Babel's ``NumberPattern.apply`` does it; None for anything else."""
    import decimal

    symbols = _SYMBOLS.get(_active)
    if symbols is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    shape = _SIMPLE.fullmatch(pattern)
    if shape is None:
        return None
    point, group = symbols
    low = len(shape.group(2) or "")
    high = low + len(shape.group(3) or "")
    try:
        exact = decimal.Decimal(str(value)).scaleb(scale)
        if not exact.is_finite():
            return None
        negative = exact.is_signed()
        whole, _dot, fraction = (
            f"{abs(exact).normalize().quantize(decimal.Decimal(10) ** -high):f}".partition(".")
        )
    except decimal.DecimalException:
        return None
    if shape.group(1):
        grouped = whole[-3:]
        whole = whole[:-3]
        while whole:
            grouped = whole[-3:] + group + grouped
            whole = whole[:-3]
        whole = grouped
    fraction = (fraction or "0").ljust(low, "0")
    if high == 0 or (low == 0 and int(fraction) == 0):
        fraction = ""
    else:
        fraction = point + (fraction[:low] + fraction[low:].rstrip("0"))
    return ("-" if negative else "") + whole + fraction + suffix


def number(value: float, pattern: str | None = None) -> str:
    """A number as the active language writes it (1,000.5 in English, 1.000,5 in Dutch);
    ``pattern`` is a CLDR number pattern such as ``"0.##"``."""
    simple = _simple_number(value, pattern or "#,##0.###")
    if simple is not None:
        return simple
    from babel.numbers import format_decimal

    return format_decimal(value, format=pattern, locale=_active)


def percent(value: float) -> str:
    simple = _simple_number(value, "#,##0", scale=2, suffix="%")
    if simple is not None:
        return simple
    from babel.numbers import format_percent

    return format_percent(value, locale=_active)


def day(date: object, pattern: str = "d MMMM y") -> str:
    """A date as the active language writes it (2 December 2026, 2 december 2026); ``pattern``
    is a CLDR date pattern, or ``"long"``."""
    from babel.dates import format_date

    return format_date(date, pattern, locale=_active)


def N_(message: str) -> str:  # the gettext convention: mark now, translate later
    """Mark a module-level string for the catalogue; translate it with ``_()`` where it is
    shown, since the language is known only then."""
    return message


_ = gettext
