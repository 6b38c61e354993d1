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


def test_quiz_gives_matching_feedback_and_score(open_page):
    page = open_page("learn_trust.ipynb", ready=".ak-quiz .ak-question")
    boxes = page.locator(".ak-quiz .ak-question")
    total = boxes.count()
    assert total == len(load_bank().for_characteristic("trust"))
    score = page.locator(".ak-score")
    expect(score).to_contain_text(f"Answered 0 of {total}")

    first = question_of(boxes.nth(0))
    answer(boxes.nth(0), first.options[first.best_index].text)
    feedback = boxes.nth(0).locator(".ak-feedback")
    expect(feedback).to_contain_text("Correct.", timeout=TIMEOUT)
    expect(feedback).to_contain_text(first.options[first.best_index].feedback[:40])

    second = question_of(boxes.nth(1))
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
        q = question_of(boxes.nth(n))
        answer(boxes.nth(n), q.options[q.best_index].text)
    expect(score).to_contain_text(f"Your score: {total - 1} of {total} correct.")

    page.get_by_role("button", name="Try again").click()
    expect(score).to_contain_text(f"Answered 0 of {total}", timeout=TIMEOUT)
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
    q = question_of(box)
    wrong = next(o for o in q.options if not o.best)
    answer(box, wrong.text)
    feedback = box.locator(".ak-feedback")
    expect(feedback).to_contain_text("Not the best answer.", timeout=TIMEOUT)
    expect(feedback).not_to_contain_text("Correct.")
    page.get_by_role("button", name="Try again").click()
    expect(box.locator(".ak-feedback")).to_have_count(0, timeout=TIMEOUT)
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
