"""Questionnaire versions and session structure in the journal, on real SQLite files.

An officer's journal outlives a wording: a journal written before version 2 of the
questionnaire (and before the journal recorded the parts of a session) must open, keep its
scores, and sit beside new sessions in the trend. The parts of a session travel through
export and import, and the trends page counts them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import sqlite3

import pandas as pd
import pytest

from alliance_kit.journal import SCHEMA_VERSION, JournalInvalid, open_journal
from alliance_kit.journal import analysis as an
from alliance_kit.journal.exchange import export_csv, export_json, import_file
from alliance_kit.journal.models import Session
from alliance_kit.pages.session_structure import structure_html, versions_note_html
from alliance_kit.questionnaire import load

TODAY = dt.date.today()

#: The journal as version 2 of the store left it (before session parts), with sessions
#: scored with questionnaire version 1 (items bo-3 and re-3, no bo-4, re-5 or re-6).
V2_DDL = """
CREATE TABLE sessions (id TEXT PRIMARY KEY, session_date TEXT NOT NULL, channel TEXT NOT NULL,
  phase TEXT NOT NULL, client_code TEXT NOT NULL, answers TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL, risk_band TEXT, duration_min INTEGER,
  questionnaire_version INTEGER NOT NULL DEFAULT 1);
CREATE INDEX sessions_by_code ON sessions (client_code, session_date);
CREATE INDEX sessions_by_date ON sessions (session_date);
CREATE TABLE client_ratings (session_id TEXT PRIMARY KEY REFERENCES sessions (id)
  ON DELETE CASCADE, answers TEXT NOT NULL, source TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
PRAGMA user_version = 2;
"""
V1_ITEMS = ("gc-1", "gc-2", "gc-3", "tr-1", "tr-2", "tr-3", "bo-1", "bo-2", "bo-3")
V1_ITEMS += ("re-1", "re-2", "re-3", "re-4")


def v1_answers(**given: int) -> dict[str, int]:
    return {i: given.get(i.replace("-", "_"), 3) for i in V1_ITEMS}


def write_old_journal(path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.executescript(V2_DDL)
    # Reactance: re-1 2, re-2 2, re-3 5, re-4 4 (reversed: 2) -> (2 + 2 + 5 + 2) / 4 = 2.75
    officer = json.dumps(v1_answers(re_1=2, re_2=2, re_3=5, re_4=4))
    for k, days in enumerate((40, 30)):
        conn.execute(
            "INSERT INTO sessions VALUES (?, ?, 'face-to-face', 'early', 'B-2', ?, '', ?, "
            "NULL, NULL, 1)",
            (f"old-session-{k}", (TODAY - dt.timedelta(days=days)).isoformat(), officer, "x"),
        )
    # the client, on the old wording: bo-3 "did not care about me" 1 (reversed: 5), bo-1/bo-2 5
    client = json.dumps(v1_answers(bo_1=5, bo_2=5, bo_3=1))
    conn.execute(
        "INSERT INTO client_ratings VALUES ('old-session-1', ?, 'paper', '2026-01-01')", (client,)
    )
    conn.commit()
    conn.close()


def new_record(days_ago: int = 3, **extra) -> dict:
    return {
        "session_date": (TODAY - dt.timedelta(days=days_ago)).isoformat(),
        "channel": "phone",
        "phase": "established",
        "client_code": "B-2",
        "answers": {i.id: 4 for i in load().items},
        "questionnaire_version": load().version,
        **extra,
    }


def test_version_two_pairs_and_retires_the_mismatched_items():
    qn = load()
    assert qn.version == 2
    assert {i.id for i in qn.changes_between(1, 2)} == {"bo-3", "re-3"}
    assert not set(qn.item_ids) & {"bo-3", "re-3"}
    assert all(i.why for i in qn.retired)
    # the new Reactance pair on honesty asks both sides about the same thing
    honesty = qn.item("re-6")
    assert "honest" in honesty.professional and "honest" in honesty.client
    # re-3's officer statement is asked again, now with a client side about the same thing
    assert qn.item("re-5").professional == qn.item("re-3").professional
    assert "officer" in qn.item("re-5").client


def test_old_journal_opens_and_its_sessions_show_beside_new_ones(tmp_path):
    path = tmp_path / "old" / "journal.sqlite"
    write_old_journal(path)
    with open_journal(path) as j:
        assert j.backup_path is not None and j.backup_path.name.startswith("journal.sqlite.bak-v2-")
        assert j._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
        old = j.get("old-session-0")
        assert old.questionnaire_version == 1 and old.parts is None
        j.add_session(new_record(parts=["check-in", "next-steps"]))
        sessions = j.sessions()
    df = an.frame(sessions)
    view = an.client_view(df, "B-2")
    assert len(view.rows) == 3
    assert list(view.rows["questionnaire_version"]) == [1, 1, 2]
    # the old sessions keep the scores they were given: re-3 still counts for them
    assert list(view.rows[an.OFFICER + "reactance"])[:2] == [2.75, 2.75]
    # the new one is scored on version 2's statements: re-1, re-2, re-5, re-6 at 4, re-4 at 4
    # (reversed: 2) -> 18 / 5
    assert view.rows[an.OFFICER + "reactance"].iloc[2] == pytest.approx(3.6)
    # the client's old answers on the retired bo-3 still score Bond: (5 + 5 + 5) / 3
    assert view.rows[an.CLIENT + "bond"].iloc[1] == 5.0
    assert all(view.rows[an.OFFICER + c].notna().all() for c in ("trust", "bond"))
    note = versions_note_html(view.rows, load())
    assert "questionnaire versions 1 and 2" in note
    # both sides of a retired pair are named, so the officer sees what changed
    assert "“The talk felt like a waste of time.”" in note
    assert "Bond:" in note and "Reactance:" in note
    assert "was replaced in version 2" in note
    # a client whose sessions share one version gets no note
    assert versions_note_html(view.rows.iloc[2:], load()) == ""


def test_parts_are_stored_in_questionnaire_order_and_optional(tmp_path):
    with open_journal(tmp_path / "journal.sqlite") as j:
        s = j.add_session(new_record(parts=["next-steps", "check-in", "check-in"]))
        assert s.parts == ("check-in", "next-steps")
        assert j.add_session(new_record(days_ago=4)).parts is None
        assert j.add_session(new_record(days_ago=5, parts="review;main-work")).parts == (
            "review",
            "main-work",
        )
        with pytest.raises(JournalInvalid) as err:
            j.add_session(new_record(days_ago=6, parts=["check-in", "small talk"]))
        assert "'small talk' is not a session part" in str(err.value)


def test_export_and_import_carry_the_parts_and_old_exports_still_import(tmp_path):
    src = tmp_path / "a" / "journal.sqlite"
    with open_journal(src) as j:
        j.add_session(new_record(parts=["check-in", "review", "next-steps"]))
        j.add_session(new_record(days_ago=5))
        csv_text, json_text = export_csv(j), export_json(j)
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert [r["parts"] for r in rows] == ["", "check-in;review;next-steps"]
    assert json.loads(json_text)["sessions"][1]["parts"] == ["check-in", "review", "next-steps"]
    for name, text in (("e.csv", csv_text), ("e.json", json_text)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        with open_journal(tmp_path / f"{name}.sqlite") as j:
            assert import_file(j, tmp_path / name).imported == 2
            assert [s.parts for s in j.sessions()] == [None, ("check-in", "review", "next-steps")]
    # an export made before the journal knew session parts: no column, no key
    old_csv = "\n".join(
        ",".join(c for c in line.split(",")[:12] + line.split(",")[13:])
        for line in csv_text.strip().split("\n")
    )
    assert "parts" not in old_csv
    old_json = json.loads(json_text)
    for s in old_json["sessions"]:
        del s["parts"]
    (tmp_path / "old.csv").write_text(old_csv + "\n", encoding="utf-8")
    (tmp_path / "old.json").write_text(json.dumps(old_json), encoding="utf-8")
    for name in ("old.csv", "old.json"):
        with open_journal(tmp_path / f"{name}.sqlite") as j:
            report = import_file(j, tmp_path / name)
            assert (report.imported, report.invalid) == (2, [])
            assert [s.parts for s in j.sessions()] == [None, None]
    # a bad part in a file is reported for its row and field, the rest comes in
    bad = csv_text.replace("check-in;review;next-steps", "check-in;=1+1")
    (tmp_path / "bad.csv").write_text(bad, encoding="utf-8")
    with open_journal(tmp_path / "bad.sqlite") as j:
        report = import_file(j, tmp_path / "bad.csv")
        assert report.imported == 1
        assert len(report.invalid) == 1
        assert report.invalid[0].startswith("row 3: [parts] '=1+1' is not a session part")


def session(n: int, channel: str, parts: tuple[str, ...] | None, value: int) -> Session:
    return Session(
        id=f"s{n:05d}",
        session_date=TODAY - dt.timedelta(days=n),
        channel=channel,
        phase="established",
        client_code=f"K-{n % 3}",
        answers={i.id: value for i in load().items},
        questionnaire_version=2,
        parts=parts,
    )


def test_structure_counts_parts_per_channel_and_compares_only_with_enough_sessions():
    qn = load()
    full = ("check-in", "review", "main-work", "next-steps")
    sessions = [session(n, "phone", full, 4) for n in range(8)]
    sessions += [session(100 + n, "video", ("main-work",), 2) for n in range(7)]
    sessions += [session(200 + n, "video", None, 5) for n in range(5)]  # not recorded
    df = an.frame(sessions)
    result = an.structure(df, qn.part_ids)
    assert result.recorded == 15
    assert result.frequency.loc["phone"].to_dict() == {
        "sessions": 8,
        "check-in": 8,
        "review": 8,
        "main-work": 8,
        "next-steps": 8,
    }
    assert result.frequency.loc["video", "sessions"] == 7
    assert result.frequency.loc["video", "check-in"] == 0
    # 8 with a check-in, 7 without: too few to compare
    assert (result.comparison.loc["check-in", ["with", "without"]] == [8, 7]).all()
    assert result.comparison.loc[:, "trust:with"].isna().all()
    html = structure_html(df, qn)
    assert "8 (100%)" in html and "0 (0%)" in html
    assert f"at least {an.MIN_GROUP}" in html and "not what caused what" in html
    # one more session without a check-in: now both groups have 8, means appear
    sessions.append(session(300, "video", ("main-work",), 2))
    result = an.structure(an.frame(sessions), qn.part_ids)
    gc = "goals-and-conditions"
    with_, without = (qn.score({i.id: v for i in qn.items})[gc] for v in (4, 2))
    assert result.comparison.loc["check-in", f"{gc}:with"] == with_
    assert result.comparison.loc["check-in", f"{gc}:without"] == without
    html = structure_html(an.frame(sessions), qn)
    assert f"<td>8 / 8</td><td>{with_:.1f} / {without:.1f}</td>" in html
    # main work happened in every recorded session: nothing to compare it with
    assert result.comparison.loc["main-work", "without"] == 0
    assert math.isnan(result.comparison.loc["main-work", "bond:with"])


def test_structure_without_any_recorded_session_says_how_to_start():
    html = structure_html(an.frame([session(1, "phone", None, 3)]), load())
    assert "Tick them at the end of the 'Score a session' form" in html


def test_a_carriage_return_in_a_note_stays_in_its_cell(tmp_path):
    with open_journal(tmp_path / "a.sqlite") as j:
        j.add_session(new_record(note="first line\rsecond line", parts=["review"]))
        text = export_csv(j)
    (tmp_path / "e.csv").write_text(text, encoding="utf-8", newline="")
    with open_journal(tmp_path / "b.sqlite") as j:
        report = import_file(j, tmp_path / "e.csv")
        assert (report.imported, report.invalid) == (1, [])
        (back,) = j.sessions()
        assert (back.note, back.parts) == ("first line\rsecond line", ("review",))


@pytest.fixture
def in_dutch():
    from alliance_kit import i18n

    i18n.activate("nl")
    yield
    i18n.activate("en")


def visible(html: str) -> str:
    return re.sub(r"<[^>]+>", "\n", html)


def test_structure_and_versions_note_speak_dutch(in_dutch):
    from dutch import english_left

    qn = load(lang="nl")
    sessions = [session(n, "phone", ("check-in",), 4) for n in range(8)]
    sessions += [session(100 + n, "phone", ("main-work",), 2) for n in range(8)]
    html = structure_html(an.frame(sessions), qn)
    assert "<th>Telefoon</th>" in html and "<th>Start van het gesprek</th>" in html
    assert "Stroefheid (hoger = meer wrijving, en dat is slechter)" in html
    # means with a decimal comma, as Dutch writes them
    assert re.search(r"<td>8 / 8</td><td>\d,\d / \d,\d</td>", html)
    assert english_left(visible(html)) == []
    assert "Vink ze aan" in structure_html(an.frame([session(1, "phone", None, 3)]), qn)

    note = versions_note_html(pd.DataFrame({"questionnaire_version": [1, 2, 2]}), qn)
    assert "vragenlijstversies 1 en 2" in note
    assert "“Het gesprek voelde als tijdverspilling.”" in note and "Stroefheid:" in note
    assert english_left(visible(note)) == []
