"""How many widgets a page sends when it opens: a room of trainees asks for every one of them
at the same moment, so the pages share layouts and styles and make a part when it is opened.
Counts, not times: the room benchmark (``tests/benchmarks/bench_room.py``) times them."""

from __future__ import annotations

import datetime as dt

import ipywidgets as widgets
import pytest
from ipywidgets.widgets import widget as widget_module

from alliance_kit.learn.quiz import Quiz, load_bank
from alliance_kit.pages.looks import close_widgets, lean, shared_look_ids
from support import find_by_class as find


def made_by(build) -> list[widgets.Widget]:
    """The widget models ``build()`` opened (layouts and styles included)."""
    before = set(widget_module._instances)
    build()
    return [w for k, w in widget_module._instances.items() if k not in before]


def test_lean_widgets_share_one_layout_and_style_per_look():
    a = lean(widgets.HTML, value="a")
    b = lean(widgets.HTML, value="b")
    wide = lean(widgets.Button, description="Go", layout={"width": "100%"})
    assert a.layout is b.layout and a.style is b.style
    assert wide.layout is not a.layout and wide.layout.width == "100%"
    assert {a.layout.model_id, a.style.model_id, wide.style.model_id} <= shared_look_ids()
    # A shared layout closed with an old page is replaced, never handed out closed.
    a.layout.close()
    c = lean(widgets.HTML, value="c")
    assert c.layout.comm is not None and c.layout is not a.layout


def test_a_quiz_question_gets_its_feedback_widget_when_checked(data_dir):
    from alliance_kit.pages import learn

    questions = load_bank().for_characteristic("trust")
    quiz = Quiz.seeded(questions, 5)
    page = learn.build("trust", quiz=quiz)
    (box, *_rest) = find(page, "ak-question")
    head, radio, check = box.children
    check.click()  # nothing chosen: a warning, the question stays open
    assert "Choose an option first" in box.children[3].value and not check.disabled
    radio.value = quiz.order[0].best_index
    check.click()
    assert len(box.children) == 4 and "Correct." in box.children[3].value
    (again,) = [
        c for c in find(page, "ak-quiz")[0].children if getattr(c, "description", "") == "Try again"
    ]
    again.click()
    assert box.comm is None and head.comm is None, "the old questions are closed"
    assert all(len(b.children) == 3 for b in find(page, "ak-question"))


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_a_learn_page_opens_with_few_widgets(data_dir, lang):
    from alliance_kit import i18n
    from alliance_kit.pages import learn

    i18n.activate(lang)
    try:
        made = made_by(lambda: learn.build("trust"))
    finally:
        i18n.activate(i18n.SOURCE_LANGUAGE)
    # 177 when every widget had its own layout and style and every question its feedback;
    # 67 when every question was made at open instead of one question at a time
    assert len(made) <= 32
    assert sum(isinstance(w, widgets.RadioButtons) for w in made) == 1, "one question at open"
    assert sum(isinstance(w, widgets.Layout) for w in made) <= 4


def test_a_learn_page_on_a_shared_server_opens_without_what_saves(data_dir, monkeypatch):
    """A workshop server stores no reflections: the page opens without a Save button, its
    message and the saved-on stamps, which were hidden or empty there."""
    from alliance_kit.pages import learn
    from alliance_kit.paths import SHARED_ENV

    monkeypatch.setenv(SHARED_ENV, "1")
    made = made_by(lambda: learn.build("trust"))
    assert len(made) <= 26
    assert not [w for w in made if isinstance(w, widgets.Button) and "Save" in w.description]
    assert sum(isinstance(w, widgets.Textarea) for w in made) == 3, "the prompts still show"


def test_the_session_form_makes_the_clients_grid_when_it_is_opened(data_dir):
    from alliance_kit.pages.score_session import ScoreForm

    made: list[ScoreForm] = []
    models = made_by(lambda: made.append(ScoreForm(data_dir / "journal.sqlite")))
    form = made[0]
    try:
        # 319 with the client's grid made up front and every widget's own layout and style;
        # 92 with a box and a label beside each row of answer buttons
        assert len(models) <= 60
        assert sum(isinstance(w, widgets.HBox | widgets.VBox) for w in models) <= 6
        # every statement is on the form, each naming its own row of buttons
        for item in form.qn.items:
            assert item.professional in form.items.buttons[item.id].description
        assert form.client_items is None and form.client_box is None
        assert not find(form.widget, "ak-items-paper")
        for buttons in form.items.buttons.values():
            buttons.value = 4
        form.code.value = "K-2"
        assert "client_answers" not in form.record()

        form.client_toggle.value = True
        grid = form.client_items
        assert grid is not None and form.client_box is grid.box
        assert form.client_box.layout.display == "flex"
        # on the form right below the button that opened it, the paper's statements in it
        children = list(form.form.children)
        assert children.index(grid.box) == children.index(form.client_toggle) + 1
        assert all(i.client in grid.buttons[i.id].description for i in form.qn.items)
        next(iter(grid.buttons.values())).value = 5
        assert any("paper ratings are incomplete" in p for p in form.problems())
        for buttons in grid.buttons.values():
            buttons.value = 5
        record = form.record()
        assert record["client_source"] == "paper" and set(record["client_answers"].values()) == {5}

        form.client_toggle.value = False  # closed again: the grid stays, its answers do not count
        assert form.client_items is grid and "client_answers" not in form.record()
        assert form.client_box.layout.display == "none"
        form.client_toggle.value = True  # opened again: the same grid, not a second one
        assert find(form.widget, "ak-items-paper") == [grid.box]
        form.reset()
        assert not grid.touched()
    finally:
        if form.journal is not None:
            form.journal.close()


