"""The channel-plan page in a real browser: a rule the model cannot read is named, never run
quietly as something else, and old charts never stand under a new rule as if they answered it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CHART = ".ak-plan-chart .js-plotly-plot"


def set_rule(page, plan: str, rule: str) -> None:
    box = page.locator(f".ak-plan-{plan} .ak-plan-rule input")
    box.fill(rule)
    box.press("Enter")  # the rule box sends its value on Enter (or when it loses focus)


def run_model(page) -> None:
    page.locator(".ak-plan-run").click()
    expect(page.locator(".ak-plan-summary")).to_be_visible(timeout=60_000)
    expect(page.locator(CHART)).to_be_visible(timeout=60_000)


def test_unread_words_are_named_and_old_charts_go(open_page):
    page = open_page("channel_plan.ipynb", ready=".ak-param-table")
    run_model(page)

    set_rule(page, "b", "every other week phone")
    error = page.locator(".ak-plan-b .ak-plan-error")
    expect(error).to_contain_text('Did not understand "every other week"')
    expect(page.locator(".ak-plan-b .ak-plan-strip")).to_have_count(0)
    # The charts of the last run answered other plans: they are gone, not left under the error.
    expect(page.locator(CHART)).to_have_count(0)
    expect(page.locator(".ak-plan-summary")).to_have_count(0)

    page.locator(".ak-plan-run").click()
    status = page.locator(".ak-channel-plan .ak-alert-error")
    expect(status).to_contain_text('Plan B: Did not understand "every other week"')
    expect(page.locator(CHART)).to_have_count(0)


def test_plotly_s_module_is_fetched_once_not_sent_with_every_chart(open_page):
    """Each chart used to carry plotly's 5 MB module through the kernel's websocket, and the
    browser parsed it once per chart. The kit's server serves it as a file the browser keeps."""
    page = open_page("channel_plan.ipynb", ready=".ak-param-table")
    run_model(page)
    watch = page.kit_watch
    module = [url for url in watch.fetched if "alliance-kit/widgetbundle.js?v=" in url]
    assert len(module) == 1
    assert max(watch.socket_messages) < 1_000_000


def test_a_rule_that_used_to_hang_the_kernel_gets_a_sentence(open_page):
    page = open_page("channel_plan.ipynb", ready=".ak-param-table")
    set_rule(page, "a", ";;;")
    expect(page.locator(".ak-plan-a .ak-plan-error")).to_contain_text("only separators")
    set_rule(page, "a", "phone for 99999999999 weeks")
    expect(page.locator(".ak-plan-a .ak-plan-error")).to_contain_text(
        "longer than the whole plan (26 weeks)"
    )
    # The kernel is still free: a readable rule is previewed and the model runs.
    set_rule(page, "a", "video")
    expect(page.locator(".ak-plan-a .ak-plan-strip")).to_be_visible()
    run_model(page)


def test_charts_of_an_earlier_run_are_marked_stale_after_a_change(open_page):
    page = open_page("channel_plan.ipynb", ready=".ak-param-table")
    run_model(page)
    stale = page.locator(".ak-plan-stale-note")
    expect(stale).to_have_text("")
    set_rule(page, "a", "phone")
    expect(stale).to_contain_text("These results are from the last run")
    run_model(page)
    expect(stale).to_have_text("")
