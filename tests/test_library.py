"""The resource library engine: search, facets, typo tolerance, hostile input, rebuilds."""

from __future__ import annotations

import os
import shutil
import sqlite3
import textwrap
import threading
import time
from pathlib import Path

import pytest

from alliance_kit.library import LibraryIndex, SearchResult, get_resource, search
from alliance_kit.library.index import build_lock
from alliance_kit.library.model import LibraryFolder, load_resources
from support import REPO, result_links, run_cli


def write_resource(folder: Path, rid: str, body: str = "", **fields) -> Path:
    data = {
        "title": rid.replace("-", " ").capitalize(),
        "summary": f"Summary of {rid}.",
        "type": "checklist",
        "characteristics": "[bond]",
        "channels": "[face-to-face]",
        "phases": "[established]",
        "minutes": 10,
        "audience": "officer",
        "language": "en",
        "sources": "[]",
        **fields,
    }
    return write_front_matter(
        folder, rid, {"id": rid, **data}, body or "Some words about supervision."
    )


def write_front_matter(folder: Path, rid: str, fields: dict, body: str) -> Path:
    """``folder/<rid>.md`` with ``fields`` (None left out) as YAML front matter over ``body``."""
    head = "".join(f"{k}: {v}\n" for k, v in fields.items() if v is not None)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{rid}.md"
    path.write_text(f"---\n{head}---\n{body}\n", "utf-8")
    return path


