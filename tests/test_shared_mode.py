"""A workshop server is shared by the whole room: personal pages store nothing there."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

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


def test_the_explanation_comes_in_dutch(open_page, kit_server):
    from dutch import english_left

    page = open_page("score_session.ipynb?lang=nl", ready=".ak-shared-notice")
    assert "gedeelde workshopserver" in page.inner_text(".ak-shared-notice")
    expect(page.locator("h1")).to_have_text("Een gesprek scoren")
    # on a shared server the way back keeps the language, since nothing else remembers it
    assert page.locator(".ak-topnav a").get_attribute("href").endswith("lang=nl")
    assert english_left(page.inner_text("body")) == []


def test_a_library_result_opened_in_a_tab_of_its_own_keeps_the_language(open_page):
    """Ctrl or the middle button opens a result in a new tab; on a shared server nothing but
    the address tells that tab the visitor's language."""
    page = open_page("library.ipynb?lang=nl", ready=".ak-library-results .ak-library-open")
    link = page.locator(".ak-library-results .ak-library-open").first.get_attribute("href")
    assert link.startswith("library.ipynb?resource=") and link.endswith("lang=nl")
    with page.context.expect_page() as opened:
        page.locator(".ak-library-results .ak-library-open").first.click(modifiers=["Control"])
    tab = opened.value
    tab.wait_for_selector(".ak-library-reader article h2", timeout=60_000)
    tab.wait_for_selector("html[lang=nl]", state="attached", timeout=20_000)
    tab.close()


def test_learn_reflections_are_not_saved_on_a_shared_server(open_page, kit_server):
    page = open_page("learn_trust.ipynb", ready=".ak-reflection")
    assert "not saved here" in page.inner_text(".ak-reflection .ak-shared-notice")
    assert page.get_by_role("button", name="Save my answers").count() == 0
    area = page.locator(".ak-reflection textarea").first
    area.fill("Something I noticed in my own practice")
    assert not any(kit_server.data_dir.glob("reflections*"))


def test_the_gradebook_is_off_on_a_shared_server(open_page):
    page = open_page("gradebook.ipynb", ready=".ak-shared-notice")
    notice = page.inner_text(".ak-shared-notice")
    assert "shared workshop server" in notice and "gradebook overview is switched off" in notice
    assert page.locator(".ak-gradebook").count() == 0  # no grades, no gradebook steps


def test_a_server_on_another_address_is_shared(tmp_path, browser):
    server = start_kit_server(tmp_path, ["--ip", "0.0.0.0", "--no-preheat"])
    try:
        assert "listening on 0.0.0.0" in server.log()
        assert "shared mode is on" in server.log()
        page = browser.new_page()
        try:
            page.goto(f"{server.url}/voila/render/score_session.ipynb")
            notice = page.wait_for_selector(".ak-shared-notice", timeout=60_000)
            assert "shared workshop server" in notice.inner_text()
            assert page.locator(".ak-page input").count() == 0
        finally:
            page.close()
        assert not (server.data_dir / "journal.sqlite").exists()
    finally:
        server.stop()
