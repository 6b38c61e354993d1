"""Spotting client identifiers before they end up in the officer's journal.

The journal must never become a shadow case record: a pseudonymous client code at most, no
names, contact details, postcodes, case numbers, BSN or National Insurance numbers or dates of
birth. Detection here is a heuristic tuned to catch these while leaving ordinary supervision
talk alone ("room 3", "week 12", "miss the bus", "Will check"); it never blocks on its own. The
page shows each warning with the kind of identifier it saw and lets the officer edit (or save
anyway). Names are found by ``privacy_names`` from lists shipped in ``data/names/``;
``tests/fixtures/privacy_notes.yaml`` measures precision and recall.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import lazy_re
from .i18n import N_, _
from .privacy_names import code_names, find_names

#: The kinds of identifier we look for, with the words a warning uses for each.
KINDS: dict[str, str] = {
    "name": N_("a name"),
    "email": N_("an email address"),
    "phone": N_("a phone number"),
    "postcode": N_("a postcode"),
    "case-number": N_("a case or file number"),
    "date-of-birth": N_("a date of birth"),
    "national-number": N_("a BSN or National Insurance number"),
}
#: Where a warning points, as its sentence starts (a language may need another article).
_WHERE: dict[str, str] = {
    "client code": N_("The client code"),
    "note": N_("The note"),
    "answer": N_("The answer"),
}
CODE_MAX_LENGTH = 20

_MONTHS = (
    r"(?:jan(?:uary|uari)?|feb(?:ruary|ruari)?|mar(?:ch)?|maart|mrt|apr(?:il)?|may|mei|"
    r"jun(?:e|i)?|jul(?:y|i)?|aug(?:ust|ustus)?|sep(?:t|tember)?|oct(?:ober)?|okt(?:ober)?|"
    r"nov(?:ember)?|dec(?:ember)?)"
)
# Every quantifier below is bounded, and every pattern starts at a word edge, so a pasted
# 10,000-character note is checked in linear time (no catastrophic backtracking).
_EMAIL = lazy_re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}", re.I)
# 9 or more digits, allowing +, spaces, dots, dashes and brackets between them (NL: 06 1234
# 5678, +31 6 12345678, 010-1234567; UK: 07700 900123, +44 20 7946 0958).
_PHONE = lazy_re.compile(r"(?<![\w/])(?:\+|00)?\(?\d[\d\s().-]{7,20}\d(?![\w/])")
# Four digits and two letters: upper case as written ("3511 AB"), or lower case unless the two
# letters are a short word or a unit ("in 2024 we met", "1000 mg", "1030am").
_POSTCODE_NL_ANY_CASE = lazy_re.compile(r"(?<![\w.,/-])[1-9]\d{3}\s?([A-Za-z]{2})(?![\w/-])")
_NOT_POSTCODE_LETTERS = frozenset(
    re.findall(
        r"\S+",
        """en de we ze in is op om of at to on an as am pm be by he me my no so up us or it if do go
    al er na nu te je ik zo ge ga he hé ja nl uk eu mg ml kg km cm mm gb mb kb ct st nd rd th
    uu hr ur pp ex sa sd ss""",
    )
)
_POSTCODE_NL_CODE = lazy_re.compile(r"[1-9]\d{3}\s?[A-Za-z]{2}")
# UK postcodes, upper case in a note (so "Room B2 1st floor" is none); the inward code's
# letters never include C, I, K, M, O or V.
_POSTCODE_UK = lazy_re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2}\b")
_CASE_KEYWORD = lazy_re.compile(
    r"\b(?:case|file|dossier|parket|parketnummer|crn|pnc|nomis|cjib|reference|ref)"
    r"\s{0,3}(?:no\.?|nr\.?|number|nummer|#|:)?\s{0,3}[:#]?\s{0,3}"
    r"([A-Z]{0,3}\d[\d/.-]{4,24}[A-Z]?)",
    re.I,
)
# Dutch parketnummer 13/123456-21, UK CRN X123456, PNC 12/345678A, prison (NOMIS) number
# A1234BC, or any run of 6+ digits.
_CASE_SHAPES = lazy_re.compile(
    r"\b(?:\d{2}/\d{6}-\d{2}|\d{2,4}/\d{5,8}[A-Z]?|[A-Z]{1,3}\d{6,}|[A-Z]\d{4}[A-Z]{2}|\d{6,})\b",
    re.I,
)
# UK National Insurance number (QQ 12 34 56 C): prefix letters never D, F, I, Q, U or V.
_NINO = lazy_re.compile(
    r"\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b", re.I
)
_NINO_KEYWORD = lazy_re.compile(
    r"\b(?:national insurance|ni|nino)\s{0,3}(?:no\.?|number)?\s{0,3}:?\s{0,3}"
    r"([A-Z]{2}(?: ?\d{2}){3}(?: ?[A-D])?)(?!\w)",
    re.I,
)
# Dutch citizen service number: 9 digits, often written 1234.56.789, with or without "BSN".
_BSN = lazy_re.compile(r"(?<![\w.,/-])(\d{4}([. ]?)\d{2}\2\d{3}|\d{9})(?![\w/-]|[.,]\d)")
_BSN_KEYWORD = lazy_re.compile(
    r"\b(?:bsn|sofinummer|sofi)\s{0,3}(?:nr\.?|nummer)?\s{0,3}:?\s{0,3}(\d[\d. ]{7,11}\d)", re.I
)
_DATE_NUMERIC = lazy_re.compile(r"\b(\d{1,2})[-/.](\d{1,2})[-/.]((?:19|20)?\d{2})\b")
_DATE_ISO = lazy_re.compile(r"\b((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})\b")
_YEAR = r"(?:((?:19|20)\d{2})|['’](\d{2}))"
_DATE_WORDS = lazy_re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th|e)?\s{{1,3}}{_MONTHS}\.?,?\s{{1,3}}{_YEAR}(?!\w)", re.I
)
_DATE_MONTH_FIRST = lazy_re.compile(
    rf"\b{_MONTHS}\.?\s{{1,3}}\d{{1,2}}(?:st|nd|rd|th)?,?\s{{1,3}}{_YEAR}(?!\w)", re.I
)
# A day and month without a year: a date of birth only right after a birth word.
_DAY_MONTH = lazy_re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th|e)?\s{{1,3}}{_MONTHS}(?![a-z])", re.I)
_BIRTH_WORDS = lazy_re.compile(
    r"(?<!\w)(?:born|dob|d\.o\.b\.?|date of birth|birth date|birthday|geboren|geb\.?|"
    r"geboortedatum|geboortedag|verjaardag|jarig)(?!\w)",
    re.I,
)
_BIRTH_YEAR = lazy_re.compile(
    r"[\s:,.]{0,3}(?:(?:in|op|on|uit)\s{1,3})?((?:19|20)\d{2})(?!\d)", re.I
)
# How far after a birth word a date still reads as the date of birth.
_BIRTH_REACH = 40
_BIRTH_YEAR_IN_CODE = lazy_re.compile(r"(?<!\d)(19[3-9]\d|200\d|201[0-2])(?!\d)")


@dataclass(frozen=True)
class Finding:
    """One thing that looks like an identifier: its kind, the text matched, and why we care."""

    kind: str
    match: str
    message: str


def _finding(kind: str, match: str, where: str) -> Finding:
    return Finding(
        kind,
        match,
        _(
            "{where} seems to contain {what} ({match}). Journal entries may not identify a "
            "client: remove it or replace it with something that does not."
        ).format(
            where=_(_WHERE.get(where, "The " + where)),
            what=_(KINDS[kind]),
            match=repr(match.strip()),
        ),
    )


def _dates(text: str) -> list[tuple[str, int, int | None]]:
    """Dates in the text: (text, where it starts, four-digit year or None when it has none)."""
    found: list[tuple[str, int, int | None]] = []
    for m in _DATE_NUMERIC.finditer(text):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1 <= day <= 31 and 1 <= month <= 12:
            found.append((m.group(0), m.start(), _full_year(year)))
    for m in _DATE_ISO.finditer(text):
        if 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 31:
            found.append((m.group(0), m.start(), int(m.group(1))))
    for rx in (_DATE_WORDS, _DATE_MONTH_FIRST):
        for m in rx.finditer(text):
            found.append((m.group(0), m.start(), _full_year(int(m.group(1) or m.group(2)))))
    taken = [(start, start + len(d)) for d, start, _ in found]
    for m in _DAY_MONTH.finditer(text):
        if not any(a <= m.start() < b for a, b in taken):
            found.append((m.group(0), m.start(), None))
    return found


def _full_year(year: int) -> int:
    if year < 100:
        return year + (1900 if year > 30 else 2000)
    return year


def _elfproef(digits: str) -> bool:
    """The eleven-test every BSN passes (9x1 + 8x2 + ... + 2x8 - 1x9 divisible by 11)."""
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    total = sum(w * int(d) for w, d in zip(weights, digits, strict=True))
    return total % 11 == 0 and int(digits) != 0


def _blank(text: str, start: int, end: int) -> str:
    """The text with one match spaced out, so that nothing else reports it again."""
    return text[:start] + " " * (end - start) + text[end:]


def _national_numbers(text: str) -> tuple[list[str], str]:
    """BSNs and National Insurance numbers, with the text that is left without them."""
    found: list[str] = []
    for rx in (_BSN_KEYWORD, _NINO_KEYWORD):
        for m in rx.finditer(text):
            found.append(m.group(0))
            text = _blank(text, m.start(), m.end())
    for m in _NINO.finditer(text):
        found.append(m.group(0))
        text = _blank(text, m.start(), m.end())
    for m in _BSN.finditer(text):
        if _elfproef(re.sub(r"\D", "", m.group(1))):
            found.append(m.group(1))
            text = _blank(text, m.start(1), m.end(1))
    return found, text


def _postcodes(text: str) -> list[str]:
    found = []
    for m in _POSTCODE_NL_ANY_CASE.finditer(text):
        letters = m.group(1)
        if letters.isupper():
            if letters not in ("SA", "SD", "SS", "AM", "PM"):
                found.append(m.group(0))
        elif letters.lower() not in _NOT_POSTCODE_LETTERS:
            found.append(m.group(0))
    found += [m.group(0) for m in _POSTCODE_UK.finditer(text)]
    return found


def _common(text: str, where: str) -> list[Finding]:
    """Identifier shapes that are suspicious anywhere: email, national number, phone,
    postcode, case number."""
    findings: list[Finding] = []
    rest = text
    for m in _EMAIL.finditer(text):
        findings.append(_finding("email", m.group(0), where))
        rest = _blank(rest, m.start(), m.end())
    case = []
    for m in _CASE_KEYWORD.finditer(rest):
        case.append(m.group(0))
        rest = _blank(rest, m.start(), m.end())
    national, rest = _national_numbers(rest)
    findings += [_finding("national-number", n, where) for n in national]
    dates = {d for d, _, _ in _dates(rest)}
    phones = [
        m
        for m in _PHONE.finditer(rest)
        if sum(c.isdigit() for c in m.group(0)) >= 9
        and not any(d in m.group(0) for d in dates)
        and not _DATE_ISO.search(m.group(0))
    ]
    findings += [_finding("phone", m.group(0), where) for m in phones]
    for m in phones:
        rest = _blank(rest, m.start(), m.end())
    findings += [_finding("postcode", p, where) for p in _postcodes(rest)]
    for m in _CASE_SHAPES.finditer(rest):
        if not any(m.group(0) in d for d in dates):
            case.append(m.group(0))
    findings += [_finding("case-number", c, where) for c in case]
    return findings


def check_client_code(code: str) -> list[Finding]:
    """Warnings for a client code that might identify the client (empty list = looks fine).

    A good code is short, chosen by the officer, and means nothing outside the journal, such
    as ``K-17`` or ``blue-04``. A code made only of letters reads like a name or initials-and-
    surname, so it gets a warning too.
    """
    code = code.strip()
    findings = _common(code, "client code")
    if any(f.kind in ("email", "phone", "national-number") for f in findings):
        return findings
    for text, _start, _year in _dates(code):
        findings.append(_finding("date-of-birth", text, "client code"))
    # A code is typed in any case: "3511ab" or "sw1a 1aa" is still a postcode.
    if not findings and (_POSTCODE_NL_CODE.fullmatch(code) or _POSTCODE_UK.fullmatch(code.upper())):
        findings.append(_finding("postcode", code, "client code"))
    if not findings:
        letters_only = re.fullmatch(r"[A-Za-z][A-Za-z .'-]*", code) is not None
        named = code_names(code) or find_names(code)
        if named:
            findings.append(_finding("name", named[0], "client code"))
        elif letters_only and sum(c.isalpha() for c in code) >= 3:
            findings.append(
                Finding(
                    "name",
                    code,
                    _(
                        "The client code {code} is made of letters only, so it may be a name or "
                        "a nickname. Use a code with a number that means nothing outside this "
                        "journal, for example K-17."
                    ).format(code=repr(code)),
                )
            )
        # A run of digits in a code that looks like a birth year (e.g. "jd1987") is a date hint.
        elif (year := _BIRTH_YEAR_IN_CODE.search(code)) and re.search(r"[A-Za-z]", code):
            findings.append(_finding("date-of-birth", year.group(0), "client code"))
    return findings


def client_code_problem(code: str) -> str | None:
    """A reason the code cannot be used at all (empty, too long); None when it can."""
    code = code.strip()
    if not code:
        return _("Enter a client code: a short code you chose, such as K-17 (never a name).")
    if len(code) > CODE_MAX_LENGTH:
        return _("Keep the client code to {most} characters or fewer.").format(most=CODE_MAX_LENGTH)
    return None


def _dates_of_birth(text: str) -> list[str]:
    """Dates near a birth word ("geb.", "born"), a birth year after one, or any date old
    enough to be one (a session date in a note is fine)."""
    births = [m.end() for m in _BIRTH_WORDS.finditer(text)]
    found = []
    for date_text, start, year in _dates(text):
        near_birth = any(0 <= start - end <= _BIRTH_REACH for end in births)
        if near_birth or (year is not None and year <= 2012):
            found.append(date_text)
    for end in births:
        if (m := _BIRTH_YEAR.match(text, end)) and not any(m.group(1) in d for d in found):
            found.append(m.group(1))
    return found


def check_free_text(text: str, where: str = "note") -> list[Finding]:
    """Warnings for a note that seems to hold identifiers (empty list = looks fine)."""
    findings = _common(text, where)
    findings += [_finding("date-of-birth", d, where) for d in _dates_of_birth(text)]
    findings += [_finding("name", n, where) for n in find_names(text)]
    return findings
