"""Drive the firearms application in a real browser, three ways: with JavaScript (htmx boosted),
without JavaScript, and by keyboard alone.

What to type comes from `tests.support.firearms` (`COMPLETE`, `form_for`) and the page's URL, as in
the integration test, so a change to the service definition changes what is typed, not this code.
`Journey` knows how to reach, fill and submit the page in front of it; the test decides where to
go off the happy path (errors, Change, add another and remove).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Locator, Page

from tests.support.browser import SETTLED_JS, AxeViolations, axe_violations, intercept_file_choosers
from tests.support.firearms import BASE, COMPLETE, form_for, step_of
from tests.support.forms import png_bytes
from webapp.engine import Step
from webapp.services.firearm_certificate import SERVICE

# Short and unambiguous: no 0/O or 1/I.
REFERENCE = re.compile(r"^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$")

JS_ON, JS_OFF, KEYBOARD = "javascript", "no-javascript", "keyboard"

# Reported as console errors, so a violation of our Content-Security-Policy fails the run even if
# the browser's own message changes wording. Injected by Playwright, so the CSP does not block it.
_CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (event) => {
  console.error('CSP violation: ' + event.violatedDirective + ' blocked ' + event.blockedURI)
})
"""

# While any of these classes is on the page, htmx is still requesting, swapping or settling.
# While any of these classes is on the page, htmx is still requesting, swapping or settling.
# GOV.UK Frontend sets aria-expanded on a radio or checkbox that reveals a question. ARIA does not
# allow it on those roles, so axe objects; GOV.UK keeps it on purpose because screen readers
# announce it (alphagov/govuk-frontend#979). That one finding, and nothing else, is let pass.
_GOVUK_REVEAL = (
    "input.govuk-radios__input[aria-controls], input.govuk-checkboxes__input[aria-controls]"
)
_ARIA_EXPANDED = re.compile(r'^\s*ARIA attribute is not allowed: aria-expanded="(true|false)"\s*$')


def _govuk_reveal(page: Page, violation: dict[str, Any], node: str) -> bool:
    if violation["id"] != "aria-allowed-attr":
        return False
    target, _, summary = node.partition(" :: ")
    lines = [line for line in summary.splitlines()[1:] if line.strip()]
    if not lines or not all(_ARIA_EXPANDED.match(line) for line in lines):
        return False
    element = page.locator(target)
    if element.count() != 1:
        return False
    return bool(element.evaluate("(el, css) => el.matches(css)", _GOVUK_REVEAL))


