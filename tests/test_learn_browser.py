"""The Learn pages in a real browser: a quiz answered right and wrong, a reflection that
survives a reload, and a practice-trainer round played to its summary."""

from __future__ import annotations

import stat
from datetime import date

import pytest
from playwright.sync_api import expect

from alliance_kit.learn.quiz import load_bank
from alliance_kit.learn.trainer import load_items

pytestmark = pytest.mark.browser
TIMEOUT = 30_000


def question_of(box):
    qid = box.locator("[data-question]").get_attribute("data-question")
    return next(q for q in load_bank().questions if q.id == qid)


def answer(box, option_text: str) -> None:
    box.locator(".widget-radio-box label", has_text=option_text).click()
    box.get_by_role("button", name="Check", exact=True).click()


def reach(page, qid: str) -> None:
    """Answer the questions shown before ``qid`` (best option each) until it is shown."""
    boxes = page.locator(".ak-quiz .ak-question")
    for n in range(len(load_bank().questions)):
        if question_of(boxes.nth(n)).id == qid:
            return
        q = question_of(boxes.nth(n))
        answer(boxes.nth(n), q.options[q.best_index].text)
        expect(boxes).to_have_count(n + 2, timeout=TIMEOUT)
    raise AssertionError(f"question {qid} never came")


def test_quiz_gives_matching_feedback_and_score(open_page):
    page = open_page("learn_trust.ipynb", ready=".ak-quiz .ak-question")
    boxes = page.locator(".ak-quiz .ak-question")
    total = len(load_bank().for_characteristic("trust"))
    # one question at open, saying how many there are; nothing to start over from yet
    expect(boxes).to_have_count(1)
    expect(boxes.nth(0).locator("h3")).to_have_text(f"Question 1 of {total}")
    expect(page.get_by_role("button", name="Try again")).to_have_count(0)
    score = page.locator(".ak-score")
    expect(score).to_contain_text(f"Answered 0 of {total}")

    first = question_of(boxes.nth(0))
    answer(boxes.nth(0), first.options[first.best_index].text)
    feedback = boxes.nth(0).locator(".ak-feedback")
    expect(feedback).to_contain_text("Correct.", timeout=TIMEOUT)
    expect(feedback).to_contain_text(first.options[first.best_index].feedback[:40])
    expect(feedback).to_contain_text(f"Question 2 of {total} is below.")
    expect(boxes).to_have_count(2, timeout=TIMEOUT)
    expect(boxes.nth(1).locator("h3")).to_have_text(f"Question 2 of {total}")

    second = question_of(boxes.nth(1))
    assert second.id != first.id
    wrong = next(o for o in second.options if not o.best)
    answer(boxes.nth(1), wrong.text)
    feedback = boxes.nth(1).locator(".ak-feedback")
    expect(feedback).to_contain_text("Not the best answer.", timeout=TIMEOUT)
    expect(feedback).to_contain_text(wrong.feedback[:40])
    expect(feedback.locator(".ak-best")).to_contain_text(second.options[second.best_index].text)
    expect(score).to_contain_text(f"Answered 2 of {total} · 1 correct so far.")
    # a checked question is locked: its answer counts once
    expect(boxes.nth(1).get_by_role("button", name="Check", exact=True)).to_be_disabled()

    for n in range(2, total):
        expect(boxes).to_have_count(n + 1, timeout=TIMEOUT)
        q = question_of(boxes.nth(n))
        answer(boxes.nth(n), q.options[q.best_index].text)
    expect(score).to_contain_text(f"Your score: {total - 1} of {total} correct.")
    # every question answered stays in view, with its feedback; none comes after the last
    expect(boxes).to_have_count(total)
    expect(page.locator(".ak-quiz .ak-feedback")).to_have_count(total)
    expect(boxes.nth(total - 1).locator(".ak-feedback")).not_to_contain_text("is below")

    page.get_by_role("button", name="Try again").click()
    expect(score).to_contain_text(f"Answered 0 of {total}", timeout=TIMEOUT)
    expect(boxes).to_have_count(1)
    expect(boxes.nth(0).locator("h3")).to_have_text(f"Question 1 of {total}")
    expect(page.locator(".ak-quiz .ak-feedback")).to_have_count(0)
    expect(boxes.nth(0).get_by_role("button", name="Check", exact=True)).to_be_enabled()


def test_reflection_is_saved_and_shown_after_reload(open_page, kit_server):
    page = open_page("learn_reactance.ipynb", ready=".ak-reflection textarea")
    expect(page.locator(".ak-direction-reverse").first).to_contain_text(
        "higher = more friction, which is worse"
    )
    area = page.locator(".ak-reflection textarea").first
    text = "I got short with a client on the phone when I was tired."
    area.fill(text)
    page.get_by_role("button", name="Save my answers").click()
    stamp = page.locator(".ak-reflection .ak-saved-on").first
    today = date.today().isoformat()
    expect(stamp).to_have_text(f"Saved on {today}", timeout=TIMEOUT)

    db = kit_server.data_dir / "reflections.sqlite"
    assert stat.S_IMODE(db.stat().st_mode) == 0o600

    page.reload(wait_until="domcontentloaded")
    page.wait_for_selector(".ak-reflection textarea", state="visible", timeout=60_000)
    expect(page.locator(".ak-reflection textarea").first).to_have_value(text)
    expect(page.locator(".ak-reflection .ak-saved-on").first).to_have_text(f"Saved on {today}")


