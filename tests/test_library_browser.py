"""The library page in a real browser: search as you type, filter, open, link to a resource."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

FIRST_TITLE = "document.querySelector('.ak-library-results .ak-library-open')?.textContent"


def status(page) -> str:
    """The live line above the results: counts, or a friendly "nothing found"."""
    return page.locator(".ak-library-status").inner_text()


def test_search_filter_and_open_a_resource(open_page):
    page = open_page("library.ipynb", ready=".ak-library-results .ak-library-card")
    everything = page.locator(".ak-library-card").count()
    assert everything >= 10  # first page of the whole library, before any typing

    box = page.locator(".ak-library-search input")
    box.press_sequentially("trust phon", delay=30)  # results follow the typing
    page.wait_for_function(f"() => ({FIRST_TITLE} || '').includes('Building trust by phone')")
    assert "<mark>" in page.locator(".ak-library-snippet").first.inner_html()

    filters = page.locator(".ak-library-filters")
    assert page.locator(".ak-library-facet-option").count() == 0  # made when opened
    filters.click()
    page.locator(".ak-facet-channel-messaging input").check()
    page.wait_for_function(
        """() => {
            const tags = [...document.querySelectorAll('.ak-library-card .ak-library-channels')];
            return tags.length > 0 && tags.every(t => t.innerText.includes('Messaging'));
        }"""
    )
    label = page.locator(".ak-facet-channel-messaging").inner_text()
    assert label.startswith("Messaging (") and label != "Messaging (0)"
    expect(filters).to_have_text("Filters (1)")

    page.locator(".ak-library-open").first.click()
    page.wait_for_selector(".ak-library-reader article h2")
    title = page.locator(".ak-library-reader article h2").inner_text()
    assert title == page.locator(".ak-library-open").first.inner_text()
    article = page.locator(".ak-library-reader article")
    rid = article.get_attribute("data-resource")
    assert page.locator(".ak-library-copy").get_attribute("data-href") == (
        f"library.ipynb?resource={rid}"
    )
    assert page.locator(".ak-library-print").is_visible()
    assert page.locator(".ak-library-reader .ak-library-sources li").count() >= 1

    # typing syntax that breaks raw FTS5 gives an answer, not an error
    box.fill('"C++ (^')
    page.wait_for_function(
        "() => document.querySelector('.ak-library-status').innerText.includes('Nothing found')"
    )
    assert 'Nothing found for “"C++ (^”' in status(page)
    assert page.locator(".ak-library-suggestion").count() >= 1


def test_link_opens_the_resource(open_page):
    page = open_page("library.ipynb?resource=safety-plan", ready=".ak-library-card")
    page.wait_for_selector(".ak-library-reader article[data-resource='safety-plan']")
    assert page.locator(".ak-library-reader h2").inner_text() == "Safety plan"
    page.goto(page.url.replace("safety-plan", "no-such-thing"))
    page.wait_for_selector(".ak-library-reader .ak-alert-warn")
    assert "no-such-thing" in page.locator(".ak-library-reader").inner_text()


def test_copy_link_enter_and_a_reader_in_view(open_page):
    page = open_page("library.ipynb", ready=".ak-library-results .ak-library-card")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    # Enter searches
    box = page.locator(".ak-library-search input")
    box.fill("safety plan")
    box.press("Enter")
    page.wait_for_function(f"() => ({FIRST_TITLE} || '').includes('Safety plan')")

    # a resource opened from far down the results is in view, from its top
    box.fill("")
    box.press("Enter")
    page.wait_for_function(
        "() => document.querySelectorAll('.ak-library-card').length >= 10 && "
        "!document.querySelector('.ak-library-status').innerText.includes('Safety')"
    )
    last = page.locator(".ak-library-open").last
    last.scroll_into_view_if_needed()
    title = last.inner_text()
    last.click()
    heading = page.locator(".ak-library-reader article h2")
    expect(heading).to_have_text(title, timeout=20_000)
    expect(heading).to_be_in_viewport()
    expect(page.locator(".ak-library-copy")).to_be_in_viewport()

    # Copy link puts the resource's address on the clipboard and says so
    rid = page.locator(".ak-library-reader article").get_attribute("data-resource")
    page.locator(".ak-library-copy").click()
    expect(page.locator(".ak-library-copy")).to_have_text("Link copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("http://127.0.0.1:")
    assert copied.endswith(f"/voila/render/library.ipynb?resource={rid}")
    assert page.kit_watch.page_errors == []


def test_the_filters_open_narrow_the_results_and_clear_with_the_keyboard(open_page):
    """The filters are shut when the page opens; the Filters button opens them (a pressed
    toggle to a screen reader), a checkbox narrows the results to its count, shut again they
    still apply and the button counts them, and Clear filters lists everything again."""
    page = open_page("library.ipynb", ready=".ak-library-results .ak-library-card")
    everything = status(page)
    filters = page.locator(".ak-library-filters")
    expect(filters).to_have_attribute("aria-pressed", "false")
    expect(page.locator(".ak-library-facets")).to_have_count(0)
    filters.focus()
    page.keyboard.press("Enter")
    expect(filters).to_have_attribute("aria-pressed", "true")
    phone = page.locator(".ak-facet-channel-phone")
    expect(phone).to_have_text(re.compile(r"Phone \(\d+\)$"))
    count = int(phone.inner_text().split("(")[1].rstrip(")"))
    for _key in range(40):  # the filters come right after the button
        page.keyboard.press("Tab")
        if page.evaluate("() => !!document.activeElement.closest('.ak-facet-channel-phone')"):
            break
    page.keyboard.press("Space")
    expect(page.locator(".ak-library-status")).to_contain_text(f"{count} resource")
    expect(filters).to_have_text("Filters (1)")

    filters.click()  # shut: the filter still applies
    expect(page.locator(".ak-library-facets")).to_be_hidden()
    assert status(page).startswith(f"{count} resource")
    filters.click()
    page.locator(".ak-library-clear").click()
    expect(page.locator(".ak-library-status")).to_have_text(everything)
    expect(filters).to_have_text("Filters")
    assert not page.locator(".ak-facet-channel-phone input").is_checked()


def test_a_result_is_a_link_to_its_address_and_opens_beside_the_results(open_page):
    """A result's title is a link to the resource's own address (a new tab with Ctrl or the
    middle button); a plain click opens it in the reader, keeping the search."""
    page = open_page("library.ipynb", ready=".ak-library-results .ak-library-card")
    box = page.locator(".ak-library-search input")
    box.fill("safety plan")
    box.press("Enter")
    page.wait_for_function(f"() => ({FIRST_TITLE} || '').includes('Safety plan')")
    link = page.locator(".ak-library-open").first
    assert link.get_attribute("href") == "library.ipynb?resource=safety-plan&language=en"
    before = page.url
    link.click()
    expect(page.locator(".ak-library-reader article h2")).to_have_text("Safety plan")
    assert page.url == before and box.input_value() == "safety plan"
    page.locator(".ak-library-reader").evaluate("el => { el.dataset.seen = '1'; }")
    link.click()  # the same link again: a fresh reader
    expect(page.locator(".ak-library-reader:not([data-seen]) article h2")).to_have_text(
        "Safety plan"
    )
    assert page.kit_watch.page_errors == []
