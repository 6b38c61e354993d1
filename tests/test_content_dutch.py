"""The Dutch content mirror: every Dutch file has its English twin's shape (ids, scores, scene
links, channels, citations), loads into the same typed objects, and the check names what is
missing or different. The check runs as an educator runs it: the real CLI on a copy of the
content."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import fields, is_dataclass, replace
from pathlib import Path

import msgspec
import pytest
import yaml

from alliance_kit import i18n
from alliance_kit.alliance import CHANNELS, IN_PERSON
from alliance_kit.channel_model.parameters import load_spec
from alliance_kit.learn.quiz import read_bank
from alliance_kit.learn.texts import read_text
from alliance_kit.learn.trainer import read_items
from alliance_kit.paths import content_dir, content_file
from alliance_kit.questionnaire import load_file
from alliance_kit.scenarios.loading import load_cases
from alliance_kit.translations import mirrored_files
from support import REPO, run_cli

EN = REPO / "modules" / "content"
NL = EN / "nl"
TRANSLATED = [f for f in mirrored_files() if (NL / f).is_file()]


def check(*kinds: str, content: Path | None = None, **env: str) -> subprocess.CompletedProcess:
    if content is not None:
        env["ALLIANCE_KIT_CONTENT_DIR"] = str(content)
    return run_cli("check", *kinds, env=env)


@pytest.fixture
def kit(tmp_path: Path) -> Path:
    """A copy of the kit's modules an educator or translator could edit."""
    shutil.copytree(REPO / "modules", tmp_path / "modules")
    return tmp_path


def edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def neutral(value):
    """What stays the same in every language: the ids and structure of a loaded object."""
    names = (
        [f.name for f in fields(value)]
        if is_dataclass(value)
        else value.__struct_fields__
        if isinstance(value, msgspec.Struct)
        else None
    )
    if names is not None:
        keep = {"id", "characteristic", "channel", "phase", "cites", "effect", "speaker", "best"}
        return {
            name: neutral(getattr(value, name))
            for name in names
            if name in keep or not isinstance(getattr(value, name), str)
        }
    if isinstance(value, list | tuple):
        return [neutral(v) for v in value]
    if isinstance(value, Mapping):
        # A mapping of strings is text per channel (by_channel): its keys are what stays.
        return {k: "text" if isinstance(v, str) else neutral(v) for k, v in value.items()}
    return value


def test_the_shipped_dutch_content_passes_and_shows_coverage_per_file():
    result = check("content-nl")
    assert result.returncode == 0, result.stdout
    assert "content-nl: ok" in result.stdout
    assert "translated: modules/content/nl/learn/questions/trust.yaml: 100%" in result.stdout
    assert TRANSLATED, "no Dutch file is shipped"


def test_every_file_is_reported_with_its_coverage():
    out = check("content-nl").stdout
    for relative in mirrored_files():
        assert f"modules/content/nl/{relative}: " in out, relative
    assert "modules/content/nl/questionnaire.yaml: 100%" in out
    assert "bibliography" not in out


def test_a_changed_score_link_or_citation_fails_naming_file_item_and_field(kit: Path):
    questions = kit / "modules/content/nl/learn/questions/trust.yaml"

    def move_best(data):
        options = data["questions"][0]["options"]
        options[0]["best"], options[1]["best"] = False, True
        data["questions"][1]["cites"] = ["sturm-2020-predictors"]

    edit(questions, move_best)
    result = check("content-nl", content=kit)
    assert result.returncode == 1
    out = result.stdout
    assert (
        "modules/content/nl/learn/questions/trust.yaml · item trust-what-is-it · "
        "field questions[0].options[0].best: is False; it must stay True as in English"
    ) in out
    assert "item trust-report-dilemma · field questions[1].cites[0]" in out
    assert "Traceback" not in result.stderr


def test_a_missing_or_english_text_and_a_dropped_option_fail(kit: Path):
    questions = kit / "modules/content/nl/learn/questions/bond.yaml"
    english = yaml.safe_load((EN / "learn/questions/bond.yaml").read_text(encoding="utf-8"))

    def damage(data):
        data["questions"][0]["options"][1]["feedback"] = "  "
        data["questions"][1]["prompt"] = english["questions"][1]["prompt"]
        data["questions"][2]["options"].pop()

    edit(questions, damage)
    out = check("content-nl", content=kit).stdout
    assert "item bond-what-is-it · field questions[0].options[1].feedback: has no Dutch text" in out
    assert "item bond-how-strong · field questions[1].prompt: is still the English text" in out
    assert (
        "item bond-progress-message · field questions[2].options: has 3 entries; "
        "the English file has 4"
    ) in out


