"""Quiz engine: scoring, one count per question, reshuffle on try again; and the module page's
widgets driven in-process (quick feedback before the browser test)."""

from __future__ import annotations

import random

import pytest

from alliance_kit.learn.model import Option, Question
from alliance_kit.learn.quiz import Quiz, load_bank
from support import find_by_class


def make_question(qid: str, best: int = 0, n: int = 4) -> Question:
    return Question(
        id=qid,
        characteristic="trust",
        kind="multiple-choice",
        prompt=f"Prompt {qid}",
        options=tuple(
            Option(text=f"{qid} option {i}", feedback=f"{qid} feedback {i}", best=i == best)
            for i in range(n)
        ),
    )


QUESTIONS = [make_question(f"q{i}", best=i % 4) for i in range(8)]


def test_scoring_counts_right_and_wrong():
    quiz = Quiz.seeded(QUESTIONS, 1)
    right = quiz.check("q1", 1)
    wrong = quiz.check("q2", 0)
    assert right.correct and right.feedback == "q1 feedback 1"
    assert not wrong.correct and wrong.feedback == "q2 feedback 0"
    assert wrong.best.text == "q2 option 2"
    score = quiz.score()
    assert (score.correct, score.answered, score.total) == (1, 2, 8)
    assert not score.finished
    assert score.text() == "Answered 2 of 8 · 1 correct so far."


def test_final_score_when_every_question_is_answered():
    quiz = Quiz.seeded(QUESTIONS, 2)
    for q in QUESTIONS:
        quiz.check(q.id, q.best_index if q.id != "q0" else 3)
    score = quiz.score()
    assert score.finished and score.correct == 7
    assert score.text() == "Your score: 7 of 8 correct."


def test_a_question_counts_once():
    quiz = Quiz.seeded(QUESTIONS, 3)
    quiz.check("q0", 2)
    with pytest.raises(ValueError, match="already answered"):
        quiz.check("q0", 0)
    assert quiz.score().correct == 0


def test_unknown_option_or_question_is_refused():
    quiz = Quiz.seeded(QUESTIONS, 3)
    with pytest.raises(ValueError):
        quiz.check("q0", 9)
    with pytest.raises(KeyError):
        quiz.check("nope", 0)


def test_try_again_forgets_answers_and_reshuffles():
    quiz = Quiz.seeded(QUESTIONS, 4)
    first_order = [q.id for q in quiz.order]
    first_options = dict(quiz.option_orders)
    quiz.check("q0", 0)
    quiz.try_again()
    assert quiz.score().answered == 0
    assert sorted(q.id for q in quiz.order) == sorted(first_order)
    assert [q.id for q in quiz.order] != first_order or quiz.option_orders != first_options
    for q in QUESTIONS:
        assert sorted(quiz.option_orders[q.id]) == list(range(4))


def test_same_seed_same_order_and_different_seeds_differ():
    a, b = Quiz.seeded(QUESTIONS, 7), Quiz.seeded(QUESTIONS, 7)
    assert [q.id for q in a.order] == [q.id for q in b.order]
    assert a.option_orders == b.option_orders
    orders = {tuple(q.id for q in Quiz.seeded(QUESTIONS, s).order) for s in range(10)}
    assert len(orders) > 1


def test_presented_options_keep_their_file_index():
    quiz = Quiz(QUESTIONS, random.Random(5))
    presented = quiz.presented("q3")
    assert sorted(i for i, _ in presented) == [0, 1, 2, 3]
    for index, option in presented:
        assert option.text == f"q3 option {index}"


def test_duplicate_ids_are_refused():
    with pytest.raises(ValueError, match="unique"):
        Quiz([QUESTIONS[0], QUESTIONS[0]])


# --- the module page, in-process ------------------------------------------------------------