def assert_accessible(page: Page) -> None:
    """The platform's axe check (`tests.support.browser`), but for GOV.UK's aria-expanded on
    reveals."""
    violations = []
    for violation in axe_violations(page):
        found: list[str] = violation["nodes"]  # type: ignore[assignment]
        nodes = [node for node in found if not _govuk_reveal(page, violation, node)]
        if nodes:
            violations.append({**violation, "nodes": nodes})
    if violations:
        lines = [f"{len(violations)} axe violation(s) on {page.url}:"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            lines.extend(f"    {node}" for node in violation["nodes"])
        raise AxeViolations("\n".join(lines))


def answers_for(step: Step) -> dict[str, Any]:
    """The form for a page from the COMPLETE answers. An item beyond those (one the test adds and
    then removes) is answered like the first item."""
    ref = SERVICE.pages[step.page_id]
    if ref.group is not None and not ref.is_add_another:
        items = COMPLETE.get(ref.group.id) or []
        if (step.index or 0) >= len(items):
            return dict(form_for(Step(step.page_id, 0)))
    return dict(form_for(step))


def question_name(question_id: str) -> str:
    """The key a question has on the check answers page."""
    for ref in SERVICE.pages.values():
        for question in ref.page.all_questions():
            if question.id == question_id:
                return str(question.short_name)
    raise KeyError(question_id)


def write_photo(folder: Path) -> Path:
    """A real PNG (made with Pillow), as a phone might save it."""
    path = folder / "photo.png"
    path.write_bytes(png_bytes())
    return path


@dataclass
class Journey:
    """One person applying in one browser page, in one of the three modes."""

    page: Page
    mode: str
    photo: Path
    axe: bool = True
    checked: list[str] = field(default_factory=list)  # every page state axe passed, in order
    problems: list[str] = field(default_factory=list)  # console errors, uncaught exceptions
    document_loads: list[str] = field(default_factory=list)  # full page loads (not htmx requests)
    pages_answered: int = 0
    rechecks_skipped: int = 0
    keys: Counter[str] = field(default_factory=Counter)  # every key pressed, bar typed text
    # Form values typed instead of COMPLETE's wherever a page asks them (a home address in the
    # area of the force the journey chose).
    overrides: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.page.set_default_timeout(10_000)
        self.page.on("request", self._on_request)
        intercept_file_choosers(self.page)
        if self.js:
            self.page.add_init_script(_CSP_LISTENER)
            self.page.on("console", self._on_console)
            self.page.on("pageerror", lambda error: self.problems.append(f"pageerror: {error}"))

    def _on_console(self, message: Any) -> None:
        if message.type == "error":
            self.problems.append(f"console: {message.text}")

    def _on_request(self, request: Any) -> None:
        if request.resource_type == "document" and request.frame == self.page.main_frame:
            self.document_loads.append(f"{request.method} {request.url}")

    @property
    def js(self) -> bool:
        return self.mode != JS_OFF

    @property
    def keyboard(self) -> bool:
        return self.mode == KEYBOARD

    # -- where we are -----------------------------------------------------------------------

    @property
    def path(self) -> str:
        return urlsplit(self.page.url).path

    @property
    def step(self) -> Step | None:
        return step_of(self.page.url)

    def title(self) -> str:
        return self.page.title()

    def main_form(self) -> Locator:
        return self.page.locator("main form[method=post]").first

    def checkpoint(self, state: str = "") -> None:
        """axe on the page as it is now (an error state, revealed content). A page met again in
        the same state (the task list between tasks, the second referee's pages) is not checked
        again: the same template with other answers in it."""
        if not self.axe:
            return
        key = re.sub(r"/\d+(?=/|$)", "/*", self.path) + (f" ({state})" if state else "")
        if self.path == f"{BASE}/tasks":
            statuses = self.page.locator(".govuk-task-list__status").all_inner_texts()
            key += " [" + ", ".join(sorted({status.strip() for status in statuses})) + "]"
        if key in self.checked:
            self.rechecks_skipped += 1
            return
        assert_accessible(self.page)
        self.checked.append(key)

    def assert_boosted(self) -> None:
        """Still the same window: htmx swapped the page in rather than the browser loading it."""
        if self.js:
            assert self.page.evaluate("() => window.__journeyMarker") == "kept", (
                f"full page load at {self.page.url}: {self.document_loads[-3:]}"
            )

    # -- getting about -----------------------------------------------------------------------

    def open(self, path: str) -> None:
        """The only full page load a JavaScript run makes: the first page."""
        self.page.goto(path)
        if self.js:
            self.page.wait_for_function(
                "() => document.body.classList.contains('govuk-frontend-supported')"
            )
            self.page.evaluate("() => { window.__journeyMarker = 'kept' }")
        self.arrived()

    def navigate(self, action: Callable[[], None], *, check: bool = True) -> None:
        """Do something that loads a page (a link, a submit), and wait until it has arrived:
        a new <main>, whether htmx swapped it in or the browser loaded a new document."""
        self.page.locator("main").first.evaluate("(main) => { main.dataset.journeyStale = '1' }")
        action()
        self.page.wait_for_selector("main#main-content:not([data-journey-stale])", state="attached")
        self.page.wait_for_load_state()
        if self.js:
            self.page.wait_for_function(SETTLED_JS)
        if check:
            self.arrived()

    def arrived(self) -> None:
        self.assert_boosted()
        if self.js:
            # A new page starts at the top (the error summary, when there is one, is up there).
            top = self.page.evaluate("() => window.scrollY")
            assert top == 0, f"{self.path} opened scrolled down by {top}px"
        if self.keyboard:
            # After htmx swaps a page in, focus starts from the top as after a page load (the next
            # Tab reaches the skip link), or is on the error summary GOV.UK Frontend focused.
            focus = self.page.evaluate(
                "() => document.activeElement === document.body"
                " || document.activeElement?.classList.contains('govuk-error-summary')"
                " || document.activeElement?.outerHTML.slice(0, 100)"
            )
            assert focus is True, f"after loading {self.path}, focus was left on {focus}"
        self.checkpoint()

    def activate(self, target: Locator) -> None:
        """Follow a link or press a button: Tab to it and press Enter, or click it."""
        if self.keyboard:
            self.tab_to(target)
            self.press("Enter")
        else:
            target.click()

    def follow(self, target: Locator, *, check: bool = True) -> None:
        self.navigate(lambda: self.activate(target), check=check)

    def submit(self, *, check: bool = True) -> None:
        """Press the form's main button (Continue), not a secondary one ('Save and come back
        later')."""
        button = self.main_form().locator(".govuk-button:not(.govuk-button--secondary)").first
        self.follow(button, check=check)

    # -- the keyboard ------------------------------------------------------------------------

    def press(self, key: str) -> None:
        self.keys[key] += 1
        self.page.keyboard.press(key)

    def focused(self, target: Locator, *, group: bool = False) -> bool:
        script = (
            "(el) => { const a = document.activeElement;"
            " return !!a && (a === el || (%s && a.type === el.type && a.name === el.name)) }"
        ) % ("true" if group else "false")
        return bool(target.evaluate(script))

    def tab_to(self, target: Locator, *, group: bool = False, limit: int = 400) -> None:
        """Move focus with Tab (or Shift+Tab, if the target is above the focus) until it is on the
        target (for a radio group: on any radio in it). Fails if the target is not reachable."""
        target = target.first
        if self.focused(target, group=group):
            return
        forwards = target.evaluate(
            "(el) => { const a = document.activeElement;"
            " return !a || a === document.body"
            "   || !!(a.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) }"
        )
        key = "Tab" if forwards else "Shift+Tab"
        for _ in range(limit):
            self.press(key)
            if self.focused(target, group=group):
                return
        raise AssertionError(f"could not reach {target} with {key} on {self.page.url}")

    def type_into(self, target: Locator, text: str) -> None:
        if self.keyboard:
            self.tab_to(target)
            if target.input_value() == text:
                return
            self.press("ControlOrMeta+a")
            if text:
                self.page.keyboard.type(text)
            else:
                self.press("Delete")
        else:
            target.fill(text)

    def choose_radio(self, radios: Locator, value: str) -> None:
        wanted = radios.and_(self.page.locator(f'[value="{value}"]'))
        if self.keyboard:
            # Tab reaches a radio group once; the arrow keys move between its options.
            self.tab_to(radios, group=True)
            for _ in range(radios.count()):
                if self.focused(wanted):
                    break
                self.press("ArrowDown")
            assert self.focused(wanted), f"radio {value} not reached"
            if not wanted.is_checked():
                self.press("Space")
        else:
            wanted.check()
        assert wanted.is_checked()

    def set_checkbox(self, box: Locator, checked: bool) -> None:
        if box.is_checked() == checked:
            return
        if self.keyboard:
            self.tab_to(box)
            self.press("Space")
        else:
            box.set_checked(checked)
        assert box.is_checked() == checked

    def upload(self, target: Locator) -> None:
        if self.keyboard:
            # With JavaScript, GOV.UK Frontend puts a button in front of the file input.
            chooser_button = self.page.locator(
                f'button[aria-controls="{target.get_attribute("id")}"], .govuk-file-upload-button'
            )
            reach = chooser_button.first if chooser_button.count() else target
            with self.page.expect_file_chooser() as chooser:
                self.tab_to(reach)
                self.press("Space")
            chooser.value.set_files(self.photo)
        else:
            target.set_input_files(self.photo)

    # -- filling in a page -------------------------------------------------------------------

    def fill(self, answers: dict[str, Any]) -> None:
        """Fill the form's fields named in `answers`, top to bottom (the order Tab goes in)."""
        form = self.main_form()
        names = form.evaluate(
            "(form, wanted) => { const seen = [];"
            " for (const el of form.querySelectorAll('[name]')) {"
            "   if (wanted.includes(el.name) && !seen.includes(el.name)) seen.push(el.name) }"
            " return seen }",
            list(answers),
        )
        missing = set(answers) - set(names)
        assert not missing, f"no field for {sorted(missing)} on {self.page.url}"
        for name in names:
            self.fill_field(form.locator(f'[name="{name}"]'), answers[name])

    def fill_field(self, fields: Locator, value: Any) -> None:
        kind = fields.first.evaluate("(el) => el.type || el.tagName.toLowerCase()")
        if kind == "radio":
            self.choose_radio(fields, str(value))
        elif kind == "checkbox":
            values = value if isinstance(value, list) else [value]
            boxes = [fields.nth(i) for i in range(fields.count())]
            # Untick first, so an exclusive option ('None of these') is not undone by a later tick.
            for box in boxes:
                if box.get_attribute("value") not in values:
                    self.set_checkbox(box, False)
            for box in boxes:
                if box.get_attribute("value") in values:
                    self.set_checkbox(box, True)
        elif kind == "file":
            self.upload(fields.first)
        else:
            self.type_into(fields.first, str(value))

    def answer(self, overrides: dict[str, Any] | None = None, *, check: bool = True) -> None:
        """Answer the question page in front of us from COMPLETE, and submit it."""
        step = self.step
        assert step is not None, f"not a question page: {self.page.url}"
        answers = answers_for(step)
        if "photo" in answers:
            answers["photo"] = str(self.photo)
        ref = SERVICE.pages[step.page_id]
        if ref.is_add_another and ref.group is not None:
            more = self.main_form().locator(f'[name="{ref.group.more_question_id}"]')
            if not more.count():  # the list is full: nothing more to ask
                answers.pop(ref.group.more_question_id, None)
        answers.update({key: value for key, value in self.overrides.items() if key in answers})
        answers.update(overrides or {})
        self.fill(answers)
        self.submit(check=check)
        self.pages_answered += 1
        assert self.step != step or self.error_summary().count() == 0, self.error_texts()

    # -- errors ------------------------------------------------------------------------------

    def error_summary(self) -> Locator:
        return self.page.locator(".govuk-error-summary")

    def error_texts(self) -> list[str]:
        return self.page.locator(".govuk-error-summary__list a").all_inner_texts()

    def expect_error(self, *, field_id: str | None = None) -> None:
        """The GOV.UK error pattern: 'Error: ' title, a summary (focused, with JavaScript) whose
        link moves focus to the field. axe runs on the error state."""
        assert self.title().startswith("Error: "), self.title()
        summary = self.error_summary()
        assert summary.is_visible()
        if self.js:
            # GOV.UK Frontend's ErrorSummary, started on the content htmx swapped in, takes focus.
            self.page.wait_for_function(
                "() => !!document.activeElement?.classList.contains('govuk-error-summary')"
            )
        self.checkpoint("error")
        link = summary.locator(".govuk-error-summary__list a").first
        href = link.get_attribute("href") or ""
        target_id = href.split("#", 1)[1]
        if field_id is not None:
            assert target_id == field_id, (target_id, field_id)
        if self.keyboard:
            self.press("Tab")  # from the focused summary to its first link
            assert self.focused(link)
            self.press("Enter")
        else:
            link.click()
        field = self.page.locator(f"#{target_id}")
        if self.js:
            # GOV.UK Frontend's ErrorSummary moves focus to the field (and scrolls its label in).
            self.page.wait_for_function("(id) => document.activeElement?.id === id", arg=target_id)
        else:
            # Without script the browser follows the link's fragment, which focuses the field.
            assert self.focused(field), f"focus did not move to #{target_id}"


def unfinished_tasks(journey: Journey) -> list[tuple[str, Locator]]:
    """Task list links whose status is not 'Completed', in order (not the check answers task)."""
    result = []
    items = journey.page.locator(".govuk-task-list__item")
    for i in range(items.count()):
        item = items.nth(i)
        link = item.locator("a.govuk-task-list__link")
        if not link.count():
            continue
        href = link.get_attribute("href") or ""
        status = item.locator(".govuk-task-list__status").inner_text().strip()
        if href.endswith("/check") or status == "Completed":
            continue
        result.append((href, link))
    return result


def complete_every_task(
    journey: Journey, detours: dict[str, Callable[[Journey], None]], *, limit: int = 40
) -> None:
    """From the task list, open the first unfinished task and answer its pages until back at the
    task list; repeat until every task is done. A detour runs (once) instead of the plain answer
    the first time its page comes up."""
    pending = dict(detours)
    for _ in range(limit):
        assert journey.path == f"{BASE}/tasks", journey.page.url
        todo = unfinished_tasks(journey)
        if not todo:
            assert not pending, f"pages never reached: {sorted(pending)}"
            return
        journey.follow(todo[0][1])
        for _ in range(100):
            if journey.path == f"{BASE}/tasks":
                break
            step = journey.step
            assert step is not None, journey.page.url
            detour = pending.pop(step.page_id, None)
            if detour is not None:
                detour(journey)
            else:
                journey.answer()
        else:
            raise AssertionError("a task never finished")
    raise AssertionError("task list never completed")


def by_key(journey: Journey, key: str) -> Locator:
    """The row of a summary list with this key."""
    exactly = re.compile(rf"^\s*{re.escape(key)}\s*$")
    return journey.page.locator(".govuk-summary-list__row").filter(
        has=journey.page.locator(".govuk-summary-list__key", has_text=exactly)
    )
