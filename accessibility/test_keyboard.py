"""Keyboard only: the whole journey with Tab, Shift+Tab, Enter, Space and the arrow keys (the
keys a radio group uses), checking the focus indicator at every stop; no trap; the skip link."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from accessibility import checks
from accessibility.conftest import Site, Sweep
from accessibility.journey import (
    _TASK_LINK,
    ANSWERS,
    BASE,
    POSTCODE,
    _unfinished,
    form_for,
    is_question,
    photo_file,
    step_of,
)
from accessibility.report import Audit
from accessibility.states import State
from tests.support.browser import SETTLED_JS, intercept_file_choosers
from tests.support.pay import pay_in_browser

pytestmark = pytest.mark.browser


class Keyboard:
    def __init__(self, page: Page, audit: Audit) -> None:
        self.page, self.audit = page, audit
        self.stops = 0
        intercept_file_choosers(page)

    @property
    def key(self) -> str:
        path = urlsplit(self.page.url).path
        return "q:" + path.removeprefix(BASE + "/") if is_question(path) else path

    def tab(self, shift: bool = False) -> dict[str, Any]:
        self.page.keyboard.press("Shift+Tab" if shift else "Tab")
        info = checks.focus_info(self.page)
        if not info.get("none"):
            self.stops += 1
            self.check_indicator(info)
        return info

    def check_indicator(self, info: dict[str, Any]) -> None:
        key, url = f"keyboard {self.key}", self.page.url
        if not info["kinds"]:
            self.audit.fail(
                "focus-visible",
                key,
                "No focus indicator (outline, box-shadow or background)",
                url=url,
                target=info["target"],
                page_obj=self.page,
            )
        elif info["contrast"] < 3:
            self.audit.fail(
                "focus-visible",
                key,
                f"Focus indicator contrast {info['contrast']}:1 is below 3:1",
                url=url,
                target=info["target"],
                page_obj=self.page,
            )
        elif info["width"] < 2:
            self.audit.fail(
                "focus-visible",
                key,
                f"Focus indicator is only {info['width']}px thick",
                url=url,
                target=info["target"],
                page_obj=self.page,
            )
        if info["obscured"]:
            self.audit.fail(
                "focus-visible",
                key,
                "The focused element is hidden behind other content or off screen",
                url=url,
                target=info["target"],
                page_obj=self.page,
            )
        self.audit.passed(key, "focus-visible", url)

    def tab_to(self, wanted: Any, limit: int = 400) -> dict[str, Any]:
        for _ in range(limit):
            info = self.tab()
            if not info.get("none") and wanted(info):
                return info
        raise AssertionError(f"could not reach the element by Tab on {self.page.url}")

    def follow(self, press: str = "Enter") -> None:
        """Press a key that leaves the page, and wait for the next one (htmx or a full load)."""
        before = self.page.url
        self.page.keyboard.press(press)
        self.page.wait_for_function(
            "b => location.href !== b || document.querySelector('.govuk-error-summary')",
            arg=before,
            timeout=10_000,
        )
        self.page.wait_for_load_state()
        self.page.wait_for_function(SETTLED_JS, timeout=10_000)
        first = self.tab()
        if (
            not first.get("none")
            and "govuk-skip-link" not in first["target"]
            and "Skip to main content" not in first["text"]
        ):
            self.audit.fail(
                "keyboard",
                f"keyboard {self.key}",
                "After moving to this page the first Tab did not reach "
                f"the skip link (focus was not reset to the top of the new page): {first['target']}",
                url=self.page.url,
                page_obj=self.page,
            )
        self.page.evaluate(
            "() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }"
        )

    def answer(self, form: dict[str, Any]) -> None:
        """Tab through the page's form, answering each field as it comes, then press Continue."""
        present = set(
            self.page.evaluate(
                "() => [...document.querySelectorAll('main form [name]')].map(e => e.name)"
            )
        )
        pending = {name: value for name, value in form.items() if name in present}
        boxes: set[str] = set()
        for _ in range(200):
            info = self.tab()
            if info.get("none"):
                continue
            if info["isContinue"]:
                left = [name for name in pending if name != "photo" and name not in boxes]
                assert not left, f"Continue reached before these fields on {self.page.url}: {left}"
                self.follow()
                return
            name = info["name"]
            if "govuk-file-upload-button" in info["target"] or info["type"] == "file":
                if "photo" in pending:
                    with self.page.expect_file_chooser() as chooser:
                        self.page.keyboard.press("Space")
                    chooser.value.set_files(files=[photo_file()])  # type: ignore[list-item]
                    pending.pop("photo")
                continue
            if name not in pending:
                continue
            want = pending[name]
            if info["type"] == "radio":
                for _ in range(12):
                    if info["value"] == want:
                        break
                    self.page.keyboard.press("ArrowDown")
                    info = checks.focus_info(self.page)
                if not info["checked"]:
                    self.page.keyboard.press("Space")
                pending.pop(name)
            elif info["type"] == "checkbox":
                wanted = want if isinstance(want, list) else [want]
                if (info["value"] in wanted) != info["checked"]:
                    self.page.keyboard.press("Space")
                boxes.add(name)
            else:
                if info["value"] != str(want):
                    self.page.keyboard.press("Control+A")
                    self.page.keyboard.press("Backspace")
                    if want:
                        self.page.keyboard.type(str(want))
                pending.pop(name)
        raise AssertionError(f"never reached Continue on {self.page.url}")