def test_the_client_page_makes_the_clients_questions_when_the_screen_is_handed_over(data_dir):
    """The client's page opens with the officer's step only; the questions, the thanks and the
    question about an earlier rating are made when first needed, and work as before."""
    from alliance_kit.journal import open_journal
    from alliance_kit.pages.client_rating import ClientRating
    from alliance_kit.questionnaire import load

    journal_path = data_dir / "journal.sqlite"
    with open_journal(journal_path) as journal:
        journal.add_session(
            {
                "session_date": dt.date.today(),
                "channel": "phone",
                "phase": "early",
                "client_code": "K-5",
                "answers": {i.id: 3 for i in load().items},
            }
        )
    made: list[ClientRating] = []
    models = made_by(lambda: made.append(ClientRating(journal_path)))
    page = made[0]
    # 89 with the client's questions and the thanks made up front
    assert len(models) <= 20
    assert not any(isinstance(w, widgets.ToggleButtons) for w in models)
    assert find(page.widget, "ak-client-officer-step") and not find(page.widget, "ak-client-step")

    page.code.value = "K-5"
    page.start.click()
    (step,) = find(page.widget, "ak-client-step")
    assert not find(page.widget, "ak-client-officer-step")
    assert not find(page.widget, "ak-page-head"), "the frame's way to the officer's pages"
    assert page.grid is not None and len(page.grid.buttons) == len(load().items)
    (done,) = find(step, "ak-done")
    done.click()
    assert "Please choose an answer for every question." in find(step, "ak-client-status")[0].value
    for buttons in page.grid.buttons.values():
        buttons.value = 4
    done.click()
    (thanks,) = find(page.widget, "ak-thanks")
    assert not find(page.widget, "ak-client-step")
    with open_journal(journal_path) as journal:
        assert set(journal.latest_session("K-5").client_answers.values()) == {4}

    find(thanks, "ak-restart")[0].click()
    assert find(page.widget, "ak-page-head") and find(page.widget, "ak-client-officer-step")
    page.code.value = "K-5"
    page.start.click()  # rated already: the page asks before replacing
    assert "already rated" in page.status.value
    (ask,) = find(page.widget, "ak-replace-ask")
    find(ask, "ak-keep-rating")[0].click()
    assert "Kept the earlier rating" in page.status.value
    assert not find(page.widget, "ak-replace-ask")
    page.code.value = "K-5"
    page.start.click()
    find(page.widget, "ak-replace-rating")[0].click()
    assert find(page.widget, "ak-client-step") == [step], "the same questions, made once"
    assert page.grid.touched() is False, "the last client's answers are gone"


def test_the_channel_plan_opens_with_few_widgets(data_dir):
    from alliance_kit.pages import channel_plan

    made = made_by(channel_plan.build)
    # 99 when every widget had its own layout and style
    assert len(made) <= 55
    assert sum(isinstance(w, widgets.Layout) for w in made) <= 8


def test_a_page_built_again_in_another_language_closes_the_first(data_dir):
    """A warm kernel builds its page in the server's language, then in the visitor's: the
    first build is closed, so the browser is sent one page's states, not two."""
    from alliance_kit.pages import learn

    first = learn.build("trust")
    shared = lean(widgets.HTML).layout
    assert first.layout is shared  # the page frame shares its layout too
    close_widgets(first)
    assert first.comm is None
    assert all(b.comm is None for b in find(first, "ak-question"))
    assert shared.comm is not None, "the shared looks stay for the next page"
    again = learn.build("trust")
    assert again.comm is not None and find(again, "ak-question")[0].layout is shared


def test_a_widget_sharing_its_look_cannot_be_hidden_alone():
    """Hiding one lean widget through its layout would hide every widget of the same look (the
    client's answer buttons vanished with the page's head once): it is refused instead."""
    import ipywidgets as widgets

    from alliance_kit.pages.looks import SharedLookChanged, lean

    head, button = lean(widgets.HTML, value="head"), lean(widgets.Button, description="4")
    assert head.layout is button.layout
    with pytest.raises(SharedLookChanged):
        head.layout.display = "none"
    head.layout = widgets.Layout()
    head.layout.display = "none"
    assert button.layout.display != "none"


def test_a_statement_reads_as_written_in_its_row(data_dir):
    """A statement is shown as its answer buttons' description, which the browser reads as
    Markdown-like text with mathematics between dollar signs: "$5 ... $10" would come out
    as a formula. The row keeps the words as the questionnaire wrote them."""
    import dataclasses
    import html
    import re

    import msgspec

    from alliance_kit.pages.questionnaire_widgets import ItemGrid
    from alliance_kit.questionnaire import load

    qn = load()
    words = "I paid back $5 of the $10 fine \\(late\\) <b>today</b>."
    first = msgspec.structs.replace(qn.items[0], professional=words)
    grid = ItemGrid(dataclasses.replace(qn, items=(first, *qn.items[1:])))
    shown = grid.buttons[first.id].description
    assert "$" not in shown and "\\" not in shown
    assert html.unescape(re.sub(r"<[^>]+>", "", shown)).strip() == f"1. {words}"