def test_module_page_checks_answers_and_scores(data_dir):
    import ipywidgets as widgets

    from alliance_kit.pages import learn

    questions = load_bank().for_characteristic("trust")
    total = len(questions)
    quiz = Quiz.seeded(questions, 11)
    page = learn.build("trust", quiz=quiz)

    (quiz_box,) = find_by_class(page, "ak-quiz")
    (score,) = find_by_class(quiz_box, "ak-score")
    for n, q in enumerate(quiz.order):
        boxes = find_by_class(quiz_box, "ak-question")
        assert len(boxes) == n + 1, "each question appears once the one before is checked"
        box = boxes[n]
        head, radio, check = box.children  # the feedback comes with the first Check
        assert f"Question {n + 1} of {total}" in head.value and q.id in head.value
        assert isinstance(radio, widgets.RadioButtons)
        pick = (
            q.best_index if n != 1 else next(i for i in range(len(q.options)) if i != q.best_index)
        )
        radio.value = pick
        check.click()
        assert radio.disabled and check.disabled
        feedback = box.children[3]
        assert q.options[pick].feedback.split("'")[0][:30] in feedback.value
        if n + 1 < total:
            assert f"Question {n + 2} of {total} is below." in feedback.value
        else:
            assert "is below" not in feedback.value
        if n == 1:
            assert "Answered 2 of" in score.value and "1 correct" in score.value
    boxes = find_by_class(quiz_box, "ak-question")
    assert "Correct." in boxes[0].children[3].value
    assert "Not the best answer." in boxes[1].children[3].value
    assert all(b.children[1].disabled for b in boxes), "answered questions stay, locked"
    assert f"Your score: {total - 1} of {total} correct." in score.value
    (again,) = [c for c in quiz_box.children if getattr(c, "description", "") == "Try again"]
    again.click()
    assert "Answered 0 of" in score.value
    (first,) = find_by_class(quiz_box, "ak-question")
    assert (
        quiz.order[0].id in first.children[0].value and "Question 1 of" in first.children[0].value
    )
    assert not first.children[2].disabled and len(first.children) == 3


def test_a_fresh_quiz_shows_one_question_and_checking_it_shows_the_next(data_dir):
    """A trainee sees the first question alone (and how many there are); the next appears
    under it once it is checked, and "Try again" only once there is an answer to undo."""
    from alliance_kit.pages import learn

    questions = load_bank().for_characteristic("trust")
    quiz = Quiz.seeded(questions, 3)
    page = learn.build("trust", quiz=quiz)
    (quiz_box,) = find_by_class(page, "ak-quiz")
    (only,) = find_by_class(quiz_box, "ak-question")
    assert f"Question 1 of {len(questions)}" in only.children[0].value
    assert not [c for c in quiz_box.children if getattr(c, "description", "") == "Try again"]
    only.children[2].click()  # nothing chosen: a warning, no next question
    assert "Choose an option first" in only.children[3].value
    assert len(find_by_class(quiz_box, "ak-question")) == 1
    only.children[1].value = quiz.order[0].best_index
    only.children[2].click()
    first, second = find_by_class(quiz_box, "ak-question")
    assert first is only and "Correct." in first.children[3].value
    assert quiz.order[1].id in second.children[0].value
    assert f"Question 2 of {len(questions)}" in second.children[0].value
    assert not second.children[1].disabled and not second.children[2].disabled
    assert [c for c in quiz_box.children if getattr(c, "description", "") == "Try again"]


def test_reactance_page_shows_the_direction(data_dir):
    from alliance_kit.alliance import BY_ID
    from alliance_kit.pages import learn

    html = learn.text_html(BY_ID["reactance"], learn.load_text("reactance")[0])
    assert "higher = more friction, which is worse" in html
    assert "ak-direction-reverse" in html


def test_markdown_escapes_raw_html():
    from alliance_kit.markdown import render_markdown

    assert "<script>" not in render_markdown("hello <script>alert(1)</script>")


HOSTILE = (
    "Read on <script>alert('x')</script> here.\n\n"
    '[click me](javascript:alert(1)) <a href="javascript:alert(2)" onclick="alert(3)">raw</a>'
)


