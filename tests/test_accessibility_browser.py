"""The kit against WCAG 2.1 AA in a real browser: axe-core on every page before and after its
main use, the main paths with the keyboard only (focus always visible), and the pages at 200%
zoom and on a 360 px wide phone.

One kit server serves the whole module; each page is opened once and checked for everything.
A table of what axe still reports (minor and moderate findings do not fail) and of the keyboard
paths is printed at the end of the test output.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from axe import blocking, focus_ring, reflow_problems, run_axe
from dutch import english_left
from playwright.sync_api import expect

from alliance_kit.alliance import CHARACTERISTIC_IDS
from alliance_kit.page_list import registry
from alliance_kit.questionnaire import load
from conftest import wait_for_next_scene, wait_for_scenario_choices

pytestmark = pytest.mark.browser
TIMEOUT = 30_000


# --- the main use of each page ------------------------------------------------------------------
# Each takes the page's language: the Dutch run checks that the same use works and stays
# accessible with the Dutch interface, by its Dutch names where it clicks by name.
def said(lang: str, english: str, dutch: str) -> re.Pattern:
    return re.compile(f"^{re.escape(english if lang == 'en' else dutch)}$")


def shows(locator, lang: str, english: str | re.Pattern) -> None:
    """The English text in English; in Dutch, that something was said (its words are the
    catalogue's, checked by the language tests)."""
    if lang == "en":
        expect(locator).to_contain_text(english, timeout=TIMEOUT)
    else:
        expect(locator).not_to_be_empty(timeout=TIMEOUT)


def answer_first_quiz_question(page, lang: str = "en") -> str:
    box = page.locator(".ak-quiz .ak-question").first
    box.locator(".widget-radio-box label").first.click()
    box.get_by_role("button", name=said(lang, "Check", "Controleer")).click()
    expect(box.locator(".ak-feedback")).to_be_visible(timeout=TIMEOUT)
    return "a quiz question answered"


def play_a_trainer_item(page, lang: str = "en") -> str:
    page.locator(".ak-trainer-characteristic").get_by_role(
        "button", name=said(lang, "Trust", "Vertrouwen")
    ).click()
    page.locator(".ak-trainer-effect").get_by_role("button").first.click()
    page.get_by_role("button", name=said(lang, "Submit", "Indienen")).click()
    # Items come in a random order: Trust may be the right answer or not.
    shows(page.locator(".ak-trainer-feedback"), lang, re.compile("You chose|Yes: Trust"))
    return "an item answered"


def play_a_scenario_step(page, lang: str = "en") -> str:
    wait_for_scenario_choices(page)
    page.locator(".ak-scenario-choice:visible").first.click()
    shows(page.locator(".ak-scenario-feedback"), lang, "You chose:")
    return "a scenario step played"


def run_the_channel_plan(page, lang: str = "en") -> str:
    page.locator(".ak-plan-run").click()
    expect(page.locator(".ak-plan-summary")).to_be_visible(timeout=60_000)
    expect(page.locator(".ak-plan-chart .js-plotly-plot").first).to_be_visible(timeout=60_000)
    return "the plans compared"


def save_an_incomplete_session(page, lang: str = "en") -> str:
    page.locator(".ak-save").click()
    shows(page.locator(".ak-status"), lang, "Please answer every statement")
    return "saved with errors"


def start_with_an_unknown_code(page, lang: str = "en") -> str:
    page.locator(".ak-client-officer-step input").fill("NOPE-1")
    page.locator(".ak-start").click()
    shows(page.locator(".ak-status"), lang, "no session with the code")
    return "an unknown code"


def switch_to_all_sessions(page, lang: str = "en") -> str:
    name = "All my sessions" if lang == "en" else "Al mijn gesprekken"
    page.locator(".ak-view-switch").get_by_role("button", name=name).click()
    expect(page.locator(".ak-view-switch button.mod-active")).to_have_text(name)
    page.wait_for_timeout(500)
    return "the overview"


def search_and_open_a_resource(page, lang: str = "en") -> str:
    if lang == "en":
        page.locator(".ak-library-search input").fill("trust phone")
        page.wait_for_function(
            "() => (document.querySelector('.ak-library-open')?.textContent || '')"
            ".includes('Building trust by phone')",
            timeout=TIMEOUT,
        )
    else:
        page.locator(".ak-library-search input").fill("vertrouwen telefoon")
        expect(page.locator(".ak-library-open").first).to_be_visible(timeout=TIMEOUT)
    page.locator(".ak-library-open").first.click()
    expect(page.locator(".ak-library-reader article h2")).to_be_visible(timeout=TIMEOUT)
    page.locator(".ak-library-filters").click()  # made when opened: checked open
    expect(page.locator(".ak-library-facet-option").first).to_be_visible(timeout=TIMEOUT)
    return "a search, an open resource and the filters"


MAIN_USE: dict[str, Callable] = {
    "learn_goals_and_conditions": answer_first_quiz_question,
    "learn_trust": answer_first_quiz_question,
    "learn_bond": answer_first_quiz_question,
    "learn_reactance": answer_first_quiz_question,
    "practice_trainer": play_a_trainer_item,
    "scenarios": play_a_scenario_step,
    "channel_plan": run_the_channel_plan,
    "score_session": save_an_incomplete_session,
    "client_rating": start_with_an_unknown_code,
    "my_trends": switch_to_all_sessions,
    "library": search_and_open_a_resource,
}


@dataclass(frozen=True)
class Target:
    id: str
    notebook: str
    ready: str
    expect: tuple[str, ...]


STATEMENTS = {item.id: item.professional for item in load().items}
TARGETS = [Target("landing", "index.ipynb", ".ak-landing", ())] + [
    Target(p.id, p.notebook, ".ak-page", tuple(p.expect)) for p in registry().available()
]


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.id)
def test_page_meets_wcag_aa_before_and_after_use_and_reflows(open_page, target, lang):
    # The Dutch run is a Dutch browser (its Accept-Language): nothing is remembered, so the
    # English runs that share the server stay English.
    page = open_page(target.notebook, ready=target.ready, locale="nl-NL" if lang == "nl" else None)
    if lang == "nl":
        page.wait_for_selector("html[lang=nl]", state="attached", timeout=TIMEOUT)
    for selector in target.expect:
        page.wait_for_selector(selector, state="visible", timeout=TIMEOUT)
    name = target.id if lang == "en" else f"{target.id} (nl)"
    problems = blocking(run_axe(page, name))
    use = MAIN_USE.get(target.id)
    if use is not None:
        done = use(page, lang)
        problems += blocking(run_axe(page, f"{name} ({done})"))
    assert not problems, "axe-core found serious or critical violations:\n" + "\n".join(problems)
    if lang == "nl":
        # every page in Dutch, after its main use too: no English interface text left
        assert english_left(page.inner_text("body")) == []
    reflow = reflow_problems(page, name)
    assert not reflow, "\n".join(reflow)