def test_trainer_round_reaches_its_summary(open_page):
    page = open_page("practice_trainer.ipynb", ready=".ak-trainer .ak-utterance")
    items = {i.id: i for i in load_items()[0]}
    page.locator(".ak-trainer-size select").select_option(label="5 items")
    progress = page.locator(".ak-progress")
    expect(progress).to_have_text("Item 1 of 5", timeout=TIMEOUT)

    played = []
    for n in range(5):
        expect(progress).to_have_text(f"Item {n + 1} of 5", timeout=TIMEOUT)
        item = items[page.locator(".ak-utterance").get_attribute("data-item")]
        played.append(item)
        if n == 0:
            pick = item.characteristic
        else:
            pick = "trust" if item.characteristic != "trust" else "bond"
        name = {"goals-and-conditions": "Goals and Conditions"}.get(pick, pick.capitalize())
        page.locator(".ak-trainer-characteristic").get_by_role(
            "button", name=name, exact=True
        ).click()
        label = (
            "Strengthens the alliance" if item.effect == "strengthens" else "Strains the alliance"
        )
        page.locator(".ak-trainer-effect").get_by_role("button", name=label, exact=True).click()
        page.get_by_role("button", name="Submit", exact=True).click()
        feedback = page.locator(".ak-trainer-feedback")
        expect(feedback).to_contain_text("Yes:" if n == 0 else "You chose", timeout=TIMEOUT)
        expect(feedback).to_contain_text(item.explanation[:30])
        if n < 4:
            page.get_by_role("button", name="Next", exact=True).click()
    assert len({i.id for i in played}) == 5, "no item repeats within a round"
    page.get_by_role("button", name="See summary", exact=True).click()

    summary = page.locator(".ak-trainer-summary")
    expect(summary).to_be_visible(timeout=TIMEOUT)
    expect(summary).to_contain_text("You got 1 of 5 items fully right")
    # the module to revisit is one where the share of right answers was lowest
    seen: dict[str, list[int]] = {}
    for n, item in enumerate(played):
        seen.setdefault(item.characteristic, []).append(1 if n == 0 else 0)
    worst = min(sum(v) / len(v) for v in seen.values())
    allowed = {
        f"learn_{cid.replace('-', '_')}.ipynb"
        for cid, v in seen.items()
        if sum(v) / len(v) == worst
    }
    assert summary.locator(".ak-revisit a").get_attribute("href") in allowed
    score = page.locator(".ak-trainer-score")
    for cid, v in seen.items():
        expect(score.locator(f'tr[data-characteristic="{cid}"] td').first).to_have_text(str(len(v)))


def test_feedback_says_its_verdict_once(open_page):
    """The Sturm et al. (2021) question: the page gives the verdict, the text only explains."""
    page = open_page("learn_reactance.ipynb", ready=".ak-quiz .ak-question")
    box = page.locator(".ak-question-reactance-research")
    reach(page, "reactance-research")
    q = question_of(box)
    wrong = next(o for o in q.options if not o.best)
    answer(box, wrong.text)
    feedback = box.locator(".ak-feedback")
    expect(feedback).to_contain_text("Not the best answer.", timeout=TIMEOUT)
    expect(feedback).not_to_contain_text("Correct.")
    page.get_by_role("button", name="Try again").click()
    expect(page.locator(".ak-quiz .ak-feedback")).to_have_count(0, timeout=TIMEOUT)
    reach(page, "reactance-research")
    answer(box, q.options[q.best_index].text)
    head = box.locator(".ak-feedback > p").first
    expect(head).to_contain_text("Correct.", timeout=TIMEOUT)
    assert head.inner_text().count("Correct") == 1


def test_reflection_boxes_are_whole_and_in_the_page_font(open_page):
    page = open_page("learn_trust.ipynb", ready=".ak-reflection textarea")
    boxes = page.locator(".ak-reflection textarea").evaluate_all(
        """areas => areas.map(a => {
            // the nearest box that clips its content: the widget's own container
            let clip = a.parentElement;
            while (clip && getComputedStyle(clip).overflowX === 'visible') {
                clip = clip.parentElement;
            }
            const r = a.getBoundingClientRect(), c = clip.getBoundingClientRect();
            return [getComputedStyle(a).fontFamily, r.left >= c.left, r.right <= c.right];
        })"""
    )
    assert boxes
    for font, left_inside, right_inside in boxes:
        assert "mono" not in font.lower()
        assert left_inside and right_inside  # both borders show


# --- in Dutch ------------------------------------------------------------------------------------