def test_whole_journey_by_keyboard(site: Site, audit: Audit) -> None:
    context = site.new_context()
    page = context.new_page()
    kb = Keyboard(page, audit)
    try:
        page.goto(BASE)
        kb.tab_to(lambda i: i["text"].startswith("Start now"))
        kb.follow()
        kb.tab_to(lambda i: i["name"] == "postcode")
        page.keyboard.type(POSTCODE)
        kb.tab_to(lambda i: i["isContinue"])
        kb.follow()
        for _ in range(40):
            html = page.content()
            todo = next(
                (link for link in _TASK_LINK.findall(html) if _unfinished(html, link)), None
            )
            if todo is None or todo.endswith("/check"):
                break
            kb.tab_to(lambda i, todo=todo: i["href"] == todo)
            kb.follow()
            while is_question(page.url):
                kb.answer(form_for(step_of(urlsplit(page.url).path), ANSWERS))
        page.goto(f"{BASE}/check")
        kb.tab_to(lambda i: i["text"] == "Continue" and i["inMain"])
        kb.follow()
        kb.answer({"confirm": ["yes"]})
        if urlsplit(page.url).path == f"{BASE}/payment":
            # Our payment page by keyboard; the card page is GOV.UK Pay's (its own checks).
            kb.tab_to(lambda i: i["text"] == "Continue to payment" and i["isContinue"])
            page.keyboard.press("Enter")
            page.wait_for_url(lambda url: "/apply/" not in url)
            pay_in_browser(page)
            page.wait_for_load_state()
        assert urlsplit(page.url).path == f"{BASE}/confirmation", page.url
        audit.passed("keyboard journey", "keyboard", page.url)
        audit.notes.append(f"Keyboard journey: {kb.stops} focus stops checked.")
    finally:
        context.close()
    audit.assert_none("keyboard")
    audit.assert_none("focus-visible")


def _sequence(page: Page, shift: bool, limit: int = 150) -> tuple[list[str], bool]:
    page.evaluate(
        "() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }"
    )
    seen: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if shift else "Tab")
        info = checks.focus_info(page)
        if info.get("none"):
            return seen, True
        target = info["stop"] + ("" if info["type"] == "radio" else f"@{int(info['rect']['y'])}")
        if target in seen:
            return seen, seen[
                0
            ] == target  # came round to the start again: fine; anywhere else: a trap
        seen.append(target)
    return seen, False


@pytest.fixture(scope="module")
def sample(sweep: Sweep) -> list[State]:
    return sweep.sample(("page", "question"))


