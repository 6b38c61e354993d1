"""In a real browser: a journal from before questionnaire version 2 opens beside a new session,
and the parts of a session are ticked, saved and counted on the trends page."""

from __future__ import annotations

import json
import sqlite3

import pytest
from playwright.sync_api import expect
from test_journal_versions import write_old_journal

from alliance_kit.questionnaire import load

pytestmark = pytest.mark.browser


def test_old_journal_and_ticked_parts_in_the_trends(open_page, kit_server):
    # two sessions scored with questionnaire version 1, in a journal of the previous format
    write_old_journal(kit_server.data_dir / "journal.sqlite")
    page = open_page("score_session.ipynb", ready=".ak-score-form")
    parts = page.locator(".ak-session-parts")
    expect(parts).to_contain_text("which parts did the session have?")
    page.locator(".ak-client-code input").fill("B-2")
    page.locator(".ak-channel select").select_option(label="Video")
    for item in load().items:
        page.locator(f".ak-officer-{item.id}").get_by_role("button", name="4", exact=True).click()
    for part in ("check-in", "next-steps"):
        box = page.locator(f".ak-part-{part} input")
        box.check()
        expect(box).to_be_checked()
    page.locator(".ak-save").click()
    expect(page.locator(".ak-status .ak-alert-ok")).to_contain_text(
        "Saved the session", timeout=20_000
    )
    # the form is ready for the next session: nothing stays ticked
    expect(page.locator(".ak-part-check-in input")).not_to_be_checked()

    conn = sqlite3.connect(kit_server.data_dir / "journal.sqlite")
    try:
        stored = conn.execute(
            "SELECT parts, questionnaire_version FROM sessions ORDER BY session_date"
        ).fetchall()
    finally:
        conn.close()
    assert [(p and json.loads(p), v) for p, v in stored] == [
        (None, 1),
        (None, 1),
        (["check-in", "next-steps"], 2),
    ]
    assert list(kit_server.data_dir.glob("journal.sqlite.bak-v2-*"))

    trends = open_page("my_trends.ipynb", ready=".ak-trends")
    # the old sessions sit on the same trend as the new one, with the change named
    trend = trends.locator(".ak-trend")
    expect(trend.locator("h3")).to_have_text("B-2: 3 session(s)", timeout=30_000)
    note = trend.locator(".ak-versions-note")
    expect(note).to_contain_text("questionnaire versions 1 and 2")
    expect(note).to_contain_text("Reactance: the pair “I ran out of energy")
    trends.locator(".ak-view-switch").get_by_role("button", name="All my sessions").click()
    table = trends.locator(".ak-structure-frequency")
    expect(table).to_be_visible(timeout=30_000)
    row = table.locator("tbody tr")
    expect(row).to_have_count(1)
    cells = row.locator("th, td")
    expect(cells).to_have_text(["Video", "1", "1 (100%)", "0 (0%)", "0 (0%)", "1 (100%)"])
    alliance = trends.locator(".ak-structure-alliance")
    expect(alliance).to_contain_text("Check-in")
    expect(alliance.locator("tbody tr").first).to_contain_text("1 / 0")
    expect(trends.locator(".ak-structure-note")).to_contain_text("at least 8")