@pytest.fixture()
def small_library(tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    write_resource(
        folder,
        "trust-by-phone",
        "How to build trust during a phone call. Leave silence, summarise, keep promises.",
        title='"Building trust by phone"',
        characteristics="[trust]",
        channels="[phone]",
        phases="[intake, early]",
        minutes=10,
    )
    write_resource(
        folder,
        "video-safe-space",
        "Check the room on video. Trust grows when privacy is clear. Phone as fallback.",
        title='"Safe space for video"',
        characteristics="[trust, bond]",
        channels="[video]",
        phases="[early]",
        minutes=5,
        type="script",
    )
    write_resource(
        folder,
        "rulers",
        "Importance and confidence rulers from motivational interviewing, by phone or video.",
        title='"Importance and confidence rulers"',
        characteristics="[goals-and-conditions]",
        channels="[phone, video, face-to-face]",
        phases="[established]",
        minutes=20,
        type="exercise",
        audience="both",
    )
    write_resource(
        folder,
        "closing-well",
        "Ending supervision: look back at progress and say goodbye. Trust matters here too.",
        title='"Closing supervision well"',
        characteristics="[bond]",
        channels="[face-to-face]",
        phases="[closing]",
        minutes=30,
        type="conversation-guide",
        audience="both",
    )
    return folder


@pytest.fixture()
def index(small_library, tmp_path):
    return LibraryIndex(
        tmp_path / "index.sqlite", [LibraryFolder(small_library, False)], check_interval=None
    )


def ids(result: SearchResult) -> list[str]:
    return [h.id for h in result.hits]


# --- ranking, facets, typos -------------------------------------------------------------------


def test_trust_phone_ranks_the_trust_by_phone_resource_first(index):
    result = search("trust phone", index=index)
    assert ids(result)[0] == "trust-by-phone"
    assert result.total >= 2
    assert "<mark>" in result.hits[0].snippet_html


def test_shipped_library_ranks_building_trust_by_phone_first(data_dir):
    result = search("trust phone")
    assert result.hits[0].id == "building-trust-by-phone"


def test_prefix_matches_the_word_being_typed(index):
    assert ids(search("rul", index=index)) == ["rulers"]
    assert ids(search("confid", index=index)) == ["rulers"]
    # once the word is finished (a space typed), it is no longer a prefix
    assert search("rul ", index=index).total == 0


def test_typo_is_corrected_and_suggested(index):
    result = search("importnce rulres", index=index)
    assert ids(result) == ["rulers"]
    assert result.suggestions == ["importance rulers"]
    assert "importance rulers" in result.message


def test_no_resource_with_every_word_falls_back_to_any_word(index):
    result = search("goodbye silence", index=index)
    assert set(ids(result)) == {"closing-well", "trust-by-phone"}
    assert "some of them" in result.message


def test_nothing_found_gives_a_friendly_line_and_suggestions(index, small_library):
    result = search("zzzqqq", index=index)
    assert result.hits == [] and result.total == 0
    assert result.message.startswith("Nothing found for “zzzqqq”")
    assert result.suggestions  # words the library does have
    assert all(search(s, index=index).total for s in result.suggestions)


def test_facets_count_every_value_and_filters_combine(index):
    everything = search(index=index)
    assert everything.total == 4
    assert everything.facets["characteristic"] == {
        "goals-and-conditions": 1,
        "trust": 2,
        "bond": 2,
        "reactance": 0,
    }
    assert everything.facets["duration"] == {
        "up-to-5": 1,
        "up-to-10": 2,
        "up-to-20": 3,
        "up-to-30": 4,
        "any": 4,
    }
    found = search(characteristics=["trust"], channels=["phone"], phases=["intake"], index=index)
    assert ids(found) == ["trust-by-phone"]
    # a facet's own counts ignore its own filter, so the other values stay visible
    assert found.facets["channel"]["phone"] == 1 and found.facets["channel"]["video"] == 0
    phone_or_video = search(characteristics=["trust"], channels=["phone", "video"], index=index)
    assert phone_or_video.total == 2
    assert phone_or_video.facets["channel"] == {
        "face-to-face": 0,
        "phone": 1,
        "video": 1,
        "messaging": 0,
    }
    assert ids(search(max_minutes=5, index=index)) == ["video-safe-space"]
    assert search(types=["exercise"], audiences=["both"], index=index).total == 1
    # names work as well as ids
    assert search(characteristics="Goals and Conditions", index=index).total == 1


def test_filters_that_exclude_everything_say_so(index):
    result = search("trust", channels=["messaging"], index=index)
    assert result.total == 0
    assert "Remove a filter" in result.message


def test_unknown_filter_value_is_a_programming_error(index):
    with pytest.raises(ValueError, match="unknown channel 'fax'"):
        search("trust", channels=["fax"], index=index)


def test_limit_and_total(index):
    result = search(limit=2, index=index)
    assert len(result.hits) == 2 and result.total == 4
    assert search(limit=-5, index=index).hits == []


def test_empty_query_lists_by_title(index):
    titles = [h.title for h in search(index=index).hits]
    assert titles == sorted(titles, key=str.lower)


# --- hostile input ----------------------------------------------------------------------------

HOSTILE = [
    '"', '""', '"trust', 'trust"', "'", "it's", "don't", "AND", "OR", "NOT", "NEAR",
    "trust AND", "AND trust", "trust OR", "OR phone", "NOT trust", "trust NOT",
    "trust AND OR phone", "NEAR(trust phone)", "NEAR(trust", "NEAR(trust phone, 2",
    "trust NEAR phone", "*", "**", "trust*", "*trust", "tr*st", "trust **", ":", "title:",
    "title:trust", "body:phone", "nosuchcolumn:trust", "{title summary}: trust", "{", "}",
    "-", "-trust", "trust -phone", "--", "^", "^trust", "trust^", "(", ")", "()", "(trust",
    "trust)", "((trust))", "[trust]", "C++", "C#", "a+b", "+", "&&", "||", "!", "trust!",
    "?", "what?", "https://example.org/path?q=trust&x=1", "www.example.com",
    "mailto:someone@example.org", "file:///etc/passwd", "🙂", "🤝 trust", "trust 🙂 phone",
    "\u200b", "\x00", "é", "naïve café", "日本語", "عربى", "  ", "\t\n", "", "%", "_", "\\",
    "/", ".", ",", ";", "; DROP TABLE docs; --", "' OR 1=1 --", "<script>alert(1)</script>",
    "x" * 10_000, "trust " * 2000, "a " * 5000, '"trust" "phone"', '"trust phone"',
    'trust" OR "1"="1', "rank:", "bm25(docs)", "docs MATCH", "\u202e", "NULL", "0", "-1",
]  # fmt: skip


def test_hostile_corpus_is_large_enough():
    assert len(HOSTILE) >= 66


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: repr(t)[:30])
def test_any_text_gives_a_result_and_never_raises(index, text):
    result = search(text, index=index)
    assert isinstance(result, SearchResult)
    assert result.total >= len(result.hits)
    assert result.hits or result.message  # results, or a friendly line
    for hit in result.hits:
        stripped = hit.snippet_html.replace("<mark>", "").replace("</mark>", "")
        assert "<" not in stripped


def test_raw_fts5_match_fails_on_much_of_the_corpus(index):
    """The reason the query is built from words: raw MATCH raises on ordinary text."""
    failures = 0
    for text in HOSTILE:
        try:
            index.conn.execute("SELECT rowid FROM docs WHERE docs MATCH ?", (text,)).fetchall()
        except sqlite3.OperationalError:
            failures += 1
    assert failures >= 40, failures


def test_search_while_typing_every_prefix(index):
    text = 'trust "by phone" (NOT NEAR: C++) 🙂'
    for end in range(len(text) + 1):
        assert isinstance(search(text[:end], index=index), SearchResult)


# --- rebuilding -------------------------------------------------------------------------------


