"""A workshop server is shared by the whole room: personal pages store nothing there."""

from __future__ import annotations

import pytest

from conftest import start_kit_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def kit_server(tmp_path_factory):
    server = start_kit_server(tmp_path_factory.mktemp("shared"), ["--shared", "--no-preheat"])
    yield server
    server.stop()


@pytest.mark.parametrize(
    "notebook", ["score_session.ipynb", "my_trends.ipynb", "client_rating.ipynb"]
)
def test_journal_pages_explain_instead_of_storing(open_page, kit_server, notebook):
    page = open_page(notebook, ready=".ak-shared-notice")
    assert "shared workshop server" in page.inner_text(".ak-shared-notice")
    assert page.locator(".ak-page input").count() == 0  # no form to fill in
    assert not (kit_server.data_dir / "journal.sqlite").exists()


def test_learn_reflections_are_not_saved_on_a_shared_server(open_page, kit_server):
    page = open_page("learn_trust.ipynb", ready=".ak-reflection")
    assert "not saved here" in page.inner_text(".ak-reflection .ak-shared-notice")
    assert page.get_by_role("button", name="Save my answers").count() == 0
    area = page.locator(".ak-reflection textarea").first
    area.fill("Something I noticed in my own practice")
    assert not any(kit_server.data_dir.glob("reflections*"))
