"""The trends page in a real browser with a journal of several sessions: the page shows before
its chart, the chart draws the reliable-change band, ticks on session dates and whole markers,
no chart offers to send data off the machine, and printing gives the summary only."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from alliance_kit.journal import open_journal
from alliance_kit.questionnaire import load
from conftest import chart_share_controls

pytestmark = pytest.mark.browser
TIMEOUT = 60_000
FIRST = dt.date(2026, 3, 2)
#: sessions of UP-1: (days after FIRST, Reactance score); the others stay at 4
UP = [(0, 2), (9, 2), (23, 3), (40, 4)]
DOWN = [(3, 4), (17, 2)]


def record(code: str, day: int, reactance: int) -> dict:
    answers = {}
    for item in load().items:
        value = reactance if item.characteristic == "reactance" else 4
        answers[item.id] = 6 - value if item.reverse else value
    return {
        "session_date": (FIRST + dt.timedelta(days=day)).isoformat(),
        "channel": "video",
        "phase": "early",
        "client_code": code,
        "answers": answers,
    }


@pytest.fixture(scope="module")
def journal(kit_server):
    with open_journal(kit_server.data_dir / "journal.sqlite") as j:
        for day, value in DOWN:
            j.add_session(record("DOWN-1", day, value))
        for day, value in UP:  # added last, so UP-1 is the code the page opens with
            j.add_session(record("UP-1", day, value))
    return kit_server


def test_trend_draws_band_ticks_and_whole_markers(journal, open_page):
    page = open_page("my_trends.ipynb", ready=".ak-trends")
    chart = page.locator(".ak-trend .js-plotly-plot")
    expect(chart).to_be_visible(timeout=TIMEOUT)
    expect(page.locator(".ak-trend h3")).to_have_text("UP-1: 4 session(s)")
    page.wait_for_function(
        "() => document.querySelector('.ak-trend .js-plotly-plot')._fullLayout !== undefined"
    )
    layout = page.evaluate(
        """() => { const gd = document.querySelector('.ak-trend .js-plotly-plot');
            return {shapes: gd._fullLayout.shapes.length,
                    ticks: [...gd.querySelectorAll('.xaxislayer-above text')]
                        .map(t => t.textContent)}; }"""
    )
    # one shaded reliable-change band per characteristic
    assert layout["shapes"] == 4
    # every date tick is a session date
    dates = {(FIRST + dt.timedelta(days=d)).strftime("%d %b %Y") for d, _ in UP}
    assert layout["ticks"] and set(layout["ticks"]) <= dates
    # the last marker is whole: inside the plotting area of its panel
    inside = page.evaluate(
        """() => { const gd = document.querySelector('.ak-trend .js-plotly-plot');
            const area = gd.querySelector('.draglayer .xy .nsewdrag').getBoundingClientRect();
            const points = [...gd.querySelectorAll('.subplot.xy .scatterlayer .point')];
            return points.every(p => { const r = p.getBoundingClientRect();
                return r.right <= area.right + 0.5 && r.left >= area.left - 0.5; }); }"""
    )
    assert inside
    assert chart_share_controls(page) == []
    # the worry is worded by Reactance's direction
    expect(page.locator(".ak-trend-reflection")).to_contain_text("Reactance rose, worse")


#: Keeps the page from telling its kernel that it is shown (the template's script tells every
#: ``ak-page-shown`` button it sees; this watch, registered first, marks them told already).
HOLD_THE_CHART = """new MutationObserver(() => document.querySelectorAll('button.ak-page-shown')
    .forEach(b => b.setAttribute('data-ak-told', 'held')))
    .observe(document, {subtree: true, childList: true, attributes: true,
             attributeFilter: ['class']});"""


def test_the_page_shows_before_its_chart(journal, open_page):
    """The chart is drawn once the browser says the page is on screen; until then the page is
    whole and usable. The test holds that word back, since a fast chart leaves no moment to see
    the page without it."""
    page = open_page("my_trends.ipynb", ready=".ak-trends .ak-drawing", init_script=HOLD_THE_CHART)
    # the controls are usable while the chart is still on its way
    expect(page.locator(".ak-code-select select")).to_be_visible()
    expect(page.locator(".ak-drawing")).to_be_visible()
    expect(page.locator(".ak-trend .js-plotly-plot")).to_have_count(0)
    page.evaluate("document.querySelector('button.ak-page-shown').click()")
    expect(page.locator(".ak-trend .js-plotly-plot")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator(".ak-drawing")).to_have_count(0)


def test_no_chart_offers_to_share_and_the_summary_prints_alone(journal, open_page):
    page = open_page("my_trends.ipynb", ready=".ak-trends")
    expect(page.locator(".ak-trend .js-plotly-plot")).to_be_visible(timeout=TIMEOUT)
    page.locator(".ak-view-switch").get_by_role("button", name="All my sessions").click()
    plots = page.locator(".ak-overview .js-plotly-plot")
    expect(plots).to_have_count(2, timeout=TIMEOUT)
    expect(plots.last.locator(".modebar-btn").first).to_be_attached(timeout=TIMEOUT)
    assert chart_share_controls(page) == []
    # three charts, one fetch of plotly's module
    assert sum("alliance-kit/widgetbundle.js" in url for url in page.kit_watch.fetched) == 1
    page.locator(".ak-view-switch").get_by_role("button", name="Trend for this client").click()

    page.locator(".ak-summary-button").click()
    sheet = page.locator(".ak-summary-sheet")
    up_row = sheet.locator("tr", has=page.locator("th", has_text="UP-1"))
    expect(up_row).to_contain_text("Reactance rose, worse", timeout=TIMEOUT)
    down_row = sheet.locator("tr", has=page.locator("th", has_text="DOWN-1"))
    expect(down_row).not_to_contain_text("Reactance")
    page.emulate_media(media="print")
    expect(sheet.locator("h1")).to_be_visible()
    expect(page.locator(".ak-page-head h1")).to_be_hidden()
    expect(page.locator(".ak-intro")).to_be_hidden()
    expect(page.locator(".ak-view-switch")).to_be_hidden()
    page.emulate_media(media="screen")
    expect(page.locator(".ak-intro")).to_be_visible()


@pytest.fixture()
def no_language_remembered(journal):
    """A page opened with ?lang= is remembered in the data folder; start and end without it,
    so the browser's language decides and the English tests stay English."""
    remembered = journal.data_dir / "preferences.json"
    remembered.unlink(missing_ok=True)
    yield
    remembered.unlink(missing_ok=True)