def test_index_rebuilds_when_a_file_is_added_changed_or_removed(index, small_library):
    assert index.refresh() is False  # nothing changed: no rebuild
    built = index.path.stat().st_mtime_ns
    assert search("kiosk", index=index).total == 0

    added = write_resource(small_library, "kiosk-reporting", "Reporting at a turnstile.")
    assert index.refresh() is True
    assert ids(search("kiosk", index=index)) == ["kiosk-reporting"]
    assert ids(search("turnstile", index=index)) == ["kiosk-reporting"]
    assert index.path.stat().st_mtime_ns != built

    added.write_text(added.read_text("utf-8").replace("at a turnstile", "by a letterbox"), "utf-8")
    os.utime(added, ns=(1, added.stat().st_mtime_ns + 10**9))
    assert index.refresh() is True
    assert search("turnstile", index=index).total == 0
    assert ids(search("letterbox", index=index)) == ["kiosk-reporting"]

    added.unlink()
    assert index.refresh() is True
    assert search("letterbox", index=index).total == 0
    assert search("kiosk", index=index).total == 0
    assert get_resource("kiosk-reporting", index=index) is None


def test_kernels_started_together_build_the_index_once(small_library, tmp_path):
    """A workshop's kernels on a new data folder: the second waits for the first one's build
    and opens it, instead of spending the same quarter CPU-second on its own."""
    pytest.importorskip("fcntl")
    path = tmp_path / "together.sqlite"
    folders = [LibraryFolder(small_library, False)]
    elsewhere = LibraryIndex(tmp_path / "elsewhere.sqlite", folders, check_interval=None)
    second: list[LibraryIndex] = []
    waiting = threading.Thread(
        target=lambda: second.append(LibraryIndex(path, folders, check_interval=None))
    )
    with build_lock(path):  # the first kernel is building
        waiting.start()
        waiting.join(0.5)
        assert waiting.is_alive(), "the second kernel waits for the first one's build"
        shutil.copyfile(elsewhere.path, path)  # what the first one's build leaves
    waiting.join(30)
    assert second and second[0].last_build is None, "the second kernel built it again"
    assert second[0].count() == elsewhere.count()


def test_a_build_that_never_finishes_does_not_keep_the_next_kernel_waiting(
    small_library, tmp_path, monkeypatch
):
    pytest.importorskip("fcntl")
    from alliance_kit.library import index as index_module

    monkeypatch.setattr(index_module, "BUILD_WAIT", 0.3)
    path = tmp_path / "stuck.sqlite"
    with build_lock(path):  # a kernel that started building and hangs
        started = time.monotonic()
        own = LibraryIndex(path, [LibraryFolder(small_library, False)], check_interval=None)
        assert time.monotonic() - started < 10
    assert own.last_build is not None and own.count() == 4


def test_a_new_process_reuses_a_current_index(index, small_library):
    again = LibraryIndex(index.path, [LibraryFolder(small_library, False)], check_interval=None)
    assert again.last_build is None  # opened, not rebuilt
    assert again.count() == 4


def test_default_index_lives_in_the_data_dir_private(data_dir):
    search("trust")
    path = data_dir / "library-index.sqlite"
    assert path.is_file()
    assert path.stat().st_mode & 0o777 == 0o600


# --- drop-in folder, problems, check ----------------------------------------------------------


def test_drop_in_folder_is_indexed_and_marked_local(data_dir, tmp_path, monkeypatch):
    from alliance_kit import library

    org = tmp_path / "org"
    org.mkdir()
    write_resource(
        org,
        "our-quokka-protocol",
        "Our quokka protocol for reporting on Saturdays.",
        title='"Quokka protocol"',
        characteristics="[goals-and-conditions]",
    )
    monkeypatch.setenv("ALLIANCE_KIT_RESOURCES", str(org))
    result = search("quokka saturdays")
    assert ids(result) == ["our-quokka-protocol"]
    assert result.hits[0].local is True
    assert get_resource("our-quokka-protocol").local is True
    assert all(not h.local for h in search("trust phone").hits)
    # a file added while the page runs appears after a refresh
    write_resource(org, "our-second", "Second local resource about a quokka.")
    library.refresh()
    assert search("quokka").total == 2


def test_malformed_resources_are_reported_and_the_rest_loads(tmp_path):
    folder = tmp_path / "org"
    folder.mkdir()
    write_resource(folder, "good-one", "Useful words about trust.")
    (folder / "bad-yaml.md").write_text("---\nid: bad-yaml\ntitle: [unclosed\n---\nText\n")
    write_resource(folder, "missing-summary", summary=None)
    write_resource(folder, "unknown-characteristic", characteristics="[trust, hope]")
    write_resource(folder, "copy", title="Copy").rename(folder / "zz-copy.md")
    (folder / "zz-copy.md").write_text(
        (folder / "zz-copy.md").read_text().replace("id: copy", "id: good-one")
    )
    (folder / "no-front-matter.md").write_text("Just text.\n")
    resources, problems = load_resources([LibraryFolder(folder, True)])
    assert [r.id for r in resources] == ["good-one"]
    text = "\n".join(str(p) for p in problems)
    assert "bad-yaml.md: front matter is not valid YAML (line 4" in text
    assert "starts on line 3" in text
    assert "missing-summary.md · item missing-summary · field summary: is missing" in text
    assert (
        "unknown-characteristic.md · item unknown-characteristic · field characteristics[1]: "
        "'hope' is not allowed" in text
    )
    assert "zz-copy.md · item good-one · field id: duplicate id" in text
    assert "no-front-matter.md: has no front matter" in text
    assert len(problems) == 5


