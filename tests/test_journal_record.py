"""One journal entry is declared once (``journal.models.SessionRecord``): what the store keeps
and exports is what the declaration describes, and a record wrong in several ways is told
each of them."""

from __future__ import annotations

import datetime as dt

import msgspec

from alliance_kit.journal import open_journal, validate_session
from alliance_kit.journal.models import SessionRecord, validate_fields
from alliance_kit.questionnaire import load

TODAY = dt.date.today()


def record(**extra) -> dict:
    return {
        "session_date": (TODAY - dt.timedelta(days=2)).isoformat(),
        "channel": "video",
        "phase": "established",
        "client_code": "K-4",
        "answers": {i.id: 4 for i in load().items},
        **extra,
    }


def test_an_exported_session_is_a_session_record(tmp_path):
    with open_journal(tmp_path / "journal.sqlite") as journal:
        part = load().part_ids[0]
        journal.add_session(
            record(
                duration_min="45",
                risk_band="medium",
                parts=[part],
                client_answers={i.id: 2 for i in load().items},
                client_source="paper",
            )
        )
        [session] = journal.sessions()
    exported = session.to_dict()
    assert set(exported) == set(SessionRecord.__struct_fields__)
    declared = msgspec.convert(exported, SessionRecord, strict=True)
    assert declared.duration_min == 45 and declared.parts == (part,)
    assert declared.session_date == session.session_date


def test_every_wrong_field_of_a_record_gets_its_own_sentence():
    clean, problems = validate_fields(
        record(channel="pigeon", duration_min=0, note=["x"], questionnaire_version="١٢")
    )
    assert clean is None
    assert [name for name, _ in problems] == [
        "channel",
        "duration_min",
        "note",
        "questionnaire_version",
    ]
    _, sentences = validate_session(record(duration_min=0))
    assert sentences == ["The duration should be 1 to 600 minutes."]


def test_spreadsheet_numbers_are_whole_numbers_and_other_digits_are_not():
    clean, problems = validate_fields(record(duration_min=" 45 ", questionnaire_version=2.0))
    assert problems == [] and clean["duration_min"] == 45 and clean["questionnaire_version"] == 2
    _, problems = validate_fields(record(duration_min="４５"))
    assert problems == [("duration_min", "The duration should be a whole number of minutes.")]