@pytest.fixture
def then_english(kit_server):
    """A test that opens ``?lang=nl`` leaves English as the remembered choice afterwards."""
    from dutch import forget_language

    yield
    forget_language(kit_server.data_dir)


def test_dutch_module_page_quiz_and_reflection(open_page, then_english):
    from babel.dates import format_date
    from dutch import english_left

    bank = load_bank(lang="nl")
    page = open_page("learn_trust.ipynb?lang=nl", ready=".ak-quiz .ak-question")
    expect(page.locator("h1")).to_have_text("Vertrouwen")
    expect(page.locator("#ak-sec-quiz h2")).to_have_text("Toets je begrip")
    boxes = page.locator(".ak-quiz .ak-question")
    total = len(bank.for_characteristic("trust"))
    expect(boxes.nth(0).locator("h3")).to_have_text(f"Vraag 1 van {total}")
    first = next(q for q in bank.questions if q.id == question_of(boxes.nth(0)).id)
    boxes.nth(0).locator(
        ".widget-radio-box label", has_text=first.options[first.best_index].text
    ).click()
    boxes.nth(0).get_by_role("button", name="Controleer", exact=True).click()
    feedback = boxes.nth(0).locator(".ak-feedback")
    expect(feedback).to_contain_text("Goed.", timeout=TIMEOUT)
    expect(feedback).to_contain_text(first.options[first.best_index].feedback[:40])
    expect(feedback).to_contain_text(f"Vraag 2 van {total} staat hieronder.")
    expect(boxes.nth(1).locator("h3")).to_have_text(f"Vraag 2 van {total}", timeout=TIMEOUT)
    expect(page.locator(".ak-score")).to_contain_text(
        f"1 van {total} beantwoord · tot nu toe 1 goed."
    )

    area = page.locator(".ak-reflection textarea").first
    area.fill("Ik was kortaf aan de telefoon omdat ik moe was.")
    page.get_by_role("button", name="Mijn antwoorden opslaan").click()
    today = format_date(date.today(), format="long", locale="nl")
    expect(page.locator(".ak-reflection .ak-saved-on").first).to_have_text(
        f"Opgeslagen op {today}", timeout=TIMEOUT
    )
    assert english_left(page.inner_text("body")) == []


def test_dutch_overview_from_the_browser_language(open_page):
    from dutch import english_left

    page = open_page("learn_overview.ipynb", locale="nl-NL", ready=".ak-characteristic-card")
    cards = page.locator(".ak-characteristic-card > a")
    expect(cards).to_have_text(["Richting/kader", "Vertrouwen", "Binding", "Stroefheid"])
    expect(page.locator(".ak-direction-reverse")).to_contain_text(
        "hoger = meer wrijving, en dat is slechter"
    )
    assert english_left(page.inner_text("body")) == []
    cards.first.click()
    page.wait_for_selector(".ak-quiz .ak-question", state="visible", timeout=60_000)
    expect(page.locator("h1")).to_have_text("Richting/kader")
    assert english_left(page.inner_text("body")) == []


def test_dutch_trainer_round_reaches_its_summary(open_page, then_english):
    from dutch import english_left

    items = {i.id: i for i in load_items(lang="nl")[0]}
    names = {"goals-and-conditions": "Richting/kader", "trust": "Vertrouwen", "bond": "Binding"}
    names["reactance"] = "Stroefheid"
    page = open_page("practice_trainer.ipynb?lang=nl", ready=".ak-trainer .ak-utterance")
    page.locator(".ak-trainer-size select").select_option(label="5 zinnen")
    progress = page.locator(".ak-progress")
    for n in range(5):
        expect(progress).to_have_text(f"Zin {n + 1} van 5", timeout=TIMEOUT)
        item = items[page.locator(".ak-utterance").get_attribute("data-item")]
        expect(page.locator(".ak-utterance-line")).to_contain_text(item.line[:30])
        page.locator(".ak-trainer-characteristic").get_by_role(
            "button", name=names[item.characteristic], exact=True
        ).click()
        effect = (
            "Versterkt de werkrelatie"
            if item.effect == "strengthens"
            else "Zet de werkrelatie onder druk"
        )
        page.locator(".ak-trainer-effect").get_by_role("button", name=effect, exact=True).click()
        page.get_by_role("button", name="Indienen", exact=True).click()
        feedback = page.locator(".ak-trainer-feedback")
        expect(feedback).to_contain_text("Ja:", timeout=TIMEOUT)
        expect(feedback).to_contain_text(item.explanation[:30])
        if n < 4:
            page.get_by_role("button", name="Volgende", exact=True).click()
    page.get_by_role("button", name="Naar de samenvatting", exact=True).click()
    summary = page.locator(".ak-trainer-summary")
    expect(summary).to_contain_text("Je had 5 van 5 zinnen helemaal goed", timeout=TIMEOUT)
    expect(summary).to_contain_text("Niets gemist deze ronde.")
    assert english_left(page.inner_text("body")) == []