# --- keyboard only --------------------------------------------------------------------------------
class Keyboard:
    """Tab through a page like a keyboard user, checking the focus ring at every stop."""

    def __init__(self, page, path: str) -> None:
        self.page = page
        self.path = path

    def check_focus(self, step: str) -> None:
        ring = focus_ring(self.page, self.path, step)
        assert ring["visible"], (
            f"{self.path}, {step}: the focused {ring['element']} has no visible focus ring "
            f"({ring['ring']})"
        )

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)

    def tab_to(self, predicate: str, *, limit: int = 80, back: bool = False) -> None:
        """Press Tab (or Shift+Tab) until ``predicate`` (JS on the focused element) holds."""
        for n in range(limit):
            self.press("Shift+Tab" if back else "Tab")
            el_matches = self.page.evaluate(f"() => {predicate}")
            focused = self.page.evaluate("() => document.activeElement !== document.body")
            if focused:
                self.check_focus(f"{'Shift+' if back else ''}Tab {n + 1}")
            if el_matches:
                return
        pytest.fail(f"{self.path}: {limit} Tab presses did not reach {predicate}")


def active(js: str) -> str:
    """A predicate on the focused element, as used by ``Keyboard.tab_to``."""
    return f"(el => !!el && ({js}))(document.activeElement)"


