"""The library at scale: a changed file re-reads only itself, facet counts past a cap say so."""

from __future__ import annotations

import importlib
import os
import sqlite3
from pathlib import Path

import pytest
from test_library import write_resource
from test_library_dutch import write_translation

from alliance_kit.library import LibraryIndex, search
from alliance_kit.library.model import LibraryFolder
from support import result_links

# the modules whose settings a test lowers
ranking_module = importlib.import_module("alliance_kit.library.ranking")
index_module = importlib.import_module("alliance_kit.library.index")
QUERIES = ["trust", "phone", "letterbox", "turnstile", "vertrouwen", "bond video", "ending"]


def rows(index: LibraryIndex) -> dict[tuple[str, str], tuple[int, str]]:
    """(id, language) -> (rowid, stored data), read from the index file itself."""
    with sqlite3.connect(index.path) as conn:
        found = conn.execute(
            "SELECT r.id, r.language, r.rowid, d.data FROM resources r "
            "JOIN resource_data d ON d.rowid = r.rowid"
        ).fetchall()
    return {(rid, lang): (rowid, data) for rid, lang, rowid, data in found}


def touch_later(path: Path) -> None:
    os.utime(path, ns=(1, path.stat().st_mtime_ns + 10**9))


def same_answers(index: LibraryIndex, folders: list[LibraryFolder], tmp_path: Path) -> None:
    """What the updated index answers equals what a full build of the same files answers."""
    name = f"fresh-{len(list(tmp_path.glob('fresh-*.sqlite')))}.sqlite"
    fresh = LibraryIndex(tmp_path / name, folders, check_interval=None)
    assert fresh.last_build is not None
    for q in QUERIES:
        for language in ("en", "nl"):
            ours, theirs = (
                search(q, index=index, language=language),
                search(q, index=fresh, language=language),
            )
            assert sorted(h.id for h in ours.hits) == sorted(h.id for h in theirs.hits), q
            assert ours.total == theirs.total and ours.facets == theirs.facets, q
    assert index.problems() == fresh.problems()
    with sqlite3.connect(index.path) as a, sqlite3.connect(fresh.path) as b:
        vocab = "SELECT term, df, nl FROM vocab ORDER BY term"
        assert a.execute(vocab).fetchall() == b.execute(vocab).fetchall()


