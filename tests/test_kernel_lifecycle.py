"""Kernels go away when a tab closes, and a burst of visitors does not break them."""

from __future__ import annotations

import http.cookiejar
import re
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import content_with, start_kit_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]
KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')
POOL = 0  # a default server keeps no warm kernel: the landing page needs none
#: A page as cheap as a page with a kernel gets, so a burst of 40 tests the server, not a page.
PLAIN = "plain_page.ipynb"
PLAIN_READY = ".ak-plain"
PLAIN_CELL = "from IPython.display import HTML\nHTML('<p class=\"ak-plain\">A plain page</p>')"


def plain_content(tmp: Path) -> dict[str, str]:
    return content_with(tmp, {PLAIN: [PLAIN_CELL]})


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("lifecycle")
    srv = start_kit_server(tmp, env=plain_content(tmp))
    yield srv
    srv.stop()


def wait_for_kernels(server, expected: int, timeout: float = 30) -> int:
    deadline = time.monotonic() + timeout
    count = server.kernel_count()
    while time.monotonic() < deadline and count != expected:
        time.sleep(0.25)
        count = server.kernel_count()
    return count


def visit(url: str):
    """A visitor without a browser: fetch the page (the server runs it) and keep the cookies."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(url, timeout=120).read().decode()
    return opener, jar, html


def beacon(server, opener, jar, kernel_id: str, with_token: bool = True) -> int:
    """What the page's beforeunload beacon sends: a POST with the _xsrf form field."""
    token = next((c.value for c in jar if c.name == "_xsrf"), "") if with_token else ""
    body = f"_xsrf={token}".encode()
    req = urllib.request.Request(
        f"{server.url}/voila/api/shutdown/{kernel_id}", data=body, method="POST"
    )
    req.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        return opener.open(req, timeout=30).status
    except urllib.error.HTTPError as err:
        return err.code


def test_closing_tabs_returns_kernels_to_the_pool_size(server, browser):
    assert wait_for_kernels(server, POOL) == POOL
    context = browser.new_context()
    try:
        for _ in range(8):  # one visitor opening and closing the page again and again
            page = context.new_page()
            page.goto(f"{server.url}/voila/render/{PLAIN}")
            page.wait_for_selector(PLAIN_READY, state="visible", timeout=60_000)
            page.close(run_before_unload=True)
    finally:
        context.close()
    assert wait_for_kernels(server, POOL, timeout=45) == POOL, server.log()[-3000:]


def test_shutdown_without_the_xsrf_token_is_still_refused(server):
    opener, jar, html = visit(f"{server.url}/voila/render/{PLAIN}")
    kernel_id = KERNEL_ID.search(html).group(1)
    assert beacon(server, opener, jar, kernel_id, with_token=False) == 403
    assert beacon(server, opener, jar, kernel_id) == 204
    assert wait_for_kernels(server, POOL) == POOL


def test_burst_of_40_visitors_all_get_working_kernels(server):
    url = f"{server.url}/voila/render/{PLAIN}"
    with ThreadPoolExecutor(max_workers=40) as pool:
        visits = list(pool.map(lambda _: visit(url), range(40)))
    ids = []
    for _opener, _jar, html in visits:
        assert "ak-plain" in html, "a visitor got a page without its content"
        ids.append(KERNEL_ID.search(html).group(1))
    assert len(set(ids)) == 40
    log = server.log()
    assert "Address already in use" not in log
    assert "KernelDied" not in log and "Kernel died" not in log
    for (opener, jar, _), kid in zip(visits, ids, strict=True):
        assert beacon(server, opener, jar, kid) == 204
    assert wait_for_kernels(server, POOL, timeout=60) == POOL


def test_idle_kernels_of_forgotten_tabs_are_culled(tmp_path, browser):
    srv = start_kit_server(
        tmp_path, ["--cull-minutes", "0.1", "--no-preheat"], env=plain_content(tmp_path)
    )
    try:
        page = browser.new_page()
        page.goto(f"{srv.url}/voila/render/{PLAIN}")
        page.wait_for_selector(PLAIN_READY, state="visible", timeout=60_000)
        assert srv.kernel_count() == 1
        # The tab stays open (connected) but idle: its kernel is stopped all the same.
        assert wait_for_kernels(srv, 0, timeout=40) == 0, srv.log()[-2000:]
        assert "Culling" in srv.log()
        page.close()
    finally:
        srv.stop()
