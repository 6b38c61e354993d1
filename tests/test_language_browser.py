"""A visitor gets the kit in their language, in a real browser, and can switch on any page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conftest import KitServer, start_kit_server

pytestmark = pytest.mark.browser

PAGE = "practice_trainer.ipynb"


def test_the_browser_language_decides_when_nothing_else_does(open_page) -> None:
    page = open_page(PAGE, locale="nl-NL")
    page.wait_for_selector("html[lang=nl]", state="attached", timeout=20_000)
    assert page.locator(".ak-topnav a").inner_text().endswith("Alle modules")
    switch = page.get_by_role("navigation", name="Taal")
    assert switch.locator("a[aria-current='true']").inner_text() == "Nederlands"


def test_the_switch_changes_the_language_and_it_is_remembered(open_page, kit_server) -> None:
    page = open_page(PAGE)
    assert "All modules" in page.locator(".ak-topnav").inner_text()
    page.get_by_role("link", name="Nederlands").click()
    page.wait_for_selector("html[lang=nl]", state="attached", timeout=60_000)
    page.wait_for_selector(".ak-topnav >> text=Alle modules", timeout=60_000)
    assert "lang=nl" in page.url
    again = open_page(PAGE)  # an English browser, no lang= in the address
    again.wait_for_selector(".ak-topnav >> text=Alle modules", timeout=20_000)
    again.get_by_role("link", name="English").click()
    again.wait_for_selector(".ak-topnav >> text=All modules", timeout=60_000)


@pytest.fixture(scope="module")
def warm_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KitServer]:
    """A workshop server whose trainer and library pages are preheated in the room's default
    language, before anyone asked for them."""
    server = start_kit_server(
        tmp_path_factory.mktemp("warm"),
        ["--workshop", "1", "--page", "practice_trainer", "--page", "library"],
    )
    yield server
    server.stop()


def test_a_warm_page_is_rebuilt_in_the_visitors_language(warm_server, browser) -> None:
    context = browser.new_context(locale="nl-NL")
    try:
        page = context.new_page()
        page.goto(f"{warm_server.url}/voila/render/{PAGE}", wait_until="domcontentloaded")
        page.wait_for_selector(".ak-topnav >> text=Alle modules", timeout=60_000)
        page.wait_for_selector("html[lang=nl]", state="attached", timeout=20_000)
        # on a shared server the links carry the language, since nothing remembers it
        assert page.locator(".ak-topnav a").get_attribute("href").endswith("lang=nl")
    finally:
        context.close()


def test_a_warm_library_opens_the_resource_its_address_names_in_dutch(warm_server, browser):
    context = browser.new_context(locale="nl-NL")
    try:
        page = context.new_page()
        page.goto(
            f"{warm_server.url}/voila/render/library.ipynb?resource=safety-plan",
            wait_until="domcontentloaded",
        )
        page.wait_for_selector(".ak-library-reader article[data-resource='safety-plan']")
        page.wait_for_selector("html[lang=nl]", state="attached", timeout=20_000)
        assert page.locator(".ak-library-search input").count() == 1
    finally:
        context.close()


def test_the_dutch_page_has_no_english_interface_text_left(open_page) -> None:
    from dutch import english_left

    page = open_page(f"{PAGE}?lang=nl")
    page.wait_for_selector("html[lang=nl]", state="attached", timeout=20_000)
    assert english_left(page.inner_text("body")) == []
