"""What a page's kernel keeps in the user's cache folder for the next one: content rendered
from Markdown and content files parsed from YAML.

A kept entry must never show a stale text (an edited file is read again), never be trusted
when damaged (it is done again), never be needed (a page without a writable cache folder
still shows), and never hold a visitor's own words: on a workshop server every visitor's
kernel runs as one user and shares the folder.
"""

from __future__ import annotations

import ast
import datetime as dt
import gettext
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from markupsafe import escape

import alliance_kit
from alliance_kit import content, markdown, paths

REPO = Path(__file__).resolve().parent.parent
PACKAGE = Path(alliance_kit.__file__).resolve().parent
TRUST = Path("modules/content/learn/texts/trust.yaml")
FIRST_SENTENCE = "I can tell my officer what is really going on"

#: A page built in a new process, as a kernel builds it: what it showed and what it imported.
PAGE = """
import contextlib, io, json, sys
from ipywidgets.widgets.widget import _instances
with contextlib.redirect_stdout(io.StringIO()):
    {build}
shown = [str(getattr(w, "value", "")) for w in list(_instances.values())]
print(json.dumps({{
    "shown": "\\n".join(shown),
    "text": [v for v in shown if {sentence!r} in v],
    "imported": sorted(m for m in ("yaml", "markdown_it", "nh3") if m in sys.modules),
}}))
"""
LEARN = "from alliance_kit.pages import learn; learn.show('trust')"


