"""Every shipped Learn content file against its schema (ours and the real jsonschema), the
content rules the schema cannot express, and what a malformed file reports."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from alliance_kit.alliance import CHANNELS, CHARACTERISTIC_IDS
from alliance_kit.content import SCHEMA_DIR
from alliance_kit.content_kinds import run_checks
from alliance_kit.learn.checks import MIN_PRACTICE_ITEMS, MIN_QUESTIONS
from alliance_kit.learn.model import learn_dir
from alliance_kit.learn.quiz import parse_file, read_bank
from alliance_kit.learn.texts import read_text
from alliance_kit.learn.trainer import read_items

LEARN = learn_dir()
QUESTION_FILES = sorted((LEARN / "questions").glob("*.yaml"))
SCHEMAS = ["question", "practice_item", "learn_text"]


def schema(name: str) -> dict:
    return json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


def data(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", SCHEMAS)
def test_schemas_are_valid_json_schema(name):
    jsonschema.Draft202012Validator.check_schema(schema(name))


def test_one_question_file_per_characteristic():
    assert {p.stem for p in QUESTION_FILES} == set(CHARACTERISTIC_IDS)


@pytest.mark.parametrize("path", QUESTION_FILES, ids=lambda p: p.name)
def test_question_file_is_valid(path):
    jsonschema.Draft202012Validator(schema("question")).validate(data(path))
    questions, problems = parse_file(path)
    assert problems == []
    assert len(questions) >= MIN_QUESTIONS
    assert {q.characteristic for q in questions} == {path.stem}
    assert any(q.kind == "best-response" for q in questions), "needs scenario-style questions"
    for q in questions:
        assert sum(o.best for o in q.options) == 1, q.id
        assert all(o.feedback.strip() for o in q.options), q.id


def test_question_ids_are_unique_across_files():
    bank = read_bank(LEARN / "questions")
    ids = [q.id for q in bank.questions]
    assert bank.problems == ()
    assert len(ids) == len(set(ids))


def test_practice_items_are_valid_and_cover_everything():
    path = LEARN / "practice_items.yaml"
    jsonschema.Draft202012Validator(schema("practice_item")).validate(data(path))
    items, problems = read_items(path)
    assert problems == ()
    assert len(items) >= MIN_PRACTICE_ITEMS
    assert {i.characteristic for i in items} == set(CHARACTERISTIC_IDS)
    assert {i.channel for i in items} == set(CHANNELS)
    assert {i.speaker for i in items} == {"client", "officer"}
    assert {i.effect for i in items} == {"strengthens", "strains"}
    # Reactance is friction on both sides: the trainer must show both.
    reactance = [i for i in items if i.characteristic == "reactance"]
    assert {i.speaker for i in reactance} == {"client", "officer"}


@pytest.mark.parametrize("cid", CHARACTERISTIC_IDS)
def test_module_text_is_complete(cid):
    path = LEARN / "texts" / f"{cid}.yaml"
    jsonschema.Draft202012Validator(schema("learn_text")).validate(data(path))
    text, problems = read_text(cid)
    assert problems == [] and text is not None
    assert {s.id for s in text.sections} == {"what", "why", "research", "channels", "phases"}
    assert len(text.examples) >= 3
    assert text.prompts
    body = " ".join(s.body for s in text.sections)
    assert "Sturm" in body, "the research section names its source"
    for channel in ("face-to-face", "phone", "video", "messaging"):
        assert channel.lower() in body.lower().replace("face to face", "face-to-face")


def test_reactance_text_covers_both_sides_and_direction():
    text, _ = read_text("reactance")
    body = " ".join(s.body for s in text.sections).lower()
    assert "counter-reactance" in body
    assert "higher" in body and "worse" in body
    assert "client" in body and "officer" in body


def test_alliance_kit_check_reports_no_learn_problems():
    results = run_checks(["questions", "practice-items", "learn-texts"])
    assert results == {"questions": [], "practice-items": [], "learn-texts": []}


# --- malformed files -------------------------------------------------------------------------

GOOD = {
    "id": "good-one",
    "characteristic": "trust",
    "kind": "multiple-choice",
    "prompt": "Which?",
    "options": [
        {"text": "Right", "best": True, "feedback": "Because."},
        {"text": "Wrong", "feedback": "Because not."},
    ],
}


def write(tmp_path: Path, name: str, content) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(content, sort_keys=False), encoding="utf-8")
    return path


def test_bad_questions_are_reported_by_file_item_and_field_and_good_ones_load(tmp_path):
    no_feedback = {**GOOD, "id": "no-feedback", "options": [GOOD["options"][0], {"text": "B"}]}
    two_best = {
        **GOOD,
        "id": "two-best",
        "options": [{**o, "best": True} for o in GOOD["options"]],
    }
    bad_channel = {**GOOD, "id": "bad-channel", "channel": "carrier-pigeon"}
    path = write(
        tmp_path, "trust.yaml", {"questions": [GOOD, no_feedback, two_best, bad_channel, GOOD]}
    )
    questions, problems = parse_file(path)
    assert [q.id for q in questions] == ["good-one"]
    by_item = {p.item: p for p in problems}
    assert by_item["no-feedback"].field == "options[1].feedback"
    assert "missing" in by_item["no-feedback"].message
    assert by_item["two-best"].field == "options"
    assert "exactly one" in by_item["two-best"].message
    assert by_item["bad-channel"].field == "channel"
    assert by_item["good-one"].message.startswith("duplicate id")
    for p in problems:
        assert p.file.endswith("trust.yaml")
        assert "trust.yaml" in str(p) and p.item in str(p) and p.field in str(p)


def test_a_reference_cited_twice_names_the_question_and_field(tmp_path):
    twice = {**GOOD, "cites": ["sturm-2020-predictors", "sturm-2020-predictors"]}
    questions, problems = parse_file(write(tmp_path, "trust.yaml", {"questions": [twice]}))
    assert questions == []
    (problem,) = problems
    assert (problem.item, problem.field) == ("good-one", "cites")
    assert "'sturm-2020-predictors' more than once" in problem.message


def test_a_text_with_a_prompt_id_twice_is_reported_and_not_shown(tmp_path):
    text = data(LEARN / "texts" / "trust.yaml")
    text["reflection_prompts"].append(dict(text["reflection_prompts"][0]))
    write(tmp_path, "trust.yaml", text)
    module, problems = read_text("trust", tmp_path)
    assert module is None
    (problem,) = problems
    assert problem.field == "reflection_prompts"
    assert f"{text['reflection_prompts'][0]['id']!r} more than once" in problem.message


def test_text_of_a_loaded_question_has_no_trailing_newline(tmp_path):
    """YAML block text ends in a newline; the page shows the text without it."""
    block = {
        **GOOD,
        "prompt": "Which?\n",
        "scenario": "  ",
        "options": [
            {"text": "Right\n", "best": True, "feedback": "Because.\n"},
            {"text": "Wrong", "feedback": "Because not."},
        ],
    }
    (question,), _ = parse_file(write(tmp_path, "trust.yaml", {"questions": [block]}))
    assert (question.prompt, question.scenario) == ("Which?", None)
    assert (question.options[0].text, question.options[0].feedback) == ("Right", "Because.")


def test_a_wrong_value_or_unknown_field_names_what_is_allowed(tmp_path):
    """An educator fixes a typo faster when the message lists the choices."""
    pigeon = {**GOOD, "id": "pigeon", "channel": "carrier-pigeon"}
    options = [{**GOOD["options"][0], "colour": "red"}, GOOD["options"][1]]
    colour = {**GOOD, "id": "colour", "options": options}
    path = write(tmp_path, "trust.yaml", {"questions": [pigeon, colour]})
    _, problems = parse_file(path)
    by_item = {p.item: p for p in problems}
    assert by_item["pigeon"].message == (
        "'carrier-pigeon' is not allowed; use one of: 'face-to-face', 'messaging', 'phone', 'video'"
    )
    assert by_item["colour"].field == "options[0].colour"
    assert by_item["colour"].message == "is not a known field (known fields: text, feedback, best)"


def test_unparseable_question_file_names_the_file(tmp_path):
    (tmp_path / "bond.yaml").write_text("questions: [unclosed\n", encoding="utf-8")
    write(tmp_path, "trust.yaml", {"questions": [GOOD]})
    bank = read_bank(tmp_path)
    assert [q.id for q in bank.questions] == ["good-one"]
    assert len(bank.problems) == 1 and bank.problems[0].file.endswith("bond.yaml")
    assert "not valid YAML" in bank.problems[0].message


def test_bad_practice_item_is_reported_and_good_ones_load(tmp_path):
    good = {
        "id": "pi-ok",
        "speaker": "client",
        "channel": "phone",
        "line": "Hello.",
        "characteristic": "bond",
        "effect": "strengthens",
        "explanation": "Why.",
    }
    bad = {**good, "id": "pi-bad", "effect": "neutral"}
    path = write(tmp_path, "practice_items.yaml", {"items": [good, bad]})
    items, problems = read_items(path)
    assert [i.id for i in items] == ["pi-ok"]
    (problem,) = problems
    assert (problem.item, problem.field) == ("pi-bad", "effect")
    assert "practice_items.yaml · item pi-bad · field effect" in str(problem)


def test_wrong_top_level_shape_is_one_clear_problem(tmp_path):
    path = write(tmp_path, "practice_items.yaml", [{"id": "x"}])
    items, problems = read_items(path)
    assert items == ()
    assert problems[0].field == "items" and "list under 'items:'" in problems[0].message


def test_check_command_lists_learn_problems(tmp_path, monkeypatch, capsys):
    """`alliance-kit check` on a copy of the kit with one broken question names it."""
    import shutil

    from alliance_kit.cli import main

    kit = tmp_path / "kit"
    shutil.copytree(LEARN.parent.parent, kit / "modules")
    broken = kit / "modules" / "content" / "learn" / "questions" / "bond.yaml"
    content = data(broken)
    content["questions"][0]["options"][0].pop("feedback")
    broken.write_text(yaml.safe_dump(content, sort_keys=False), encoding="utf-8")
    monkeypatch.setenv("ALLIANCE_KIT_CONTENT_DIR", str(kit))
    code = main(["check", "questions"])
    out = capsys.readouterr().out
    assert code == 1
    qid = content["questions"][0]["id"]
    assert (
        f"modules/content/learn/questions/bond.yaml · item {qid} · field options[0].feedback" in out
    )


def test_module_page_loads_the_valid_questions_of_a_broken_file(tmp_path, monkeypatch, data_dir):
    """A broken question shows as a warning naming file, item and field; the rest still load."""
    import shutil

    from alliance_kit.pages import learn

    kit = tmp_path / "kit"
    shutil.copytree(LEARN, kit / "modules" / "content" / "learn")
    path = kit / "modules" / "content" / "learn" / "questions" / "trust.yaml"
    content = data(path)
    broken_id = content["questions"][1]["id"]
    content["questions"][1]["options"][2]["best"] = True  # now two best answers
    path.write_text(yaml.safe_dump(content, sort_keys=False), encoding="utf-8")
    monkeypatch.setenv("ALLIANCE_KIT_CONTENT_DIR", str(kit))

    page = learn.build("trust")
    html = " ".join(
        w.value for w in page.children if hasattr(w, "value") and isinstance(w.value, str)
    )
    assert "questions/trust.yaml · item " + broken_id + " · field options" in html
    quiz = next(w for w in page.children if "ak-quiz" in w._dom_classes)
    # one question at a time, the broken one left out of the count
    (first,) = [w for w in quiz.children if "ak-question" in w._dom_classes]
    assert f"of {len(content['questions']) - 1}</h3>" in first.children[0].value


# --- coverage and answers a trainer would not dispute ---------------------------------------


@pytest.mark.parametrize("cid", CHARACTERISTIC_IDS)
def test_worked_dialogues_cover_every_channel(cid):
    text, problems = read_text(cid)
    assert not problems
    assert {ex.channel for ex in text.examples} >= set(CHANNELS), cid


@pytest.mark.parametrize("cid", CHARACTERISTIC_IDS)
def test_every_characteristic_has_a_closing_phase_question(cid):
    bank = read_bank(LEARN / "questions")
    assert any(q.phase == "closing" for q in bank.for_characteristic(cid)), cid


#: Promises an officer cannot keep: secrecy, or an unconditional "always".
UNKEEPABLE = (
    "stays between us",
    "stay between us",
    "between you and me",
    "always tell you",
    "i'll always",
    "i will always",
    "confidential",
    "make sure you get",
)


def test_no_best_answer_or_strengthening_line_promises_what_an_officer_cannot_keep():
    for q in read_bank(LEARN / "questions").questions:
        best = q.options[q.best_index].text.lower()
        assert not [p for p in UNKEEPABLE if p in best], q.id
    items, _ = read_items(LEARN / "practice_items.yaml")
    for item in items:
        if item.speaker == "officer" and item.effect == "strengthens":
            assert not [p for p in UNKEEPABLE if p in item.line.lower()], item.id
