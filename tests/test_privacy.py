"""Identifier detection: codes and notes that could identify a client get a warning."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance_kit.privacy import (
    KINDS,
    check_client_code,
    check_free_text,
    client_code_problem,
)


def kinds(findings) -> set[str]:
    return {f.kind for f in findings}


GOOD_CODES = ["K-17", "C042", "blue-04", "A7", "client 12", "P-2024-017", "fox3", "Z9", "JS-12"]


@pytest.mark.parametrize("code", GOOD_CODES)
def test_pseudonymous_codes_pass(code):
    assert check_client_code(code) == []
    assert client_code_problem(code) is None


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("Jan de Vries", "name"),
        ("Mohamed", "name"),
        ("smith", "name"),
        ("Emma-3", "name"),
        ("Piet Jansen", "name"),
        ("Mr Brownlow", "name"),
        ("Kowalczyk", "name"),  # letters only: may be a surname
        ("jan.devries@mail.nl", "email"),
        ("a.b@example.co.uk", "email"),
        ("06-12345678", "phone"),
        ("+31 6 1234 5678", "phone"),
        ("07700 900123", "phone"),
        ("+44 20 7946 0958", "phone"),
        ("3511 AB", "postcode"),
        ("3511ab", "postcode"),
        ("SW1A 1AA", "postcode"),
        ("M1 1AE", "postcode"),
        ("X123456", "case-number"),
        ("13/123456-21", "case-number"),
        ("CRN 4455667", "case-number"),
        ("12-03-1987", "date-of-birth"),
        ("1987-03-12", "date-of-birth"),
        ("kd1987", "date-of-birth"),
    ],
)
def test_identifying_codes_warn_with_their_kind(code, kind):
    found = check_client_code(code)
    assert kind in kinds(found), (code, found)
    finding = next(f for f in found if f.kind == kind)
    assert KINDS[kind] in finding.message or "letters only" in finding.message
    assert finding.match


def test_code_problems_block_only_empty_or_too_long():
    assert "Enter a client code" in client_code_problem("  ")
    assert "20 characters" in client_code_problem("K" * 21)
    # a name is a warning, not a blocking problem: the officer decides
    assert client_code_problem("Jan") is None


GOOD_NOTES = [
    "",
    "Talked about work; we agreed on two small steps for next week.",
    "Phone call, client seemed tired. Asked whether now was a safe time to talk.",
    "In 2024 we switched to video twice. Next meeting 12-05-2025 face-to-face.",
    "Session lasted 45 minutes; spoke about the 3 conditions and the curfew.",
    "Will check the homework next time; mark progress on the tracker.",
    "Client felt more hopeful. Trust seems to grow since the handover.",
    "Used the importance ruler: 7 out of 10, confidence 4.",
    "Met at 10.30, ended 11.15 on 2025-03-04.",
]


@pytest.mark.parametrize("note", GOOD_NOTES)
def test_ordinary_notes_pass(note):
    assert check_free_text(note) == [], check_free_text(note)


@pytest.mark.parametrize(
    ("note", "kind"),
    [
        ("Spoke with Mohamed about his job.", "name"),
        ("Mrs Jansen joined the call.", "name"),
        ("His partner, called Bianca, was in the room.", "name"),
        ("meneer de Groot was late", "name"),
        ("Mail me at k.visser@example.org later", "email"),
        ("new number 06 1234 5678, call Friday", "phone"),
        ("Moved to 3511 AB last month", "postcode"),
        ("now lives near LS1 4DY", "postcode"),
        ("see case no. 2023-445566 for the report", "case-number"),
        ("parketnummer 13/123456-21 mentioned", "case-number"),
        ("CRN X123456 needs an update", "case-number"),
        ("born 14 March 1990 in Leeds", "date-of-birth"),
        ("dob 03/07/1985", "date-of-birth"),
        ("He was born on 12-03-1987.", "date-of-birth"),
    ],
)
def test_identifiers_in_notes_warn_with_their_kind(note, kind):
    found = check_free_text(note)
    assert kind in kinds(found), (note, found)
    assert all(f.message.startswith("The note seems to contain") for f in found)


def test_several_identifiers_give_several_warnings():
    found = check_free_text("Mr Smith, 06-87654321, lives at 1234 AB")
    assert {"name", "phone", "postcode"} <= kinds(found)


# Identifiers the check used to miss, and ordinary text it used to flag.
@pytest.mark.parametrize(
    ("note", "kind"),
    [
        ("Spoke with Bianca today about work.", "name"),  # beyond the old short list
        ("Zijn vriendin Sevda was bij het gesprek.", "name"),  # in no list: family word
        ("Peter's mum came to the office.", "name"),  # possessive
        ("Mark Bakker from the hostel called.", "name"),
        ("NI number QQ 12 34 56 C is needed for the form.", "national-number"),
        ("Wrote AB123456C on the benefits letter.", "national-number"),
        ("Verhuisd naar 3522bk, dichter bij zijn werk.", "postcode"),
        ("Nieuwe postcode 3511 ab sinds maart.", "postcode"),
        ("Geboren 3 mrt. 1990 in Utrecht.", "date-of-birth"),  # Dutch abbreviation
        ("geboren op 12 oktober '85", "date-of-birth"),
        ("He was born March 14, 1990.", "date-of-birth"),
        ("Zijn dochter is geb. 14-02-2019.", "date-of-birth"),  # "geb." before a date
        ("geb. 12 maart, volgens de verwijzing", "date-of-birth"),
        ("He was born in 1987 in Leeds.", "date-of-birth"),
        ("Op de brief stond 111222333, zijn nummer denk ik.", "national-number"),  # 11-test
        ("BSN 1234.56.782 stond op het formulier.", "national-number"),
        ("Gesprek met meneer El Idrissi over werk.", "name"),
        ("Spoke to Jordan about his order.", "name"),
        ("NOMIS A1234BC shows the release date.", "case-number"),
        ("Zijn zoon is jarig op 12 mei.", "date-of-birth"),
    ],
)
def test_identifiers_once_missed_are_found(note, kind):
    found = check_free_text(note)
    assert kind in kinds(found), (note, found)


@pytest.mark.parametrize(
    ("note", "names"),
    [
        ("Her boss, Mr. Patel, wants a reference.", ["Patel"]),
        ("Gesprek met meneer El Idrissi.", ["Idrissi"]),
        ("Mark Bakker from the hostel called.", ["Mark", "Bakker"]),
        ("His girlfriend Kayleigh joined; Rose to the challenge.", ["Kayleigh"]),
    ],
)
def test_the_warning_quotes_the_name_itself(note, names):
    assert [f.match for f in check_free_text(note) if f.kind == "name"] == names


def test_a_nine_digit_number_failing_the_eleven_test_is_no_bsn():
    # 123456789 fails the test (its weighted sum is 147), 111222333 passes it (66)
    assert "national-number" not in kinds(check_free_text("Order 123456789 came today"))
    assert "national-number" in kinds(check_free_text("Order 111222333 came today"))


@pytest.mark.parametrize(
    "note",
    [
        "He will miss the bus if we run late.",
        "I will miss the session on Friday.",
        "Room B2 1st floor was free, so we met there.",
        "We moved to room G1 2nd floor because of the noise.",
        "Kamer 2.14 was bezet, daarna kamer 3.",
        "spoke with peter about the bakker job he wants",  # lower case is never a name
        "Will check the homework next time. Mark progress on the tracker.",
        "Ben benieuwd of het lukt. Dan zien we verder.",
        "Met at the Job Centre on Victoria Street, then walked to Albert Heijn.",
        "We discussed Trust and Bond, and a break in May.",
        "He works at Burger King now.",
        "In 2024 we met twice; 1000 mg paracetamol at night.",
        "Hope came up a lot. Rose to the challenge of calling himself.",
        "Her birthday is next week and she dreads it.",
        "| The officer looks away | Short calls only |",  # table cells start sentences
        'He asked "Will you tell the judge?" and waited.',  # so do quotations
        "We talked about Over-correcting after a lapse.",
        "Attended the AA meeting at St Mark's Church on Wednesday.",
        "Weeks later he called back. Fields of work came up: Good Lives Model.",
    ],
)
def test_ordinary_words_once_flagged_pass(note):
    assert check_free_text(note) == [], check_free_text(note)


def test_codes_made_of_ordinary_words_that_are_also_surnames_pass():
    assert check_client_code("fox3") == []
    assert kinds(check_client_code("AB123456C")) == {"national-number"}


# The fixture: realistic notes, each with the kinds of identifier it holds.
FIXTURE = Path(__file__).parent / "fixtures" / "privacy_notes.yaml"


def _fixture() -> list[dict]:
    return yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))


def test_fixture_is_large_half_clean_and_in_both_languages():
    notes = _fixture()
    assert len(notes) >= 60
    clean = [n for n in notes if not n["expect"]]
    assert abs(2 * len(clean) - len(notes)) <= 1
    assert {n["lang"] for n in notes} == {"en", "nl"}
    assert all(set(n["expect"]) <= set(KINDS) for n in notes)


def _measure(notes: list[dict]) -> tuple[list[str], float]:
    """Per kind and overall precision and recall over the notes, as table lines."""
    rows = []
    right = 0
    counts = {k: [0, 0, 0] for k in KINDS}  # true positives, false positives, false negatives
    for n in notes:
        got, want = kinds(check_free_text(n["note"])), set(n["expect"])
        right += got == want
        for k in KINDS:
            counts[k][0] += k in got and k in want
            counts[k][1] += k in got and k not in want
            counts[k][2] += k in want and k not in got
    total = [sum(c[i] for c in counts.values()) for i in range(3)]

    def row(label: str, tp: int, fp: int, fn: int) -> str:
        precision = f"{tp / (tp + fp):.0%}" if tp + fp else "-"
        recall = f"{tp / (tp + fn):.0%}" if tp + fn else "-"
        return f"{label:<16} {tp + fn:>5} {tp:>5} {fp:>5} {fn:>5} {precision:>9} {recall:>7}"

    rows.append(
        f"{'kind':<16} {'notes':>5} {'TP':>5} {'FP':>5} {'FN':>5} {'precision':>9} {'recall':>7}"
    )
    rows += [row(k, *c) for k, c in counts.items()]
    rows.append(row("all kinds", *total))
    share = right / len(notes)
    rows.append(f"notes judged right (exact kinds): {right}/{len(notes)} = {share:.0%}")
    return rows, share


def test_fixture_notes_are_judged_right(terminal_summary):
    rows, share = _measure(_fixture())
    table = ["Identifier check on tests/fixtures/privacy_notes.yaml", *rows]
    print("\n" + "\n".join(table))
    terminal_summary.extend(table)
    assert share >= 0.9, "\n".join(table)


# Every input up to 10,000 characters answers within a second: no pattern may backtrack
# catastrophically on long runs of digits, spaces, letters or separators.
TIME_LIMIT = 1.0
TRICKY = "0123456789 .-/()+@:#'’\nabcABCgeb.casenoMrBSNQQ"


def _seconds(check, text: str) -> float:
    started = time.perf_counter()
    check(text)
    return time.perf_counter() - started


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.one_of(
        st.text(alphabet=TRICKY, max_size=10_000),
        st.text(max_size=10_000),
        st.builds(
            lambda unit, n, tail: (unit * n)[:9_990] + tail,
            st.text(alphabet=TRICKY, min_size=1, max_size=8),
            st.integers(1, 10_000),
            st.text(alphabet=TRICKY, max_size=10),
        ),
    )
)
def test_any_input_answers_within_a_second(text):
    for check in (check_free_text, check_client_code):
        assert _seconds(check, text) < TIME_LIMIT, (check.__name__, text[:80])


@pytest.mark.parametrize(
    "text",
    [
        "case" + " " * 9_990 + "x",
        "1 " * 5_000,
        "1." * 5_000,
        "a" * 9_999 + "@",
        "a." * 4_999 + "@x",
        "Mr " * 3_333,
        "0" * 10_000,
        "geb. " * 2_000,
        "12-" * 3_333,
        "Peter " * 1_666,
    ],
)
def test_worst_case_inputs_answer_within_a_second(text):
    assert len(text) <= 10_000
    for check in (check_free_text, check_client_code):
        assert _seconds(check, text) < TIME_LIMIT, check.__name__


def test_name_lists_ship_inside_the_package_with_their_source():
    import alliance_kit
    from alliance_kit.privacy_names import NAMES_DIR, name_lists

    assert NAMES_DIR.is_relative_to(Path(alliance_kit.__file__).parent)

    def header(name: str) -> str:
        lines = (NAMES_DIR / name).read_text(encoding="utf-8").splitlines()
        return " ".join(line for line in lines if line.startswith("#"))

    for name in ("first_names.txt", "surnames.txt"):
        assert "Faker" in header(name) and "MIT" in header(name)
    assert "hunspell" in header("ordinary_words.txt")
    assert "licence" in (NAMES_DIR / "README.md").read_text(encoding="utf-8")
    lists = name_lists()
    assert len(lists.names) > 8_000
    assert {"peter", "mohamed", "kayleigh", "jansen", "yilmaz"} <= lists.names
    assert {"mark", "rose", "will"} & lists.names <= lists.ordinary


def test_checking_needs_no_faker_at_run_time():
    code = (
        "import sys, alliance_kit.privacy as p; p.check_free_text('Peter moved'); "
        "print('faker' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_warnings_come_in_the_page_language():
    from alliance_kit import i18n

    i18n.activate("nl")
    try:
        (finding,) = check_client_code("Mohamed")
        assert finding.message.startswith("De cliëntcode lijkt een naam te bevatten ('Mohamed').")
        note = check_free_text("Belde naar 06-12345678 over de werkstraf")
        assert note and all(f.message.startswith("De notitie lijkt") for f in note)
        assert client_code_problem(" ") == (
            "Vul een cliëntcode in: een korte code die je zelf kiest, zoals K-17 (nooit een naam)."
        )
    finally:
        i18n.activate("en")
    (finding,) = check_client_code("Mohamed")
    assert finding.message.startswith("The client code seems to contain a name ('Mohamed').")
