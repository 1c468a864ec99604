"""Checks that need the page laid out again (narrow, zoomed, spaced, forced colours, reduced
motion) or screenshots. They run on a sample: every page that is not a question page, every error
state that shows a new field type, and the fewest question pages that show every field macro and
component (see Sweep.sample)."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from PIL import Image, ImageChops
from playwright.sync_api import Page

from accessibility import checks
from accessibility.conftest import Site, Sweep
from accessibility.report import Audit
from accessibility.states import State

pytestmark = pytest.mark.browser

# 400% zoom of a 1280px window is 320 CSS px (1.4.10's width); 200% is 640 CSS px.
VIEWPORTS = {"320px (400% zoom)": (320, 256), "640px (200% zoom)": (640, 512)}


@pytest.fixture(scope="module")
def sample(sweep: Sweep) -> list[State]:
    return sweep.sample(("page", "question")) + sweep.sample(("error",))


def _pages(site: Site, sample: list[State]) -> Iterator[tuple[State, Page]]:
    pages: dict[str, Page] = {}
    for state in sample:
        if state.setup not in pages:
            pages[state.setup] = site.context(state.setup).new_page()
        page = pages[state.setup]
        page.set_viewport_size({"width": 1024, "height": 768})
        page.emulate_media(forced_colors="none", reduced_motion="no-preference")
        yield state, page
    for page in pages.values():
        page.close()


def _layout_findings(
    audit: Audit, check: str, state: State, page: Page, how: str, scroll: bool = True
) -> None:
    found = checks.layout(page)
    if scroll and found["scrollWidth"] > found["clientWidth"] + 1:
        audit.fail(
            check,
            state.key,
            f"{how}: the page scrolls sideways ({found['scrollWidth']}px content in "
            f"{found['clientWidth']}px)",
            url=page.url,
            target=", ".join(found["offscreen"][:3]),
            page_obj=page,
        )
    for target in found["clipped"]:
        audit.fail(
            check,
            state.key,
            f"{how}: content is clipped",
            url=page.url,
            target=target,
            page_obj=page,
        )
    for message in found["overlaps"]:
        audit.fail(check, state.key, f"{how}: {message}", url=page.url, page_obj=page)
    audit.passed(state.key, check, page.url)


def test_reflow_at_320_pixels_and_zoom(site: Site, sample: list[State], audit: Audit) -> None:
    """1.4.10 and 1.4.4: no sideways scrolling and nothing cut off, at 400% and 200% zoom."""
    for state, page in _pages(site, sample):
        for how, (width, height) in VIEWPORTS.items():
            page.set_viewport_size({"width": width, "height": height})
            state.go(page)
            _layout_findings(audit, "reflow", state, page, how)
    audit.assert_none("reflow")


def test_text_spacing(site: Site, sample: list[State], audit: Audit) -> None:
    """1.4.12: with the WCAG text-spacing overrides, nothing is clipped or overlaps (at desktop
    width and at 320px)."""
    for state, page in _pages(site, sample):
        for how, size in (("text spacing", (1024, 768)), ("text spacing at 320px", (320, 640))):
            page.set_viewport_size({"width": size[0], "height": size[1]})
            state.go(page)
            page.evaluate(checks.ADD_STYLES, checks.TEXT_SPACING_CSS)
            # 1.4.12 asks for no loss of content, not for no scrolling: clipping and overlap fail.
            _layout_findings(audit, "text-spacing", state, page, how, scroll=False)
    audit.assert_none("text-spacing")


def test_forced_colours(site: Site, sample: list[State], audit: Audit) -> None:
    """In forced colours (Windows high contrast), box-shadows and background colours are dropped:
    every input, radio, checkbox and button keeps an edge, and every focus stop an outline."""
    for state, page in _pages(site, sample):
        page.emulate_media(forced_colors="active")
        state.go(page)
        for target in page.evaluate(checks.FORCED_EDGES):
            audit.fail(
                "forced-colours",
                state.key,
                "No visible edge in forced colours mode",
                url=page.url,
                target=target,
                page_obj=page,
            )
        page.evaluate(
            "() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }"
        )
        for _ in range(40):
            page.keyboard.press("Tab")
            info = checks.focus_info(page, forced=True)
            if info.get("none"):
                break
            if "outline" not in info["kinds"]:
                audit.fail(
                    "forced-colours",
                    state.key,
                    "No focus outline in forced colours mode (box-shadow and "
                    "background are removed)",
                    url=page.url,
                    target=info["target"],
                    page_obj=page,
                )
        audit.passed(state.key, "forced-colours", page.url)
    audit.assert_none("forced-colours")


def test_no_motion_when_reduced_motion_is_asked_for(
    site: Site, sample: list[State], audit: Audit
) -> None:
    for state, page in _pages(site, sample):
        page.emulate_media(reduced_motion="reduce")
        state.go(page)
        for moving in page.evaluate(checks.MOTION):
            audit.fail(
                "reduced-motion",
                state.key,
                f"Still moving with prefers-reduced-motion: {moving}",
                url=page.url,
                page_obj=page,
            )
        audit.passed(state.key, "reduced-motion", page.url)
    audit.assert_none("reduced-motion")


def _clip(page: Page, rect: dict[str, float]) -> Image.Image:
    pad = 8
    clip = {
        "x": max(rect["x"] - pad, 0),
        "y": max(rect["y"] - pad, 0),
        "width": max(rect["width"] + 2 * pad, 4),
        "height": max(rect["height"] + 2 * pad, 4),
    }
    return Image.open(
        io.BytesIO(page.screenshot(clip=clip, full_page=True, animations="disabled"))
    ).convert("RGB")


def test_focus_is_visible_in_screenshots(site: Site, sample: list[State], audit: Audit) -> None:
    """2.4.7: at every focus stop of the sampled pages, the pixels around the element change when it
    takes focus (a screenshot with focus against one after blur)."""
    for state, page in _pages(site, [s for s in sample if s.kind != "error"]):
        state.go(page)
        page.evaluate(
            "() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }"
        )
        seen: set[str] = set()
        for _ in range(60):
            page.keyboard.press("Tab")
            info = checks.focus_info(page)
            if info.get("none") or info["target"] in seen:
                break
            seen.add(info["target"])
            focused = _clip(page, info["rect"])
            page.evaluate("() => document.activeElement.blur()")
            unfocused = _clip(page, info["rect"])
            changed = (
                ImageChops.difference(focused, unfocused)
                .convert("L")
                .point(lambda v: 255 if v > 40 else 0)
                .histogram()[255]
            )
            needed = int(
                info["rect"]["width"] + info["rect"]["height"]
            )  # at least a 1px ring's worth
            if changed < needed:
                audit.fail(
                    "focus-screenshot",
                    state.key,
                    f"Focus changes {changed} pixels (fewer than {needed})",
                    url=page.url,
                    target=info["target"],
                    page_obj=page,
                )
            # After blur the browser's sequential focus starting point stays here, so Tab goes on.
        audit.passed(state.key, "focus-screenshot", page.url)
    audit.assert_none("focus-screenshot")
