"""The library in Dutch and English: translations, Dutch stemming, language-aware ranking."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_library import write_front_matter, write_resource

from alliance_kit.library import LibraryIndex, get_resource, resource_languages, search
from alliance_kit.library.check import coverage_notes
from alliance_kit.library.model import (
    LibraryFolder,
    load_resources,
    missing_translations,
)
from support import REPO, run_cli


def write_translation(folder: Path, rid: str, body: str, **fields) -> Path:
    data = {
        "translation_of": rid,
        "language": "nl",
        "title": f'"{rid} in het Nederlands"',
        "summary": f'"Samenvatting van {rid}."',
        **fields,
    }
    return write_front_matter(folder, rid, data, body)


@pytest.fixture()
def bilingual(tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    write_resource(
        folder,
        "trust-by-phone",
        "How to build trust during a phone call. Leave silence and keep promises.",
        title='"Building trust by phone"',
        characteristics="[trust]",
        channels="[phone]",
        cites="[trotter-2015]",
    )
    write_resource(
        folder,
        "talking-together",
        "Talk with the client about the conversation itself, and about trust.",
        title='"Talking about the work together"',
        characteristics="[bond]",
        channels="[face-to-face]",
    )
    write_resource(
        folder,
        "english-only",
        "A checklist about trust and the phone, with no Dutch version yet.",
        title='"Trust checklist"',
        characteristics="[trust]",
        channels="[phone]",
    )
    nl = folder / "nl"
    write_translation(
        nl,
        "trust-by-phone",
        "Hoe je vertrouwen opbouwt in een telefoongesprek. Laat stiltes vallen en kom je "
        "afspraken na.",
        title='"Vertrouwen opbouwen via de telefoon"',
        cites="[trotter-2015]",
    )
    write_translation(
        nl,
        "talking-together",
        "Praat met de cliënt over het gesprek zelf, en over vertrouwen.",
        title='"Samen praten over het werk"',
    )
    return folder


@pytest.fixture()
def index(bilingual, tmp_path):
    return LibraryIndex(
        tmp_path / "index.sqlite", [LibraryFolder(bilingual, False)], check_interval=None
    )


def found(result) -> list[tuple[str, str]]:
    return [(h.id, h.language) for h in result.hits]


def test_dutch_stemming_finds_the_plural_and_the_singular(index):
    # The Dutch text says "gesprek" only; porter alone would not match "gesprekken".
    result = search("gesprekken", index=index)
    assert ("talking-together", "nl") in found(result)
    assert result.language == "nl"
    assert "<mark>" in result.hits[0].snippet_html
    # and the other way round: "telefoongesprekken" is not a word in any resource
    assert ("trust-by-phone", "nl") in found(search("stilte", index=index))


def test_dutch_verb_forms_and_split_verbs_find_the_text(index):
    # "opbouwt" (the Dutch text) and "bouw ... op" (the query) are the same verb
    assert found(search("hoe bouw je vertrouwen op", index=index))[0] == ("trust-by-phone", "nl")
    assert ("trust-by-phone", "nl") in found(search("vertrouwt", index=index))
    # a particle that joins nothing stays an ordinary word
    assert search("praat op tijd", index=index).language == "nl"


def test_a_dutch_query_lists_dutch_versions_first_and_each_resource_once(index):
    result = search("vertrouwen", index=index)
    assert result.language == "nl"
    assert {rid for rid, lang in found(result)} == {"trust-by-phone", "talking-together"}
    assert all(lang == "nl" for _, lang in found(result))
    # with both languages chosen, every version is listed, the Dutch ones first
    both = search("hoe bouw je vertrouwen op", languages=["en", "nl"], index=index)
    langs = [lang for _, lang in found(both)]
    assert langs and langs[0] == "nl"
    assert langs == sorted(langs, key=lambda lang: lang != "nl")


def test_an_english_query_ranks_english_first(index):
    result = search("trust phone", index=index)
    assert result.language == "en"
    assert found(result)[0] == ("trust-by-phone", "en")
    assert all(lang == "en" for _, lang in found(result))
    both = search("trust", languages=["en", "nl"], language="en", index=index)
    langs = [lang for _, lang in found(both)]
    assert langs[0] == "en" and langs == sorted(langs, key=lambda lang: lang != "en")


def test_an_untranslated_resource_is_still_found_by_a_dutch_query(index):
    # Listing in Dutch: the English-only checklist is there, after the Dutch versions.
    everything = search("", language="nl", index=index, limit=10)
    assert found(everything)[-1] == ("english-only", "en")
    assert len(everything.hits) == 3


def test_words_only_in_the_other_language_still_find_its_versions(index):
    # "Samen" is a Dutch title word, but the query is English: the Dutch version is shown
    # rather than nothing.
    result = search("the samen ", index=index)  # a whole word, not a prefix
    assert found(result) == [("talking-together", "nl")]
    assert result.language == "nl"


def test_language_facet_counts_and_filters(index):
    result = search("", index=index)
    assert result.facets["language"] == {"en": 3, "nl": 2}
    assert result.total == 3  # each resource once
    dutch = search("", languages=["nl"], index=index)
    assert dutch.total == 2 and all(h.language == "nl" for h in dutch.hits)
    # a facet's counts ignore its own filter, so the page can show what the other gives
    assert dutch.facets["language"] == {"en": 3, "nl": 2}
    assert dutch.facets["characteristic"]["trust"] == 1
    assert search("", languages=["nl-BE"], index=index).total == 2
    with pytest.raises(ValueError, match="unknown language"):
        search("", languages=["fr"], index=index)


@pytest.mark.parametrize(
    "text", ['"NOT (', "de het een", "ëïö", "gesprek*", "C++ vertrouwen", "' OR 1=1 --", " "]
)
def test_any_text_with_a_language_gives_a_result(index, text):
    for languages in ((), ("nl",), ("en", "nl")):
        result = search(text, languages=languages, index=index)
        assert isinstance(result.total, int)


def test_get_resource_gives_the_chosen_version_or_the_original(index):
    assert get_resource("trust-by-phone", index=index).language == "en"
    dutch = get_resource("trust-by-phone", language="nl", index=index)
    assert dutch.title == "Vertrouwen opbouwen via de telefoon"
    assert dutch.characteristics == ("trust",) and dutch.cites == ("trotter-2015",)
    assert dutch.link == "library.ipynb?resource=trust-by-phone&language=nl"
    assert get_resource("english-only", language="nl", index=index).language == "en"
    assert resource_languages("trust-by-phone", index=index) == ["en", "nl"]


def test_broken_translations_are_reported_with_file_and_field(bilingual):
    nl = bilingual / "nl"
    write_translation(nl, "no-such-resource", "Tekst.")
    write_translation(nl, "english-only", "Tekst.", cites="[dowden-andrews-2004]")
    write_translation(nl, "extra", "Tekst.", translation_of="talking-together", channels="[x]")
    (nl / "dup").mkdir()
    write_translation(nl / "dup", "talking-together", "Nog een versie.")
    resources, problems = load_resources([LibraryFolder(bilingual, False)])
    text = "\n".join(map(str, problems))
    assert "no-such-resource.md · item no-such-resource · field translation_of" in text
    assert "which is not a resource in this library" in text
    assert "english-only.md · item english-only · field cites" in text
    assert "extra.md" in text and "channels" in text
    assert "already has a version in 'nl'" in text
    assert len(problems) == 4
    assert len(resources) == 5


def test_coverage_note_lists_each_file_without_a_dutch_version(bilingual, monkeypatch):
    monkeypatch.setenv("ALLIANCE_KIT_REQUIRE_TRANSLATIONS", "none")
    resources, _ = load_resources([LibraryFolder(bilingual, False)])
    notes = coverage_notes(resources)
    assert notes[0] == "Dutch versions: 2 of 3 resources"
    assert len(notes) == 2
    assert notes[1].endswith("lib/english-only.md has no Dutch version yet")


def test_check_can_require_dutch_versions(tmp_path):
    folder = tmp_path / "org"
    folder.mkdir()
    write_resource(folder, "org-only", "Our own resource.")
    env = {"ALLIANCE_KIT_RESOURCES": str(folder)}
    noted = run_cli("check", "resources", "--require-translations", "none", env=env)
    assert noted.returncode == 0, noted.stdout
    assert "note: Dutch versions:" in noted.stdout
    assert "org-only.md has no Dutch version yet" in noted.stdout
    strict = run_cli("check", "resources", env=env)
    assert strict.returncode == 1
    assert "org-only.md · item org-only: has no Dutch version" in strict.stdout
    write_translation(folder / "nl", "org-only", "Onze eigen tekst.")
    translated = run_cli("check", "resources", "--require-translations", "nl", env=env)
    assert "org-only" not in translated.stdout
    bad = run_cli("check", "--require-translations", "../x")
    assert bad.returncode == 2 and "language code" in bad.stderr


def test_shipped_translations_resolve_and_cite_the_same_sources():
    folder = LibraryFolder(REPO / "resource_library", False)
    resources, problems = load_resources([folder])
    assert problems == []
    originals = {r.id: r for r in resources if not r.translation_of}
    dutch = [r for r in resources if r.lang == "nl"]
    assert dutch, "the kit ships Dutch versions"
    for r in dutch:
        assert r.translation_of in originals, r.path
        assert r.path.startswith("resource_library/nl/"), r.path
        source = (REPO / r.path).read_text(encoding="utf-8")
        assert f"cites: [{', '.join(originals[r.id].cites)}]" in source, r.path
        assert r.cites == originals[r.id].cites
        assert r.title != originals[r.id].title, f"{r.path} has an untranslated title"
    missing = missing_translations(resources, "nl")
    strict = run_cli(
        "check", "resources", "--require-translations", "nl", env={"ALLIANCE_KIT_RESOURCES": ""}
    )
    assert strict.returncode == (1 if missing else 0), strict.stdout


def test_shipped_library_dutch_query_finds_the_dutch_guide(data_dir):
    result = search("vertrouwen opbouwen telefoon", limit=3)
    assert result.language == "nl"
    assert found(result)[0] == ("building-trust-by-phone", "nl")
    english = search("building trust by phone", limit=3)
    assert found(english)[0] == ("building-trust-by-phone", "en")


def test_cli_language_filter(tmp_path):
    env = {"ALLIANCE_KIT_DATA_DIR": str(tmp_path / "data"), "ALLIANCE_KIT_RESOURCES": ""}
    out = run_cli("library", "search", "meldcode", "--language", "nl", env=env)
    assert out.returncode == 0, out.stderr
    assert "De meldcode" in out.stdout and "[nl]" in out.stdout
    bad = run_cli("library", "search", "x", "--language", "fr", env=env)
    assert bad.returncode == 2 and "unknown language" in bad.stdout


@pytest.fixture()
def in_dutch():
    from alliance_kit import i18n

    i18n.activate("nl")
    yield
    i18n.activate("en")


def test_a_dutch_page_opens_a_link_without_a_language_in_dutch(data_dir, monkeypatch, in_dutch):
    """A link from another page names only the resource: a Dutch visitor reads the Dutch text,
    and the versions switch still offers the English one."""
    from alliance_kit.pages.library import LibraryPage

    monkeypatch.setenv("QUERY_STRING", "resource=building-trust-by-phone")
    view = LibraryPage()
    view.open_from_query_string()
    html = view.reader.value
    assert '<div lang="nl">' in html
    assert "Vertrouwen opbouwen via de telefoon" in html
    assert 'hreflang="en"' in html and "Ook in:" in html

    monkeypatch.setenv("QUERY_STRING", "resource=building-trust-by-phone&language=en")
    view.open_from_query_string()
    assert '<div lang="en">' in view.reader.value
    assert "Building trust by phone" in view.reader.value
    assert "Link kopiëren" in view.reader.value  # the interface stays Dutch


def test_a_dutch_page_labels_its_filters_and_results_in_dutch(data_dir, in_dutch):
    from alliance_kit.pages.library import LibraryPage

    view = LibraryPage()
    result = view.run_search()
    assert result.language == "nl"
    assert view.filters.tooltip.startswith("Filter op kenmerk, kanaal")
    view.filters.value = True
    assert view.checkboxes["characteristic"]["goals-and-conditions"].description.startswith(
        "Richting/kader ("
    )
    assert view.checkboxes["type"]["worksheet"].description.startswith("Werkblad (")
    assert view.checkboxes["language"]["nl"].description.startswith("Nederlands (")
    assert view.duration.options[-1][0].startswith("Elke lengte (")
    assert view.status.value.count("hulpbronnen gevonden") == 1
    view.query.value = "zzzqqqxx"
    view.run_search()
    assert "Niets gevonden voor “zzzqqqxx”" in view.status.value
    offered = [button.description for button in view.suggestions.children]
    assert "vertrouwen" in offered and "trust" not in offered


# --- the Dutch content's own searches ----------------------------------------------------------


def dutch_content_queries() -> list[tuple[str, str, str]]:
    """(where, Dutch query, English query) of every library search the Dutch content makes:
    each scenario's debrief and each reflection prompt of the trends page."""
    from alliance_kit.questionnaire import load
    from alliance_kit.scenarios.loading import catalogue

    english_cases = {c.id: c for c in catalogue("en").cases}
    found = [
        (f"scenario {c.id}", c.resource_query, english_cases[c.id].resource_query)
        for c in catalogue("nl").cases
    ]
    english_prompts = load(lang="en").reflections
    found += [
        (f"reflection {cid}", r.query, english_prompts[cid].query)
        for cid, r in load(lang="nl").reflections.items()
    ]
    return found


@pytest.fixture(scope="module")
def kit_library(tmp_path_factory) -> LibraryIndex:
    return LibraryIndex(tmp_path_factory.mktemp("library") / "index.sqlite", check_interval=None)


@pytest.mark.parametrize(("where", "query", "english"), dutch_content_queries())
def test_every_dutch_content_query_finds_a_dutch_resource_first(kit_library, where, query, english):
    assert query != english, f"{where} searches in English"
    for language in ("nl", None):  # the page's language, or the query's words alone
        hits = search(query, limit=3, language=language, index=kit_library).hits
        assert hits, f"{where}: {query!r} finds nothing"
        assert hits[0].language == "nl", f"{where}: {query!r} ({language}) gives {hits}"
