"""The scenario player and the channel-plan page in a real browser, as a trainee uses them."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from alliance_kit.i18n import PREFERENCES_FILE
from alliance_kit.scenarios.loading import catalogue
from alliance_kit.scenarios.player import Player
from conftest import chart_share_controls, wait_for_next_scene, wait_for_scenario_choices

pytestmark = pytest.mark.browser

CASE_TITLE = "First appointment: a parent with two toddlers"
SCENE = ".ak-scenario-scene"


def scene_id(page) -> str:
    return page.locator(SCENE).get_attribute("data-scene")


def click_choice(page, which: str) -> None:
    """Click the first or last of this step's choices and wait until the page shows the next
    scene."""
    assert wait_for_scenario_choices(page), "the scene has no choices left"
    before = scene_id(page)
    current = page.locator(".ak-scenario-scene").get_attribute("data-choices")
    choices = page.locator(f".ak-scenario-choice.{current}")
    (choices.first if which == "first" else choices.last).click()
    wait_for_next_scene(page, before)


def play_to_the_end(page, which: str) -> list[str]:
    path = [scene_id(page)]
    for _ in range(10):
        if not wait_for_scenario_choices(page):
            break
        click_choice(page, which)
        path.append(scene_id(page))
    page.wait_for_selector(".ak-scenario-debrief-text", state="visible")
    return path


def choose_case(page, title: str, case_id: str) -> None:
    """Pick a case and wait until its own scene and choices are drawn. The case's description
    comes first, and a click on the last case's choices meanwhile does nothing (they are gone
    from the kernel); the scenes cannot tell the cases apart (each opens on "opening"), their
    choices' class can."""
    before = page.locator(SCENE).get_attribute("data-choices")
    page.select_option(".ak-scenario-case-pick select", label=title)
    page.wait_for_selector(f'.ak-scenario-case[data-case="{case_id}"]')
    wait_for_next_scene(page, before, by="choices")


def choose_channel(page, label: str) -> None:
    page.locator(".ak-scenario-channel button", has_text=label).click()
    page.wait_for_function(
        "label => document.querySelector('.ak-scenario-scene .ak-meta').textContent"
        ".startsWith(label)",
        arg=label,
    )


def test_play_a_case_on_two_channels_and_compare_them(open_page):
    page = open_page("scenarios.ipynb", ready=".ak-scenario-choice")
    choose_case(page, CASE_TITLE, "intake-childcare")
    choose_channel(page, "Face-to-face")

    cues = page.locator(".ak-scenario-cues")
    expect(cues).to_contain_text("What you can perceive on this channel")
    expect(cues).to_contain_text("crumpled letter")  # in the room you see the letter
    meters = page.locator(".ak-scenario-meters")
    expect(meters).to_contain_text("Reactance")
    expect(meters.locator(".ak-meter-reactance")).to_contain_text(
        "higher = more friction, which is worse"
    )

    # A choice gives feedback; Back undoes it.
    click_choice(page, "first")
    expect(page.locator(".ak-scenario-feedback")).to_contain_text("You chose:")
    page.locator(".ak-scenario-back").click()
    expect(page.locator(SCENE)).to_have_attribute("data-scene", "opening")
    expect(page.locator(".ak-scenario-feedback")).to_have_count(0)

    path = play_to_the_end(page, "first")
    assert path == ["opening", "conditions", "worry", "end-good"]
    debrief = page.locator(".ak-scenario-debrief")
    expect(debrief).to_contain_text("Debrief: Good ending (Face-to-face)")
    expect(page.locator(".ak-scenario-radar .js-plotly-plot")).to_be_visible(timeout=30_000)
    expect(page.locator(".ak-scenario-path li")).to_have_count(3)
    expect(page.locator(".ak-scenario-missed")).to_contain_text("None: well spotted.")
    links = debrief.locator('a[href^="library.ipynb?resource="]')
    expect(links.first).to_be_visible()
    expect(page.locator(".ak-page")).to_contain_text("Now play this case on another channel")

    # The same case by phone: only the voice, and a different path.
    choose_channel(page, "Phone")
    expect(debrief).to_be_hidden()
    expect(cues).to_contain_text("Phone: voice and sounds")
    expect(cues).not_to_contain_text("crumpled letter")
    expect(cues).to_contain_text("This channel hides")
    path = play_to_the_end(page, "last")
    assert path[-1] == "end-poor"
    expect(page.locator(".ak-scenario-missed")).to_contain_text("Money pressure")

    compare = page.locator(".ak-scenario-compare")
    expect(compare).to_be_visible()
    expect(compare).to_contain_text("Face-to-face and Phone side by side")
    row = compare.locator("tr", has_text="Signal: Money pressure")
    expect(row.locator("td").nth(0)).to_have_text("caught")
    expect(row.locator("td").nth(1)).to_have_text("missed")
    expect(compare).to_contain_text("Reactance (higher = more friction, which is worse)")

    # Restart goes back to the first scene of the current channel.
    page.locator(".ak-scenario-restart").click()
    expect(page.locator(SCENE)).to_have_attribute("data-scene", "opening")


