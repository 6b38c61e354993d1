"""Identifier detection: codes and notes that could identify a client get a warning."""

from __future__ import annotations

import pytest

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
