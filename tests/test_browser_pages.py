"""The served kit in a real browser: the landing page and every page it links to."""

from __future__ import annotations

import pytest

from alliance_kit.page_list import registry

pytestmark = pytest.mark.browser
PAGES = registry().available()


def test_landing_lists_every_page_grouped(open_page):
    page = open_page("index.ipynb", ready=".ak-landing")
    assert page.title() == "Working alliance kit"
    assert page.locator("h1").first.inner_text() == "Working alliance kit"
    for group, pages in registry().by_group():
        section = page.locator(f"#ak-group-{group.id}")
        if not pages:
            assert section.count() == 0
            continue
        assert section.inner_text() == group.title
        for p in pages:
            link = page.locator(f'.ak-card[data-page="{p.id}"] a')
            assert link.inner_text() == p.title
            assert link.get_attribute("href") == p.notebook
    # No code is visible to the user.
    assert page.locator(".jp-InputArea:visible").count() == 0
    assert "landing.show()" not in page.inner_text("body")


def test_landing_is_usable_with_the_keyboard(open_page):
    page = open_page("index.ipynb", ready=".ak-landing")
    if not PAGES:
        pytest.skip("no module pages yet")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.ak-card') !== null"):
            break
    href = page.evaluate("document.activeElement.getAttribute('href')")
    assert href == PAGES[0].notebook
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{PAGES[0].notebook}", wait_until="commit", timeout=60_000)
    page.wait_for_selector(".ak-page", state="visible", timeout=60_000)


def test_pages_load_nothing_from_other_hosts(open_page, kit_server):
    import urllib.request

    html = urllib.request.urlopen(f"{kit_server.url}/voila/render/index.ipynb").read().decode()
    assert "cdn.jsdelivr" not in html and "cdnjs" not in html and "unpkg" not in html
    page = open_page("index.ipynb", ready=".ak-landing")
    assert page.kit_watch.external_requests == []


@pytest.mark.parametrize("entry", PAGES, ids=lambda p: p.id)
def test_module_page_becomes_ready(open_page, entry):
    page = open_page(entry.notebook)
    for selector in entry.expect:
        page.wait_for_selector(selector, state="visible", timeout=30_000)
    assert page.locator(".ak-topnav a").first.get_attribute("href") == "index.ipynb"
    # every input has a label a screen reader can announce
    unlabeled = page.evaluate(
        """() => [...document.querySelectorAll(
                '.ak-page input, .ak-page textarea, .ak-page select')]
            .filter(el => el.type !== 'hidden' && el.offsetParent !== null)
            .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                          && !el.getAttribute('aria-labelledby') && !el.getAttribute('title'))
            .map(el => el.outerHTML.slice(0, 120))"""
    )
    assert unlabeled == []


def test_the_browser_refuses_other_hosts(open_page):
    """Even content that tries (a resource with an image link, say) cannot call out."""
    page = open_page("index.ipynb", ready=".ak-landing")
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    page.on("requestfailed", lambda r: blocked.append(r.url))
    page.evaluate(
        """() => { const img = document.createElement('img');
                   img.src = 'http://192.0.2.1/pixel.png'; document.body.appendChild(img);
                   return fetch('http://192.0.2.1/beacon').catch(() => null); }"""
    )
    page.wait_for_timeout(300)
    assert any("Content Security Policy" in b for b in blocked), blocked
    # the request was refused by the browser before it reached the network
    page.kit_watch.external_requests.clear()
    page.kit_watch.csp_violations.clear()


def test_pages_may_not_eval(open_page):
    """The policy has no 'unsafe-eval'. Every page passes ``open_page``'s CSP check above, so
    none needs eval; here a script that tries it is refused, and the check notices."""
    page = open_page("index.ipynb", ready=".ak-landing")
    refused = page.evaluate(
        """() => new Promise(resolve => {
            document.addEventListener('securitypolicyviolation',
                e => resolve(e.violatedDirective), {once: true});
            setTimeout(() => resolve('allowed'), 3000);
            const script = document.createElement('script');
            script.textContent = "try { window.evalResult = eval('1 + 1'); } " +
                "catch (e) { window.evalResult = String(e); }";
            // later, not inside this evaluate call, which DevTools lets eval
            setTimeout(() => document.body.appendChild(script), 0);
        })"""
    )
    assert refused.startswith("script-src")
    assert "EvalError" in page.evaluate("window.evalResult")
    # and open_page's check sees it, so a page that needed eval would fail its test
    for _ in range(30):
        if page.kit_watch.csp_violations:
            break
        page.wait_for_timeout(100)
    assert any("eval" in v for v in page.kit_watch.csp_violations)
    page.kit_watch.csp_violations.clear()