def test_score_a_session_with_the_keyboard_only(open_page):
    page = open_page("score_session.ipynb", ready=".ak-score-form")
    keys = Keyboard(page, "score a session")
    # One live region from the start, silent while nothing has been done.
    heard = page.locator("#ak-announcer[role=status][aria-live=polite]")
    expect(heard).to_have_count(1)
    expect(heard).to_be_empty()
    keys.tab_to(active("el.closest('.ak-client-code') !== null"))
    page.keyboard.type("KB-1")
    items = page.locator(".ak-answer").count() - page.locator(".ak-items-paper .ak-answer").count()
    for n in range(items):
        keys.tab_to(
            active(
                f"el.closest('.ak-items-officer .ak-answer') === "
                f"document.querySelectorAll('.ak-items-officer .ak-answer')[{n}] "
                "&& el.textContent.trim() === '4'"
            )
        )
        keys.press("Space")
        group = page.locator(".ak-items-officer .ak-answer").nth(n)
        expect(group.locator("button.mod-active")).to_have_text("4")
        keys.check_focus(f"answer {n + 1} chosen")
        # a screen reader hears which statement the buttons rate, and which one is chosen
        item = STATEMENTS[group.get_attribute("class").split("ak-officer-")[1].split()[0]]
        named = page.get_by_role("group", name=item)
        expect(named).to_have_count(1)
        expect(named.get_by_role("button", name="4", exact=True)).to_have_attribute(
            "aria-pressed", "true"
        )
        expect(named.get_by_role("button", pressed=True)).to_have_count(1)
    keys.tab_to(active("el.classList.contains('ak-save')"))
    keys.press("Enter")
    expect(page.locator(".ak-status .ak-alert-ok")).to_contain_text(
        "Saved the session", timeout=TIMEOUT
    )
    expect(page.locator(".ak-status")).to_contain_text("for KB-1")
    expect(heard).to_contain_text("Saved the session")  # and a screen reader says so

    # The trend of the saved session: its chart has the same numbers as a table.
    trends = open_page("my_trends.ipynb", ready=".ak-trends")
    expect(trends.locator(".ak-trend h3")).to_have_text("KB-1: 1 session(s)", timeout=TIMEOUT)
    expect(trends.locator(".ak-trend .js-plotly-plot").first).to_be_visible(timeout=TIMEOUT)
    keys = Keyboard(trends, "open the trend's table")
    keys.tab_to(active("el.tagName === 'SUMMARY'"))
    keys.press("Enter")
    table = trends.locator(".ak-chart-table table")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text("Reactance (higher = more friction, which is worse)")
    scores = load().score(dict.fromkeys(STATEMENTS, 4))
    cells = [f"{scores[cid]:.1f}" for cid in CHARACTERISTIC_IDS]
    expect(table.locator("tbody td")).to_have_text(["Face-to-face", *cells])
    problems = blocking(run_axe(trends, "my_trends (a session, its table open)"))
    assert not problems, "\n".join(problems)


def test_only_what_the_user_did_is_read_out(open_page):
    """A script's click (a page waiting to draw its chart clicks its hidden signal) does not
    count as the user acting, so what appears after it is not read out; the user's click is."""
    page = open_page("score_session.ipynb", ready=".ak-score-form")
    heard = page.locator("#ak-announcer")
    add = """text => { const said = document.createElement('p');
        said.setAttribute('data-ak-announce', ''); said.textContent = text;
        document.querySelector('.ak-page').appendChild(said); }"""
    page.evaluate("() => document.querySelector('.ak-page h1').click()")
    page.evaluate(add, "Shown after a script's click.")
    page.wait_for_timeout(600)  # the region speaks 0.2 s after a change
    expect(heard).to_be_empty()
    page.locator(".ak-page h1").click()
    page.evaluate(add, "Shown after the user's click.")
    expect(heard).to_have_text("Shown after the user's click.")