def test_channel_plan_runs_and_shows_its_assumptions(open_page):
    page = open_page("channel_plan.ipynb", ready=".ak-param-table")
    expect(page.locator(".ak-teaching-warning")).to_contain_text("Nobody has measured")
    table = page.locator(".ak-param-table")
    expect(table).to_contain_text("Seuling")
    detection = table.locator('tr[data-param="detection.phone"]')
    expect(detection.locator(".ak-teaching-assumption")).to_have_text("teaching assumption")
    page.locator(".ak-plan-run").click()
    summary = page.locator(".ak-plan-summary")
    expect(summary).to_be_visible(timeout=60_000)
    expect(summary).to_contain_text("Plan B")
    expect(page.locator(".ak-plan-chart .js-plotly-plot")).to_be_visible(timeout=60_000)
    expect(page.locator(".ak-plan-chart .modebar-btn").first).to_be_attached(timeout=60_000)
    assert chart_share_controls(page) == []


def test_channel_plan_drop_downs_show_their_whole_choice(open_page):
    page = open_page("channel_plan.ipynb", ready=".ak-plan-profile")
    fits = page.locator(".ak-plan-profile select").evaluate_all(
        """selects => selects.map(s => {
            const ctx = document.createElement('canvas').getContext('2d');
            ctx.font = getComputedStyle(s).font;
            const text = s.options[s.selectedIndex].text;
            return [text, ctx.measureText(text).width + 24 <= s.clientWidth];
        })"""
    )
    assert fits and all(ok for _, ok in fits), fits


def test_the_comparison_counts_what_each_channel_hid(open_page):
    case = next(c for c in catalogue().cases if c.id == "early-no-private-space")
    expected = {}
    for channel in ("video", "phone"):
        player = Player(case, channel)
        while not player.finished:
            player.choose(player.choices()[0][0])
        expected[channel] = len(player.result().cues_hidden)
    assert expected["phone"] > expected["video"] > 0

    page = open_page("scenarios.ipynb", ready=".ak-scenario-choice")
    choose_case(page, case.title, case.id)
    # every channel button on one row, "Face-to-face" too
    tops = page.locator(".ak-scenario-channel button").evaluate_all(
        "bs => bs.map(b => Math.round(b.getBoundingClientRect().top))"
    )
    assert len(tops) == 4 and len(set(tops)) == 1
    choose_channel(page, "Video")
    play_to_the_end(page, "first")
    expect(page.locator(".ak-scenario-radar .modebar-btn").first).to_be_attached(timeout=30_000)
    assert chart_share_controls(page) == []
    choose_channel(page, "Phone")
    play_to_the_end(page, "first")
    row = page.locator(".ak-scenario-compare tr", has_text="Cues the channel hid")
    expect(row.locator("td").nth(0)).to_have_text(str(expected["video"]))
    expect(row.locator("td").nth(1)).to_have_text(str(expected["phone"]))


# --- in Dutch, and with the keyboard -----------------------------------------------------------
def test_after_a_choice_the_focus_is_on_the_new_scene(open_page):
    page = open_page("scenarios.ipynb", ready=".ak-scenario-choice")
    before = scene_id(page)
    page.locator(".ak-scenario-choice").first.focus()
    page.keyboard.press("Enter")
    wait_for_next_scene(page, before)
    focused = page.locator(".ak-scenario-scene:focus")
    expect(focused).to_have_count(1)
    expect(focused).to_have_attribute("data-scene", scene_id(page))
    # Tab goes on from the scene to the next choice, not from the top of the page, and to
    # one of this step's choices, not a button of the last step still on its way out.
    assert wait_for_scenario_choices(page)
    page.keyboard.press("Tab")
    current = page.locator(".ak-scenario-scene").get_attribute("data-choices")
    expect(page.locator(f".ak-scenario-choice.{current}:focus")).to_have_count(1)


