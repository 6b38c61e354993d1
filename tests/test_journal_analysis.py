"""Reliable change and the analysis behind the trends page."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from alliance_kit.journal.models import Session
from alliance_kit.questionnaire import load
from alliance_kit.reliable_change import (
    DEFAULT_RULE,
    IMPROVED,
    NO_CHANGE,
    WORSENED,
    ReliableChangeRule,
)


def test_jacobson_truax_threshold_matches_the_formula():
    rule = ReliableChangeRule(sd=0.8, reliability=0.8, z=1.96)
    assert rule.s_diff == pytest.approx(math.sqrt(2) * 0.8 * math.sqrt(0.2))
    assert rule.threshold == pytest.approx(0.9915, abs=1e-3)
    assert rule.index(3.0, 4.0) == pytest.approx(1.0 / rule.s_diff)
    # more reliable scores make smaller changes count
    assert ReliableChangeRule(reliability=0.9).threshold < rule.threshold


def test_classify_respects_direction():
    rule = DEFAULT_RULE
    assert rule.classify(3.0, 3.5) == NO_CHANGE
    assert rule.classify(2.0, 3.5) == IMPROVED
    assert rule.classify(4.0, 2.5) == WORSENED
    # Reactance: a rise is a worsening
    assert rule.classify(2.0, 3.5, higher_is_better=False) == WORSENED
    assert rule.classify(4.0, 2.5, higher_is_better=False) == IMPROVED


def test_band_is_clipped_to_the_scale_and_gap_uses_the_threshold():
    lo, hi = DEFAULT_RULE.band(4.5)
    assert lo == pytest.approx(4.5 - DEFAULT_RULE.threshold) and hi == 5.0
    assert DEFAULT_RULE.strong_gap(4.0, 2.5)
    assert not DEFAULT_RULE.strong_gap(4.0, 3.5)
    assert "assumptions" in DEFAULT_RULE.describe()


@pytest.mark.parametrize("bad", [{"sd": 0}, {"reliability": 1.0}, {"z": -1}])
def test_rule_refuses_impossible_assumptions(bad):
    with pytest.raises(ValueError):
        ReliableChangeRule(**bad)


def sess(n: int, code: str, value_by_char: dict[str, int], channel: str = "phone", client=None):
    qn = load()
    answers = {}
    for item in qn.items:
        v = value_by_char.get(item.characteristic, 4)
        answers[item.id] = 6 - v if item.reverse else v  # so the score equals v
    client_answers = None
    if client:
        client_answers = {
            i.id: (
                6 - client.get(i.characteristic, 4)
                if i.reverse
                else client.get(i.characteristic, 4)
            )
            for i in qn.items
        }
    return Session(
        id=f"s-{code}-{n:04d}",
        session_date=dt.date(2025, 1, 1) + dt.timedelta(days=7 * n),
        channel=channel,
        phase="early",
        client_code=code,
        answers=answers,
        created_at=f"2025-01-01T00:00:{n % 60:02d}",
        client_answers=client_answers,
        client_source="paper" if client else None,
    )


def test_client_view_flags_a_reliable_drop_and_a_strong_gap():
    from alliance_kit.journal import analysis

    sessions = [
        sess(0, "K-1", {"trust": 4, "reactance": 2}),
        sess(1, "K-1", {"trust": 4, "reactance": 2}, channel="video"),
        sess(2, "K-1", {"trust": 2, "reactance": 4}, client={"trust": 2, "bond": 1}),
        sess(3, "K-2", {"trust": 1}),
    ]
    df = analysis.frame(sessions)
    view = analysis.client_view(df, "K-1")
    assert len(view.rows) == 3
    assert view.baseline["trust"] == 4.0
    kinds = {(f.characteristic, f.kind) for f in view.flags}
    assert ("trust", "drop") in kinds
    assert ("reactance", "drop") in kinds  # Reactance rose: that is a drop of the alliance
    assert ("bond", "gap") in kinds  # officer 4, client 1
    assert ("trust", "gap") not in kinds  # both 2
    reactance_flag = next(f for f in view.flags if f.characteristic == "reactance")
    assert "more friction" in reactance_flag.detail
    assert view.gaps.loc["bond", "gap"] == pytest.approx(-3.0)


def test_no_flags_for_steady_scores():
    from alliance_kit.journal import analysis

    df = analysis.frame([sess(n, "K-1", {"trust": 4}) for n in range(5)])
    assert analysis.client_view(df, "K-1").flags == []


def test_overview_averages_by_channel_and_phase():
    from alliance_kit.journal import analysis

    sessions = [
        sess(0, "A-1", {"bond": 5}, channel="phone"),
        sess(1, "A-1", {"bond": 3}, channel="phone"),
        sess(2, "B-1", {"bond": 2}, channel="face-to-face"),
    ]
    ov = analysis.overview(analysis.frame(sessions))
    assert ov.n_sessions == 3 and ov.n_codes == 2
    assert list(ov.by_channel.index) == ["face-to-face", "phone"]
    assert ov.by_channel.loc["phone", "bond"] == pytest.approx(4.0)
    assert ov.counts_channel["phone"] == 2
    assert ov.average["bond"] == pytest.approx(10 / 3)
    assert ov.latest["bond"] == 2.0
    assert ov.latest_label.startswith("B-1")


def test_overview_of_an_empty_journal():
    from alliance_kit.journal import analysis

    ov = analysis.overview(analysis.frame([]))
    assert ov.n_sessions == 0 and ov.latest_label == ""


def test_form_pages_open_without_pandas_or_plotly(tmp_path):
    """The score and client pages start with ipywidgets and the small engines only."""
    import os
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from alliance_kit.pages import score_session, client_rating, my_trends\n"
        "score_session.build(); client_rating.build()\n"
        "bad = [m for m in ('pandas', 'plotly', 'numpy') if m in sys.modules]\n"
        "print(','.join(bad) or 'clean')\n"
    )
    res = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "ALLIANCE_KIT_DATA_DIR": str(tmp_path)},
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "clean"


def test_change_words_follow_each_characteristics_direction():
    from alliance_kit.alliance import BY_ID

    assert BY_ID["reactance"].change_words(2.0, 3.5) == "rose, worse"
    assert BY_ID["reactance"].change_words(3.5, 2.0) == "fell, better"
    assert BY_ID["trust"].change_words(4.0, 2.0) == "fell, worse"
    assert BY_ID["trust"].change_words(2.0, 4.0) == "rose, better"
    # said once, without brackets inside brackets
    assert BY_ID["reactance"].label.count("(") == 1


def test_summary_says_a_rising_reactance_rose_and_leaves_a_falling_one_out():
    from alliance_kit.journal import analysis
    from alliance_kit.pages.my_trends import summary_html

    sessions = [
        sess(1, "UP-1", {"reactance": 2}),
        sess(2, "UP-1", {"reactance": 4}),
        sess(3, "DOWN-1", {"reactance": 4}),
        sess(4, "DOWN-1", {"reactance": 2}),
    ]
    df = analysis.frame(sessions)
    up = analysis.client_view(df, "UP-1").flags
    assert [f.short for f in up] == ["Reactance rose, worse"]
    assert "Reactance rose, worse: from 2.0 at the previous session to 4.0" in up[0].detail
    assert analysis.client_view(df, "DOWN-1").flags == []  # less friction is no worry

    html = summary_html(sessions)
    up_row = html[html.index("<th>UP-1</th>") :].split("</tr>")[0]
    down_row = html[html.index("<th>DOWN-1</th>") :].split("</tr>")[0]
    assert "Reactance rose, worse" in up_row and "drop" not in html
    assert "Reactance" not in down_row and down_row.endswith("<td>–</td>")


def test_summary_words_a_falling_trust_as_worse():
    from alliance_kit.pages.my_trends import summary_html

    html = summary_html([sess(1, "T-1", {"trust": 5}), sess(2, "T-1", {"trust": 2})])
    assert "Trust fell, worse" in html
