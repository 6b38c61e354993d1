"""The shipped resource library: valid, original-looking, usable, and covering the ground."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from alliance_kit.alliance import CHANNELS, CHARACTERISTIC_IDS, PHASES
from alliance_kit.front_matter import split as split_front_matter
from alliance_kit.library.model import (
    AUDIENCES,
    TYPES,
    LibraryFolder,
    load_resources,
    resource_files,
)
from support import REPO

LIBRARY = REPO / "resource_library"
SCHEMA = json.loads(
    (REPO / "tools/alliance_kit/schemas/resource.schema.json").read_text(encoding="utf-8")
)
RESOURCES, PROBLEMS = load_resources([LibraryFolder(LIBRARY, False)])
FILES = resource_files(LIBRARY)
ORIGINALS = [r for r in RESOURCES if not r.translation_of]
DUTCH = [r for r in RESOURCES if r.translation_of and r.lang == "nl"]
TRANSLATION_SCHEMA = json.loads(
    (REPO / "tools/alliance_kit/schemas/resource_translation.schema.json").read_text("utf-8")
)


def test_library_loads_without_problems():
    assert PROBLEMS == []
    assert len(RESOURCES) == len(FILES)


def test_at_least_fifty_five_resources_including_the_missing_situations():
    assert len(RESOURCES) >= 55
    ids = {r.id for r in RESOURCES}
    for needed in (
        "enforcement-conversations",
        "returning-after-recall",
        "safeguarding-escalation-uk",
        "safeguarding-meldcode-nl",
        "remote-interpreting",
        "officer-safety-on-calls",
        "messaging-data-protection",
        "trauma-informed-remote-supervision",
        "electronic-monitoring-conversations",
        "plain-words-learning-disability-autism",
    ):
        assert needed in ids, needed


def test_schema_is_valid_and_agrees_with_jsonschema():
    import yaml
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(SCHEMA)
    Draft202012Validator.check_schema(TRANSLATION_SCHEMA)
    validator = Draft202012Validator(SCHEMA)
    translation = Draft202012Validator(TRANSLATION_SCHEMA)
    for path in FILES:
        head, _ = split_front_matter(path.read_text(encoding="utf-8"))
        data = yaml.safe_load(head)
        errors = list((translation if "translation_of" in data else validator).iter_errors(data))
        assert not errors, (path.name, [e.message for e in errors])


def test_schema_enums_are_the_shared_vocabulary():
    # Generated from the declaration: the top level is a reference, and msgspec sorts enums.
    props = SCHEMA["$defs"][SCHEMA["$ref"].rsplit("/", 1)[-1]]["properties"]
    assert props["characteristics"]["items"]["enum"] == sorted(CHARACTERISTIC_IDS)
    assert props["channels"]["items"]["enum"] == sorted(CHANNELS)
    assert props["phases"]["items"]["enum"] == sorted(PHASES)
    assert props["type"]["enum"] == sorted(TYPES)
    assert props["audience"]["enum"] == sorted(AUDIENCES)


@pytest.mark.parametrize("resource", ORIGINALS, ids=lambda r: r.id)
def test_resource_is_usable(resource):
    words = len(re.findall(r"[A-Za-z0-9']+", resource.body))
    assert 250 <= words <= 600, f"{resource.id}: {words} words"
    assert Path(resource.path).stem == resource.id, "file name and id differ"
    assert re.search(r"^## What to avoid", resource.body, re.M), "no 'What to avoid' section"
    assert re.search(r"^\s*(\d+\.|-) ", resource.body, re.M), "no steps or list"
    assert resource.language == "en"
    assert resource.cites, "cite at least one entry of the bibliography"


@pytest.mark.parametrize("resource", DUTCH, ids=lambda r: r.id)
def test_dutch_version_is_usable(resource):
    words = len(re.findall(r"[^\W\d_]+", resource.body))
    assert 250 <= words <= 700, f"{resource.id}: {words} words"
    assert Path(resource.path).stem == resource.id, "file name and id differ"
    assert Path(resource.path).parent.name == "nl", "Dutch versions live in resource_library/nl/"
    assert re.search(r"^## Wat je beter niet doet", resource.body, re.M), "no 'what to avoid'"
    original = next(r for r in ORIGINALS if r.id == resource.id)
    assert resource.body.count("\n## ") == original.body.count("\n## "), "sections differ"


def test_library_covers_every_characteristic_channel_phase_type_and_audience():
    def covered(attr):
        return {v for r in RESOURCES for v in getattr(r, attr)}

    assert covered("characteristics") == set(CHARACTERISTIC_IDS)
    assert covered("channels") == set(CHANNELS)
    assert covered("phases") == set(PHASES)
    assert {r.type for r in RESOURCES} == set(TYPES)
    assert {r.audience for r in RESOURCES} == set(AUDIENCES)


@pytest.mark.parametrize(
    "topic",
    [
        "check-in", "role clarification", "motivational interviewing", "disapproval",
        "problem-solving", "safety plan", "behaviour chain", "safe time to talk", "safe space",
        "code word", "switch back", "messaging boundaries", "digital inclusion", "low-tech",
        "handover", "rupture", "working from home",
    ],
)  # fmt: skip
def test_the_ground_of_the_issue_is_covered(topic):
    from alliance_kit.library import search

    assert search(topic, index=_index()).total >= 1, topic


_INDEX = []


def _index():
    if not _INDEX:
        import tempfile

        from alliance_kit.library import LibraryIndex

        path = Path(tempfile.mkdtemp()) / "index.sqlite"
        _INDEX.append(LibraryIndex(path, [LibraryFolder(LIBRARY, False)], check_interval=None))
    return _INDEX[0]