def test_a_case_is_played_and_compared_in_dutch(open_page, kit_server):
    from dutch import english_left

    page = open_page("scenarios.ipynb?lang=nl", ready=".ak-scenario-choice")
    page.wait_for_selector("html[lang=nl]", state="attached", timeout=20_000)
    choose_case(page, "Eerste afspraak: een ouder met twee peuters", "intake-childcare")
    choose_channel(page, "Face-to-face")
    cues = page.get_by_role("region", name="Wat je kunt waarnemen")
    expect(cues).to_contain_text("Wat je via dit kanaal kunt waarnemen")
    expect(cues).to_contain_text("verfrommelde brief")  # the case itself comes in Dutch
    expect(page.get_by_role("meter", name="Stroefheid")).to_have_attribute(
        "aria-valuetext", re.compile(r"^\d,\d van 10, hoger = meer wrijving, en dat is slechter$")
    )
    path = play_to_the_end(page, "first")
    assert path == ["opening", "conditions", "worry", "end-good"]  # the same ids as in English
    debrief = page.locator(".ak-scenario-debrief")
    expect(debrief).to_contain_text("Nabespreking: Goede afloop (Face-to-face)")
    expect(page.locator(".ak-scenario-moved caption")).to_have_text(
        "Hoe de vier kenmerken veranderden"
    )
    expect(page.locator(".ak-scenario-radar .js-plotly-plot")).to_be_visible(timeout=30_000)
    expect(page.locator(".ak-page")).to_contain_text("Speel deze casus nu via een ander kanaal")

    choose_channel(page, "Telefoon")
    expect(cues).to_contain_text("Telefoon: stem en geluiden")
    play_to_the_end(page, "last")
    compare = page.locator(".ak-scenario-compare")
    expect(compare).to_contain_text("Face-to-face en Telefoon naast elkaar")
    row = compare.locator("tr", has_text="Signaal: Geldzorgen")
    expect(row.locator("td")).to_have_text(["opgemerkt", "gemist"])
    assert english_left(page.inner_text("body")) == []

    # The choice is remembered in the data folder: the other tests start without it.
    (kit_server.data_dir / PREFERENCES_FILE).unlink()


def test_channel_plan_runs_in_the_browsers_language(open_page):
    from dutch import english_left

    page = open_page("channel_plan.ipynb", ready=".ak-param-table", locale="nl-NL")
    page.wait_for_selector("html[lang=nl]", state="attached", timeout=20_000)
    expect(page.locator(".ak-teaching-warning")).to_contain_text("Niemand heeft gemeten")
    # the tab's title follows the page's language, not the notebook's English title
    expect(page).to_have_title("Model voor een contactplan · Werkalliantie-kit")
    # The rule box speaks the page's language: the preset's rule and the parser's sentences
    # are Dutch, and a rule in Dutch words reads (no note that only English would).
    expect(page.locator(".ak-channel-plan")).not_to_contain_text("Engelse woorden")
    rule_b = page.locator(".ak-plan-b .ak-plan-rule input")
    expect(rule_b).to_have_value(
        "eerste 6 weken face-to-face, daarna afwisselend video en telefoon"
    )
    assert "daarna" in (rule_b.get_attribute("placeholder") or "")
    rule_b.fill("om de week bellen")
    rule_b.press("Enter")
    expect(page.locator(".ak-plan-b .ak-plan-error")).to_contain_text('Niet begrepen: "om"')
    assert english_left(page.inner_text("body")) == []
    rule_b.fill("eerste 4 weken op kantoor, daarna afwisselend beeldbellen en appen")
    rule_b.press("Enter")
    expect(page.locator(".ak-plan-b .ak-plan-strip")).to_be_visible()
    expect(page.locator(".ak-plan-b select option:checked")).to_have_text("(je eigen regel)")
    table = page.locator(".ak-param-table")
    expect(table.locator('tr[data-param="start.trust"] th')).to_contain_text(
        "Vertrouwen aan het begin"
    )
    detection = table.locator('tr[data-param="detection.phone"]')
    expect(detection.locator(".ak-teaching-assumption")).to_have_text("aanname voor het onderwijs")
    expect(page.locator(".ak-plan-a select option:checked")).to_have_text("Elke week face-to-face")
    page.locator(".ak-plan-run").click()
    summary = page.locator(".ak-plan-summary")
    expect(summary).to_be_visible(timeout=60_000)
    expect(summary.locator("caption")).to_contain_text("gesimuleerde cliënten")
    expect(summary).to_contain_text("Stroefheid (hoger = meer wrijving, en dat is slechter)")
    expect(page.locator(".ak-plan-chart .js-plotly-plot")).to_be_visible(timeout=60_000)
    expect(page.locator(".ak-channel-plan .ak-alert-ok")).to_contain_text("Hetzelfde startgetal")
    assert english_left(page.inner_text("body")) == []