def test_play_a_scenario_to_its_debrief_with_the_keyboard_only(open_page):
    page = open_page("scenarios.ipynb", ready=".ak-scenario-choice")
    keys = Keyboard(page, "scenario to its debrief")
    # the meters say Reactance's direction in words, also to a screen reader
    expect(page.locator(".ak-meter-reactance")).to_have_attribute(
        "aria-valuetext", re.compile(r"of 10, higher = more friction, which is worse")
    )
    expect(page.get_by_role("meter", name="Trust")).to_have_count(1)
    for _ in range(10):
        if page.locator(".ak-scenario-debrief-text").is_visible():
            break
        before = page.locator(".ak-scenario-scene").get_attribute("data-scene")
        wait_for_scenario_choices(page, timeout=TIMEOUT)
        keys.tab_to(active("el.classList.contains('ak-scenario-choice')"))
        keys.press("Enter")
        wait_for_next_scene(page, before, timeout=TIMEOUT)
        # what the choice did is read out, while the focus moves on to the new scene
        expect(page.locator("#ak-announcer")).to_contain_text("You chose:")
    expect(page.locator(".ak-scenario-debrief-text")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator(".ak-scenario-debrief")).to_contain_text("Debrief")
    expect(page.locator(".ak-scenario-radar .js-plotly-plot")).to_be_visible(timeout=TIMEOUT)
    # the debrief, with its chart and tables, also fits at 200% zoom and on a phone
    reflow = reflow_problems(page, "scenario debrief")
    assert not reflow, "\n".join(reflow)


def test_answer_the_whole_quiz_with_the_keyboard_only(open_page):
    """The quiz shows one question at a time: after Check, the next question is the next stop
    of the Tab key (past the feedback's "Why each option"), down to the final score."""
    from alliance_kit.learn.quiz import load_bank

    total = len(load_bank().for_characteristic("trust"))
    page = open_page("learn_trust.ipynb", ready=".ak-quiz .ak-question")
    keys = Keyboard(page, "answer the quiz")
    boxes = page.locator(".ak-quiz .ak-question")
    expect(boxes).to_have_count(1)
    for n in range(total):
        nth = f"document.querySelectorAll('.ak-quiz .ak-question')[{n}]"
        # from the page's start for the first question, from the Check just pressed after it
        keys.tab_to(
            active(f"el.type === 'radio' && el.closest('.ak-question') === {nth}"),
            limit=80 if n == 0 else 3,
        )
        keys.press("ArrowDown")  # arrows move between the options and choose
        keys.check_focus(f"question {n + 1}, ArrowDown")
        box = boxes.nth(n)
        expect(box.locator("input[type=radio]:checked")).to_have_count(1)
        keys.tab_to(
            active(
                f"el.tagName === 'BUTTON' && el.textContent.trim() === 'Check' "
                f"&& el.closest('.ak-question') === {nth}"
            ),
            limit=3,
        )
        keys.press("Enter")
        expect(box.locator(".ak-feedback")).to_contain_text(
            re.compile(r"Correct\.|Not the best answer\."), timeout=TIMEOUT
        )
        # read out with the score, without the folded "Why each option"
        heard = page.locator("#ak-announcer")
        expect(heard).to_have_text(
            re.compile(rf"^(Correct\.|Not the best answer\.) .*(Answered {n + 1}|Your score)")
        )
        assert "Why each option" not in heard.inner_text()
        expect(boxes).to_have_count(min(n + 2, total), timeout=TIMEOUT)
        if n + 1 < total:
            expect(page.locator(".ak-score")).to_contain_text(f"Answered {n + 1} of {total}")
            expect(box.locator(".ak-feedback")).to_contain_text(
                f"Question {n + 2} of {total} is below."
            )
            expect(boxes.nth(n + 1).locator("h3")).to_have_text(f"Question {n + 2} of {total}")
    expect(page.locator(".ak-score")).to_contain_text(
        re.compile(rf"Your score: \d+ of {total} correct\.")
    )
    # every question locked, its answer counted once
    expect(page.locator(".ak-quiz button:enabled", has_text="Check")).to_have_count(0)


def test_search_the_library_and_open_a_resource_with_the_keyboard_only(open_page):
    page = open_page("library.ipynb", ready=".ak-library-results .ak-library-card")
    keys = Keyboard(page, "search and open a resource")
    keys.tab_to(active("el.closest('.ak-library-search') !== null"))
    page.keyboard.type("trust phone", delay=20)
    page.wait_for_function(
        "() => (document.querySelector('.ak-library-open')?.textContent || '')"
        ".includes('Building trust by phone')",
        timeout=TIMEOUT,
    )
    keys.tab_to(active("el.classList.contains('ak-library-open')"))
    title = page.evaluate("() => document.activeElement.textContent.trim()")
    keys.press("Enter")
    expect(page.locator(".ak-library-reader article h2")).to_have_text(title, timeout=TIMEOUT)
    # and back up to the search box for the next question
    keys.tab_to(active("el.closest('.ak-library-search') !== null"), back=True)