def build_page(
    cache: Path, *, build: str = LEARN, data: Path | None = None, kit: Path | None = None
) -> dict:
    env = {
        **os.environ,
        "XDG_CACHE_HOME": str(cache),
        "ALLIANCE_KIT_DATA_DIR": str(data or cache.parent / "data"),
    }
    env.pop(paths.SHARED_ENV, None)
    if kit is not None:
        env[paths.CONTENT_DIR_ENV] = str(kit)
    out = subprocess.run(
        [sys.executable, "-c", PAGE.format(build=build, sentence=FIRST_SENTENCE)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=cache.parent,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def kept_files(cache: Path) -> list[Path]:
    return [p for p in (cache / "alliance-kit").rglob("*") if p.is_file()]


def test_the_next_kernel_neither_parses_nor_renders_unchanged_content(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = build_page(cache)
    assert first["imported"] == ["markdown_it", "nh3", "yaml"]
    folders = {p.parent.name.split("-")[0] for p in kept_files(cache)}
    assert {"markdown", "yaml", "templates"} <= folders
    for folder in (cache / "alliance-kit").iterdir():
        assert folder.stat().st_mode & 0o777 == 0o700, folder
    second = build_page(cache)
    assert second["imported"] == [], "unchanged content is read from what was kept"
    assert second["text"] == first["text"] != [], "the learn text, as it was rendered"


def test_an_edited_content_file_is_read_again(tmp_path: Path) -> None:
    kit = tmp_path / "kit"
    shutil.copytree(REPO / "modules", kit / "modules")
    cache = tmp_path / "cache"
    assert FIRST_SENTENCE in build_page(cache, kit=kit)["shown"]

    edited = kit / TRUST
    text = edited.read_text(encoding="utf-8")
    edited.write_text(
        text.replace(FIRST_SENTENCE, "I can tell my officer **every** thing"), encoding="utf-8"
    )
    shown = build_page(cache, kit=kit)["shown"]
    assert "I can tell my officer <strong>every</strong> thing" in shown
    assert FIRST_SENTENCE not in shown


def test_damaged_entries_are_done_again(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = build_page(cache)
    damaged = 0
    for n, path in enumerate(kept_files(cache)):
        if path.parent.name.startswith("templates-"):
            continue  # Jinja2's own cache, which checks its entries itself
        raw = path.read_bytes()
        if n % 3 == 0:
            path.write_bytes(raw[: len(raw) // 2])  # cut short
        elif n % 3 == 1:
            path.write_bytes(raw[:-1] + bytes([raw[-1] ^ 0xFF]))  # one byte changed
        else:
            path.write_bytes(b"\x00" * len(raw))  # overwritten
        damaged += 1
    assert damaged > 10
    again = build_page(cache)
    assert again["text"] == first["text"] != []
    assert again["imported"] == ["markdown_it", "nh3", "yaml"], "damaged entries are not used"
    assert build_page(cache)["imported"] == [], "and they are kept again, whole"


def test_a_page_shows_without_a_writable_cache_folder(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would go")
    for _ in range(2):
        assert FIRST_SENTENCE in build_page(blocked)["shown"]
    assert blocked.read_text() == "a file where the cache folder would go"


@pytest.fixture()
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    content._parsed_folder.cache_clear()
    markdown._cache.clear()
    yield tmp_path / "cache" / "alliance-kit"
    content._parsed_folder.cache_clear()
    markdown._cache.clear()


def test_an_entry_that_cannot_be_written_is_only_done_again(
    own_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(paths.os, "replace", refuse)
    assert markdown.render_content("**kept?**") == "<p><strong>kept?</strong></p>\n"
    file = own_cache.parent / "t.yaml"
    file.write_text("a: [1, 2]", encoding="utf-8")
    assert content.read_yaml(file) == {"a": [1, 2]}
    assert [p for p in own_cache.rglob("*") if p.is_file()] == [], "no half-written files left"


def test_a_kept_entry_is_checked_before_it_is_used(own_cache: Path) -> None:
    folder = paths.cache_dir("test")
    assert folder is not None
    assert paths.keep(folder, "entry", b"whole")
    assert paths.read_kept(folder, "entry") == b"whole"
    raw = (folder / "entry").read_bytes()
    for broken in (raw[:-1], raw + b"!", raw.replace(b"whole", b"whale"), b"", b"whole"):
        (folder / "entry").write_bytes(broken)
        assert paths.read_kept(folder, "entry") is None
    assert paths.read_kept(folder, "missing") is None
    assert paths.read_kept(None, "entry") is None


def test_parsed_content_that_cannot_be_read_back_is_parsed_again(
    own_cache: Path, tmp_path: Path
) -> None:
    def read(text: str) -> object:
        file = tmp_path / "t.yaml"
        file.write_text(text, encoding="utf-8")
        return content.read_yaml(file)

    text = "items:\n  - id: one\n    score: 3\n"
    assert read(text) == {"items": [{"id": "one", "score": 3}]}
    (entry,) = list(own_cache.glob("yaml-*/*"))
    paths.keep(entry.parent, entry.name, b"\xff not marshal data")  # whole, but not readable
    assert read(text) == {"items": [{"id": "one", "score": 3}]}
    # A date is parsed every time (marshal cannot keep it), and a mistake is never kept.
    assert read("held: 2026-12-02") == {"held": dt.date(2026, 12, 2)}
    for _ in range(2):
        with pytest.raises(content.ContentError, match=r"t\.yaml: is not valid YAML \(line 2"):
            read("a: [1, 2")
    assert len(list(own_cache.glob("yaml-*/*"))) == 1


def test_resources_front_matter_is_not_kept(own_cache: Path, tmp_path: Path) -> None:
    """The library index holds what a resource's front matter says; keeping it too would put
    one file in the cache folder per resource, and a library may have 100,000."""
    from alliance_kit import front_matter

    file = tmp_path / "r.md"
    file.write_text("---\nid: r\ntitle: A resource\n---\nThe body.\n", encoding="utf-8")
    data, body = front_matter.read(file, "r.md")
    assert data == {"id": "r", "title": "A resource"}
    assert body.strip() == "The body."
    assert not list(own_cache.glob("yaml-*/*"))


def test_markdown_that_is_not_content_stays_in_the_process(own_cache: Path) -> None:
    note = "My client **Zyxwvut** told me about the hearing."
    assert "<strong>Zyxwvut</strong>" in markdown.render_markdown(note)
    assert not own_cache.exists() or all(
        b"Zyxwvut" not in p.read_bytes() for p in own_cache.rglob("*") if p.is_file()
    )


def test_a_visitors_own_words_never_reach_the_cache_folder(tmp_path: Path) -> None:
    marker = "Qzxjvk"
    data = tmp_path / "data"
    setup = f"""
import datetime as dt
from alliance_kit.journal import open_journal
from alliance_kit.journal.exchange import import_rows
from alliance_kit.learn import reflections
from alliance_kit.learn.model import module_id
from alliance_kit.learn.texts import load_text
from alliance_kit.questionnaire import load
text, _ = load_text("trust")
for prompt in text.prompts:
    reflections.save(module_id("trust"), prompt.id, "My reflection on **{marker}** and trust.")
record = {{
    "id": "kept-1", "session_date": dt.date.today().isoformat(), "channel": "phone",
    "phase": "early", "client_code": "C-001", "note": "Spoke about {marker} at length.",
    "answers": {{i.id: 3 for i in load().items}},
}}
with open_journal() as journal:
    assert import_rows(journal, [("row 1", record)]).imported == 1
"""
    env = {**os.environ, "ALLIANCE_KIT_DATA_DIR": str(data), "XDG_CACHE_HOME": str(tmp_path)}
    env.pop(paths.SHARED_ENV, None)
    subprocess.run([sys.executable, "-c", setup], env=env, check=True, cwd=tmp_path)

    cache = tmp_path / "cache"
    shown = build_page(cache, data=data)["shown"]
    assert marker in shown, "the learn page shows the visitor's reflection"
    for build in (
        "from alliance_kit.pages.my_trends import trends_page; trends_page.show()",
        "from alliance_kit.pages import score_session; score_session.show()",
        LEARN,
    ):
        build_page(cache, build=build, data=data)
    kept = kept_files(cache)
    assert kept
    for path in kept:
        assert marker.encode() not in path.read_bytes(), path


def test_a_trainees_progress_on_the_learn_page_is_not_kept(tmp_path: Path) -> None:
    """An unanswered quiz and an empty reflection look the same for everyone and are kept; a
    score after an answer and the day a reflection was saved are the trainee's own."""
    cache = tmp_path / "cache"
    played = """
import ipywidgets
from ipywidgets.widgets.widget import _instances
from alliance_kit.learn import reflections
from alliance_kit.learn.model import module_id
from alliance_kit.learn.texts import load_text
from alliance_kit.pages import learn
text, _ = load_text("trust")
reflections.save(module_id("trust"), text.prompts[0].id, "An answer.")
page = learn.build("trust")
mine = list(_instances.values())
choice = next(w for w in mine if isinstance(w, ipywidgets.RadioButtons))
choice.value = choice.options[0][1]
next(w for w in mine if isinstance(w, ipywidgets.Button) and w.description == "Check").click()
"""
    shown = build_page(cache, build=f"exec({played!r})", data=tmp_path / "data")["shown"]
    score = re.search(r"Answered 1 of \d+ · \d correct so far\.", shown)
    saved = re.search(r'<p class="ak-saved-on">(Saved on [^<]+)</p>', shown)
    assert score and saved, "the page shows the score and the day the reflection was saved"
    kept = b"".join(p.read_bytes() for p in kept_files(cache) if "fragments-" in str(p))
    assert b"Answered 0 of" in kept, "the unanswered quiz's line is kept"
    assert score.group(0).encode() not in kept
    assert saved.group(1).encode() not in kept


#: The modules that may keep rendered Markdown on disk, each rendering text from content files
#: only; a new caller is added here after checking that no visitor's words reach it.
CONTENT_RENDERERS = {"pages/learn.py", "library/resource.py"}


def modules_naming(*names: str) -> set[str]:
    """The kit's modules that call, refer to or import (under any alias) one of ``names``."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                continue
            name = getattr(node, "id", None) or getattr(node, "attr", None)
            if isinstance(node, ast.alias):
                name = node.name
            if name in names:
                found.add(path.relative_to(PACKAGE).as_posix())
    return found


def test_only_content_is_rendered_into_the_cache_folder() -> None:
    assert modules_naming("render_content") - {"markdown.py"} == CONTENT_RENDERERS


def test_only_the_content_renderers_write_text_into_the_cache_folder() -> None:
    # kept_text keeps whatever it is given: only the two content renderers may call it.
    assert modules_naming("kept_text") <= {"paths.py", "markdown.py", "fragments.py"}


# --- page fragments kept between kernels ---------------------------------------------------


@pytest.fixture()
def own_fragments(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fragments folder and a cache folder of the test's own; ``new_kernel()`` forgets what
    this process holds, as the next kernel starts without it."""
    from alliance_kit import fragments

    folder = tmp_path / "fragments"
    folder.mkdir()
    monkeypatch.setattr(fragments, "FRAGMENTS_DIR", folder)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    new_kernel()
    yield folder
    monkeypatch.undo()
    new_kernel()


def new_kernel() -> None:
    from alliance_kit import fragments, i18n

    for cached in (
        fragments.environment,
        fragments._environment_version,
        fragments._template_version,
        fragments._catalogue_version,
        i18n.translations,
    ):
        cached.cache_clear()
    fragments._kept.clear()


def test_a_kept_fragment_is_rendered_again_when_its_template_or_context_changes(
    own_fragments: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alliance_kit import fragments

    (own_fragments / "tags.html.j2").write_text("{% macro tag(t) %}<b>{{ t }}</b>{% endmacro %}")
    card = own_fragments / "card.html.j2"
    card.write_text('{% from "tags.html.j2" import tag %}<p>{{ title }} {{ tag(kind) }}</p>')
    assert fragments.render_kept("card.html.j2", title="Safety plan", kind="guide") == (
        "<p>Safety plan <b>guide</b></p>"
    )
    new_kernel()
    with monkeypatch.context() as patched:
        patched.setattr(fragments, "render", lambda *a, **k: pytest.fail("rendered again"))
        assert fragments.render_kept("card.html.j2", title="Safety plan", kind="guide") == (
            "<p>Safety plan <b>guide</b></p>"
        ), "the next kernel uses the kept fragment"
    assert fragments.render_kept("card.html.j2", title="Plan", kind="guide") == (
        "<p>Plan <b>guide</b></p>"
    ), "another context is another fragment"

    card.write_text('{% from "tags.html.j2" import tag %}<h3>{{ title }} {{ tag(kind) }}</h3>')
    new_kernel()
    assert fragments.render_kept("card.html.j2", title="Plan", kind="guide") == (
        "<h3>Plan <b>guide</b></h3>"
    ), "an edited template"
    (own_fragments / "tags.html.j2").write_text("{% macro tag(t) %}<i>{{ t }}</i>{% endmacro %}")
    new_kernel()
    assert fragments.render_kept("card.html.j2", title="Plan", kind="guide") == (
        "<h3>Plan <i>guide</i></h3>"
    ), "an edited template that it imports"


def test_a_kept_fragment_is_kept_per_language(own_fragments: Path) -> None:
    from alliance_kit import fragments, i18n

    (own_fragments / "t.html.j2").write_text("<p>{{ _('Search') }}</p>")
    try:
        assert fragments.render_kept("t.html.j2") == "<p>Search</p>"
        i18n.activate("nl")
        assert fragments.render_kept("t.html.j2") == "<p>Zoeken</p>"
    finally:
        i18n.activate("en")
    assert fragments.render_kept("t.html.j2") == "<p>Search</p>"


def test_a_kept_fragment_is_rendered_again_when_its_catalogue_is_compiled_again(
    own_fragments: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A translator's corrected word reaches the page on the next kernel, not a kept one."""
    from babel.messages.mofile import read_mo, write_mo

    from alliance_kit import fragments, i18n

    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale)
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    new_kernel()
    (own_fragments / "t.html.j2").write_text("<p>{{ _('Search') }}</p>")
    i18n.activate("nl")
    try:
        assert fragments.render_kept("t.html.j2") == "<p>Zoeken</p>"
        mo = locale / "nl" / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
        before = mo.stat()
        with mo.open("rb") as fh:
            catalogue = read_mo(fh)
        catalogue["Search"].string = "Vinden"  # as long as "Zoeken", copied with its time
        with mo.open("wb") as fh:
            write_mo(fh, catalogue)
        os.utime(mo, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert mo.stat().st_size == before.st_size
        new_kernel()
        gettext._translations.clear()  # the next kernel reads the catalogue afresh
        assert fragments.render_kept("t.html.j2") == "<p>Vinden</p>"
    finally:
        i18n.activate("en")


def test_a_kept_fragment_tells_text_from_markup_and_takes_plain_data_only(
    own_fragments: Path,
) -> None:
    from markupsafe import Markup

    from alliance_kit import fragments

    (own_fragments / "t.html.j2").write_text("<p>{{ v }}</p>")
    assert fragments.render_kept("t.html.j2", v="<b>x</b>") == "<p>&lt;b&gt;x&lt;/b&gt;</p>"
    assert fragments.render_kept("t.html.j2", v=Markup("<b>x</b>")) == "<p><b>x</b></p>"
    assert fragments.render_kept("t.html.j2", v=(1, True)) != fragments.render_kept(
        "t.html.j2", v=[1, 1]
    )

    class Hit:
        title = "changes after the key is made"

    with pytest.raises(TypeError, match="plain data only"):
        fragments.render_kept("t.html.j2", v=Hit())
    with pytest.raises(TypeError, match="plain data only"):
        fragments.render_kept("t.html.j2", v={"hits": [Hit()]})


def test_around_a_kept_frame_the_words_are_escaped_and_never_kept(own_fragments: Path) -> None:
    from alliance_kit import fragments

    words = 'Client Qzxjvk said <script>alert("x")</script> & left'
    (own_fragments / "box.html.j2").write_text('<div class="{{ kind }}">{{ text }}</div>')
    for kind in ("warn", "info"):
        assert fragments.render_kept_around("box.html.j2", "text", words, kind=kind) == (
            fragments.render("box.html.j2", text=words, kind=kind)
        )
    (own_fragments / "twice.html.j2").write_text("<p>{{ text }}</p><p>{{ text | upper }}</p>")
    (own_fragments / "if.html.j2").write_text("{% if text %}<p>{{ text }}</p>{% endif %}")
    for name in ("twice.html.j2", "if.html.j2"):
        for value in (words, ""):
            assert fragments.render_kept_around(name, "text", value) == fragments.render(
                name, text=value
            ), "a template that does more with the hole than show it is rendered whole"
    kept = [p for p in (own_fragments.parent / "cache").rglob("*") if p.is_file()]
    assert kept
    assert all(b"Qzxjvk" not in p.read_bytes() for p in kept)


def test_a_visitors_search_and_address_never_reach_the_kept_fragments(tmp_path: Path) -> None:
    marker = "Qzxjvk"
    cache = tmp_path / "cache"
    searched = f"""
import os
os.environ["QUERY_STRING"] = "resource={marker}-gone&lang=en"
from alliance_kit.pages import library
view = library.build()
view.query.value = "{marker} trust"
view.run_search()
view.query.value = "trust by phone"
view.run_search()
"""
    typed = f"""
from alliance_kit.pages import score_session
form = score_session.build()
form.code.value = "{marker} Jansen"
form.note.value = "Spoke with {marker} on 06-12345678"
form._on_save()
"""
    shown = build_page(cache, build=f"exec({searched!r})", data=tmp_path / "data")["shown"]
    assert f"{marker}-gone" in shown, "the page names the resource the address asked for"
    assert "<mark>" in shown, "and highlights the words searched"
    shown = build_page(cache, build=f"exec({typed!r})", data=tmp_path / "data")["shown"]
    assert marker in shown, "the form repeats the words it warns about"
    kept = [p for p in kept_files(cache) if p.parent.name.startswith("fragments-")]
    assert len(kept) > 10
    for path in kept_files(cache):
        assert marker.encode() not in path.read_bytes(), path


def test_a_plan_of_the_visitors_own_is_not_kept(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build = "from alliance_kit.pages import channel_plan; channel_plan.show()"
    build_page(cache, build=build)
    kept = set(kept_files(cache))
    edited = """
from alliance_kit.pages.channel_plan import ChannelPlanPage
page = ChannelPlanPage()
page.plan_a.rule.value = "video for the first 3 weeks, then phone"
"""
    shown = build_page(cache, build=f"exec({edited!r})")["shown"]
    assert "ak-week-video" in shown, "the page shows the visitor's own plan"
    assert set(kept_files(cache)) == kept, "a preset is kept already, an own rule never"


def test_the_way_a_trainee_goes_through_a_scenario_is_not_kept(tmp_path: Path) -> None:
    """What the page opens with is the same for everyone and kept; where a trainee's choices
    led (a scene after a choice, another case) is theirs, and drawn afresh."""
    cache = tmp_path / "cache"
    played = """
import ipywidgets
from alliance_kit.pages.scenarios import ScenarioPage
page = ScenarioPage()
ipywidgets.HTML(value="OPENING::" + page.player.text())
page._on_choice(0)
ipywidgets.HTML(value="REACHED::" + page.player.text())
page.case_pick.value = page.catalogue.cases[1].id
ipywidgets.HTML(value="PICKED::" + page.player.case.summary)
"""
    shown = build_page(cache, build=f"exec({played!r})")["shown"]
    opening, reached, picked = (
        shown.split(f"{mark}::")[1].split("\n")[0][:60] for mark in ("OPENING", "REACHED", "PICKED")
    )
    assert opening and reached and picked and len({opening, reached, picked}) == 3
    kept = b"".join(p.read_bytes() for p in kept_files(cache) if "fragments-" in str(p))
    assert str(escape(opening)).encode() in kept
    assert str(escape(reached)).encode() not in kept, "the scene a choice led to"
    assert str(escape(picked)).encode() not in kept, "the case the trainee picked"


def test_pages_whose_fragments_are_all_content_build_without_jinja2(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    probe = "; import sys; assert 'jinja2' not in sys.modules, sorted(sys.modules)"
    for page in ("library", "score_session", "channel_plan", "client_rating", "scenarios"):
        build = f"from alliance_kit.pages import {page}; {page}.show()"
        first = build_page(cache, build=build)["shown"]
        assert build_page(cache, build=build + probe)["shown"] == first
    # The learn page asks its questions in a new order for every trainee: each question's
    # fragment is kept once, whatever its place.
    first = build_page(cache, build=LEARN)["text"]
    assert build_page(cache, build=LEARN + probe)["text"] == first


#: The modules that keep rendered fragments on disk, each passing only content and interface
#: text; a new caller is added here after checking that no visitor's words reach it.
FRAGMENT_KEEPERS = {
    "language_links.py",
    "pages/channel_plan_html.py",
    "pages/client_rating.py",
    "pages/common.py",
    "pages/learn.py",
    "pages/learn_reflect.py",
    "pages/library.py",
    "pages/library_html.py",
    "pages/questionnaire_widgets.py",
    "pages/scenario_view.py",
    "pages/score_session.py",
}


def test_only_content_and_interface_text_are_kept_as_fragments() -> None:
    callers = modules_naming("render_kept", "render_kept_around", "render_if_shared")
    assert callers - {"fragments.py"} == FRAGMENT_KEEPERS
