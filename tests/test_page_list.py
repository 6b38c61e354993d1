"""The page list (``modules/pages.yaml``) is content: its check and the tests read it without
importing a page, and one broken entry leaves the landing page listing the others."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent


def test_the_content_checks_import_no_page_and_no_widgets():
    code = (
        "import sys\n"
        "from alliance_kit.content_kinds import all_checkers\n"
        "all_checkers()\n"
        "wanted = ('alliance_kit.pages', 'ipywidgets')\n"
        "print(sorted(m for m in sys.modules if m.startswith(wanted)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_broken_page_is_named_and_the_landing_page_lists_the_rest(tmp_path, monkeypatch):
    shutil.copytree(REPO / "modules", tmp_path / "modules")
    path = tmp_path / "modules" / "pages.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["pages"][0]["title"] = "x" * 61
    data["pages"][1]["summry"] = data["pages"][1].pop("summary")
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    monkeypatch.setenv("ALLIANCE_KIT_CONTENT_DIR", str(tmp_path))
    from alliance_kit.page_list import _load
    from alliance_kit.pages.landing import render_html

    registry = _load()
    first, second = data["pages"][0]["id"], data["pages"][1]["id"]
    assert [str(p).split(" · ", 1)[1] for p in registry.problems] == [
        f"item {first} · field pages[0].title: should be at most 60 characters",
        f"item {second} · field pages[1].summry: is not a known field "
        "(known fields: id, notebook, group, title, summary, expect)",
    ]
    assert [p.id for p in registry.pages] == [p["id"] for p in data["pages"][2:]]
    monkeypatch.setattr("alliance_kit.page_list.registry", lambda lang="en": registry)
    html = render_html()
    assert f'data-page="{data["pages"][2]["id"]}"' in html
    assert f'data-page="{first}"' not in html


def test_the_landing_page_lists_the_pages_in_dutch_and_the_check_names_a_missing_one(
    tmp_path, monkeypatch
):
    from alliance_kit.page_list import check_pages, registry

    dutch = registry("nl")
    titles = {p.id: p.title for p in dutch.pages}
    assert titles["learn_reactance"] == "Stroefheid"
    assert [g.title for g in dutch.groups][:2] == ["Leren", "Oefenen"]
    assert {p.id for p in dutch.pages} == {p.id for p in registry().pages}, "same ids"
    assert not check_pages()

    shutil.copytree(REPO / "modules", tmp_path / "modules")
    path = tmp_path / "modules" / "pages.nl.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    dropped = data["pages"].pop(0)["id"]
    data["pages"].append({"id": "no_such_page", "title": "x", "summary": "y"})
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    monkeypatch.setenv("ALLIANCE_KIT_CONTENT_DIR", str(tmp_path))
    problems = [str(p) for p in check_pages()]
    assert any(
        p.endswith(
            f"modules/pages.nl.yaml · item {dropped} · field pages: has no nl words for this"
        )
        for p in problems
    )
    assert any("no_such_page" in p and "is not in modules/pages.yaml" in p for p in problems)
