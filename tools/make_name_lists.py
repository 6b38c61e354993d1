"""Regenerate the name lists that alliance-kit's identifier check reads.

The lists under ``tools/alliance_kit/data/names/`` are plain text so that the check needs
nothing at run time. They are extracted from the person-name providers of the Faker package
(MIT licence) for the locales common among clients in the Netherlands and the UK, plus a few
names Faker lacks. A name that is also an ordinary English or Dutch word ("mark", "roos",
"bakker") goes into ``ordinary_words.txt`` too, so the check asks for more context before it
warns about it; that membership test uses the hunspell word lists of Debian's ``hunspell-en-gb``
and ``hunspell-nl`` packages (only which names are words is kept, no dictionary text).

Run (Faker only needs to be importable here, never in the kit):

    pip install --target /tmp/faker faker
    apt-get install hunspell-en-gb hunspell-nl hunspell-tools
    PYTHONPATH=/tmp/faker python tools/make_name_lists.py
"""

from __future__ import annotations

import importlib
import shutil
import subprocess
import unicodedata
from pathlib import Path


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


OUT = Path(__file__).resolve().parent / "alliance_kit" / "data" / "names"
LOCALES = [
    "nl_NL",
    "nl_BE",
    "en_GB",
    "en_IE",
    "en_US",
    "en_IN",
    "en_PK",
    "tr_TR",
    "fr_DZ",
    "pl_PL",
]
DICTIONARIES = [Path("/usr/share/hunspell/en_GB.dic"), Path("/usr/share/hunspell/nl.dic")]
# Dutch and other surname particles: never a name on their own.
PARTICLES = _words("van de der den het ter ten te in op la le du el")


# Common among clients in the Netherlands and the UK but missing from Faker's lists.
EXTRA_FIRST = _words(
    """abdel ahmed bouchra rachid hassan ibrahim youssef yusuf mohamed mohammed fatima
khadija naima nadia samira karim mustafa mehmet priya kayleigh leanne callum declan jordi anouk
lieke marloes sanne luuk thijs daan milan noah sem zoe chantal annemarie marieke jorn aisha
nordin othman najib latifa soukaina hanane meryem ramon jairo romano katarzyna tariq nasir shabana
kofi kwame chidi tunde"""
)
EXTRA_SURNAMES = _words(
    """jansen janssen vries bakker visser smit meijer mulder peters hendriks dekker
dijkstra brouwer koster huisman kuipers veenstra vermeulen willems yilmaz smith jones williams
taylor davies evans wilson thomas roberts johnson robinson thompson hughes edwards harris clarke
jackson morris watson harrison patel khan amrani bouzid"""
)
# Names that a dictionary also lists as a rare or old word ("peter out", "jan" in idioms),
# but that in a note almost always mean a person: these need no extra context.
NAMES_FIRST = _words(
    """abel abigail adam albert allen amanda amine amir anita axel aya barak baseer benjamin
bente billy bob bobby bonnie brad bram brent briek bryony cara carina carl carter cas chad
charlotte chris clark colleen corrie daphne darren dalton demi derrick dirk donna eddy els emir
erica erin erna eva faas fleur gemma georgette gloria griet gunter hannes hans harry hector helen
hendrik henry inga janet jan jasper jean jenny jerry joe joel joep joey john johnny jolie jon
jonas jonathan josh jozef juan julienne kelly kelvin kim kirk klaas koen kornel kris kyle lee
lewis lien lila linde linn lorraine lori lou luis madeleine madison mara marc marcel marguerite
maria martin mary maxime maxwell merel merle mia mick mike mila mina mirte molly morris nancy
nelly noël omer parker pascal patty peggy peter phoebe piet puk rachel raf rani ria rick rickey
rik rosa russell sally sara sem senna sep serge sharon sheila simon spencer sten steven talib
tammy terry thomas tiffany tom tommy troy tuur veronica victor willie willy wim wout wouter
bakker visser mulder dekker brouwer huisman koster kuiper molenaar timmerman smith khan patel
jonker kramer schipper verhagen verstappen lambert nelson murphy parkinson peters
heather sander sanders miller rogers perry harper parsons fowler tucker bates"""
)


def _fold(name: str) -> str:
    """The name without accents, as many notes type it ("yilmaz" for "yılmaz")."""
    name = name.replace("ı", "i")
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def _parts(names: object) -> set[str]:
    found: set[str] = set()
    for full in names:  # type: ignore[attr-defined]
        for part in str(full).lower().replace("-", " ").split():
            part = part.strip("'.")
            if part in PARTICLES or len(part) < 3 or not part.isalpha():
                continue
            found |= {part, _fold(part)}
    return found


def _provider_names(attrs: tuple[str, ...]) -> set[str]:
    found: set[str] = set()
    for locale in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attr in attrs:
            found |= _parts(getattr(provider, attr, ()))
    return found


def _dictionary_words(path: Path) -> list[str]:
    """Every form in a hunspell list: its stems, and with ``unmunch`` (hunspell-tools) the
    inflected forms too ("weeks", "freely"), which a note starts sentences with as well."""
    words = [line.split("/")[0].strip() for line in path.read_text(errors="ignore").splitlines()]
    if unmunch := shutil.which("unmunch"):
        forms = subprocess.run(
            [unmunch, str(path), str(path.with_suffix(".aff"))],
            capture_output=True,
            check=True,
        ).stdout.decode("utf-8", errors="ignore")
        words += forms.splitlines()
    return words


def _ordinary_words() -> set[str]:
    """Lower-case dictionary words: words that are not only names."""
    words: set[str] = set()
    for path in DICTIONARIES:
        words |= {w for w in _dictionary_words(path) if w and w == w.lower() and w.isalpha()}
    return words


def _write(name: str, header: str, entries: set[str]) -> None:
    lines = [f"# {line}" if line else "#" for line in header.strip().splitlines()]
    (OUT / name).write_text("\n".join([*lines, *sorted(entries)]) + "\n", encoding="utf-8")


def main() -> None:
    import faker

    source = (
        f"Extracted by tools/make_name_lists.py from Faker {faker.VERSION} (MIT licence),\n"
        f"person providers {', '.join(LOCALES)}, plus a few names Faker lacks.\n"
        "One lower-case name (or name part) a line; accents also folded away."
    )
    first = _provider_names(("first_names", "first_names_male", "first_names_female"))
    first |= set(EXTRA_FIRST)
    last = _provider_names(("last_names", "last_names_male", "last_names_female"))
    last |= set(EXTRA_SURNAMES)
    last -= {"doe"}
    OUT.mkdir(parents=True, exist_ok=True)
    _write("first_names.txt", f"First names.\n{source}", first)
    _write("surnames.txt", f"Surnames (particles such as 'van', 'de' removed).\n{source}", last)
    ordinary = ((first | last) & _ordinary_words()) - NAMES_FIRST
    _write(
        "ordinary_words.txt",
        "Entries of first_names.txt and surnames.txt that are also ordinary English or Dutch\n"
        "words (in the hunspell-en-gb or hunspell-nl word lists): a note must show more than a\n"
        "capital letter before the check calls one a name. Generated by\n"
        "tools/make_name_lists.py; names that mostly mean a person are left out by hand.",
        ordinary,
    )
    print(f"{len(first)} first names, {len(last)} surnames, {len(ordinary)} also words")


if __name__ == "__main__":
    main()
