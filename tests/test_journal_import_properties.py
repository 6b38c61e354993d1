"""Property-based tests of the import validators (CSV and JSON): whatever the file holds, up to
10,000 characters, the answer is rows and sentences within a second, never an exception.

Every test has a deadline per example and an overall time limit, so a slow path (a regular
expression that backtracks, a recursion) shows up as a failure, not as a hung test run.
"""

from __future__ import annotations

import datetime as dt
import json
import time

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from alliance_kit.journal import JournalError, open_journal
from alliance_kit.journal.exchange import (
    BASE_COLUMNS,
    CLIENT_PREFIX,
    OFFICER_PREFIX,
    check_row,
    import_rows,
    neutralise_cell,
    parse,
    restore_cell,
    rows_from_csv,
)
from alliance_kit.questionnaire import load

TODAY = dt.date(2026, 1, 15)
ITEMS = [i.id for i in load().items]
LIMIT_S = 1.0
MAX_CHARS = 10_000
PROPERTY = settings(
    max_examples=60,
    deadline=int(LIMIT_S * 1000),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# JSON-shaped values of any kind, including the awkward ones: huge integers, digits from other
# scripts, lone surrogates, formula-like text, nesting.
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=60),
    st.sampled_from(["²", "١٢", "４", "3", " 5 ", "-1", "=1+1", "\ud800", "2025-01-01", "video"]),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
fields = st.sampled_from([*BASE_COLUMNS, "answers", "client_answers"])


def plausible() -> st.SearchStrategy[dict]:
    """A valid session with a few fields replaced by anything at all."""
    base = {
        "session_date": "2025-11-02",
        "channel": "video",
        "phase": "early",
        "client_code": "K-17",
        "answers": {i: 3 for i in ITEMS},
    }
    return st.dictionaries(fields, json_values, max_size=4).map(lambda bad: {**base, **bad})


def timed(func, *args):
    start = time.perf_counter()
    result = func(*args)
    assert time.perf_counter() - start < LIMIT_S
    return result


def assert_answered(rows, unreadable) -> None:
    """Each row gives a clean record or one sentence that names it; nothing raises."""
    assert all(isinstance(s, str) and s.startswith(("row ", "the header")) for s in unreadable)
    for where, raw in rows:
        clean, problems, warnings = check_row(where, raw, TODAY)
        assert (clean is None) == bool(problems)
        assert all(p.startswith(where + ":") for p in problems + warnings)


def answer_text(text: str) -> None:
    try:
        rows, unreadable = timed(parse, text)
    except JournalError as exc:
        assert exc.sentence and len(exc.sentence) < 500
        return
    timed(assert_answered, rows, unreadable)


@PROPERTY
@given(st.text(max_size=MAX_CHARS))
@example("[" * MAX_CHARS)
@example("{" * MAX_CHARS)
@example('{"sessions": [' + "9" * (MAX_CHARS - 20) + "]}")
@example('"' * MAX_CHARS)
@example("a," * (MAX_CHARS // 2))
@example("id,note\n" + "x," * 4990)
@example("client_code,note\nK-1," + "06 1234 5678 " * 700)
@example("note\n" + "\u00b2" * (MAX_CHARS - 10))
def test_any_text_is_answered_within_a_second(text):
    answer_text(text)


@PROPERTY
@given(st.lists(plausible(), max_size=8))
def test_any_json_sessions_are_answered_row_by_row(sessions):
    text = json.dumps({"sessions": sessions})
    while len(text) > MAX_CHARS:
        sessions = sessions[:-1]
        text = json.dumps({"sessions": sessions})
    rows, unreadable = timed(lambda: parse(text, json_file=True))
    assert unreadable == [] and len(rows) == len(sessions)
    timed(assert_answered, rows, unreadable)


@PROPERTY
@given(st.from_regex(r"[\[{\"0-9a-z:,\] }]{0,400}", fullmatch=True))
def test_any_json_like_text_is_answered(text):
    answer_text(text)


csv_cells = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "3", "²", "2025-01-01", "video", "early", "K-1", "=cmd", '"', "\n"]),
)
csv_headers = st.lists(
    st.sampled_from(
        [*BASE_COLUMNS, *(OFFICER_PREFIX + i for i in ITEMS[:3]), CLIENT_PREFIX + ITEMS[0], "x"]
    ),
    min_size=1,
    max_size=10,
)


@PROPERTY
@given(csv_headers, st.lists(st.lists(csv_cells, max_size=12), max_size=20))
def test_any_csv_table_is_answered_row_by_row(header, table):
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(table)
    text = out.getvalue()[:MAX_CHARS]
    rows, unreadable = timed(rows_from_csv, text)
    timed(assert_answered, rows, unreadable)


@PROPERTY
@given(st.text(max_size=200))
def test_neutralised_cells_are_inert_and_restore_exactly(cell):
    safe = neutralise_cell(cell)
    assert not safe.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert restore_cell(safe) == cell


@settings(
    max_examples=25,
    deadline=int(LIMIT_S * 1000),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(plausible(), max_size=6))
def test_an_import_into_a_real_journal_accounts_for_every_row(tmp_path_factory, sessions):
    path = tmp_path_factory.mktemp("prop") / "journal.sqlite"
    rows = [(f"session {n}", s) for n, s in enumerate(sessions, start=1)]
    with open_journal(path) as j:
        report = timed(lambda: import_rows(j, rows, today=TODAY))
        assert report.imported + len(report.duplicates) + len(report.invalid) == len(rows)
        assert j.count() == report.imported