def test_no_keyboard_trap_and_order_reverses(site: Site, sample: list[State], audit: Audit) -> None:
    """2.1.2 and 2.4.3: Tab goes through every stop and out of the page; Shift+Tab goes back
    through the same stops in reverse."""
    for state in sample:
        page = site.page(state.setup)
        state.go(page)
        forward, escaped = _sequence(page, shift=False)
        if not escaped:
            audit.fail(
                "keyboard",
                state.key,
                f"Keyboard trap: Tab never leaves the page (stuck after {forward[-3:]})",
                url=page.url,
                page_obj=page,
            )
        state.go(page)
        page.evaluate("() => { window.scrollTo(0, document.body.scrollHeight); }")
        backward, _ = _sequence(page, shift=True)
        if (
            forward
            and backward
            and [b.split("@")[0] for b in backward] != [f.split("@")[0] for f in reversed(forward)]
        ):
            audit.fail(
                "keyboard",
                state.key,
                "Shift+Tab does not visit the stops in the reverse order of Tab",
                url=page.url,
                page_obj=page,
            )
        audit.passed(state.key, "keyboard", page.url)
    audit.assert_none("keyboard")


def test_skip_link_moves_focus_to_main_content(
    site: Site, sample: list[State], audit: Audit
) -> None:
    for state in sample:
        page = site.page(state.setup)
        state.go(page)
        page.evaluate(
            "() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }"
        )
        page.keyboard.press("Tab")
        info = checks.focus_info(page)
        if info.get("none") or "Skip to main content" not in info["text"]:
            audit.fail(
                "keyboard",
                state.key,
                f"The first Tab does not reach the skip link ({info.get('target')})",
                url=page.url,
                page_obj=page,
            )
            continue
        if info["obscured"] or info["rect"]["width"] < 2:
            audit.fail(
                "keyboard",
                state.key,
                "The skip link is not visible when focused",
                url=page.url,
                page_obj=page,
            )
        page.keyboard.press("Enter")
        active = page.evaluate(
            "() => { const a = document.activeElement; return {id: a.id, inMain: !!a.closest('main')} }"
        )
        if not active["inMain"]:
            audit.fail(
                "keyboard",
                state.key,
                f"The skip link did not move focus to the main content (focus on #{active['id']})",
                url=page.url,
                page_obj=page,
            )
        page.keyboard.press("Tab")
        nxt = checks.focus_info(page)
        main_has_stops = page.evaluate(
            "() => !!document.querySelector('main a[href], main button, main input:not([type=hidden]), main select, main textarea')"
        )
        if main_has_stops and not nxt.get("none") and not nxt.get("inMain"):
            audit.fail(
                "keyboard",
                state.key,
                f"After the skip link, Tab went to {nxt['target']}, outside the main content",
                url=page.url,
                page_obj=page,
            )
        audit.passed(state.key, "keyboard", page.url)
    audit.assert_none("keyboard")


def test_timeout_dialog_holds_focus_and_closes_with_escape(
    site: Site, sweep: Sweep, audit: Audit
) -> None:
    """The session timeout warning (2.2.1): focus moves into the modal, Tab stays inside it (a
    modal is not a trap: Escape and its button leave it), Escape closes it and focus returns."""
    state = sweep.states.get("timeout-dialog")
    if state is None:
        pytest.skip("no timeout dialog in this build")
    context = site.new_context()
    try:
        from accessibility.states import SETUPS

        SETUPS[state.setup](context, site)
        page = context.new_page()
        state.go(page)
        inside = (
            "() => !!document.activeElement && !!document.activeElement.closest('dialog[open]')"
        )
        if not page.evaluate(inside):
            audit.fail(
                "keyboard",
                state.key,
                "Focus did not move into the timeout dialog",
                url=page.url,
                page_obj=page,
            )
        for _ in range(6):
            page.keyboard.press("Tab")
            if not page.evaluate(inside):
                audit.fail(
                    "keyboard",
                    state.key,
                    "Tab left the open modal dialog",
                    url=page.url,
                    page_obj=page,
                )
                break
            Keyboard(page, audit).check_indicator(checks.focus_info(page))
        page.keyboard.press("Escape")
        page.wait_for_timeout(300)
        if page.evaluate("() => !!document.querySelector('dialog[open]')"):
            audit.fail(
                "keyboard",
                state.key,
                "Escape did not close the timeout dialog",
                url=page.url,
                page_obj=page,
            )
        audit.passed(state.key, "keyboard", page.url)
    finally:
        context.close()
    audit.assert_none("keyboard")
