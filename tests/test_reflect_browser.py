"""The reflect pages in a real browser: score a session, see it in the trend, client's rating."""

from __future__ import annotations

import json
import sqlite3

import pytest
from axe import CUT_LABELS_JS, blocking, reflow_problems, run_axe
from playwright.sync_api import expect

from alliance_kit.questionnaire import load

pytestmark = pytest.mark.browser
ITEMS = load().items


def answer(page, prefix: str, label: str) -> None:
    for item in ITEMS:
        group = page.locator(f".ak-{prefix}-{item.id}")
        group.get_by_role("button", name=label, exact=True).click()
        expect(group.locator("button.mod-active")).to_have_text(label)


def test_record_a_session_and_see_it_in_the_trend(open_page, kit_server):
    page = open_page("score_session.ipynb", ready=".ak-score-form")
    # a name as client code gets a warning, and the officer can edit it
    code = page.locator(".ak-client-code input")
    code.fill("Mohamed")
    code.press("Tab")
    expect(page.locator(".ak-code-warnings")).to_contain_text("seems to contain a name")
    # saving without answers names what is missing
    page.locator(".ak-save").click()
    expect(page.locator(".ak-status")).to_contain_text("Please answer every statement")
    code.fill("K-17")
    code.press("Tab")
    expect(page.locator(".ak-code-warnings")).to_have_text("")
    page.locator(".ak-channel select").select_option(label="Phone")
    answer(page, "officer", "4")
    page.locator(".ak-save").click()
    status = page.locator(".ak-status .ak-alert-ok")
    expect(status).to_contain_text("Saved the session", timeout=20_000)
    expect(status).to_contain_text("for K-17")
    expect(status).to_contain_text("Reactance: 3.6 (higher = more friction, which is worse)")

    trends = open_page("my_trends.ipynb", ready=".ak-trends")
    trend = trends.locator(".ak-trend")
    expect(trend.locator("h3")).to_have_text("K-17: 1 session(s)", timeout=30_000)
    expect(trend.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
    expect(trend.locator(".js-plotly-plot .legend")).to_contain_text("Phone")
    # the overview switches without a Tab widget and shows the averages by channel
    trends.locator(".ak-view-switch").get_by_role("button", name="All my sessions").click()
    expect(trends.locator(".ak-overview-tables")).to_contain_text("Phone", timeout=30_000)
    expect(trends.locator(".ak-overview .js-plotly-plot").first).to_be_visible(timeout=30_000)
    trends.locator(".ak-summary-button").click()
    expect(trends.locator(".ak-summary-sheet")).to_contain_text("K-17")
    assert "Mohamed" not in trends.inner_text("body")


def test_client_fills_the_big_button_page(open_page, kit_server):
    page = open_page("client_rating.ipynb", ready=".ak-client-officer-step")
    code = page.locator(".ak-client-officer-step input")
    code.fill("NOPE-1")
    code.press("Enter")  # Enter in the field starts, as the button does
    expect(page.locator(".ak-status")).to_contain_text("no session with the code")
    code.fill("K-17")
    code.press("Tab")  # leaving the field does not hand the screen over
    expect(page.locator(".ak-start")).to_be_focused()
    step = page.locator(".ak-client-step")
    page.wait_for_timeout(1000)
    expect(step).to_be_hidden()
    page.locator(".ak-start").click()
    expect(step).to_be_visible(timeout=20_000)
    expect(page.locator(".ak-client-officer-step")).to_be_hidden()
    expect(page.locator(".ak-topnav")).to_be_hidden()
    assert "K-17" not in page.inner_text("body")
    # the answer buttons are big
    height = step.locator(".ak-answer button").first.bounding_box()["height"]
    assert height >= 48
    # the questions, made when the screen is handed over, are as readable as the rest
    first = page.get_by_role("group", name=ITEMS[0].client)
    expect(first.get_by_role("button")).to_have_count(5)
    problems = blocking(run_axe(page, "client_rating (the client's questions)"))
    problems += reflow_problems(page, "client_rating (the client's questions)")
    assert not problems, "\n".join(problems)
    step.locator(".ak-done").click()
    expect(step).to_contain_text("Please choose an answer for every question.")
    answer(page, "client", "Mostly yes")
    step.locator(".ak-done").click()
    expect(page.locator(".ak-thanks-text")).to_have_text("Thank you", timeout=20_000)
    expect(step).to_be_hidden()
    assert "Mostly yes" not in page.inner_text("body")

    conn = sqlite3.connect(kit_server.data_dir / "journal.sqlite")
    try:
        rows = conn.execute(
            "SELECT s.client_code, c.source, c.answers FROM client_ratings c "
            "JOIN sessions s ON s.id = c.session_id"
        ).fetchall()
    finally:
        conn.close()
    assert len(rows) == 1
    code, source, answers = rows[0]
    assert (code, source) == ("K-17", "client-page")
    assert set(json.loads(answers).values()) == {4}
    assert len(json.loads(answers)) == len(ITEMS)

    # "Start again" returns to the officer step, empty
    page.locator(".ak-restart").click()
    expect(page.locator(".ak-client-officer-step input")).to_have_value("")


def client_ratings(kit_server) -> list[dict]:
    conn = sqlite3.connect(kit_server.data_dir / "journal.sqlite")
    try:
        rows = conn.execute("SELECT answers FROM client_ratings").fetchall()
    finally:
        conn.close()
    return [json.loads(r[0]) for r in rows]


def test_a_second_client_rating_asks_before_replacing(open_page, kit_server):
    # runs after the client rated K-17 above
    assert {frozenset(r.values()) for r in client_ratings(kit_server)} == {frozenset({4})}
    page = open_page("client_rating.ipynb", ready=".ak-client-officer-step")
    page.locator(".ak-client-officer-step input").fill("K-17")
    page.locator(".ak-start").click()
    expect(page.locator(".ak-status")).to_contain_text("already rated", timeout=20_000)
    expect(page.locator(".ak-status")).to_contain_text("rated on")  # when it was given
    expect(page.locator(".ak-client-step")).to_be_hidden()
    expect(page.locator(".ak-replace-rating")).to_be_visible()
    assert page.evaluate(CUT_LABELS_JS) == [], "the officer must read both choices whole"
    page.locator(".ak-keep-rating").click()
    expect(page.locator(".ak-status")).to_contain_text("Kept the earlier rating")
    expect(page.locator(".ak-replace-ask")).to_be_hidden()

    page.locator(".ak-client-officer-step input").fill("K-17")
    page.locator(".ak-start").click()
    page.locator(".ak-replace-rating").click()
    expect(page.locator(".ak-client-step")).to_be_visible(timeout=20_000)
    answer(page, "client", "Not sure")
    page.locator(".ak-client-step .ak-done").click()
    expect(page.locator(".ak-thanks-text")).to_be_visible(timeout=20_000)
    assert [set(r.values()) for r in client_ratings(kit_server)] == [{3}]


def test_form_controls_show_focus_and_choice_clearly(open_page):
    page = open_page("score_session.ipynb", ready=".ak-score-form")

    def ring(locator) -> tuple[str, float]:
        locator.focus()
        return locator.evaluate(
            "e => { const c = getComputedStyle(e); return [c.outlineStyle, "
            "parseFloat(c.outlineWidth)]; }"
        )

    button = page.locator(".ak-save")
    button.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # keyboard focus, as an officer tabbing through the form
    style, width = button.evaluate(
        "e => { const c = getComputedStyle(e); return [c.outlineStyle, "
        "parseFloat(c.outlineWidth)]; }"
    )
    assert style == "solid" and width >= 3
    for control in (
        page.locator(".ak-client-code input"),
        page.locator(".ak-channel select"),
        page.locator(".ak-note textarea"),
    ):
        assert ring(control) == [style, width]

    # the chosen rating stands out from the others: a different background, not a shade
    first = ITEMS[0]
    group = page.locator(f".ak-officer-{first.id}")
    group.get_by_role("button", name="4", exact=True).click()
    chosen = group.locator("button.mod-active")
    expect(chosen).to_have_text("4")
    colours = group.locator("button").evaluate_all(
        "bs => bs.map(b => [b.classList.contains('mod-active'), "
        "getComputedStyle(b).backgroundColor, getComputedStyle(b).color])"
    )
    active = [c for c in colours if c[0]]
    others = {tuple(c[1:]) for c in colours if not c[0]}
    assert len(active) == 1 and tuple(active[0][1:]) not in others
    assert active[0][2] == "rgb(255, 255, 255)"  # white text on the accent colour

    # the note box writes in the page's font, not a typewriter's
    font = page.locator(".ak-note textarea").evaluate("e => getComputedStyle(e).fontFamily")
    assert "mono" not in font.lower()


def test_a_session_scored_in_dutch_is_stored_as_in_english(open_page, kit_server):
    from dutch import english_left

    from alliance_kit.journal import open_journal

    dutch = load(lang="nl")
    page = open_page("score_session.ipynb?lang=nl", ready=".ak-score-form")
    expect(page.locator("h1")).to_have_text("Een gesprek scoren")
    form = page.locator(".ak-score-form")
    expect(form.locator(".ak-char-heading").first).to_have_text("Richting/kader")
    expect(form.locator(".ak-char-heading").last).to_have_text(
        "Stroefheid (hoger = meer wrijving, en dat is slechter)"
    )
    expect(form).to_contain_text(dutch.items[0].professional)
    expect(page.locator(".ak-session-parts")).to_contain_text("welke onderdelen had het gesprek?")
    page.locator(".ak-save").click()
    expect(page.locator(".ak-status")).to_contain_text("Beantwoord elke uitspraak; nog open: 1,")
    code = page.locator(".ak-client-code input")
    code.fill("Mohamed")
    code.press("Tab")
    expect(page.locator(".ak-code-warnings")).to_contain_text(
        "De cliëntcode lijkt een naam te bevatten"
    )
    assert english_left(page.inner_text("body")) == []
    code.fill("NL-3")
    code.press("Tab")
    expect(page.locator(".ak-code-warnings")).to_have_text("")
    page.locator(".ak-channel select").select_option(label="Telefoon")
    answer(page, "officer", "4")
    page.locator(".ak-part-check-in input").check()
    page.locator(".ak-save").click()
    status = page.locator(".ak-status .ak-alert-ok")
    expect(status).to_contain_text("Het gesprek van", timeout=20_000)
    expect(status).to_contain_text("voor NL-3 is opgeslagen")
    expect(status).to_contain_text("Stroefheid: 3,6 (hoger = meer wrijving, en dat is slechter)")
    assert english_left(page.inner_text("body")) == []

    # the client rates it on the Dutch page, chosen by the browser's language
    client = open_page("client_rating.ipynb", ready=".ak-client-officer-step", locale="nl-NL")
    expect(client.locator(".ak-client-officer-step")).to_contain_text(
        "Voor de reclasseringswerker."
    )
    client.locator(".ak-client-officer-step input").fill("NL-3")
    client.locator(".ak-start").click()
    step = client.locator(".ak-client-step")
    expect(step).to_be_visible(timeout=20_000)
    expect(step.locator("h2")).to_have_text("Hoe ging ons gesprek vandaag?")
    # a screen reader hears the Dutch statement and the Dutch answers
    first = client.get_by_role("group", name=dutch.items[0].client)
    expect(first).to_have_count(1)
    expect(first.get_by_role("button")).to_have_text([p.client for p in dutch.points])
    step.locator(".ak-done").click()
    expect(step).to_contain_text("Kies bij elke vraag een antwoord.")
    assert english_left(client.inner_text("body")) == []
    answer(client, "client", "Meestal wel")
    step.locator(".ak-done").click()
    # the thanks are made and shown once the answers are saved
    expect(client.locator(".ak-thanks-text")).to_be_visible(timeout=20_000)
    expect(client.locator(".ak-thanks-text")).to_have_text("Dank je wel")
    assert english_left(client.inner_text("body")) == []

    # the journal holds the same language-neutral ids and values the English page stores
    with open_journal(kit_server.data_dir / "journal.sqlite") as journal:
        stored = journal.latest_session("NL-3")
    assert (stored.channel, stored.phase, stored.parts) == ("phone", "early", ("check-in",))
    assert stored.answers == stored.client_answers == dict.fromkeys((i.id for i in ITEMS), 4)
    assert stored.questionnaire_version == load().version
    assert stored.client_source == "client-page"

    # and the English page finds the Dutch rating and says so in English (?lang=en: the
    # switch to Dutch above is remembered)
    english = open_page("client_rating.ipynb?lang=en", ready=".ak-client-officer-step")
    english.locator(".ak-client-officer-step input").fill("NL-3")
    english.locator(".ak-start").click()
    expect(english.locator(".ak-status")).to_contain_text(
        "The client already rated the session of", timeout=20_000
    )