@pytest.fixture()
def library(tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    write_resource(folder, "trust-by-phone", "Build trust on a phone call.", channels="[phone]")
    write_resource(folder, "video-room", "Check the room on video.", channels="[video]")
    write_resource(folder, "closing-well", "Ending supervision well.", phases="[closing]")
    write_resource(folder, "kiosk", "Reporting at a turnstile.", characteristics="[trust]")
    write_translation(folder / "nl", "trust-by-phone", "Bouw vertrouwen op aan de telefoon.")
    return folder


@pytest.fixture()
def index(library, tmp_path):
    return LibraryIndex(tmp_path / "index.sqlite", [LibraryFolder(library, False)], None)


def test_a_changed_file_rewrites_only_its_own_row(index, library, tmp_path):
    before = rows(index)
    kiosk = library / "kiosk.md"
    kiosk.write_text(kiosk.read_text("utf-8").replace("at a turnstile", "by a letterbox"), "utf-8")
    touch_later(kiosk)

    assert index.refresh() is True
    assert index.last_update is not None and index.last_build is not None
    assert (index.last_update.files_read, index.last_update.rows_written) == (1, 1)
    after = rows(index)
    assert {k: v for k, v in after.items() if k[0] != "kiosk"} == {
        k: v for k, v in before.items() if k[0] != "kiosk"
    }  # every other row kept its rowid and its stored data
    assert after[("kiosk", "en")] != before[("kiosk", "en")]
    assert [h.id for h in search("letterbox", index=index).hits] == ["kiosk"]
    assert search("turnstile", index=index).total == 0
    same_answers(index, [LibraryFolder(library, False)], tmp_path)


def test_an_unchanged_library_is_not_read_again(index):
    before = rows(index)
    assert index.refresh() is False
    assert index.last_update is None and rows(index) == before


def test_a_deleted_file_leaves_and_a_new_file_enters(index, library, tmp_path):
    (library / "video-room.md").unlink()
    write_resource(library, "letterbox", "Reporting by a letterbox.")
    assert index.refresh() is True
    assert index.last_update.files_read == 1  # the new file; the deleted one is not read
    assert (index.last_update.rows_removed, index.last_update.rows_written) == (1, 1)
    found = {k[0] for k in rows(index)}
    assert "video-room" not in found and "letterbox" in found
    assert search("video room", index=index).hits == [] or all(
        h.id != "video-room" for h in search("video room", index=index).hits
    )
    assert [h.id for h in search("letterbox", index=index).hits] == ["letterbox"]
    same_answers(index, [LibraryFolder(library, False)], tmp_path)


def test_an_original_and_its_translation_are_reread_together(index, library, tmp_path):
    """A translation takes its facets from its original, so both versions are rewritten."""
    write_resource(library, "trust-by-phone", "Build trust on a phone call.", channels="[video]")
    touch_later(library / "trust-by-phone.md")
    assert index.refresh() is True
    assert (index.last_update.files_read, index.last_update.rows_written) == (2, 2)
    dutch = search("vertrouwen", index=index, languages=["nl"], channels=["video"])
    assert [(h.id, h.language) for h in dutch.hits] == [("trust-by-phone", "nl")]
    same_answers(index, [LibraryFolder(library, False)], tmp_path)


def test_a_broken_file_is_reported_and_its_fix_clears_the_report(index, library, tmp_path):
    broken = library / "closing-well.md"
    good = broken.read_text("utf-8")
    broken.write_text(good.replace("minutes: 10", "minutes: soon"), "utf-8")
    touch_later(broken)
    assert index.refresh() is True
    assert [p.field for p in index.problems()] == ["minutes"]
    assert "closing-well" not in {k[0] for k in rows(index)}
    same_answers(index, [LibraryFolder(library, False)], tmp_path)

    broken.write_text(good, "utf-8")
    touch_later(broken)
    assert index.refresh() is True
    assert index.problems() == [] and "closing-well" in {k[0] for k in rows(index)}


def test_a_duplicate_id_is_decided_as_in_a_full_build(index, library, tmp_path):
    copy = write_resource(library, "zz-copy", "Another file.")
    copy.write_text(copy.read_text("utf-8").replace("id: zz-copy", "id: kiosk"), "utf-8")
    assert index.refresh() is True
    assert [p.field for p in index.problems()] == ["id"]
    same_answers(index, [LibraryFolder(library, False)], tmp_path)
    (library / "kiosk.md").unlink()  # the duplicate is now the only one: it enters
    assert index.refresh() is True
    assert index.problems() == []
    assert [h.id for h in search("another file", index=index).hits] == ["kiosk"]
    same_answers(index, [LibraryFolder(library, False)], tmp_path)


def test_facet_counts_past_the_cap_are_flagged(index, monkeypatch):
    everything = search("summary", index=index)  # every resource has "Summary of ..."
    assert everything.total == 4 and everything.counted is None
    assert sum(everything.facets["audience"].values()) == 4

    monkeypatch.setattr(ranking_module, "FACET_CAP", 2)
    capped = search("summary", index=index)
    assert capped.counted == 2
    assert capped.total == 4  # the total is still exact
    assert sum(capped.facets["audience"].values()) <= 2
    assert [h.id for h in capped.hits] == [h.id for h in everything.hits]


def test_the_page_says_counts_are_for_the_first_matches(data_dir, monkeypatch):
    from alliance_kit.pages import library as page

    monkeypatch.setattr(ranking_module, "FACET_CAP", 3)
    view = page.build()
    view.query.value = "trust"
    view.debounce.cancel()
    result = view.run_search()
    assert result.counted == 3
    assert "Counts beside" not in view.status.value, "no counts are shown while filters are shut"
    view.filters.value = True  # the counts show beside the filters, and the sentence with them
    assert "Counts beside the filters are shown for the first 3 matches." in view.status.value
    monkeypatch.setattr(ranking_module, "FACET_CAP", 100_000)
    view.run_search()
    assert "Counts beside" not in view.status.value


def test_typing_pauses_briefly_enough_for_results_within_300_ms():
    from alliance_kit.pages.library import DEBOUNCE_SECONDS

    assert DEBOUNCE_SECONDS <= 0.15


def test_another_process_sees_an_update_made_in_place(index, library):
    other = LibraryIndex(index.path, [LibraryFolder(library, False)], None)
    assert other.last_build is None
    other.vocabulary_by_length()  # cached before the change
    kiosk = library / "kiosk.md"
    kiosk.write_text(kiosk.read_text("utf-8").replace("turnstile", "letterbox"), "utf-8")
    touch_later(kiosk)
    assert index.refresh() is True
    assert other.refresh() is False  # already up to date: nothing to read
    assert "letterbox" in {t for t, _ in other.vocabulary_by_length()[9]}
    assert search("letterbx", index=other).searched == ["letterbox"]


def test_a_slow_freshness_check_runs_in_the_background(index, library, monkeypatch):
    """In a very large library a search does not wait for the walk over every file."""
    monkeypatch.setattr(index_module, "BACKGROUND_AFTER", 0.0)
    index.check_interval = 0.0
    kiosk = library / "kiosk.md"
    kiosk.write_text(kiosk.read_text("utf-8").replace("turnstile", "letterbox"), "utf-8")
    touch_later(kiosk)
    index.maybe_refresh()
    assert index._background is not None
    index._background.join(timeout=60)
    assert [h.id for h in search("letterbox", index=index).hits] == ["kiosk"]


def test_one_edited_file_of_many_is_the_only_file_read_and_its_row_the_only_one_written(
    tmp_path, monkeypatch
):
    """Counted, not timed: in a folder of 200 resources an edit reads one file (its text,
    through the front matter reader) and writes one row of the search table."""
    from alliance_kit import front_matter

    folder = tmp_path / "many"
    for i in range(200):
        write_resource(folder, f"resource-{i:03d}", f"Words of resource {i} about supervision.")
    index = LibraryIndex(tmp_path / "index.sqlite", [LibraryFolder(folder, False)], None)
    edited = folder / "resource-123.md"
    edited.write_text(edited.read_text("utf-8").replace("supervision", "letterbox"), "utf-8")
    touch_later(edited)

    read: list[str] = []
    reader = front_matter.read

    def counted(path, *args, **kwargs):
        read.append(Path(path).name)
        return reader(path, *args, **kwargs)

    monkeypatch.setattr(front_matter, "read", counted)
    with sqlite3.connect(index.path) as conn:
        before = conn.execute("SELECT max(rowid), count(*) FROM docs").fetchone()
    assert index.refresh() is True

    assert read == ["resource-123.md"]
    with sqlite3.connect(index.path) as conn:
        after = conn.execute("SELECT max(rowid), count(*) FROM docs").fetchone()
        written = conn.execute("SELECT rowid FROM docs WHERE rowid > ?", (before[0],)).fetchall()
    assert after[1] == before[1] == 200 and len(written) == 1  # one row replaced, in place
    assert [h.id for h in search("letterbox", index=index).hits] == ["resource-123"]


@pytest.fixture()
def letters(tmp_path):
    """Three resources about letters, one about a letterbox, and one more word besides."""
    folder = tmp_path / "letters"
    for i in range(3):
        write_resource(folder, f"letter-{i}", f"Write a letter to the client, part {i}.")
    write_resource(folder, "letterbox", "Reporting by letterbox.", title='"Letterbox"')
    write_resource(folder, "other", "Nothing about post.")
    return LibraryIndex(tmp_path / "letters.sqlite", [LibraryFolder(folder, False)], None)


def test_a_word_being_typed_ranks_as_a_whole_word_past_many_matches(letters, monkeypatch):
    """Ranking scores every match: in a large library the prefix typed so far ranks as the
    word itself (or its commonest completion); the total is still the prefix's."""
    as_prefix = search("letter", index=letters, limit=2)
    monkeypatch.setattr(ranking_module, "WHOLE_WORD_AFTER", 1)
    as_word = search("letter", index=letters, limit=2)
    assert as_prefix.total == as_word.total == 4
    assert as_prefix.hits[0].id == "letterbox"  # its title starts with the prefix
    assert {h.id for h in as_word.hits} <= {"letter-0", "letter-1", "letter-2"}
    completed = search("letterb", index=letters, limit=2)  # ranked as its one completion
    assert [h.id for h in completed.hits] == ["letterbox"]
    # too few hits for the word alone: the prefix ranks them all
    assert search("letter", index=letters, limit=10).hits[0].id == "letterbox"


def test_a_library_without_dutch_versions_searches_no_dutch_stems(tmp_path, letters):
    from alliance_kit.library.query import plan_query
    from alliance_kit.library.stemming import stem_nl

    assert stem_nl("letters") != "letters"
    assert plan_query(letters, "letters ").clauses == ['"letters"']
    folder = tmp_path / "bilingual"
    write_resource(folder, "letter-0", "Write letters to the client.")
    write_translation(folder / "nl", "letter-0", "Schrijf de cliënt een brief over letters.")
    both = LibraryIndex(tmp_path / "both.sqlite", [LibraryFolder(folder, False)], None)
    assert plan_query(both, "letters ").clauses == [f'("letters" OR "{stem_nl("letters")}")']


def test_the_page_shows_each_search_without_new_widgets(data_dir):
    """Results follow every pause in typing: a search fills the one results list instead of
    making widgets per hit (and leaving the old ones open), and a result's title is a link
    the page opens beside the results, as the browser sends it: its address, in one field."""
    from ipywidgets.widgets import widget as widget_module

    from alliance_kit.pages import library as page

    view = page.build()
    view.debounce.cancel()
    opened = len(widget_module._instances)
    for text in ("trust", "phone", "safety plan", "video"):
        view.query.value = text
        view.debounce.cancel()
        result = view.run_search()
        links = result_links(view.results.value)
        assert [title for title, _href in links] == [h.title for h in result.hits]
    assert len(widget_module._instances) == opened
    first = result.hits[0]
    assert links[0][1] == f"library.ipynb?resource={first.id}&language={first.language}"
    for _again in range(2):  # the same link twice: it opens again
        view.reader.value = ""
        view.link_target.value = "?" + links[0][1].split("?", 1)[1]
        assert f'data-resource="{first.id}"' in view.reader.value
        assert view.link_target.value == "", "the field is emptied for the next link"
    view.link_target.value = "?resource=no-such-thing"
    assert "no-such-thing" in view.reader.value


def test_the_library_opens_with_few_widgets_and_makes_its_filters_when_opened(data_dir):
    """A room of trainees asks for every widget model at the same moment when the page opens:
    the results are one list, and the filters (a checkbox per facet value) are made when a
    trainee opens them, where they still narrow the results, count themselves on the button,
    and clear."""
    from ipywidgets import widgets
    from ipywidgets.widgets import widget as widget_module

    from alliance_kit.pages import library as page

    before = set(widget_module._instances)
    view = page.build()
    made = [w for k, w in widget_module._instances.items() if k not in before]
    assert len(made) <= 30  # 108 with a checkbox per facet value and three widgets per card
    assert not any(isinstance(w, widgets.Checkbox) for w in made)
    assert view.facets is None and view.filters.description == "Filters"
    everything = view.run_search().total

    view.filters.value = True
    assert view.facets in view.root.children
    phone = view.checkboxes["channel"]["phone"]
    count = int(phone.description.split("(")[1].rstrip(")"))
    assert phone.description.startswith("Phone (") and 0 < count < everything
    phone.value = True
    assert view.status.value.count(f"{count} resource") == 1
    assert view.filters.description == "Filters (1)"

    view.filters.value = False  # shut, the filter still applies and the button says so
    assert view.facets.layout.display == "none"
    assert view.run_search().total == count and view.filters.description == "Filters (1)"
    view.filters.value = True
    assert view.facets.layout.display is None and phone.value
    view.clear.click()
    assert not phone.value and view.filters.description == "Filters"
    assert f"{everything} resources found" in view.status.value
