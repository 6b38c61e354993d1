"""The library page in Dutch, in a real browser: a Dutch link, the language facet, Dutch first."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

READER = ".ak-library-reader article h2"


def test_dutch_link_shows_the_dutch_text_and_links_back(open_page):
    page = open_page(
        "library.ipynb?resource=building-trust-by-phone&language=nl", ready=".ak-library-card"
    )
    page.wait_for_selector(".ak-library-reader [lang='nl'] article[data-resource]")
    assert page.locator(READER).inner_text() == "Vertrouwen opbouwen via de telefoon"
    body = page.locator(".ak-library-reader .ak-library-body").inner_text()
    assert "Laat stiltes vallen" in body
    assert page.locator(".ak-library-reader .ak-library-sources li").count() >= 3
    english = page.locator(".ak-library-languages a[hreflang='en']")
    assert english.inner_text() == "English"
    english.click()
    page.wait_for_function(
        f"() => document.querySelector({READER!r})?.textContent === 'Building trust by phone'"
    )
    assert "Nederlands" in page.locator(".ak-library-languages").inner_text()


def test_language_facet_and_a_dutch_query(open_page):
    page = open_page("library.ipynb", ready=".ak-library-results .ak-library-card")
    page.locator(".ak-library-filters").click()
    # The counts beside the filters follow the panel's opening.
    page.wait_for_function(
        "() => /^Nederlands \\([1-9][0-9]*\\)/.test("
        "(document.querySelector('.ak-facet-language-nl')?.innerText || '').trim())"
    )
    label = page.locator(".ak-facet-language-nl").inner_text().strip()
    page.locator(".ak-library-search input").press_sequentially("gesprekken meldcode", delay=20)
    page.wait_for_function(
        "() => (document.querySelector('.ak-library-results .ak-library-open')?.textContent"
        " || '').startsWith('De meldcode')"
    )
    page.locator(".ak-library-open").first.click()
    page.wait_for_function(
        f"() => (document.querySelector({READER!r})?.textContent || '').startsWith('De meldcode')"
    )
    assert page.locator(".ak-library-reader [lang='nl']").count() == 1
    # only the Dutch versions, with the facet
    page.locator(".ak-library-search input").fill("")
    page.locator(".ak-facet-language-nl input").check()
    count = int(label.split("(")[1].split(")")[0])
    page.wait_for_function(
        f"() => document.querySelector('.ak-library-status').innerText.startsWith('{count} "
        "resource')"
    )


@pytest.fixture
def then_english(kit_server):
    """A test that opens ``?lang=nl`` leaves English as the remembered choice afterwards."""
    from dutch import forget_language

    yield
    forget_language(kit_server.data_dir)


def test_a_dutch_page_lists_dutch_versions_first_in_a_dutch_interface(
    open_page, then_english, data_dir
):
    from dutch import english_left

    from alliance_kit.library import search

    page = open_page("library.ipynb?lang=nl", ready=".ak-library-results .ak-library-card")
    listed = search("", language="nl", limit=10).hits
    assert {hit.language for hit in listed} == {"nl"}
    titles = page.locator(".ak-library-open").all_inner_texts()
    assert titles == [hit.title for hit in listed]
    assert page.locator(".ak-library-status").inner_text().endswith("de eerste 10 staan hieronder.")
    page.locator(".ak-library-filters").click()
    facet = page.locator(".ak-library-facet-characteristic")
    assert facet.locator(".ak-library-facet-title").inner_text() == "Kenmerk"
    # the count beside each filter is there when the filters first show (and stays)
    expect(page.locator(".ak-facet-characteristic-reactance")).to_have_text(
        re.compile(r"Stroefheid \(\d+\)\s*$")
    )
    assert (
        page.locator(".ak-library-empty").inner_text() == "Open een hulpbron om die hier te lezen."
    )

    page.locator(".ak-library-search input").press_sequentially("veiligheidsplan", delay=20)
    page.wait_for_function(
        "() => (document.querySelector('.ak-library-results .ak-library-open')?.textContent"
        " || '').toLowerCase().includes('veiligheidsplan')"
    )
    page.locator(".ak-library-open").first.click()
    page.wait_for_selector(".ak-library-reader [lang='nl'] article[data-resource]")
    assert page.locator(".ak-library-print").inner_text() == "Printen"
    assert page.locator(".ak-library-copy").inner_text() == "Link kopiëren"
    versions = page.locator(".ak-library-languages")
    assert versions.inner_text().startswith("Ook in:")
    assert versions.locator("a[hreflang='en']").inner_text() == "English"
    assert english_left(page.inner_text("body")) == []

    # the versions switch still opens the English text, in the Dutch interface
    versions.locator("a[hreflang='en']").click()
    page.wait_for_selector(".ak-library-reader [lang='en'] article[data-resource]", timeout=60_000)
    assert "Nederlands" in page.locator(".ak-library-languages").inner_text()
    assert page.locator(".ak-library-print").inner_text() == "Printen"


def test_the_browser_language_gives_the_dutch_library(open_page):
    from dutch import english_left

    page = open_page("library.ipynb", locale="nl-NL", ready=".ak-library-results .ak-library-card")
    assert page.locator("h1").inner_text() == "Bibliotheek met hulpbronnen"
    page.locator(".ak-library-filters").click()
    page.locator(".ak-facet-channel-phone input").check()
    page.wait_for_function(
        "() => /^\\d+ hulpbron(nen)? gevonden/.test("
        "document.querySelector('.ak-library-status').innerText)"
    )
    assert page.locator(".ak-facet-channel-phone").inner_text().startswith("Telefoon (")
    assert english_left(page.inner_text("body")) == []
