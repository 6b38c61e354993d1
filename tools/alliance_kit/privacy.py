"""Spotting client identifiers before they end up in the officer's journal.

The journal must never become a shadow case record: a pseudonymous client code at most, no
names, contact details, postcodes, case numbers or dates of birth. Detection here is a
heuristic that errs on the side of warning; it never blocks on its own. The page shows each
warning with the kind of identifier it saw and lets the officer edit (or save anyway).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The kinds of identifier we look for, with the words a warning uses for each.
KINDS: dict[str, str] = {
    "name": "a name",
    "email": "an email address",
    "phone": "a phone number",
    "postcode": "a postcode",
    "case-number": "a case or file number",
    "date-of-birth": "a date of birth",
}
CODE_MAX_LENGTH = 20

# Common first names and surnames (Dutch and British); unambiguous ones only, so that words
# like "will", "mark" or "hope" in a note do not raise a warning.
_NAMES = frozenset(
    [
        "aaron",
        "abdel",
        "ahmed",
        "ali",
        "amir",
        "anna",
        "anne",
        "annemarie",
        "anouk",
        "bas",
        "bram",
        "bart",
        "bouchra",
        "brian",
        "carlos",
        "chantal",
        "charlotte",
        "chloe",
        "daan",
        "david",
        "dennis",
        "dirk",
        "emma",
        "esther",
        "eva",
        "fatima",
        "fleur",
        "gerrit",
        "hans",
        "hassan",
        "henk",
        "ibrahim",
        "ilse",
        "ingrid",
        "jan",
        "jasper",
        "jeroen",
        "jessica",
        "joost",
        "jordi",
        "jorn",
        "kees",
        "kevin",
        "lars",
        "laura",
        "lieke",
        "linda",
        "lisa",
        "luuk",
        "maarten",
        "marco",
        "maria",
        "marieke",
        "marloes",
        "martijn",
        "mehmet",
        "milan",
        "mohamed",
        "mohammed",
        "naomi",
        "niels",
        "noah",
        "nora",
        "peter",
        "piet",
        "priya",
        "rachid",
        "robin",
        "ruben",
        "sander",
        "sanne",
        "sarah",
        "sem",
        "sophie",
        "stefan",
        "sven",
        "thijs",
        "thomas",
        "tim",
        "tom",
        "vincent",
        "wim",
        "yusuf",
        "youssef",
        "zoe",
        "james",
        "john",
        "robert",
        "michael",
        "william",
        "richard",
        "joseph",
        "charles",
        "christopher",
        "daniel",
        "matthew",
        "anthony",
        "paul",
        "steven",
        "andrew",
        "kenneth",
        "joshua",
        "george",
        "edward",
        "ryan",
        "jacob",
        "gary",
        "nicholas",
        "eric",
        "jonathan",
        "stephen",
        "larry",
        "justin",
        "scott",
        "brandon",
        "benjamin",
        "samuel",
        "gregory",
        "alexander",
        "patrick",
        "jack",
        "dylan",
        "tyler",
        "aiden",
        "liam",
        "oliver",
        "harry",
        "jamie",
        "callum",
        "connor",
        "kyle",
        "lewis",
        "declan",
        "mary",
        "patricia",
        "jennifer",
        "elizabeth",
        "barbara",
        "susan",
        "margaret",
        "dorothy",
        "lisa",
        "nancy",
        "karen",
        "betty",
        "helen",
        "sandra",
        "donna",
        "carol",
        "michelle",
        "emily",
        "amanda",
        "melissa",
        "deborah",
        "stephanie",
        "rebecca",
        "sharon",
        "cynthia",
        "kathleen",
        "amy",
        "shirley",
        "angela",
        "brenda",
        "pamela",
        "nicole",
        "samantha",
        "katherine",
        "christine",
        "debra",
        "rachel",
        "carolyn",
        "janet",
        "catherine",
        "heather",
        "diane",
        "julie",
        "joyce",
        "victoria",
        "kelly",
        "lauren",
        "megan",
        "hannah",
        "danielle",
        "leanne",
        "kayleigh",
        "shannon",
        "jansen",
        "janssen",
        "vries",
        "bakker",
        "visser",
        "smit",
        "meijer",
        "mulder",
        "peters",
        "hendriks",
        "dekker",
        "dijkstra",
        "brouwer",
        "koster",
        "huisman",
        "kuipers",
        "veenstra",
        "vermeulen",
        "willems",
        "yilmaz",
        "smith",
        "jones",
        "williams",
        "taylor",
        "davies",
        "evans",
        "wilson",
        "thomas",
        "roberts",
        "johnson",
        "robinson",
        "thompson",
        "hughes",
        "edwards",
        "harris",
        "clarke",
        "jackson",
        "morris",
        "watson",
        "harrison",
        "patel",
        "khan",
    ]
)
_TITLES = r"(?:mr|mrs|ms|miss|mx|dr|sir|meneer|mevrouw|mevr|dhr|heer)\.?"
_MONTHS = (
    r"(?:jan(?:uary|uari)?|feb(?:ruary|ruari)?|mar(?:ch)?|maart|apr(?:il)?|may|mei|"
    r"jun(?:e|i)?|jul(?:y|i)?|aug(?:ust|ustus)?|sep(?:t|tember)?|oct(?:ober)?|okt(?:ober)?|"
    r"nov(?:ember)?|dec(?:ember)?)"
)

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.I)
# 9 or more digits, allowing +, spaces, dots, dashes and brackets between them (NL: 06 1234
# 5678, +31 6 12345678, 010-1234567; UK: 07700 900123, +44 20 7946 0958).
_PHONE = re.compile(r"(?<![\w/])(?:\+|00)?\(?\d[\d\s().-]{7,}\d(?![\w/])")
# Upper case only in running text, or "in 2024 we met" would read as a postcode.
_POSTCODE_NL = re.compile(r"\b[1-9]\d{3}\s?(?!SA|SD|SS)[A-Z]{2}\b")
_POSTCODE_NL_CODE = re.compile(r"[1-9]\d{3}\s?[A-Za-z]{2}")
_POSTCODE_UK = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b", re.I)
_CASE_KEYWORD = re.compile(
    r"\b(?:case|file|dossier|parket|parketnummer|crn|pnc|nomis|bsn|cjib|reference|ref)"
    r"\s*(?:no\.?|nr\.?|number|nummer|#|:)?\s*[:#]?\s*([A-Z]{0,3}\d[\d/.-]{4,}[A-Z]?)",
    re.I,
)
# Dutch parketnummer 13/123456-21, UK CRN X123456, PNC 12/345678A, or any run of 6+ digits.
_CASE_SHAPES = re.compile(
    r"\b(?:\d{2}/\d{6}-\d{2}|\d{2,4}/\d{5,8}[A-Z]?|[A-Z]{1,3}\d{6,}|\d{6,})\b", re.I
)
_DATE_NUMERIC = re.compile(r"\b(\d{1,2})[-/.](\d{1,2})[-/.]((?:19|20)?\d{2})\b")
_DATE_ISO = re.compile(r"\b((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})\b")
_DATE_WORDS = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}\.?\s+((?:19|20)\d{{2}})\b", re.I
)
_BIRTH_WORDS = re.compile(
    r"\b(?:born|dob|d\.o\.b\.?|date of birth|birthday|geboren|geb\.|geboortedatum)\b", re.I
)
_TITLE_NAME = re.compile(rf"\b{_TITLES}\s+(?:van\s+(?:de[rn]?\s+)?|de\s+)?[A-Z][a-z]+", re.I)
_CALLED = re.compile(r"\b(?:called|named|heet|genaamd)\s+([A-Z][a-z]+)")
_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_BIRTH_YEAR_IN_CODE = re.compile(r"(?<!\d)(19[3-9]\d|200\d|201[0-2])(?!\d)")


@dataclass(frozen=True)
class Finding:
    """One thing that looks like an identifier: its kind, the text matched, and why we care."""

    kind: str
    match: str
    message: str


def _finding(kind: str, match: str, where: str) -> Finding:
    what = KINDS[kind]
    return Finding(
        kind,
        match,
        f"The {where} seems to contain {what} ({match.strip()!r}). Journal entries may not "
        "identify a client: remove it or replace it with something that does not.",
    )


def _dates(text: str) -> list[tuple[str, int]]:
    """Dates in the text with their (four-digit) year."""
    found: list[tuple[str, int]] = []
    for m in _DATE_NUMERIC.finditer(text):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1 <= day <= 31 and 1 <= month <= 12:
            if year < 100:
                year += 1900 if year > 30 else 2000
            found.append((m.group(0), year))
    for m in _DATE_ISO.finditer(text):
        if 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 31:
            found.append((m.group(0), int(m.group(1))))
    for m in _DATE_WORDS.finditer(text):
        found.append((m.group(0), int(m.group(1))))
    return found


def _common(text: str, where: str) -> list[Finding]:
    """Identifier shapes that are suspicious anywhere: email, phone, postcode, case number."""
    findings: list[Finding] = []
    emails = list(_EMAIL.finditer(text))
    findings += [_finding("email", m.group(0), where) for m in emails]
    rest = _EMAIL.sub(" ", text)
    case = [m.group(0) for m in _CASE_KEYWORD.finditer(rest)]
    for c in case:
        rest = rest.replace(c, " ")
    dates = {d for d, _ in _dates(rest)}
    phones = [
        m.group(0)
        for m in _PHONE.finditer(rest)
        if sum(c.isdigit() for c in m.group(0)) >= 9
        and not any(d in m.group(0) for d in dates)
        and not _DATE_ISO.search(m.group(0))
    ]
    findings += [_finding("phone", p, where) for p in phones]
    no_phone = rest
    for p in phones:
        no_phone = no_phone.replace(p, " ")
    for rx in (_POSTCODE_NL, _POSTCODE_UK):
        findings += [_finding("postcode", m.group(0), where) for m in rx.finditer(no_phone)]
    for m in _CASE_SHAPES.finditer(no_phone):
        if not any(m.group(0) in c for c in case) and not any(m.group(0) in d for d in dates):
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
    if any(f.kind in ("email", "phone") for f in findings):
        return findings
    for text, _year in _dates(code):
        findings.append(_finding("date-of-birth", text, "client code"))
    if not findings and _POSTCODE_NL_CODE.fullmatch(code):
        findings.append(_finding("postcode", code, "client code"))
    if not findings:
        words = [w.lower() for w in _WORD.findall(code)]
        letters_only = re.fullmatch(r"[A-Za-z][A-Za-z .'-]*", code) is not None
        named = [w for w in words if w in _NAMES]
        if named:
            findings.append(_finding("name", named[0], "client code"))
        elif title_name := _TITLE_NAME.search(code):
            findings.append(_finding("name", title_name.group(0), "client code"))
        elif letters_only and sum(c.isalpha() for c in code) >= 3:
            findings.append(
                Finding(
                    "name",
                    code,
                    f"The client code {code!r} is made of letters only, so it may be a name or "
                    "a nickname. Use a code with a number that means nothing outside this "
                    "journal, for example K-17.",
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
        return "Enter a client code: a short code you chose, such as K-17 (never a name)."
    if len(code) > CODE_MAX_LENGTH:
        return f"Keep the client code to {CODE_MAX_LENGTH} characters or fewer."
    return None


def check_free_text(text: str, where: str = "note") -> list[Finding]:
    """Warnings for a note that seems to hold identifiers (empty list = looks fine)."""
    findings = _common(text, where)
    birth_context = _BIRTH_WORDS.search(text) is not None
    for date_text, year in _dates(text):
        # A session date in a note is fine; a date far in the past, or near "born", is not.
        if birth_context or year <= 2012:
            findings.append(_finding("date-of-birth", date_text, where))
    for m in _TITLE_NAME.finditer(text):
        findings.append(_finding("name", m.group(0), where))
    for m in _CALLED.finditer(text):
        findings.append(_finding("name", m.group(1), where))
    seen = {f.match for f in findings}
    in_dates = " ".join(d for d, _ in _dates(text))
    for m in _WORD.finditer(text):
        word = m.group(0)
        # "Thomas" or "Jansen" in a note is a name; lower-case "thomas" is left alone.
        if (
            word[0].isupper()
            and word.lower() in _NAMES
            and word not in seen
            and not any(word in f.match for f in findings)
            and word not in in_dates
        ):
            findings.append(_finding("name", word, where))
            seen.add(word)
    return findings
