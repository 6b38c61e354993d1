"""The library page in Dutch, in a real browser: a Dutch link, the language facet, Dutch first."""

from __future__ import annotations

import pytest

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
    label = page.locator(".ak-facet-language-nl").inner_text()
    assert label.startswith("Nederlands (") and label != "Nederlands (0)"
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
    count = int(label.split("(")[1].rstrip(")"))
    page.wait_for_function(
        f"() => document.querySelector('.ak-library-status').innerText.startsWith('{count} "
        "resource')"
    )
