"""Practice trainer rounds: random draws without repeats, per-characteristic score, and the
module recommended at the end."""

from __future__ import annotations

import random

import pytest

from alliance_kit.alliance import CHARACTERISTIC_IDS
from alliance_kit.learn.model import PracticeItem
from alliance_kit.learn.trainer import Round, Tally, load_items, recommend


def item(n: int, cid: str, effect: str = "strains") -> PracticeItem:
    return PracticeItem(
        id=f"i{n}",
        speaker="client",
        channel="phone",
        line=f"line {n}",
        characteristic=cid,
        effect=effect,
        explanation=f"why {n}",
    )


POOL = tuple(
    item(n, CHARACTERISTIC_IDS[n % 4], "strains" if n % 2 else "strengthens") for n in range(40)
)


def test_a_round_draws_without_repeats():
    for seed in range(20):
        r = Round(POOL, size=10, rng=random.Random(seed))
        seen = []
        while r.current is not None:
            seen.append(r.current.id)
            r.answer("trust", "strains")
            r.next()
        assert len(seen) == 10 and len(set(seen)) == 10
        assert r.finished


def test_round_is_random_but_seedable():
    a = Round(POOL, 10, random.Random(1)).items
    assert a == Round(POOL, 10, random.Random(1)).items
    assert len({tuple(i.id for i in Round(POOL, 10, random.Random(s)).items) for s in range(5)}) > 1


def test_round_never_exceeds_the_pool():
    r = Round(POOL[:3], size=10, rng=random.Random(0))
    assert len(r.items) == 3


def test_per_characteristic_score_follows_the_true_characteristic():
    pool = (item(1, "trust", "strains"), item(2, "trust", "strengthens"), item(3, "bond"))
    r = Round(pool, size=3, rng=random.Random(0))
    answers = {
        "i1": ("trust", "strains"),
        "i2": ("bond", "strengthens"),
        "i3": ("bond", "strengthens"),
    }
    while r.current is not None:
        v = r.answer(*answers[r.current.id])
        assert v.correct == (r.current.id == "i1")
        r.next()
    t = r.tallies()
    assert (
        t["trust"].seen,
        t["trust"].characteristic_ok,
        t["trust"].effect_ok,
        t["trust"].both_ok,
    ) == (2, 1, 2, 1)
    assert (
        t["bond"].seen,
        t["bond"].characteristic_ok,
        t["bond"].effect_ok,
        t["bond"].both_ok,
    ) == (1, 1, 0, 0)
    assert t["reactance"].seen == 0
    s = r.summary()
    assert (s.total, s.correct) == (3, 1)
    assert s.revisit == "bond"  # 0 of 1 right beats 1 of 2 right


def test_answer_rules():
    r = Round(POOL, 2, random.Random(0))
    with pytest.raises(ValueError, match="answer this item"):
        r.next()
    with pytest.raises(ValueError, match="unknown characteristic"):
        r.answer("honesty", "strains")
    with pytest.raises(ValueError, match="effect"):
        r.answer("trust", "maybe")
    r.answer("trust", "strains")
    with pytest.raises(ValueError, match="already answered"):
        r.answer("trust", "strains")


def test_recommendation():
    assert recommend({c: Tally() for c in CHARACTERISTIC_IDS}) is None
    perfect = {c: Tally(2, 2, 2, 2) for c in CHARACTERISTIC_IDS}
    assert recommend(perfect) is None
    tallies = {**perfect, "reactance": Tally(4, 2, 3, 2), "bond": Tally(2, 1, 1, 1)}
    assert recommend(tallies) == "reactance"  # same share wrong, more misses
    tallies["trust"] = Tally(1, 0, 0, 0)
    assert recommend(tallies) == "trust"


def test_empty_pool_is_refused():
    with pytest.raises(ValueError, match="no practice items"):
        Round((), 10)


def test_shipped_items_make_a_full_default_round():
    items, problems = load_items()
    assert problems == ()
    assert len(Round(items).items) == 10


def test_trainer_page_plays_a_round_in_process():
    from alliance_kit.pages import trainer

    view = trainer.TrainerView()
    view.size.value = 5
    assert len(view.round.items) == 5
    for n in range(5):
        current = view.round.current
        assert f'data-item="{current.id}"' in view.utterance.value
        view.characteristic.value = current.characteristic
        view.effect.value = "strains" if current.effect == "strengthens" else "strengthens"
        view.submit.click()
        assert "ak-feedback-wrong" in view.feedback.value
        assert current.explanation[:20] in view.feedback.value.replace("&#x27;", "'")
        assert view.next.description == ("See summary" if n == 4 else "Next")
        view.next.click()
    assert view.summary_box.layout.display is None
    assert "You got 0 of 5" in view.summary.value
    assert 'class="ak-revisit"' in view.summary.value and ".ipynb" in view.summary.value
