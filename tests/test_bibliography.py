"""The one bibliography: every citation resolves, references are complete and say what the
sources say, and pages show them. The check runs as an educator runs it: the real CLI on a copy
of the content."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from alliance_kit.bibliography import bibliography, load_bibliography
from alliance_kit.channel_model import load_spec, model_file, spec
from alliance_kit.citations import citations
from alliance_kit.library.model import load_resources
from alliance_kit.scenarios import Player, load_cases
from support import REPO

BIB = REPO / "modules" / "content" / "bibliography.yaml"


def check(*kinds: str, content: Path | None = None) -> subprocess.CompletedProcess:
    import os

    env = dict(os.environ)
    if content is not None:
        env["ALLIANCE_KIT_CONTENT_DIR"] = str(content)
    return subprocess.run(
        [sys.executable, "-m", "alliance_kit.cli", "check", *kinds],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the kit's content an educator could edit."""
    root = tmp_path / "content"
    shutil.copytree(REPO / "modules", root / "modules")
    shutil.copytree(REPO / "resource_library", root / "resource_library")
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- the check ------------------------------------------------------------------------------


def test_shipped_bibliography_passes_and_every_citation_resolves():
    refs, problems = load_bibliography()
    assert problems == []
    assert len(refs) >= 15
    cited = citations()
    assert {c.id for c in cited} <= set(refs)
    result = check("bibliography")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "bibliography: ok" in result.stdout


def test_every_kind_of_content_cites_by_id():
    where = {c.file.split("/")[0] if "/" in c.file else c.file for c in citations()}
    files = {c.file for c in citations()}
    assert "resource_library" in where
    assert any("learn/texts" in f for f in files)
    assert any("learn/questions" in f for f in files)
    assert any("scenarios" in f for f in files)
    assert any(f.endswith("channel_model.yaml") for f in files)


def test_unknown_id_is_refused_with_file_item_and_a_suggestion(content):
    edit(
        content / "resource_library" / "safety-plan.md",
        "cites: [stanley-brown-2012",
        "cites: [stanley-brown-2013",
    )
    edit(
        content / "modules" / "content" / "learn" / "questions" / "trust.yaml",
        "cites: [sturm-2021-price-of-mistrust]",
        "cites: [sturm-2019-recidivism]",
    )
    result = check("bibliography", content=content)
    assert result.returncode == 1, result.stdout
    assert (
        "resource_library/safety-plan.md · item safety-plan · field cites: cites "
        "'stanley-brown-2013', which is not in the bibliography" in result.stdout
    )
    assert "did you mean 'stanley-brown-2012'?" in result.stdout
    assert "item trust-nine-months" in result.stdout
    assert "'sturm-2019-recidivism'" in result.stdout


def test_reference_without_title_or_year_is_refused(content):
    bib = content / "modules" / "content" / "bibliography.yaml"
    edit(bib, "    year: 1966\n", "")
    edit(
        bib,
        'title: "Practice recommendations regarding technologies in probation"',
        'title: ""',
    )
    result = check("bibliography", content=content)
    assert result.returncode == 1
    assert (
        "modules/content/bibliography.yaml · item brehm-1966 · field year: has no year; "
        "every reference needs a title and a year" in result.stdout
    )
    assert "item cep-2024-technology · field title: has no title" in result.stdout
    assert "bibliography: 2 problem(s)" in result.stdout, "a broken entry is reported once"


def test_unused_entries_are_listed_but_do_not_fail(content):
    bib = content / "modules" / "content" / "bibliography.yaml"
    bib.write_text(
        bib.read_text(encoding="utf-8")
        + '  - id: nobody-cites-this\n    authors: ["Nobody, N."]\n    year: 2020\n'
        '    title: "A work no content cites"\n',
        encoding="utf-8",
    )
    result = check("bibliography", content=content)
    assert result.returncode == 0, result.stdout
    assert "note: nobody-cites-this (Nobody 2020) is not cited by any content" in result.stdout


def test_channel_parameter_cites_a_study_or_is_a_teaching_assumption(tmp_path):
    data = yaml.safe_load(model_file().read_text(encoding="utf-8"))
    for raw in data["parameters"]:
        if raw["id"] == "channel.video.alliance":
            del raw["cites"]
        if raw["id"] == "noise.weekly":
            raw["cites"] = ["sturm-2020-predictors"]
    path = tmp_path / "channel_model.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    messages = [str(p) for p in load_spec(path)[1]]
    assert any("channel.video.alliance" in m and "names no study in cites" in m for m in messages)
    assert any("noise.weekly" in m and "is a teaching assumption but cites" in m for m in messages)


# --- what the references and claims say -----------------------------------------------------


def test_references_are_the_ones_the_sources_give():
    refs = bibliography()
    price = refs["sturm-2021-price-of-mistrust"]
    assert price.title.startswith("The Price of Mistrust")
    assert (price.journal, price.volume, price.issue, price.pages) == (
        "Journal of Police and Criminal Psychology",
        "37",
        "3",
        "576-586",
    )
    assert price.doi == "10.1007/s11896-021-09450-1"
    cohort = refs["sturm-2020-predictors"]
    assert cohort.title.endswith("A Prospective Cohort Study")
    assert (cohort.year, cohort.volume, cohort.issue, cohort.pages) == (
        "2020",
        "64",
        "8",
        "753-773",
    )
    two_sides = refs["sturm-2022-two-sides"]
    assert two_sides.title == "Two sides of the working alliance"
    assert two_sides.journal == "European Journal of Probation"
    online = refs["hu-online-probation-2020-135"]
    assert online.year == "2020-21"
    assert not any("Menger" in a for a in online.authors), "the project page names no authors"
    assert "2020-135" in online.publisher
    assert online.short == "HU Utrecht with Leiden and Twente, project 2020-135, 2020-21"
    assert price.short == "Sturm et al. 2021"
    assert refs["miller-rollnick-2013"].short == "Miller & Rollnick 2013"
    wales = refs["morgan-2025-digital-wales"]
    assert wales.authors[0] == "Morgan, G." and wales.title.startswith("Understanding the access")


