"""Messages on pages name no absolute path of the user's data folder; the server log does.

A page may be on a projector or in a screenshot, and the data folder's path names the user's
account. The journal's own sentences name the file (right for the terminal), so the pages
say the same thing without the path.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import start_kit_server


@pytest.fixture(scope="module")
def kit_server(tmp_path_factory):
    """A kit whose journal file is damaged (not a database at all)."""
    tmp = tmp_path_factory.mktemp("damaged")
    data = tmp / "data"
    data.mkdir()
    (data / "journal.sqlite").write_bytes(b"these bytes are not a journal\n" * 40)
    server = start_kit_server(tmp, ["--no-preheat"])
    yield server
    server.stop()


def assert_no_data_path(text: str, data_dir) -> None:
    for form in {str(data_dir), str(data_dir.resolve())}:
        assert form not in text
    assert str(data_dir.parent) not in text


@pytest.mark.browser
@pytest.mark.parametrize("notebook", ["score_session.ipynb", "my_trends.ipynb"])
def test_a_damaged_journal_is_explained_without_its_path(open_page, kit_server, notebook):
    page = open_page(notebook, ready=".ak-retention-notice .ak-alert-error")
    notice = page.inner_text(".ak-retention-notice")
    assert "is not a journal" in notice and "left untouched" in notice
    assert_no_data_path(page.inner_text("body"), kit_server.data_dir)
    assert_no_data_path(page.content(), kit_server.data_dir)


@pytest.mark.browser
def test_the_client_page_explains_a_damaged_journal_without_its_path(open_page, kit_server):
    page = open_page("client_rating.ipynb", ready=".ak-client-officer-step")
    page.locator(".ak-client-code input").fill("K-17")
    page.locator(".ak-start").click()
    status = page.locator(".ak-status .ak-alert-error")
    expect(status).to_contain_text("is not a journal")
    assert_no_data_path(page.inner_text("body"), kit_server.data_dir)
    # the administrator still learns which file it is
    assert str(kit_server.data_dir / "journal.sqlite") in kit_server.log()


def test_a_message_never_shows_the_data_folder(data_dir):
    from alliance_kit.pages.common import message_html, without_data_path

    inside = data_dir / "reflections.sqlite"
    html = message_html(f"cannot write {inside}: read-only", "error")
    assert str(data_dir) not in html
    assert "cannot write reflections.sqlite: read-only" in html
    assert without_data_path(f"nothing in {data_dir}") == "nothing in the kit's data folder"
    assert without_data_path("no path here") == "no path here"
