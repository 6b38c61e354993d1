"""axe-core in a served page, the focus-ring and reflow checks, and a record of what the
accessibility tests saw.

The axe engine is the ``axe.min.js`` that ``axe-playwright-python`` ships (a test dependency),
so the check runs offline in the same headless Chromium as the other browser tests. Every run
is recorded here, and so is every focus step of the keyboard-only paths, so that the test
output can end with one table of what remains (see ``pytest_terminal_summary`` in
``conftest.py``): minor and moderate findings do not fail a test, but they stay visible.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout

# The WCAG 2.0 and 2.1 levels A and AA: what the kit claims to meet.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")
IMPACT_ORDER = {"critical": 0, "serious": 1, "moderate": 2, "minor": 3}


@dataclass(frozen=True)
class Finding:
    where: str
    rule: str
    impact: str
    count: int
    help: str
    targets: tuple[str, ...]


@dataclass(frozen=True)
class FocusStep:
    path: str
    step: str
    element: str
    ring: str
    visible: bool


FINDINGS: list[Finding] = []
PAGES_CHECKED: list[str] = []
FOCUS_STEPS: list[FocusStep] = []


def axe_script() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def run_axe(page, where: str) -> list[Finding]:
    """Run axe on the whole page as it is now; record and return its violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_script())
    result = page.evaluate(
        "opts => axe.run(document, opts)",
        {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    found = [
        Finding(
            where=where,
            rule=v["id"],
            impact=v.get("impact") or "minor",
            count=len(v["nodes"]),
            help=v["help"],
            targets=tuple(" ".join(map(str, n["target"])) for n in v["nodes"][:5]),
        )
        for v in result["violations"]
    ]
    FINDINGS.extend(found)
    PAGES_CHECKED.append(where)
    return found


def blocking(found: list[Finding]) -> list[str]:
    """The serious and critical findings as sentences a failing test can show."""
    return [
        f"{f.where}: {f.impact} '{f.rule}' ({f.help}) on {f.count} element(s), "
        f"e.g. {'; '.join(f.targets)}"
        for f in found
        if f.impact in BLOCKING
    ]


# A focus indicator counts when an outline or a box-shadow ring is at least this wide (CSS px).
MIN_RING_PX = 2.0

FOCUS_RING_JS = """() => {
    let el = document.activeElement;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' ? parseFloat(style.outlineWidth) || 0 : 0;
    let shadow = 0;
    if (style.boxShadow && style.boxShadow !== 'none') {
        // each shadow is "color x y blur spread"; a ring is its spread (or blur without offset)
        for (const part of style.boxShadow.split(/,(?![^(]*\\))/)) {
            const nums = (part.replace(/rgba?\\([^)]*\\)/, '').match(/-?[\\d.]+px/g) || [])
                .map(parseFloat);
            const [x = 0, y = 0, blur = 0, spread = 0] = nums;
            shadow = Math.max(shadow, spread, x === 0 && y === 0 ? blur / 2 : 0);
        }
    }
    const rect = el.getBoundingClientRect();
    const name = (el.getAttribute('aria-label') || el.innerText || el.value
                  || el.getAttribute('title') || '').trim().slice(0, 40);
    return {
        element: el.tagName.toLowerCase() + (name ? ` "${name}"` : ''),
        classes: el.className && el.className.baseVal === undefined ? el.className : '',
        outline, shadow,
        ring: outline >= shadow ? `outline ${outline}px ${style.outlineStyle}`
                                : `box-shadow ${shadow}px`,
        onScreen: rect.width > 0 && rect.height > 0,
    };
}"""


def focus_ring(page, path: str, step: str) -> dict:
    """Describe the focused element and record whether its focus ring is visible."""
    info = page.evaluate(FOCUS_RING_JS)
    if info is None:
        FOCUS_STEPS.append(FocusStep(path, step, "(nothing focused)", "-", False))
        return {"visible": False, "element": "(nothing focused)", "ring": "-", "classes": ""}
    visible = info["onScreen"] and max(info["outline"], info["shadow"]) >= MIN_RING_PX
    FOCUS_STEPS.append(FocusStep(path, step, info["element"], info["ring"], visible))
    return {**info, "visible": visible}


# Reflow (WCAG 1.4.10): at 200% zoom and on a phone the page must not scroll sideways.
# Controls a user cannot reach: outside the window's width. A link in a wide data table may
# sit in a box that scrolls sideways (WCAG 1.4.10 allows that for tables); a button or field
# of a form may not, even though Voila's output area would let one scroll to it.
OFF_SCREEN_JS = """() => {
    const width = window.innerWidth;
    const scrollsSideways = el => {
        for (let p = el.parentElement; p; p = p.parentElement) {
            const s = getComputedStyle(p);
            if (['auto', 'scroll'].includes(s.overflowX) && p.scrollWidth > p.clientWidth + 1)
                return true;
        }
        return false;
    };
    // A wide table may scroll sideways (WCAG 1.4.10 exempts data tables); a form's own
    // button or field past the edge is out of reach even when its box could be scrolled.
    const isControl = el => el.matches('button, input, select, textarea') && !el.closest('table');
    return [...document.querySelectorAll('.ak-page :is(button, input, select, textarea, a[href])')]
        .filter(el => el.offsetParent !== null && el.type !== 'hidden')
        .filter(el => { const r = el.getBoundingClientRect();
                        return r.width > 0 && (r.left < -1 || r.right > width + 1); })
        .filter(el => isControl(el) || !scrollsSideways(el))
        .map(el => el.outerHTML.slice(0, 100));
}"""

#: Labels of buttons and fields shown cut short ("Replace the earl..."): ipywidgets gives a
#: button a fixed width and an ellipsis, so a longer label loses its end, and a screen magnifier
#: user or a Dutch reader never sees what the button does. A label is also cut when it wraps
#: within one line's height (a statement on a phone showing its first line only).
CUT_LABELS_JS = """() => [...document.querySelectorAll(
        '.ak-page :is(.jupyter-button, .widget-label, .widget-toggle-button)')]
    .filter(el => el.offsetParent !== null && el.textContent.trim())
    .filter(el => el.scrollWidth > el.clientWidth + 1
        || (el.matches('.widget-label') && el.scrollHeight > el.clientHeight + 1))
    .map(el => el.textContent.trim().slice(0, 60))"""

CHARTS_FIT_JS = """() => [...document.querySelectorAll('.js-plotly-plot .main-svg')]
    .every(svg => svg.getBoundingClientRect().right <= window.innerWidth + 1)"""
VIEWPORTS = (("200% zoom (640 px at 2x)", 640, 2), ("360 px phone", 360, 1))


def reflow_problems(page, where: str) -> list[str]:
    problems = []
    cut = page.evaluate(CUT_LABELS_JS)
    if cut:
        problems.append(f"{where} at its own width: labels cut short: {cut[:5]}")
    cdp = page.context.new_cdp_session(page)
    try:
        for label, width, scale in VIEWPORTS:
            cdp.send(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": 800, "deviceScaleFactor": scale, "mobile": False},
            )
            page.wait_for_function(f"() => window.innerWidth === {width}")
            page.wait_for_timeout(300)  # let the widgets' resize handlers run
            # charts redraw at the new width a moment later; if not, the check below says so
            with contextlib.suppress(PlaywrightTimeout):
                page.wait_for_function(CHARTS_FIT_JS, timeout=5_000)
            extra = page.evaluate("() => document.scrollingElement.scrollWidth - window.innerWidth")
            if extra > 1:
                wide = page.evaluate(
                    """() => [...document.querySelectorAll('.ak-page *')]
                        .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
                        .slice(-3).map(el => el.outerHTML.slice(0, 100))"""
                )
                problems.append(
                    f"{where} at {label}: the page scrolls sideways by {extra}px; too wide: {wide}"
                )
            off = page.evaluate(OFF_SCREEN_JS)
            if off:
                problems.append(f"{where} at {label}: controls out of reach: {off[:3]}")
            cut = page.evaluate(CUT_LABELS_JS)
            if cut:
                problems.append(f"{where} at {label}: labels cut short: {cut[:5]}")
    finally:
        cdp.send("Emulation.clearDeviceMetricsOverride")
        cdp.detach()
    return problems


def summary_lines() -> list[str]:
    """Tables for the end of the test output: axe findings by rule, then the keyboard paths."""
    if not PAGES_CHECKED and not FOCUS_STEPS:
        return []
    lines: list[str] = []
    if PAGES_CHECKED:
        by_rule: dict[tuple[str, str], list[Finding]] = defaultdict(list)
        for f in FINDINGS:
            by_rule[(f.impact, f.rule)].append(f)
        lines.append(
            f"axe-core ({', '.join(WCAG_TAGS)}): {len(PAGES_CHECKED)} page states checked, "
            f"{sum(1 for k in by_rule if k[0] in BLOCKING)} serious/critical rule(s) found"
        )
        if by_rule:
            lines.append(f"{'impact':<9} {'rule':<28} {'count':>5}  pages")
            for (impact, rule), found in sorted(
                by_rule.items(), key=lambda kv: (IMPACT_ORDER.get(kv[0][0], 9), kv[0][1])
            ):
                pages = sorted({f.where for f in found})
                count = sum(f.count for f in found)
                lines.append(f"{impact:<9} {rule:<28} {count:>5}  {', '.join(pages)}")
        else:
            lines.append("no violations remain")
    if FOCUS_STEPS:
        lines.append("")
        lines.append("keyboard-only paths (focus ring at each checked step):")
        by_path: dict[str, list[FocusStep]] = defaultdict(list)
        for s in FOCUS_STEPS:
            by_path[s.path].append(s)
        for path, steps in by_path.items():
            hidden = [s for s in steps if not s.visible]
            verdict = "all visible" if not hidden else f"{len(hidden)} without a visible ring"
            lines.append(f"  {path:<34} {len(steps):>3} steps  {verdict}")
            for s in hidden[:5]:
                lines.append(f"      {s.step}: {s.element} ({s.ring})")
    return lines