def test_a_learn_page_sanitises_an_adapted_text_like_the_library(tmp_path, monkeypatch, data_dir):
    """An educator's adapted module text and question go through the library's sanitiser: a
    script shows as words, a javascript: link loses its address, no event handler survives."""
    import shutil

    import yaml

    from alliance_kit.learn.model import learn_dir
    from alliance_kit.pages import learn

    kit = tmp_path / "kit"
    shutil.copytree(learn_dir(), kit / "modules" / "content" / "learn")
    texts = kit / "modules" / "content" / "learn" / "texts"
    text = yaml.safe_load((texts / "trust.yaml").read_text(encoding="utf-8"))
    text["sections"][0]["body"] = HOSTILE
    text["examples"][0]["commentary"] = HOSTILE
    (texts / "trust.yaml").write_text(yaml.safe_dump(text, sort_keys=False), encoding="utf-8")
    questions = kit / "modules" / "content" / "learn" / "questions" / "trust.yaml"
    bank = yaml.safe_load(questions.read_text(encoding="utf-8"))
    bank["questions"][0]["scenario"] = HOSTILE
    questions.write_text(yaml.safe_dump(bank, sort_keys=False), encoding="utf-8")
    (texts / "overview.md").write_text(HOSTILE, encoding="utf-8")
    monkeypatch.setenv("ALLIANCE_KIT_CONTENT_DIR", str(kit))

    # The quiz opens with its first question: make it the one with the hostile scene.
    quiz = Quiz(load_bank(lang="en").for_characteristic("trust"))
    quiz.order.sort(key=lambda q: q.id != bank["questions"][0]["id"])
    page = learn.build("trust", quiz=quiz)
    html = " ".join(
        w.value
        for w in _all_widgets(page)
        if hasattr(w, "value") and isinstance(w.value, str) and "<" in w.value
    )
    html += learn.overview_html()
    assert html.count("&lt;script&gt;") == 4  # text, commentary, scenario, overview
    assert html.count("click me") == 4
    elements = _elements(html)
    assert "script" not in {tag for tag, _attrs in elements}
    for tag, attrs in elements:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert not attrs.get("href", "").lower().startswith("javascript"), (tag, attrs)


def _elements(html: str) -> list[tuple[str, dict[str, str]]]:
    from html.parser import HTMLParser

    found: list[tuple[str, dict[str, str]]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, {k: v or "" for k, v in attrs}))

    Collect().feed(html)
    return found


def _all_widgets(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _all_widgets(child)


def test_rendered_markdown_is_cached_by_its_content():
    from alliance_kit.markdown import render_markdown

    first = render_markdown("**Same** words, rendered once.")
    assert render_markdown("**Same** words, rendered once.") is first
    assert render_markdown("**Other** words.") == "<p><strong>Other</strong> words.</p>\n"


def test_learn_pages_start_without_pandas_or_plotly():
    """A workshop opens these pages at once: their start-up path stays ipywidgets + engines."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from alliance_kit.pages import learn, trainer\n"
        "learn.build('trust'); learn.build_overview(); trainer.build()\n"
        "print(sorted(m for m in ('pandas', 'plotly', 'numpy') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_check_finds_feedback_that_carries_its_own_verdict(tmp_path):
    from alliance_kit.learn.quiz import parse_file

    path = tmp_path / "verdicts.yaml"
    path.write_text(
        """questions:
  - id: verdict-q
    characteristic: reactance
    kind: multiple-choice
    prompt: Which one?
    options:
      - text: The best one.
        best: true
        feedback: "Correct. This is why it matters."
      - text: Another one.
        feedback: "No single score decides it; this one misses the point."
      - text: A third one.
        feedback: "Yes! But it is not the best."
""",
        encoding="utf-8",
    )
    questions, problems = parse_file(path)
    assert [q.id for q in questions] == ["verdict-q"]  # the question still loads
    assert [(p.item, p.field) for p in problems] == [
        ("verdict-q", "options[1].feedback"),
        ("verdict-q", "options[3].feedback"),
    ]
    assert "starts with a verdict ('Correct')" in problems[0].message


def test_the_shipped_questions_have_no_verdict_in_their_feedback():
    from alliance_kit.learn.checks import check_questions

    assert [p for p in check_questions() if "verdict" in p.message] == []