def test_check_passes_on_the_shipped_library():
    result = run_cli("check", "resources", env={"ALLIANCE_KIT_RESOURCES": ""})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "resources: ok" in result.stdout


def test_check_lists_problems_of_the_drop_in_folder(tmp_path):
    folder = tmp_path / "org"
    folder.mkdir()
    write_resource(folder, "bad-channel", channels="[carrier-pigeon]")
    result = run_cli("check", "resources", env={"ALLIANCE_KIT_RESOURCES": str(folder)})
    assert result.returncode == 1
    assert "bad-channel.md · item bad-channel · field channels[0]" in result.stdout


def test_cli_search_and_index(tmp_path):
    env = {"ALLIANCE_KIT_DATA_DIR": str(tmp_path / "data"), "ALLIANCE_KIT_RESOURCES": ""}
    built = run_cli("library", "index", env=env)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "Indexed" in built.stdout
    found = run_cli("library", "search", "trust", "phone", "--limit", "3", env=env)
    assert found.returncode == 0, found.stderr
    assert "1. Building trust by phone" in found.stdout
    hostile = run_cli("library", "search", '"NOT (', "--channel", "phone", env=env)
    assert hostile.returncode == 0, hostile.stderr
    bad = run_cli("library", "search", "x", "--characteristic", "hope", env=env)
    assert bad.returncode == 2 and "unknown characteristic" in bad.stdout


# --- rendering -------------------------------------------------------------------------------


def parse_elements(html: str) -> list[tuple[str, dict]]:
    """Every element of an HTML fragment as (tag, attributes), as a browser would see them."""
    from html.parser import HTMLParser

    found: list[tuple[str, dict]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, {k: v or "" for k, v in attrs}))

    Collect().feed(html)
    return found


def test_hostile_markdown_renders_harmless(tmp_path):
    from alliance_kit.markdown import render_markdown

    body = textwrap.dedent(
        """\
        Hello <script>alert('x')</script>

        <img src=x onerror="alert(1)">

        [click me](javascript:alert(1)) and [also](JaVaScRiPt:alert(2))

        <iframe src="https://evil.example"></iframe>

        <a href="javascript:alert(3)" onclick="alert(4)">raw link</a>

        [fine](https://example.org) ![pic](https://example.org/p.png)
        """
    )
    html = render_markdown(body)
    elements = parse_elements(html)
    assert {tag for tag, _ in elements} <= {"p", "a"}
    for tag, attrs in elements:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert not attrs.get("href", "").lower().startswith("javascript"), attrs
    assert [attrs["href"] for tag, attrs in elements if tag == "a"] == ["https://example.org"]
    assert "&lt;script&gt;" in html  # shown as text, not dropped silently
    assert '<a href="https://example.org" target="_blank" rel="noopener noreferrer">' in html
    assert "[pic]" in html  # no picture fetched from another host


def test_every_shipped_resource_renders_with_headings_below_the_title(data_dir):
    resources, problems = load_resources([LibraryFolder(REPO / "resource_library", False)])
    assert problems == []
    for resource in resources:
        assert "<h1" not in resource.html and "<h2" not in resource.html
        assert "<script" not in resource.html


def test_get_resource_gives_front_matter_and_html(data_dir):
    resource = get_resource("safety-plan")
    assert resource.title == "Safety plan"
    assert "trust" in resource.characteristics
    assert resource.references and "Stanley" in resource.references[0].citation
    assert "<h3>" in resource.html
    assert resource.link == "library.ipynb?resource=safety-plan"
    assert get_resource("no-such-resource") is None
    assert get_resource("") is None


def test_enter_in_the_search_box_searches_at_once(data_dir):
    """The message the browser sends on Enter runs the search there and then, without waiting
    for the pause that lets fast typing settle."""
    from alliance_kit.pages.library import build

    view = build()
    before = view.status.value
    view.query.value = "safety plan"  # typing: the search waits for a pause
    view.query._handle_string_msg(None, {"event": "submit"}, [])  # Enter
    assert view.status.value != before
    assert "found" in view.status.value
    first_title, _address = result_links(view.results.value)[0]
    assert "Safety plan" in first_title
    view.debounce.cancel()
