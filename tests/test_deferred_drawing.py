"""A chart put in once the page shows: it waits until the browser says it has drawn the page
(the page template's script clicks the hidden button), since a change sent before then can be
lost; a page replaced before it was shown is never drawn."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import ipywidgets as widgets
import pytest

from alliance_kit.pages import deferred


@pytest.fixture(autouse=True)
def long_fallback(monkeypatch):
    monkeypatch.setattr(deferred, "FALLBACK_SECONDS", 30.0)


def on_a_thread_of_its_own(run):
    """Run ``run`` where no event loop runs yet: a browser test earlier in the same process
    leaves Playwright's loop running on the main thread."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()


def waiting(draw, prepare) -> widgets.Button:
    """Wait for the drawing in a box that says so, as a page does; returns the hidden button
    the page's script would click."""
    area = widgets.VBox([widgets.HTML("Drawing the trend…")])
    deferred.after_page_shown(draw, prepare, into=area)
    first, signal = area.children
    assert first.value == "Drawing the trend…"
    return signal


def test_the_chart_waits_until_the_browser_has_drawn_the_page():
    drawn: list[str] = []

    async def kernel() -> None:
        signal = waiting(lambda r: drawn.append(r()), lambda: "trend")
        assert deferred.SIGNAL_CLASS in signal._dom_classes
        assert signal.layout.display == "none" and not signal.tabbable
        await asyncio.sleep(0.3)
        assert drawn == []  # prepared, but the browser has not drawn the page yet
        signal.click()  # what the template's script does once the button is drawn
        await asyncio.sleep(0.1)
        assert drawn == ["trend"]
        signal.click()  # a second click (the page drawn again) draws nothing more
        await asyncio.sleep(0.1)
        assert drawn == ["trend"]

    on_a_thread_of_its_own(lambda: asyncio.run(kernel()))


def test_a_page_replaced_before_it_was_shown_is_not_drawn():
    drawn: list[str] = []

    async def kernel() -> None:
        english = waiting(lambda r: drawn.append(r()), lambda: "English")
        dutch = waiting(lambda r: drawn.append(r()), lambda: "Dutch")
        english.close()  # the warm kernel's page, rebuilt in the visitor's language
        await asyncio.sleep(0.2)
        english._click_handlers(english)  # a click that was already on its way
        dutch.click()
        await asyncio.sleep(0.1)

    on_a_thread_of_its_own(lambda: asyncio.run(kernel()))
    assert drawn == ["Dutch"]


def test_a_failure_while_preparing_reaches_the_drawing():
    seen: list[str] = []

    def draw(result):
        try:
            result()
        except ValueError as exc:
            seen.append(str(exc))

    def prepare():
        raise ValueError("journal unreadable")

    async def kernel() -> None:
        waiting(draw, prepare).click()
        await asyncio.sleep(0.3)

    on_a_thread_of_its_own(lambda: asyncio.run(kernel()))
    assert seen == ["journal unreadable"]


def test_without_an_event_loop_it_draws_at_once():
    drawn: list[int] = []
    area = widgets.VBox()
    on_a_thread_of_its_own(
        lambda: deferred.after_page_shown(lambda r: drawn.append(r()), lambda: 1, into=area)
    )
    assert drawn == [1] and area.children == ()  # nothing waits for a browser
