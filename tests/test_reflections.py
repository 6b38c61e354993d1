"""The reflection store on a real SQLite file: save, reload, replace, erase, file mode."""

from __future__ import annotations

import stat
from datetime import date

import pytest

from alliance_kit.learn import reflections


def test_save_and_reload(data_dir):
    assert reflections.latest("learn_trust") == {}
    assert not (data_dir / reflections.DB_NAME).exists(), "opening a module creates nothing"
    reflections.save("learn_trust", "report-dilemma", "  I told him first.  ", on=date(2025, 3, 4))
    reflections.save("learn_bond", "report-dilemma", "Other module.")
    got = reflections.latest("learn_trust")
    assert list(got) == ["report-dilemma"]
    assert got["report-dilemma"].text == "I told him first."
    assert got["report-dilemma"].saved_on == "2025-03-04"


def test_file_is_private(data_dir):
    reflections.save("learn_trust", "p", "text")
    mode = stat.S_IMODE((data_dir / reflections.DB_NAME).stat().st_mode)
    assert mode == 0o600


def test_latest_answer_replaces_the_earlier_one(data_dir):
    reflections.save("learn_trust", "p", "first", on=date(2025, 1, 1))
    reflections.save("learn_trust", "p", "second", on=date(2025, 2, 1))
    got = reflections.latest("learn_trust")["p"]
    assert (got.text, got.saved_on) == ("second", "2025-02-01")


def test_empty_and_overlong_answers_are_refused(data_dir):
    with pytest.raises(ValueError, match="Write an answer"):
        reflections.save("learn_trust", "p", "   ")
    with pytest.raises(ValueError, match="at most"):
        reflections.save("learn_trust", "p", "x" * (reflections.MAX_CHARS + 1))
    assert reflections.latest("learn_trust") == {}


def test_erase(data_dir):
    reflections.save("learn_trust", "a", "1")
    reflections.save("learn_trust", "b", "2")
    reflections.save("learn_bond", "a", "3")
    assert reflections.erase("learn_trust", "a") == 1
    assert list(reflections.latest("learn_trust")) == ["b"]
    assert reflections.erase("learn_trust") == 1
    assert reflections.erase() == 1
    assert reflections.latest("learn_bond") == {}


def test_reflection_view_shows_saved_answers_again(data_dir):
    """The module page's reflection part: save, then a fresh page shows text and date."""
    from alliance_kit.pages.common import Status
    from alliance_kit.pages.learn import ReflectionView

    prompts = [("one", "First prompt?"), ("two", "Second prompt?")]
    view = ReflectionView("learn_trust", prompts, Status())
    view.save.click()
    assert "at least one box" in view.message.value
    view.areas["one"].value = "My answer"
    view.save.click()
    today = date.today().isoformat()
    assert f"Saved on {today}" in view.stamps["one"].value
    assert "Not saved yet." in view.stamps["two"].value

    again = ReflectionView("learn_trust", prompts, Status())
    assert again.areas["one"].value == "My answer"
    assert f"Saved on {today}" in again.stamps["one"].value
    again.areas["one"].value = ""
    again.save.click()
    assert reflections.latest("learn_trust") == {}


def test_reflection_view_warns_about_identifiers_before_saving(data_dir):
    from alliance_kit.pages.common import Status
    from alliance_kit.pages.learn import ReflectionView

    view = ReflectionView("learn_trust", [("one", "Prompt?")], Status())
    view.areas["one"].value = "I called Mr Jansen on 06 1234 5678 about it."
    view.save.click()
    assert "identifies a person" in view.message.value
    assert reflections.latest("learn_trust") == {}
    view.save.click()  # saving again unchanged keeps the answer: a warning, never a block
    assert reflections.latest("learn_trust")["one"].text.startswith("I called")
