"""Channel scenarios: the shipped cases, the validator on broken cases, and the player engine."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import msgspec
import pytest
import yaml

from alliance_kit.alliance import CHANNELS, CHARACTERISTIC_IDS
from alliance_kit.scenarios.coverage import (
    MIN_CASES,
    MIN_MESSAGING_SHARE,
    coverage,
    missing_coverage,
)
from alliance_kit.scenarios.loading import load_cases, scenarios_dir
from alliance_kit.scenarios.model import CHANNEL_PERCEPTION, Meters
from alliance_kit.scenarios.player import Player, compare
from support import REPO

SCHEMA = REPO / "tools" / "alliance_kit" / "schemas" / "scenario.schema.json"
CASE_FILES = sorted(scenarios_dir().glob("*.yaml"))


# --- shipped content ---------------------------------------------------------------------


def test_every_shipped_case_is_valid():
    catalogue = load_cases()
    assert catalogue.problems == (), "\n".join(map(str, catalogue.problems))
    assert len(catalogue.cases) == len(CASE_FILES)


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_shipped_case_passes_the_full_jsonschema(path):
    from jsonschema import Draft202012Validator

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = [e.message for e in Draft202012Validator(schema).iter_errors(data)]
    assert errors == []
    assert data["id"] == path.stem, "one case per file, named after its id"


def test_the_cases_cover_what_the_course_needs():
    cases = load_cases().cases
    assert len(cases) >= 6
    assert missing_coverage(cases) == []
    for case in cases:
        assert len(case.channels) >= 3, case.id


def test_coverage_figures_meet_the_workshop_spread():
    cases = load_cases().cases
    figures = coverage(cases)
    assert figures.cases >= MIN_CASES == 10
    assert figures.messaging_share >= MIN_MESSAGING_SHARE == 0.75
    assert all(n >= 1 for n in figures.by_phase.values()), figures.by_phase
    assert set(figures.by_phase) == {"intake", "early", "established", "closing"}
    situations = {s for c in cases for s in c.situation}
    for needed in (
        "breach-and-enforcement",
        "interpreter",
        "learning-disability-or-autism",
        "domestic-abuse-perpetrator",
        "women-specific",
    ):
        assert needed in situations, needed
    closing = [c for c in cases if c.phase == "closing"]
    assert any("breach-and-enforcement" in c.situation for c in closing)


def test_missing_coverage_names_what_a_smaller_set_lacks():
    few = [c for c in load_cases().cases if c.phase != "closing" and "messaging" not in c.channels]
    gaps = missing_coverage(few)
    assert "at least 10 cases" in gaps
    assert "messaging in at least 75% of cases" in gaps
    assert "a case in the closing phase" in gaps


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_every_case_reaches_an_ending_on_every_channel(path):
    """Walk every path on every channel: each one ends, with feedback on every step."""
    catalogue = load_cases()
    case = next(c for c in catalogue.cases if catalogue.files[c.id].endswith(path.name))
    for channel in case.channels:
        endings: set[str] = set()
        todo = [Player(case, channel)]
        while todo:
            player = todo.pop()
            if player.finished:
                endings.add(player.scene.ending)
                assert player.result().debrief
                continue
            assert player.choices(), f"{case.id}/{player.scene.id} on {channel}"
            for index, _ in player.choices():
                branch = Player(case, channel)
                for step in player.steps:
                    branch.choose(step.choice_index)
                assert branch.choose(index).feedback
                todo.append(branch)
        assert endings, f"{case.id} has no ending on {channel}"


def test_the_same_case_shows_different_cues_per_channel():
    """What the officer perceives differs by channel, in the same scene of the same case."""
    for case in load_cases().cases:
        seen = {}
        for channel in case.channels:
            player = Player(case, channel)
            seen[channel] = {c.text for c in player.cues()}
            for cue in player.cues():
                assert cue.kind in CHANNEL_PERCEPTION[channel]
        assert len({frozenset(v) for v in seen.values()}) > 1, case.id


# --- the validator on crafted broken cases -----------------------------------------------

BASE = {
    "id": "tiny-case",
    "title": "A tiny case",
    "summary": "For tests.",
    "phase": "intake",
    "risk": "low",
    "situation": [],
    "client": "Client code T-01.",
    "channels": ["face-to-face", "phone", "video"],
    "start": "a",
    "signals": [{"id": "sig", "label": "A signal", "why": "Because."}],
    "scenes": [
        {
            "id": "a",
            "text": "Start.",
            "cues": [{"kind": "face", "text": "A frown.", "signal": "sig"}],
            "choices": [
                {"label": "Ask", "feedback": "Good.", "next": "b", "notices": ["sig"]},
                {"label": "Skip", "feedback": "Hmm.", "next": "c", "effects": {"trust": -1}},
            ],
        },
        {"id": "b", "text": "Good end.", "ending": "good", "debrief": "Well done."},
        {"id": "c", "text": "Poor end.", "ending": "poor", "debrief": "Next time ask."},
    ],
}


def write_case(tmp_path: Path, data: dict, name: str = "tiny-case.yaml") -> Path:
    folder = tmp_path / "scenarios"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return folder


def problems_for(tmp_path: Path, data: dict) -> list[str]:
    return [str(p) for p in load_cases(write_case(tmp_path, data)).problems]


def test_the_crafted_base_case_is_valid(tmp_path):
    catalogue = load_cases(write_case(tmp_path, BASE))
    assert catalogue.problems == ()
    assert [c.id for c in catalogue.cases] == ["tiny-case"]


def test_unreachable_scene_is_reported_by_file_and_scene(tmp_path):
    data = copy.deepcopy(BASE)
    data["scenes"].append(
        {"id": "lost", "text": "Nobody comes here.", "ending": "mixed", "debrief": "x"}
    )
    found = problems_for(tmp_path, data)
    assert len(found) == 1
    assert "tiny-case.yaml · item scene lost" in found[0]
    assert "cannot be reached from the start scene" in found[0]


def test_dead_end_is_reported(tmp_path):
    data = copy.deepcopy(BASE)
    data["scenes"][1] = {"id": "b", "text": "Nothing to do here."}
    found = problems_for(tmp_path, data)
    assert any("item scene b" in f and "dead end" in f for f in found), found


def test_dead_end_on_one_channel_is_reported(tmp_path):
    data = copy.deepcopy(BASE)
    for choice in data["scenes"][0]["choices"]:
        choice["channels"] = ["face-to-face", "video"]
    found = problems_for(tmp_path, data)
    assert found == [
        f"{tmp_path / 'scenarios' / 'tiny-case.yaml'} · item scene a: is a dead end on phone: "
        "no choice is offered on that channel"
    ]


def test_a_loop_is_a_path_that_never_ends(tmp_path):
    data = copy.deepcopy(BASE)
    data["scenes"][0]["choices"][1]["next"] = "loop"
    data["scenes"].append(
        {
            "id": "loop",
            "text": "Round.",
            "choices": [{"label": "Again", "feedback": "x", "next": "a"}],
        }
    )
    found = problems_for(tmp_path, data)
    assert any("never ends" in f and "a → loop → a" in f for f in found), found


def test_missing_feedback_is_reported_with_scene_and_field(tmp_path):
    data = copy.deepcopy(BASE)
    del data["scenes"][0]["choices"][1]["feedback"]
    found = problems_for(tmp_path, data)
    assert found == [
        f"{tmp_path / 'scenarios' / 'tiny-case.yaml'} · item scene a · "
        "field scenes[0].choices[1].feedback: is missing"
    ]


def test_a_misspelt_field_and_an_effect_out_of_range_are_named(tmp_path):
    where = f"{tmp_path / 'scenarios' / 'tiny-case.yaml'} · item scene a · field scenes[0]"
    data = copy.deepcopy(BASE)
    data["scenes"][0]["choices"][0]["efects"] = {"trust": 1}
    assert problems_for(tmp_path, data) == [
        f"{where}.choices[0].efects: is not a known field "
        "(known fields: label, feedback, next, effects, notices, misses, channels)"
    ]
    data = copy.deepcopy(BASE)
    data["scenes"][0]["choices"][1]["effects"] = {"trust": 11}
    assert problems_for(tmp_path, data) == [
        f"{where}.choices[1].effects.trust: 11 is above the maximum 10.0"
    ]


def test_every_broken_scene_and_a_wrong_top_level_field_are_named_in_one_run(tmp_path):
    data = copy.deepcopy(BASE)
    data["risk"] = "very high"
    del data["scenes"][0]["choices"][0]["label"]
    data["scenes"][2]["ending"] = "sad"
    where = tmp_path / "scenarios" / "tiny-case.yaml"
    assert problems_for(tmp_path, data) == [
        f"{where} · field risk: 'very high' is not allowed; use one of: 'high', 'low', 'medium'",
        f"{where} · item scene a · field scenes[0].choices[0].label: is missing",
        f"{where} · item scene c · field scenes[2].ending: 'sad' is not allowed; "
        "use one of: 'good', 'mixed', 'poor'",
    ]


def test_repeated_entries_in_a_list_are_reported_by_field(tmp_path):
    data = copy.deepcopy(BASE)
    data["channels"].append("phone")
    data["scenes"][0]["choices"][0]["notices"] = ["sig", "sig"]
    found = problems_for(tmp_path, data)
    where = tmp_path / "scenarios" / "tiny-case.yaml"
    assert found == [
        f"{where} · field channels: has 'phone' more than once",
        f"{where} · item scene a · field choices[0].notices: has 'sig' more than once",
    ]


def test_duplicate_scene_id_is_reported(tmp_path):
    data = copy.deepcopy(BASE)
    data["scenes"].append(copy.deepcopy(data["scenes"][2]))
    found = problems_for(tmp_path, data)
    assert any("item scene c" in f and "duplicate scene id" in f for f in found), found


def test_duplicate_case_id_across_files_is_reported(tmp_path):
    write_case(tmp_path, BASE, "one.yaml")
    folder = write_case(tmp_path, BASE, "two.yaml")
    catalogue = load_cases(folder)
    assert [catalogue.files[c.id].rsplit("/", 1)[-1] for c in catalogue.cases] == ["one.yaml"]
    assert len(catalogue.problems) == 1
    assert "two.yaml · item tiny-case" in str(catalogue.problems[0])
    assert "duplicate case id" in str(catalogue.problems[0])


def test_unknown_references_are_reported(tmp_path):
    data = copy.deepcopy(BASE)
    data["scenes"][0]["choices"][0]["next"] = "nowhere"
    data["scenes"][0]["choices"][1]["notices"] = ["ghost"]
    found = problems_for(tmp_path, data)
    assert any("scene a" in f and "'nowhere'" in f for f in found), found
    assert any("unknown signal 'ghost'" in f for f in found), found


def test_a_broken_file_leaves_the_others_loading(tmp_path):
    good = copy.deepcopy(BASE)
    good["id"] = "good-case"
    write_case(tmp_path, good, "good-case.yaml")
    folder = write_case(tmp_path, {**BASE, "phase": "later"}, "bad.yaml")
    catalogue = load_cases(folder)
    assert [c.id for c in catalogue.cases] == ["good-case"]
    assert "bad.yaml" in str(catalogue.problems[0]) and "field phase" in str(catalogue.problems[0])
    assert str(catalogue.problems[0]).endswith(
        "'later' is not allowed; use one of: 'closing', 'early', 'established', 'intake'"
    )


# --- the player ------------------------------------------------------------------------


@pytest.fixture()
def tiny(tmp_path):
    return load_cases(write_case(tmp_path, BASE)).cases[0]


def test_choices_apply_effects_and_signals(tiny):
    player = Player(tiny, "face-to-face")
    start = player.meters
    step = player.choose(1)
    assert step.feedback == "Hmm."
    assert player.meters["trust"] == start["trust"] - 1
    assert player.finished and player.scene.ending == "poor"
    result = player.result()
    assert result.missed == ("sig",) and result.noticed == ()
    assert result.moved["trust"] == -1


def test_noticing_a_signal_counts_as_caught(tiny):
    player = Player(tiny, "video")
    player.choose(0)
    result = player.result()
    assert result.ending == "good"
    assert result.noticed == ("sig",) and result.missed == ()
    assert [s.label for s in result.steps] == ["Ask"]
    assert result.visited == ("a", "b")


def test_meters_stay_within_the_scale(tiny):
    meters = msgspec.convert(dict.fromkeys(CHARACTERISTIC_IDS, 0.5), Meters)
    case = msgspec.structs.replace(tiny, meters=meters)
    player = Player(case, "phone")
    player.choose(1)
    assert player.meters["trust"] == 0.0


def test_back_restores_the_state_before_the_choice(tiny):
    player = Player(tiny, "face-to-face")
    before = player.meters
    assert not player.back()
    player.choose(1)
    assert player.back()
    assert player.scene.id == "a" and player.meters == before and player.steps == ()
    player.choose(0)
    assert player.result().noticed == ("sig",)


def test_restart_starts_over(tiny):
    player = Player(tiny, "face-to-face")
    player.choose(0)
    player.restart()
    assert player.scene.id == "a" and not player.finished and player.steps == ()
    assert player.meters == dict(tiny.meters)


def test_each_step_names_its_own_buttons_and_the_same_step_the_same_way(tiny):
    """A browser shows the last step's buttons for a moment after the new scene; the page
    hides them by the class the scene names, so the class must change with every step,
    channel and case, and stay the same for the same step (the opening scene is kept)."""
    from alliance_kit.pages.scenario_view import choices_class

    opening = Player(tiny, "face-to-face")
    other_channel = Player(tiny, next(c for c in tiny.channels if c != "face-to-face"))
    played = Player(tiny, "face-to-face")
    played.choose(0)
    assert choices_class(opening) == choices_class(Player(tiny, "face-to-face"))
    classes = {choices_class(p) for p in (opening, other_channel, played)}
    assert len(classes) == 3 and all(c.startswith("ak-choices-") for c in classes)
    played.back()
    assert choices_class(played) == choices_class(opening)


def test_choices_cannot_be_taken_after_an_ending(tiny):
    player = Player(tiny, "face-to-face")
    player.choose(0)
    assert player.choices() == []
    with pytest.raises(ValueError, match="not offered"):
        player.choose(0)


def test_a_channel_the_case_is_not_written_for_is_refused(tiny):
    with pytest.raises(ValueError, match="not written for 'messaging'"):
        Player(tiny, "messaging")


def test_the_phone_hides_the_face(tiny):
    phone, room = Player(tiny, "phone"), Player(tiny, "face-to-face")
    assert phone.cues() == [] and [c.text for c in phone.hidden_cues()] == ["A frown."]
    assert [c.text for c in room.cues()] == ["A frown."]
    assert "face" in phone.hidden_kinds() and "face" not in room.hidden_kinds()
    assert set(CHANNEL_PERCEPTION) == set(CHANNELS)


def test_comparison_of_two_channels(tiny):
    room = Player(tiny, "face-to-face")
    room.choose(0)
    phone = Player(tiny, "phone")
    phone.choose(1)
    comparison = compare(tiny, room.result(), phone.result())
    assert comparison.channels == ("face-to-face", "phone")
    assert comparison.cues == (("A frown.",), ())
    assert comparison.hidden_counts == (0, 1)
    assert [(row.signal.id, row.status) for row in comparison.signals] == [
        ("sig", ("caught", "missed"))
    ]
    trust = next(m for m in comparison.meters if m.characteristic == "trust")
    assert trust.moved == (0.0, -1.0)


def test_comparison_refuses_plays_of_another_case(tiny):
    other = load_cases().cases[0]
    player = Player(other, other.channels[0])
    with pytest.raises(ValueError, match="cannot be compared"):
        compare(tiny, Player(tiny, "phone").result(), player.result())


def test_shipped_case_played_on_two_channels_differs():
    """The intake case: the money letter is visible in the room, and only askable by phone."""
    case = load_cases().by_id("intake-childcare")
    room, phone = Player(case, "face-to-face"), Player(case, "phone")
    assert any(c.signal == "money-pressure" for c in room.cues())
    assert not any(c.signal == "money-pressure" for c in phone.cues())
    assert room.text() != phone.text()


def test_the_catalogue_in_dutch_has_the_same_cases_in_dutch_words():
    from alliance_kit.scenarios.loading import catalogue

    english, dutch = catalogue(), catalogue("nl")
    assert dutch.problems == ()
    assert [c.id for c in dutch.cases] == [c.id for c in english.cases]
    pairs = {c.id: c for c in english.cases}
    childcare = next(c for c in dutch.cases if c.id == "intake-childcare")
    assert childcare.title == "Eerste afspraak: een ouder met twee peuters"
    assert childcare.title != pairs["intake-childcare"].title
    assert list(childcare.scenes) == list(pairs["intake-childcare"].scenes)
    # a language without content of its own gets the English cases
    assert [c.title for c in catalogue("de").cases] == [c.title for c in english.cases]
