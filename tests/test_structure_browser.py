"""The session-structure check in a real browser: tick the parts, save, see them counted."""

from __future__ import annotations

import json
import sqlite3

import pytest
from playwright.sync_api import expect

from alliance_kit.questionnaire import load

pytestmark = pytest.mark.browser


def test_ticked_parts_are_saved_and_counted_per_channel(open_page, kit_server):
    page = open_page("score_session.ipynb", ready=".ak-score-form")
    parts = page.locator(".ak-session-parts")
    expect(parts).to_contain_text("which parts did the session have?")
    page.locator(".ak-client-code input").fill("S-4")
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
        stored = conn.execute("SELECT parts, questionnaire_version FROM sessions").fetchall()
    finally:
        conn.close()
    assert [(json.loads(p), v) for p, v in stored] == [(["check-in", "next-steps"], 2)]

    trends = open_page("my_trends.ipynb", ready=".ak-trends")
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