def test_a_dutch_text_the_engine_refuses_fails_the_check(kit: Path):
    items = kit / "modules/content/nl/learn/practice_items.yaml"

    def lengthen(data):
        data["items"][0]["line"] = "Laten we je voorwaarden doornemen. " * 15

    edit(items, lengthen)
    result = check("content-nl", content=kit)
    assert result.returncode == 1
    assert "modules/content/nl/learn/practice_items.yaml · item pi-gc-01 · field line" in (
        result.stdout
    )


def test_an_overview_left_in_english_fails(kit: Path):
    overview = "learn/texts/overview.md"
    shutil.copy(EN / overview, kit / "modules/content/nl" / overview)
    result = check("content-nl", content=kit)
    assert result.returncode == 1
    assert "modules/content/nl/learn/texts/overview.md: is still the English text" in result.stdout


def test_a_changed_scene_link_in_a_scenario_fails(kit: Path):
    dutch = [f for f in TRANSLATED if f.startswith("scenarios/")]
    if not dutch:
        pytest.skip("no Dutch scenario shipped yet")
    path = kit / "modules/content/nl" / dutch[0]

    def relink(data):
        choice = data["scenes"][0]["choices"][0]
        choice["next"] = (
            data["scenes"][-1]["id"]
            if choice["next"] != data["scenes"][-1]["id"]
            else data["start"]
        )

    edit(path, relink)
    result = check("content-nl", content=kit)
    assert result.returncode == 1
    assert "field scenes[0].choices[0].next" in result.stdout


def test_a_missing_dutch_file_fails_at_zero_percent_unless_relaxed(kit: Path):
    (kit / "modules/content/nl/learn/questions/reactance.yaml").unlink()
    strict = check("content-nl", content=kit)
    assert strict.returncode == 1
    assert (
        "modules/content/nl/learn/questions/reactance.yaml: has no Dutch version yet"
        in strict.stdout
    )
    relaxed = check("content-nl", content=kit, ALLIANCE_KIT_REQUIRE_TRANSLATIONS="none")
    assert relaxed.returncode == 0, relaxed.stdout
    line = "modules/content/nl/learn/questions/reactance.yaml: 0% (0 of 76 texts)"
    assert line in relaxed.stdout


def test_every_mirrored_file_is_translated():
    missing = [f for f in mirrored_files() if not (NL / f).is_file()]
    assert not missing


def test_a_dutch_file_without_an_english_twin_is_reported(kit: Path):
    stray = kit / "modules/content/nl/scenarios/only-in-dutch.yaml"
    stray.write_text("id: only-in-dutch\n", encoding="utf-8")
    result = check("content-nl", content=kit)
    assert result.returncode == 1
    assert "modules/content/nl/scenarios/only-in-dutch.yaml: has no English twin" in result.stdout


def test_english_loaders_do_not_pick_up_the_dutch_files(kit: Path, monkeypatch):
    monkeypatch.setenv("ALLIANCE_KIT_CONTENT_DIR", str(kit))
    content = kit / "modules/content"
    # A Dutch file that would be a duplicate (or a broken file) if an English glob reached nl/.
    for folder in ("learn/questions", "scenarios", "learn/texts"):
        (content / "nl" / folder / "zz-extra.yaml").write_text("not: [valid", encoding="utf-8")
    bank = read_bank(content / "learn/questions")
    english_ids = [
        q["id"]
        for p in sorted((EN / "learn/questions").glob("*.yaml"))
        for q in yaml.safe_load(p.read_text(encoding="utf-8"))["questions"]
    ]
    assert [q.id for q in bank.questions] == english_ids
    assert not bank.problems
    catalogue = load_cases(content / "scenarios")
    assert not catalogue.problems
    assert len(catalogue.cases) == len(list((EN / "scenarios").glob("*.yaml")))
    english_checks = check("questions", "scenarios", "learn-texts", "bibliography", content=kit)
    assert english_checks.returncode == 0, english_checks.stdout


