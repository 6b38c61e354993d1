"""The session questionnaire: shipped content, schema, scoring and answer validation."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from alliance_kit import questionnaire as q
from alliance_kit.alliance import BY_ID, CHARACTERISTIC_IDS
from support import REPO

SCHEMA = REPO / "tools/alliance_kit/schemas/questionnaire.schema.json"
CONTENT = REPO / "modules/content/questionnaire.yaml"


@pytest.fixture(scope="module")
def qn() -> q.Questionnaire:
    return q.load()


def test_shipped_questionnaire_is_valid(qn):
    assert qn.problems == ()
    for cid in CHARACTERISTIC_IDS:
        assert 3 <= len(qn.items_for(cid)) <= 5, cid
        assert cid in qn.reflections
    assert [p.value for p in qn.points] == [1, 2, 3, 4, 5]
    assert all(i.professional.startswith("I ") for i in qn.items)
    assert any(i.reverse for i in qn.items)


def test_shipped_file_passes_the_real_jsonschema():
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    data = yaml.safe_load(CONTENT.read_text(encoding="utf-8"))
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
    assert errors == []


def test_client_wording_is_short_and_plain(qn):
    for item in qn.items:
        words = item.client.split()
        assert len(words) <= q.CLIENT_MAX_WORDS, item.id
        # reading age about 11: no long words
        assert max(len(re.sub(r"\W", "", w)) for w in words) <= 10, item.client


def test_scores_are_means_on_one_to_five(qn):
    all_agree = {i.id: 4 for i in qn.items}
    scores = qn.score(all_agree)
    # a reversed item answered 4 counts as 2
    for cid in CHARACTERISTIC_IDS:
        items = qn.items_for(cid)
        expected = sum(2 if i.reverse else 4 for i in items) / len(items)
        assert scores[cid] == pytest.approx(round(expected, 2))
        assert 1 <= scores[cid] <= 5


def test_reverse_item_is_turned_round_in_one_place(qn):
    rev = next(i for i in qn.items if i.reverse)
    fwd = next(i for i in qn.items if not i.reverse)
    assert [q.item_score(rev, a) for a in range(1, 6)] == [5, 4, 3, 2, 1]
    assert [q.item_score(fwd, a) for a in range(1, 6)] == [1, 2, 3, 4, 5]
    with pytest.raises(ValueError):
        q.item_score(fwd, 6)
    # item_score is the only place that knows the reverse formula
    source = (REPO / "tools/alliance_kit/questionnaire.py").read_text(encoding="utf-8")
    assert source.count("SCALE_MIN + SCALE_MAX - answer") == 1


def test_reactance_higher_means_more_friction(qn):
    """Agreeing with the friction statements raises Reactance; agreeing with the reversed
    'we could still work together' statement lowers it."""
    fr = qn.items_for("reactance")
    much_friction = {i.id: (1 if i.reverse else 5) for i in fr}
    no_friction = {i.id: (5 if i.reverse else 1) for i in fr}
    assert qn.score(much_friction)["reactance"] == 5.0
    assert qn.score(no_friction)["reactance"] == 1.0
    assert not BY_ID["reactance"].higher_is_better
    assert "more friction" in q.format_score("reactance", 4.25)
    assert q.format_score("reactance", 4.25).startswith("Reactance: 4.2")
    assert "friction" not in q.format_score("trust", 4.0)


def test_too_few_answers_gives_no_score(qn):
    one = {qn.items_for("trust")[0].id: 5}
    scores = qn.score(one)
    assert scores["trust"] is None
    assert scores["bond"] is None
    assert "not enough answers" in q.format_score("trust", None)
    two = {i.id: 5 for i in qn.items_for("trust")[:2]}
    assert qn.score(two)["trust"] is not None


def test_unknown_item_ids_are_ignored_when_scoring(qn):
    answers = {i.id: 3 for i in qn.items}
    answers["old-item-from-2019"] = 5
    assert all(v == 3.0 for v in qn.score(answers).values())


def test_answer_problems_name_missing_and_out_of_range(qn):
    answers = {i.id: 3 for i in qn.items}
    assert qn.answer_problems(answers) == []
    answers[qn.items[0].id] = 7
    answers[qn.items[1].id] = None
    answers[qn.items[2].id] = True
    msgs = qn.answer_problems(answers)
    assert "Statement 1: 7 is not on the scale 1 to 5." in msgs
    assert any(m.startswith("Statement 3: True") for m in msgs)
    assert "Please answer every statement; still open: 2." in msgs
    assert qn.answer_problems({}, who="client") == ["Please choose an answer for every question."]
    assert qn.answer_problems({"nonsense": 3}, require_all=False) == [
        "Answer for an unknown statement 'nonsense'."
    ]


def _copy_content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(REPO / "modules", content / "modules")
    return content / "modules" / "content" / "questionnaire.yaml"


def test_broken_item_is_reported_and_the_rest_still_loads(tmp_path):
    path = _copy_content(tmp_path)
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "characteristic: bond\n    professional: I noticed",
        "characteristic: bonding\n    professional: I noticed",
    )
    text = text.replace("    client: My officer was bossier than needed.\n", "")
    path.write_text(text, encoding="utf-8")
    loaded = q._parse(path)
    msgs = [str(p) for p in loaded.problems]
    assert any("item bo-2 · field characteristic" in m for m in msgs), msgs
    assert any("item re-2 · field client: is missing" in m for m in msgs), msgs
    assert len(loaded.items) == len(q.load().items) - 2


def test_check_command_reports_questionnaire_problems(tmp_path):
    path = _copy_content(tmp_path)
    text = path.read_text(encoding="utf-8").replace(
        "    reverse: true\n", "    reverse: maybe\n", 1
    )
    path.write_text(text, encoding="utf-8")
    import os

    result = subprocess.run(
        [sys.executable, "-m", "alliance_kit.cli", "check", "questionnaire"],
        capture_output=True,
        text=True,
        env={**os.environ, "ALLIANCE_KIT_CONTENT_DIR": str(path.parents[2])},
        timeout=60,
    )
    assert result.returncode == 1
    assert "modules/content/questionnaire.yaml · item gc-3 · field reverse" in result.stdout


def test_too_few_items_for_a_characteristic_is_a_problem(tmp_path):
    path = _copy_content(tmp_path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["items"] = [i for i in data["items"] if i["characteristic"] != "bond"][:]
    data["items"].append(
        {
            "id": "bo-9",
            "characteristic": "bond",
            "professional": "I liked working with the client today.",
            "client": "I liked today.",
            "reverse": False,
        }
    )
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    msgs = [str(p) for p in q._parse(path).problems]
    assert any("Bond has 1 statement(s)" in m for m in msgs), msgs


def test_long_client_wording_is_flagged(tmp_path):
    path = _copy_content(tmp_path)
    text = path.read_text(encoding="utf-8").replace(
        "client: My officer treated me with respect.",
        "client: My officer was kind to me and I think that is good for me and for us.",
    )
    path.write_text(text, encoding="utf-8")
    msgs = [str(p) for p in q._parse(path).problems]
    assert any("item bo-1 · field client: the client statement has" in m for m in msgs)


def test_score_many_agrees_with_score(qn):
    import math
    import random

    rng = random.Random(3)
    rows = []
    for _ in range(300):
        rows.append({i.id: rng.randint(1, 5) for i in qn.items if rng.random() > 0.3})
    rows += [None, {}]
    many = qn.score_many(rows)
    for n, row in enumerate(rows):
        one = qn.score(row or {})
        for cid in CHARACTERISTIC_IDS:
            got = float(many[cid][n])
            if one[cid] is None:
                assert math.isnan(got), (row, cid)
            else:
                assert got == pytest.approx(one[cid]), (row, cid)


def test_retired_items_score_the_sessions_that_answered_them_and_are_never_asked(qn):
    retired = {i.id for i in qn.retired}
    assert retired == {"bo-3", "re-3"}
    assert not retired & set(qn.item_ids)
    # a version-1 session: re-1 2, re-2 2, re-3 5, re-4 4 (reversed: 2) -> 11 / 4
    old = {"re-1": 2, "re-2": 2, "re-3": 5, "re-4": 4}
    assert qn.score(old)["reactance"] == 2.75
    assert float(qn.score_many([old])["reactance"][0]) == 2.75
    # the form asks only current statements, and knows nothing of a retired one
    asked = qn.answer_problems({i: 3 for i in qn.item_ids})
    assert asked == []
    assert qn.answer_problems({"re-3": 3}, require_all=False) == [
        "Answer for an unknown statement 're-3'."
    ]
    # the export lists retired items after the current ones
    assert qn.all_item_ids[-2:] == ("bo-3", "re-3")


def test_retired_items_must_keep_their_own_id_and_an_earlier_version(tmp_path):
    path = _copy_content(tmp_path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["retired"][0]["id"] = "gc-1"  # an id a current item uses: old answers would mix
    data["retired"][1]["retired_in"] = 3  # later than the file's own version 2
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    loaded = q._parse(path)
    msgs = [str(p) for p in loaded.problems]
    assert any("item gc-1 · field id: duplicate id" in m for m in msgs), msgs
    assert any("item re-3 · field retired_in: is retired in version 3" in m for m in msgs), msgs
    assert loaded.retired == ()


def test_session_parts_are_content_with_stable_ids(qn):
    assert qn.part_ids == ("check-in", "review", "main-work", "next-steps")
    assert all(p.label and p.hint for p in qn.parts)


def test_the_dutch_questionnaire_asks_the_same_items_in_dutch(qn):
    nl = q.load(lang="nl")
    assert nl.problems == ()
    assert [(i.id, i.characteristic, i.reverse) for i in nl.items] == [
        (i.id, i.characteristic, i.reverse) for i in qn.items
    ]
    assert [(i.id, i.retired_in) for i in nl.retired] == [(i.id, i.retired_in) for i in qn.retired]
    assert nl.part_ids == qn.part_ids and nl.version == qn.version
    assert all(i.professional.startswith("Ik ") for i in nl.items)
    assert nl.item("tr-2").client.startswith("Mijn reclasseringswerker")
    assert nl.points[4].client == "Ja, heel erg" and nl.parts[0].label == "Start van het gesprek"
    assert nl.reflections["trust"].drop.startswith("Vertrouwen is gedaald")
    # the library search is Dutch too, so it finds the Dutch resources first
    assert nl.reflections["trust"].query == "vertrouwen rapportage openheid"
    # the same answers give the same scores, whichever language asked them
    answers = {i.id: (n % 5) + 1 for n, i in enumerate(qn.items)}
    assert nl.score(answers) == qn.score(answers)
    assert q.load(lang="en") is qn


def test_a_broken_dutch_questionnaire_falls_back_to_english(tmp_path, monkeypatch, qn):
    shutil.copytree(REPO / "modules", tmp_path / "modules")
    monkeypatch.setenv("ALLIANCE_KIT_CONTENT_DIR", str(tmp_path))
    dutch = tmp_path / "modules/content/nl/questionnaire.yaml"
    dutch.write_text(dutch.read_text(encoding="utf-8").replace("reverse: true", "reverse: 7"))
    assert q.load(lang="nl").items == qn.items  # a text beside the wrong answer is worse
    dutch.unlink()
    assert q.load(lang="nl").items == qn.items


def test_scale_out_of_order_is_a_problem_and_the_plain_scale_is_shown(tmp_path):
    path = _copy_content(tmp_path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["scale"]["points"][0]["value"], data["scale"]["points"][1]["value"] = 2, 1
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    loaded = q._parse(path)
    msgs = [str(p) for p in loaded.problems]
    assert any("field scale: should list the values 1 to 5 in order" in m for m in msgs), msgs
    assert [p.value for p in loaded.points] == [1, 2, 3, 4, 5]
    assert len(loaded.items) == len(q.load().items)


def test_too_many_session_parts_is_a_problem(tmp_path):
    path = _copy_content(tmp_path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["session_parts"] = [
        {"id": f"part-{n}", "label": f"Part {n}", "hint": "something"} for n in range(9)
    ]
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    msgs = [str(p) for p in q._parse(path).problems]
    assert any("field session_parts: should have at most 8 entries" in m for m in msgs), msgs


def test_unknown_top_level_field_is_named(tmp_path):
    path = _copy_content(tmp_path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["scorring"] = {}
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    msgs = [str(p) for p in q._parse(path).problems]
    assert any("field scorring: is not a known field" in m for m in msgs), msgs