def trend_scores(page) -> list[list[str]]:
    """The score cells of the trend chart's table, row by row, with a decimal point."""
    page.locator(".ak-trend .ak-chart-table summary").click()
    return page.evaluate(
        """() => [...document.querySelectorAll('.ak-trend .ak-chart-table tbody tr')]
            .map(r => [...r.querySelectorAll('td')].slice(1)
                .map(c => c.textContent.trim().replace(',', '.')))"""
    )


def test_sessions_show_the_same_in_dutch_and_in_english(journal, open_page, no_language_remembered):
    from dutch import english_left

    dutch = open_page("my_trends.ipynb?lang=nl", ready=".ak-trends")
    expect(dutch.locator(".ak-trend .js-plotly-plot")).to_be_visible(timeout=TIMEOUT)
    expect(dutch.locator(".ak-page-head h1")).to_have_text("Mijn verloop en journaal")
    expect(dutch.locator(".ak-trend h3")).to_have_text("UP-1: 4 gesprek(ken)")
    # the characteristic names the research group uses, and Reactance's direction in words
    expect(dutch.locator(".ak-trend .js-plotly-plot")).to_contain_text("Richting/kader")
    expect(dutch.locator(".ak-trend .js-plotly-plot")).to_contain_text("Binding")
    # the reflection of the first drawing: the flag and the questionnaire's question, in Dutch
    reflection = dutch.locator(".ak-trend-reflection")
    expect(reflection).to_contain_text("Stroefheid gestegen, slechter")
    expect(reflection).to_contain_text("Hoger = meer wrijving, en dat is slechter")
    expect(reflection).to_contain_text("Waar duwde de cliënt terug")
    expect(reflection).not_to_contain_text("push back")
    # the chart's own tools speak Dutch too
    expect(dutch.locator(".ak-trend .modebar-btn[data-title='Inzoomen']").first).to_be_attached()
    # something to try from the library, in Dutch
    expect(dutch.locator(".ak-trend-reflection .ak-resource-link").first).to_be_visible()
    expect(dutch.locator(".ak-trend-reflection")).to_contain_text("Breuk en herstel")
    in_dutch = trend_scores(dutch)

    english = open_page("my_trends.ipynb?lang=en", ready=".ak-trends")
    expect(english.locator(".ak-trend .js-plotly-plot")).to_be_visible(timeout=TIMEOUT)
    expect(english.locator(".ak-trend h3")).to_have_text("UP-1: 4 session(s)")
    in_english = trend_scores(english)
    assert len(in_dutch) == len(UP) and in_dutch == in_english
    # Reactance's column carries the sessions' scores: 2, 2, 3, 4
    assert [row[3] for row in in_english] == ["2.0", "2.0", "3.0", "4.0"]
    expect(dutch.locator(".ak-trend .ak-chart-table tbody")).to_contain_text("3,0")

    # the overview, the client comparison and the summary in Dutch, with no English left
    switch = dutch.locator(".ak-view-switch")
    switch.get_by_role("button", name="Al mijn gesprekken").click()
    expect(dutch.locator(".ak-overview .js-plotly-plot")).to_have_count(2, timeout=TIMEOUT)
    expect(dutch.locator(".ak-overview-tables")).to_contain_text("Gemiddelde per kanaal")
    expect(dutch.locator(".ak-overview-tables")).to_contain_text("Begin van het toezicht")
    switch.get_by_role("button", name="Reclasseringswerker en cliënt").click()
    expect(dutch.locator(".ak-gap")).to_contain_text("heeft nog geen gesprek", timeout=TIMEOUT)
    dutch.locator(".ak-summary-button").click()
    sheet = dutch.locator(".ak-summary-sheet")
    expect(sheet.locator("h1")).to_have_text(
        "Werkrelatie: samenvatting voor het gesprek met je leidinggevende", timeout=TIMEOUT
    )
    up_row = sheet.locator("tr", has=dutch.locator("th", has_text="UP-1"))
    expect(up_row).to_contain_text("Stroefheid gestegen, slechter")
    assert english_left(dutch.inner_text("body")) == []


def test_a_dutch_browser_gets_the_trends_page_in_dutch(journal, open_page, no_language_remembered):
    from dutch import english_left

    page = open_page("my_trends.ipynb", ready=".ak-trends", locale="nl-NL")
    expect(page.locator(".ak-page-head h1")).to_have_text("Mijn verloop en journaal")
    expect(page.locator(".ak-trend .js-plotly-plot")).to_be_visible(timeout=TIMEOUT)
    page.locator(".ak-erase").click()
    expect(page.locator(".ak-status")).to_contain_text("Typ WISSEN")
    page.locator(".ak-erase-confirm").click()  # nothing typed: nothing is erased
    expect(page.locator(".ak-status")).to_contain_text("Er is niets gewist")
    assert english_left(page.inner_text("body")) == []