@pytest.mark.parametrize("relative", [f for f in TRANSLATED if f.endswith(".yaml")])
def test_each_dutch_file_loads_into_the_same_objects_as_its_english_twin(relative: str):
    en, nl = EN / relative, NL / relative
    if relative.startswith("learn/texts/"):
        english, problems = read_text(en.stem, en.parent)
        dutch, dutch_problems = read_text(nl.stem, nl.parent)
    elif relative.startswith("learn/questions/"):
        from alliance_kit.learn.quiz import parse_file

        english, problems = parse_file(en, set())
        dutch, dutch_problems = parse_file(nl, set())
    elif relative == "learn/practice_items.yaml":
        english, problems = read_items(en)
        dutch, dutch_problems = read_items(nl)
    elif relative.startswith("scenarios/"):
        english_cat, dutch_cat = load_cases(en.parent), load_cases(nl.parent)
        problems, dutch_problems = english_cat.problems, dutch_cat.problems
        english = english_cat.by_id(yaml.safe_load(en.read_text(encoding="utf-8"))["id"])
        dutch = dutch_cat.by_id(english.id)
    elif relative == "questionnaire.yaml":
        # the scoring rules are a list of texts: only their number must match
        english, dutch = load_file(en), load_file(nl)
        problems, dutch_problems = english.problems, dutch.problems
        assert len(dutch.rules) == len(english.rules)
        english, dutch = replace(english, rules=()), replace(dutch, rules=())
    else:
        english, problems = load_spec(en)
        dutch, dutch_problems = load_spec(nl)
    assert not problems and not dutch_problems, dutch_problems
    assert type(dutch) is type(english)
    assert neutral(dutch) == neutral(english)
    assert dutch != english, "the Dutch file holds the English text"


def test_content_dir_gives_the_dutch_folder_and_falls_back_to_english(kit: Path, monkeypatch):
    assert content_dir() == EN
    assert content_dir("nl") == NL
    assert content_dir("fr") == EN
    assert content_file("learn/texts/trust.yaml", "nl") == NL / "learn/texts/trust.yaml"
    with pytest.raises(ValueError, match="not a language code"):
        content_dir("../nl")
    monkeypatch.setenv("ALLIANCE_KIT_CONTENT_DIR", str(kit))
    (kit / "modules/content/nl/learn/texts/trust.yaml").unlink()
    assert content_file("learn/texts/trust.yaml", "nl") == (
        kit / "modules/content/learn/texts/trust.yaml"
    )


def test_a_changed_reversal_in_the_dutch_questionnaire_fails(kit: Path):
    questionnaire = kit / "modules/content/nl/questionnaire.yaml"

    def flip(data):
        data["items"][2]["reverse"] = False
        data["scoring"]["rules"].pop()

    edit(questionnaire, flip)
    result = check("content-nl", content=kit)
    assert result.returncode == 1
    out = result.stdout
    assert (
        "modules/content/nl/questionnaire.yaml · item gc-3 · field items[2].reverse: is False; "
        "it must stay True as in English"
    ) in out
    assert "field scoring.rules: should have 6 texts, as in the English file" in out


def test_a_changed_section_id_speaker_or_prompt_id_in_a_dutch_text_fails(kit: Path):
    """What is not prose in a learn text's declaration must equal the English file."""
    text = kit / "modules/content/nl/learn/texts/bond.yaml"

    def rename(data):
        data["sections"][0]["id"] = "wat"
        data["examples"][0]["dialogue"][0]["speaker"] = "cliënt"
        data["reflection_prompts"][0]["id"] = "eigen-praktijk"

    edit(text, rename)
    result = check("content-nl", content=kit)
    assert result.returncode == 1
    out = result.stdout
    assert "nl/learn/texts/bond.yaml · item what · field sections[0].id: is 'wat'" in out
    assert "field examples[0].dialogue[0].speaker: is 'cliënt'; it must stay 'officer'" in out
    assert "field reflection_prompts[0].id: is 'eigen-praktijk'; it must stay" in out


def test_the_in_person_channel_has_one_dutch_name():
    """The channel a Dutch page offers and the Dutch channel model's comparisons use the same
    word, so an officer never wonders whether two names mean two channels."""
    name = i18n.translations("nl").gettext(CHANNELS[IN_PERSON])
    model = (NL / "channel_model.yaml").read_text(encoding="utf-8")
    assert f"ten opzichte van {name.lower()}" in model, name


def test_a_dutch_library_query_left_in_english_fails(kit: Path):
    questionnaire = kit / "modules/content/nl/questionnaire.yaml"
    english = yaml.safe_load((EN / "questionnaire.yaml").read_text(encoding="utf-8"))

    def english_query(data):
        data["reflection"][0]["query"] = english["reflection"][0]["query"]

    edit(questionnaire, english_query)
    result = check("content-nl", content=kit)
    assert result.returncode == 1
    assert "field reflection[0].query: is still the English text" in result.stdout
