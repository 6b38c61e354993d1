"""The channel-plan model: its parameter file, plan rules, seed determinism and the directions
the research and the seeds give (a test per direction, so a parameter edit cannot flip one)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from alliance_kit import i18n
from alliance_kit.channel_model.parameters import (
    PARAMETER_IDS,
    TEACHING_ASSUMPTION,
    load_spec,
    model_file,
    spec,
)
from alliance_kit.channel_model.plans import PRESETS, parse_plan, preset_of, preset_rule
from alliance_kit.channel_model.simulation import Profile, simulate
from support import REPO

SCHEMA = REPO / "tools" / "alliance_kit" / "schemas" / "channel_model.schema.json"
RUNS = 4000
F2F_FIRST = "in person for the first 6 weeks, then alternate video and phone"
REMOTE_FROM_START = "alternate video and phone"


def week26(profile: Profile, plan: str, what: str = "trust", seed: int = 7) -> float:
    return simulate(profile, plan, runs=RUNS, seed=seed).at(26)[what]


# --- the parameter file ------------------------------------------------------------------


def test_shipped_parameters_are_valid_and_complete():
    model, problems = load_spec()
    assert problems == []
    assert set(model.parameters) == set(PARAMETER_IDS)
    for p in model.parameters.values():
        assert p.low <= p.default <= p.high, p.id
        assert p.unit and p.source and p.label


def test_parameter_file_passes_the_full_jsonschema():
    from jsonschema import Draft202012Validator

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    data = yaml.safe_load(model_file().read_text(encoding="utf-8"))
    assert [e.message for e in Draft202012Validator(schema).iter_errors(data)] == []


def test_risk_signal_detection_is_labelled_a_teaching_assumption():
    model, _ = spec()
    detection = [p for p in model.parameters.values() if p.id.startswith("detection.")]
    assert len(detection) == 6
    assert all(p.source == TEACHING_ASSUMPTION for p in detection)


def test_research_based_defaults_cite_their_source():
    model, _ = spec()
    assert "Seuling" in model.parameters["channel.video.alliance"].source_text
    assert "Irvine" in model.parameters["channel.phone.length"].source_text
    assert "Sturm" in model.parameters["complex.substance-drift"].source_text


def edited(tmp_path: Path, change) -> list[str]:
    data = yaml.safe_load(model_file().read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "channel_model.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return [str(p) for p in load_spec(path)[1]]


def test_default_outside_range_is_reported(tmp_path):
    def change(data):
        data["parameters"][0]["default"] = 99

    found = edited(tmp_path, change)
    assert len(found) == 1
    assert "item start.goals-and-conditions" in found[0] and "outside its range" in found[0]


def test_missing_source_and_missing_parameter_are_reported(tmp_path):
    def change(data):
        del data["parameters"][1]["source"]
        data["parameters"] = [p for p in data["parameters"] if p["id"] != "detection.phone"]

    found = edited(tmp_path, change)
    assert any("item start.trust" in f and "source: is missing" in f for f in found), found


def test_unknown_and_missing_parameters_are_reported(tmp_path):
    def change(data):
        for p in data["parameters"]:
            if p["id"] == "detection.phone":
                p["id"] = "detection.telephone"

    found = edited(tmp_path, change)
    assert any("detection.telephone" in f and "not a parameter the model reads" in f for f in found)
    assert any("'detection.phone' is missing" in f for f in found)


def test_a_back_to_front_band_and_range_are_named(tmp_path):
    def change(data):
        data["band"] = [90, 10]
        data["parameters"][2]["range"] = [1, 0]

    found = edited(tmp_path, change)
    assert any("item start.bond" in f and "range is back to front (1 > 0)" in f for f in found)
    assert any("band must be two percentiles, low then high" in f for f in found), found


def test_the_parameter_check_and_plan_rules_do_not_load_numpy():
    """The check, the Dutch check and the contact-plan exercise read parameters and rules
    without paying for the simulation."""
    code = (
        "import sys\n"
        "from alliance_kit.channel_model.parameters import load_spec\n"
        "from alliance_kit.channel_model.plans import parse_plan\n"
        "assert load_spec()[0] is not None\n"
        "parse_plan('alternate video and phone')\n"
        "print('numpy' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_channel_plan_page_opens_without_numpy_and_loads_it_for_a_run(data_dir, tmp_path):
    """Most visitors read the page before running the model; numpy (15 MiB, tens of
    milliseconds) comes with the first run."""
    code = (
        "import sys\n"
        "from alliance_kit.pages import channel_plan\n"
        "page = channel_plan.ChannelPlanPage()\n"
        "channel_plan.build()\n"
        "print('numpy' in sys.modules, 'plotly' in sys.modules)\n"
        "page.runs.value = 1000\n"
        "page.run.click()\n"
        "assert 'ak-plan-summary' in page.summary.value and page.chart.children\n"
        "print('numpy' in sys.modules)\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.split() == ["False", "False", "True"]


# --- plans -------------------------------------------------------------------------------


def test_rule_in_person_first_then_alternate():
    plan = parse_plan(F2F_FIRST)
    assert len(plan) == 26
    assert plan[:6] == ("face-to-face",) * 6
    assert plan[6:10] == ("video", "phone", "video", "phone")


def test_rule_with_counts_repeats_to_fill_the_plan():
    plan = parse_plan("face-to-face for 1 week; then messaging for 3 weeks", weeks=8)
    assert plan == ("face-to-face", "messaging", "messaging", "messaging") * 2


def test_rule_words_for_channels():
    assert parse_plan("video call", weeks=2) == ("video", "video")
    assert parse_plan("2x office then telephone", weeks=3) == ("face-to-face",) * 2 + ("phone",)
    assert parse_plan("texts", weeks=1) == ("messaging",)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("", "empty"),
        ("carrier pigeon", "Could not find a channel"),
        ("phone and video", "more than one channel"),
        ("phone, then video for 3 weeks", "Only the last part"),
    ],
)
def test_bad_rules_get_a_clear_message(rule, message):
    with pytest.raises(ValueError, match=message):
        parse_plan(rule)


def test_every_preset_parses():
    for rule in PRESETS.values():
        assert len(parse_plan(rule)) == 26


@pytest.fixture
def dutch():
    i18n.activate("nl")
    yield
    i18n.activate("en")


@pytest.mark.parametrize(
    ("rule", "weeks", "plan"),
    [
        (
            "eerste 6 weken face-to-face, daarna afwisselend video en telefoon",
            8,
            ("face-to-face",) * 6 + ("video", "phone"),
        ),
        ("persoonlijk", 2, ("face-to-face",) * 2),
        ("2 weken op kantoor, dan huisbezoek", 3, ("face-to-face",) * 3),
        ("elke week bellen", 2, ("phone",) * 2),
        ("telefonisch", 1, ("phone",)),
        ("wekelijks beeldbellen", 2, ("video",) * 2),
        ("afwisselend appen en whatsapp en sms", 3, ("messaging",) * 3),
        ("3 keer berichten; daarna telefoon", 4, ("messaging",) * 3 + ("phone",)),
        ("afwisselend video en bellen vanaf het begin", 3, ("video", "phone", "video")),
        # either language's words on either page
        ("de eerste 2 weken in person, daarna phone", 3, ("face-to-face",) * 2 + ("phone",)),
        ("face-to-face for 1 week, then bellen", 2, ("face-to-face", "phone")),
    ],
)
def test_dutch_rules_are_read(rule, weeks, plan):
    assert parse_plan(rule, weeks) == plan


def test_every_preset_reads_the_same_in_dutch_and_shows_its_dutch_rule(dutch):
    for preset, english in PRESETS.items():
        shown = preset_rule(preset)
        assert shown != english, f"{preset!r} has no Dutch rule"
        assert parse_plan(shown) == parse_plan(english), preset
        # typed back into the box, either version picks the preset again
        assert preset_of(shown) == preset_of(english) == preset


def test_the_parsers_sentences_come_in_the_page_language(dutch):
    with pytest.raises(ValueError, match="Niet begrepen") as err:
        parse_plan("om de week bellen")
    assert '"om", "week"' in str(err.value)
    assert '"afwisselend"' in str(err.value)  # the help names the Dutch words
    with pytest.raises(ValueError, match=r"Geen kanaal gevonden in .*Gebruik face-to-face"):
        parse_plan("postduif")
    with pytest.raises(ValueError, match="noemt meer dan één kanaal"):
        parse_plan("bellen en video")
    with pytest.raises(ValueError, match=r'zeg bijv\. "4 weken telefoon"') as err:
        parse_plan("bellen, dan video 3 weken")
    # the suggested fix is itself a rule that reads
    fix = str(err.value).split('"')[1]
    assert parse_plan(f"{fix}, dan video 3 weken", weeks=7) == ("phone",) * 4 + ("video",) * 3
    with pytest.raises(ValueError, match="langer dan het hele plan"):
        parse_plan("telefoon 100 weken")


def test_a_plan_can_be_a_list_of_channels():
    result = simulate(Profile(), ["phone"] * 10, runs=100)
    assert len(result.weeks) == 10
    with pytest.raises(ValueError, match="unknown channel"):
        simulate(Profile(), ["phone", "fax"], runs=10)


def test_profile_rejects_unknown_levels():
    with pytest.raises(ValueError, match="risk must be one of"):
        Profile(risk="extreme")


# --- simulation --------------------------------------------------------------------------


def test_same_seed_same_result_other_seed_other_result():
    a = simulate(Profile(), F2F_FIRST, runs=2000, seed=11)
    b = simulate(Profile(), F2F_FIRST, runs=2000, seed=11)
    c = simulate(Profile(), F2F_FIRST, runs=2000, seed=12)
    for cid in a.characteristics:
        np.testing.assert_array_equal(a.characteristics[cid].median, b.characteristics[cid].median)
        np.testing.assert_array_equal(a.characteristics[cid].low, b.characteristics[cid].low)
    np.testing.assert_array_equal(a.noticing.high, b.noticing.high)
    assert not np.array_equal(a.characteristics["trust"].low, c.characteristics["trust"].low)


def test_band_surrounds_the_median_and_stays_on_the_scale():
    result = simulate(Profile(complex_needs="both"), "phone", runs=2000)
    for band in [*result.characteristics.values(), result.noticing]:
        assert np.all(band.low <= band.median) and np.all(band.median <= band.high)
        assert band.low.min() >= 0
    assert result.characteristics["trust"].high.max() <= 10
    assert result.noticing.high.max() <= 1


@pytest.mark.parametrize("runs", [1, 2, 7, 300, 4000])
def test_medians_and_bands_are_exactly_numpys_percentiles(runs):
    """The model summarises its runs without np.percentile (which loads numpy.ma), yet the
    page and the exercise must show the very same numbers."""
    from alliance_kit.channel_model.simulation import _percentiles_over_runs

    values = np.random.default_rng(runs).normal(5, 2, (26, runs, 4))
    for qs in [(50.0, 10.0, 90.0), (50.0, 2.5, 97.5), (0.0, 100.0, 33.3)]:
        np.testing.assert_array_equal(
            _percentiles_over_runs(values, qs), np.percentile(values, qs, axis=1)
        )
        np.testing.assert_array_equal(
            _percentiles_over_runs(values[..., 1], qs), np.percentile(values[..., 1], qs, axis=1)
        )


def test_face_to_face_first_beats_remote_from_the_start_on_trust():
    for risk in ("low", "medium", "high"):
        profile = Profile(risk=risk)
        assert week26(profile, F2F_FIRST) >= week26(profile, REMOTE_FROM_START), risk


def test_higher_risk_lowers_the_remote_benefit():
    def remote_gap(risk: str) -> float:
        profile = Profile(risk=risk)
        return week26(profile, REMOTE_FROM_START) - week26(profile, "face-to-face")

    low, medium, high = remote_gap("low"), remote_gap("medium"), remote_gap("high")
    assert low > medium > high


def test_substance_use_lowers_the_trajectory():
    base = simulate(Profile(), F2F_FIRST, runs=RUNS, seed=3)
    using = simulate(Profile(complex_needs="substance-use"), F2F_FIRST, runs=RUNS, seed=3)
    for cid in ("goals-and-conditions", "trust", "bond"):
        assert np.all(using.characteristics[cid].median[4:] < base.characteristics[cid].median[4:])
    # Reactance: higher = more friction (worse)
    assert np.all(
        using.characteristics["reactance"].median[4:] > base.characteristics["reactance"].median[4:]
    )


def test_video_is_about_equal_to_face_to_face_once_the_relationship_is_built():
    profile = Profile(risk="low")
    for cid in ("trust", "bond", "goals-and-conditions"):
        video = week26(profile, "face-to-face for 6 weeks, then video", cid)
        room = week26(profile, "face-to-face", cid)
        assert abs(video - room) < 0.35, cid
    # and much closer to face-to-face than phone-only contact
    phone = week26(profile, "face-to-face for 6 weeks, then phone")
    assert week26(profile, "face-to-face for 6 weeks, then video") > phone


def test_phone_sessions_build_less_than_face_to_face():
    profile = Profile()
    assert week26(profile, "phone") < week26(profile, "face-to-face")


def test_noticing_by_phone_is_at_most_face_to_face():
    phone = simulate(Profile(), "phone", runs=RUNS, seed=5).noticing
    room = simulate(Profile(), "face-to-face", runs=RUNS, seed=5).noticing
    assert np.all(phone.median <= room.median)
    assert np.all(phone.high <= room.high)


def test_childcare_makes_remote_contact_relatively_better():
    def gap(childcare: bool) -> float:
        profile = Profile(childcare=childcare)
        return week26(profile, "phone") - week26(profile, "face-to-face")

    assert gap(True) > gap(False)


def test_no_private_space_or_data_hurts_a_video_plan():
    good = week26(Profile(digital_access="good"), "video")
    limited = week26(Profile(digital_access="limited"), "video")
    none = week26(Profile(digital_access="none"), "video")
    assert good > limited > none


def test_domestic_abuse_concern_lowers_trust_and_noticing_on_remote_plans():
    base = simulate(Profile(), "phone", runs=RUNS, seed=9)
    concern = simulate(Profile(domestic_abuse=True), "phone", runs=RUNS, seed=9)
    assert concern.at(26)["trust"] < base.at(26)["trust"]
    assert np.all(concern.noticing.median < base.noticing.median)


def test_motivation_raises_the_trajectory_and_narrows_the_band():
    low = simulate(Profile(motivation="low"), "face-to-face", runs=RUNS, seed=2)
    high = simulate(Profile(motivation="high"), "face-to-face", runs=RUNS, seed=2)
    assert high.at(26)["trust"] > low.at(26)["trust"]
    width = lambda r: r.characteristics["bond"].high[-1] - r.characteristics["bond"].low[-1]  # noqa: E731
    assert width(high) < width(low)


def test_parameter_overrides_change_the_result():
    base = simulate(Profile(), "phone", runs=1000, seed=1)
    better = simulate(Profile(), "phone", runs=1000, seed=1, params={"detection.phone": 0.8})
    assert better.noticing.median[-1] > base.noticing.median[-1]


def test_the_parameters_in_dutch_have_dutch_labels_and_the_same_numbers():
    from alliance_kit.channel_model.parameters import spec

    english, _ = spec()
    dutch, problems = spec("nl")
    assert problems == () and dutch is not None and english is not None
    assert dutch.values() == english.values()
    assert dutch.parameters["start.trust"].label == "Vertrouwen aan het begin"
    assert dutch.parameters["detection.phone"].teaching_assumption