def test_no_content_cites_a_reference_in_free_text_any_more():
    resources, _ = load_resources()
    assert all(r.cites and not r.sources for r in resources if not r.local)
    for path in (REPO / "modules" / "content").rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert "Sturm et al. 2019" not in text and "Sturm et al. (2019)" not in text, path
        assert "Menger, A., Sturm, A." not in text, path


def test_parameters_cite_only_what_the_source_supports():
    model, _ = spec()
    for pid in (
        "motivation.growth",
        "complex.mental-health-drift",
        "growth.goals-and-conditions",
        "growth.trust",
        "growth.bond",
    ):
        assert model.parameters[pid].teaching_assumption, pid
        assert not model.parameters[pid].cites, pid
    assert model.parameters["motivation.stability"].cites == ("sturm-2020-predictors",)


def test_domestic_abuse_is_called_less_suitable_as_the_seed_says():
    texts = [p.read_text(encoding="utf-8") for p in (REPO / "resource_library").glob("*.md")]
    texts += [p.read_text(encoding="utf-8") for p in (REPO / "modules").rglob("*.yaml")]
    for text in texts:
        flat = " ".join(text.split())
        found = re.search(r"least suitable (?:for|where)(?:(?!, and)[^.;])*domestic", flat)
        assert not found, f"claims more than the source: {found.group(0) if found else ''}"


def test_alliance_scores_in_resources_use_the_questionnaires_one_to_five_scale():
    for path in (REPO / "resource_library").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        for number in re.findall(r"\bgave (?:[A-Z][\w ]+ )?an? (\d+)", text):
            assert 1 <= int(number) <= 5, f"{path.name}: a score of {number}"


def test_code_word_belongs_to_the_client_and_never_goes_into_the_thread():
    case = load_cases().by_id("established-domestic-abuse")
    assert "She uses it; you never say or write it first" in " ".join(case.client.split())
    assert "risk to her" in case.summary
    for scene in case.scenes.values():
        for _, choice in scene.choices_on("messaging"):
            assert "blue folder" not in choice.label.lower(), scene.id
    # the best ending on messaging is reachable without the code word
    player = Player(case, "messaging")
    while not player.finished:
        index = max(player.choices(), key=lambda ic: sum(ic[1].effects.values()))[0]
        player.choose(index)
    assert player.scene.ending == "good"
    resource = (REPO / "resource_library" / "code-word-exit-plan.md").read_text(encoding="utf-8")
    assert "## Who uses the code word" in resource


# --- pages show the citations ---------------------------------------------------------------


def test_library_reader_writes_cited_references_out_in_full():
    from alliance_kit.library import get_resource
    from alliance_kit.pages.library import reader_html

    html = reader_html(get_resource("building-trust-by-phone"))
    assert "The Price of Mistrust" in html
    assert "https://doi.org/10.1007/s11896-021-09450-1" in html


def test_debrief_and_parameter_table_name_their_sources():
    from alliance_kit.pages.channel_plan import parameter_table_html
    from alliance_kit.pages.scenarios import debrief_html

    case = load_cases().by_id("established-domestic-abuse")
    player = Player(case, "face-to-face")
    while not player.finished:
        player.choose(max(player.choices(), key=lambda ic: sum(ic[1].effects.values()))[0])
    result = player.result()
    assert result.ending == "good"
    assert "Sources: Dominey et al. 2021" in debrief_html(case, result)
    table = parameter_table_html(spec()[0])
    assert "Seuling et al. 2023 (client-rated SMD -0.09" in table


def test_bibliography_schema_agrees_with_jsonschema():
    import json

    import jsonschema

    from alliance_kit.content import SCHEMA_DIR

    schema = json.loads((SCHEMA_DIR / "bibliography.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(yaml.safe_load(BIB.read_text("utf-8")))


def test_learn_text_lists_a_sections_sources_in_full():
    from alliance_kit.alliance import BY_ID
    from alliance_kit.learn.texts import load_text
    from alliance_kit.pages.learn import text_html

    text, _ = load_text("trust")
    html = text_html(BY_ID["trust"], text)
    research = html[html.index('id="ak-sec-research"') : html.index('id="ak-sec-channels"')]
    assert "<h3>Sources</h3>" in research
    assert "The Price of Mistrust" in research
    assert "https://doi.org/10.1177/0306624X19878554" in research


def test_a_field_beside_the_references_is_named_and_the_entries_still_load(tmp_path):
    from alliance_kit.bibliography import load_bibliography

    path = tmp_path / "bibliography.yaml"
    path.write_text(BIB.read_text("utf-8") + "\nrefrences: []\n", encoding="utf-8")
    refs, problems = load_bibliography(path)
    assert [str(p).split(": ", 1)[1] for p in problems] == ["is not a known field"]
    assert problems[0].field == "refrences"
    assert len(refs) >= 15


def test_an_empty_bibliography_is_refused(tmp_path):
    from alliance_kit.bibliography import load_bibliography

    path = tmp_path / "bibliography.yaml"
    path.write_text("references: []\n", encoding="utf-8")
    refs, problems = load_bibliography(path)
    assert refs == {}
    assert [(p.field, p.message) for p in problems] == [
        ("references", "should have at least 1 entries")
    ]
