"""The landing page is served without a kernel, with the kit's links, headers and look."""

from __future__ import annotations

import re
import time
import urllib.request

import pytest

from alliance_kit.landing_page import render_page
from alliance_kit.page_list import registry
from alliance_kit.pages import landing
from alliance_kit.serve import CONTENT_SECURITY_POLICY

LANDING_URL = "/voila/render/index.ipynb"


def test_opening_the_landing_page_starts_no_kernel(kit_server):
    assert kit_server.kernel_count() == 0
    for _ in range(5):
        with urllib.request.urlopen(f"{kit_server.url}/") as response:
            assert response.url.endswith(LANDING_URL)
            assert "ak-landing" in response.read().decode()
    time.sleep(1)  # a page run would have started its kernel by now
    assert kit_server.kernel_count() == 0  # no kernel process below the server
    assert "Kernel started" not in kit_server.log()


def test_the_landing_page_carries_the_servers_headers(kit_server):
    with urllib.request.urlopen(f"{kit_server.url}{LANDING_URL}") as response:
        headers = response.headers
        html = response.read().decode()
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["Content-Type"].startswith("text/html")
    # Its stylesheets are the kit template's, served by the same server.
    sheets = re.findall(r'<link rel="stylesheet" type="text/css" href="([^"]+)"', html)
    assert any(s.endswith("/alliance.css") for s in sheets)
    for sheet in sheets:
        with urllib.request.urlopen(f"{kit_server.url}{sheet}") as response:
            assert response.status == 200
    assert "<script" not in html  # nothing on it needs one


@pytest.mark.parametrize(
    ("query", "accept", "lang", "title"),
    [
        ("", "", "en", "Working alliance kit"),
        ("", "nl-NL,nl;q=0.9,en;q=0.5", "nl", "Werkalliantie-kit"),
        ("?lang=nl", "", "nl", "Werkalliantie-kit"),
    ],
)
def test_the_landing_page_speaks_the_visitors_language(kit_server, query, accept, lang, title):
    request = urllib.request.Request(
        f"{kit_server.url}{LANDING_URL}{query}", headers={"Accept-Language": accept}
    )
    with urllib.request.urlopen(request) as response:
        html = response.read().decode()
        assert response.headers["Content-Language"] == lang
    assert f'<html lang="{lang}">' in html
    assert f'<h1 id="ak-title">{title}</h1>' in html
    assert 'hreflang="nl"' in html and 'hreflang="en"' in html  # the language switch
    # A language picked on the page is remembered (this server is not shared): pick English
    # again, so the other tests of this server see the kit as before.
    if query:
        urllib.request.urlopen(f"{kit_server.url}{LANDING_URL}?lang=en").read()


def test_notebook_and_served_page_list_the_same_pages():
    assert landing.render_html() in render_page("/")
    assert 'href="/prefix/voila/templates/alliance/static/alliance.css"' in render_page("/prefix/")


@pytest.mark.browser
def test_the_landing_page_has_the_kits_links_landmarks_and_look(open_page):
    page = open_page("index.ipynb", ready=".ak-landing")
    assert page.title() == "Working alliance kit"
    assert page.locator("main").count() == 1
    assert page.locator("main h1").inner_text() == "Working alliance kit"
    assert page.get_attribute("html", "lang") == "en"
    cards = page.locator(".ak-card a")
    assert [cards.nth(i).get_attribute("href") for i in range(cards.count())] == [
        p.notebook for p in registry().available()
    ]
    # The kit's stylesheet is applied (cards in a grid, the kit's ink), in Voila's frame.
    look = page.evaluate(
        """() => ({
            ink: getComputedStyle(document.querySelector('.ak-welcome')).color,
            card: getComputedStyle(document.querySelector('.ak-card')).borderRadius,
            list: getComputedStyle(document.querySelector('.ak-cards')).display,
            column: getComputedStyle(document.getElementById('rendered_cells')).maxWidth,
        })"""
    )
    assert look == {"ink": "rgb(82, 96, 109)", "card": "8px", "list": "grid", "column": "1100px"}
