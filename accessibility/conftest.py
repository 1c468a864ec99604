"""The accessibility suite's fixtures: one live server and Chromium (from tests/support/browser.py),
a `site` that prepares browser contexts for the page registry (states.py), one `sweep` that visits
every state once and runs the per-page checks, and the report, written when the session ends."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page
from starlette.routing import Route

from accessibility import checks
from accessibility.report import Audit, summary_lines, write_report
from accessibility.states import SETUPS, State, all_states

_AUDIT = pytest.StashKey[Audit]()


@pytest.fixture(scope="session")
def audit(request: pytest.FixtureRequest) -> Audit:
    found = Audit()
    request.config.stash[_AUDIT] = found
    return found


class Site:
    """Browser contexts, one per setup, each prepared once; and the app's routes."""

    def __init__(self, browser: Browser, base_url: str, app: Any) -> None:
        self.browser, self.base_url, self.app = browser, base_url, app
        self._contexts: dict[str, BrowserContext] = {}
        self._pages: dict[str, Page] = {}
        self._results: dict[str, Any] = {}

    def new_context(self, **options: Any) -> BrowserContext:
        options.setdefault("viewport", {"width": 1024, "height": 768})
        return self.browser.new_context(base_url=self.base_url, **options)

    def context(self, setup: str) -> BrowserContext:
        if setup not in self._contexts:
            context = self.new_context()
            self._results[setup] = SETUPS[setup](context, self)
            self._contexts[setup] = context
        return self._contexts[setup]

    def setup_result(self, setup: str) -> Any:
        self.context(setup)
        return self._results[setup]

    def page(self, setup: str) -> Page:
        if setup not in self._pages or self._pages[setup].is_closed():
            self._pages[setup] = self.context(setup).new_page()
        return self._pages[setup]

    def has_route(self, path: str) -> bool:
        return any(isinstance(route, Route) and route.path == path for route in self.app.routes)

    def close(self) -> None:
        for context in self._contexts.values():
            context.close()


@pytest.fixture(scope="session")
def site(browser: Browser, live_server: Any) -> Iterator[Site]:
    app = live_server.server.config.app
    created = Site(browser, live_server.url, app)
    yield created
    created.close()


@pytest.fixture(scope="session")
def states(site: Site) -> list[State]:
    return all_states(site)


# ---------------------------------------------------------------------------------------------
# axe


def run_axe(page: Page) -> dict[str, Any]:
    from tests.support.browser import (  # imported here: it is a pytest plugin too
        AXE_SCRIPT,
        AXE_TAGS,
    )

    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8") + "\n;undefined")
    return page.evaluate(  # type: ignore[no-any-return]
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                               rules: {'target-size': {enabled: true}},
                                               resultTypes: ['violations', 'incomplete']});
            const pick = list => list.map(v => ({id: v.id, help: v.help, impact: v.impact,
                nodes: v.nodes.slice(0, 8).map(n => ({target: n.target.join(' '), summary: n.failureSummary || ''}))}));
            return {violations: pick(r.violations), incomplete: pick(r.incomplete)};
        }""",
        AXE_TAGS,
    )


# ---------------------------------------------------------------------------------------------
# The sweep: every state once, with the per-page checks.


class Sweep:
    def __init__(self) -> None:
        self.audits: dict[str, dict[str, Any]] = {}
        self.states: dict[str, State] = {}
        self.seconds = 0.0

    def sample(self, kinds: tuple[str, ...] = ("page", "question")) -> list[State]:
        """Every non-question page, and the fewest question pages that between them show every
        feature (field macro, component) that any question page has."""
        chosen = [
            s
            for s in self.states.values()
            if s.kind in kinds and s.kind != "question" and s.key in self.audits
        ]
        questions = [
            s
            for s in self.states.values()
            if s.kind == "question" and s.kind in kinds and s.key in self.audits
        ]
        if "error" in kinds:
            questions = [
                s for s in self.states.values() if s.kind == "error" and s.key in self.audits
            ]
            chosen = []
        covered: set[str] = set()
        for s in chosen:
            covered |= set(s.features)
        remaining = list(questions)
        while True:
            best = max(remaining, key=lambda s: len(set(s.features) - covered), default=None)
            if best is None or not set(best.features) - covered:
                break
            chosen.append(best)
            covered |= set(best.features)
            remaining.remove(best)
        return chosen


def check_page(audit: Audit, state: State, page: Page, info: dict[str, Any]) -> None:
    key, url = state.key, page.url
    # axe
    result = run_axe(page)
    for violation in result["violations"]:
        for node in violation["nodes"]:
            audit.fail(
                f"axe:{violation['id']}",
                key,
                f"{violation['help']} ({violation['id']}). {node['summary']}".strip(),
                url=url,
                target=node["target"],
                page_obj=page,
            )
    for item in result["incomplete"]:
        for node in item["nodes"]:
            audit.review(
                f"axe:{item['id']}",
                key,
                f"axe could not decide: {item['help']} ({item['id']})",
                url=url,
                target=node["target"],
            )
    audit.passed(key, "axe", url)

    # structure
    def fail(message: str, target: str = "") -> None:
        audit.fail("structure", key, message, url=url, target=target, page_obj=page)

    title = info["title"]
    if not title.strip():
        fail("The page has no title")
    is_error = state.kind == "error" and page.locator(".govuk-error-summary").count() > 0
    if is_error and not title.startswith("Error: "):
        audit.fail(
            "errors", key, f"Title does not start with 'Error: ': {title!r}", url=url, page_obj=page
        )
    if not is_error and title.startswith("Error"):
        fail(f"Title says Error on a page without errors: {title!r}")
    if len(info["h1"]) != 1:
        fail(f"{len(info['h1'])} h1 elements (there must be exactly 1): {info['h1']}")
    elif info["h1"][0]:
        # The title names the page: it starts with the h1, or the h1 starts with the title's first part.
        first = _norm(title.removeprefix("Error: ").split(" – ")[0])
        h1 = _norm(info["h1"][0])
        if not (h1 in _norm(title) or h1.startswith(first)):
            fail(f"The title {title!r} does not name the page's h1 {info['h1'][0]!r}")
    if not info["jsStarted"]:
        fail(
            "GOV.UK Frontend's JavaScript did not start (a script failed to load?): JavaScript checks on this page are meaningless"
        )
    if not info["cssLoaded"]:
        fail("The stylesheet did not load: every visual check on this page is meaningless")
    levels = [h["level"] for h in info["headings"]]
    if levels and levels[0] != 1:
        fail(f"The first heading is h{levels[0]}, not h1")
    for before, after in itertools.pairwise(levels):
        if after > before + 1:
            fail(f"Heading levels skip from h{before} to h{after}")
    for landmark, count in info["landmarks"].items():
        if count != 1:
            fail(f"{count} {landmark} landmarks (expected 1)")
    if not info["lang"]:
        fail("<html> has no lang")
    for target in info["badLang"]:
        fail("Malformed lang attribute", target)
    for target in info["unmarkedWelsh"]:
        fail('Welsh text without lang="cy"', target)
    for ident in info["duplicateIds"]:
        fail(f"Duplicate id {ident!r}")
    for target in info["outsideLandmarks"]:
        if target not in audit.seen_outside:  # the same banner on every page: list it once
            audit.seen_outside.add(target)
            audit.review(
                "structure",
                key,
                "Visible text outside every landmark (shown once for all pages)",
                url=url,
                target=target,
            )
    audit.passed(key, "structure", url)

    # 1.3.5
    for f in info["fields"]:
        value = f.get("autocomplete")
        if value is not None and not checks.autocomplete_valid(value):
            audit.fail(
                "autocomplete",
                key,
                f"Invalid autocomplete={value!r}",
                url=url,
                target=f["name"],
                page_obj=page,
            )
        # The applicant's own details are asked on the public pages; staff pages are about others.
        expected = None if key.startswith("staff") else checks.PERSONAL_FIELDS.get(f["name"])
        if expected and checks.autocomplete_purpose(value) != expected:
            audit.fail(
                "autocomplete",
                key,
                f"The applicant's own {f['name']} needs autocomplete {expected!r} (has {value!r})",
                url=url,
                target=f["name"],
                page_obj=page,
            )
        if (
            not expected
            and f["name"]
            and value
            and value not in ("off", "on")
            and state.kind != "error"
            and not key.startswith("staff")
            and f["name"].split("-")[0] not in {n.split("-")[0] for n in checks.PERSONAL_FIELDS}
        ):
            audit.review(
                "autocomplete",
                key,
                f"autocomplete={value!r} on a field not listed as the applicant's own",
                url=url,
                target=f["name"],
            )
    if info["fields"]:
        audit.passed(key, "autocomplete", url)

    # 2.5.8 and 1.4.11 (input edges)
    for c in info["controls"]:
        small = c["width"] < 24 or c["height"] < 24
        if (
            small
            and not c["inline"]
            and not c["spaced"]
            and c["type"] not in ("radio", "checkbox", "file")
        ):
            audit.fail(
                "target-size",
                key,
                f"{c['width']}×{c['height']} CSS px is smaller than 24×24",
                url=url,
                target=c["target"],
                page_obj=page,
            )
        edge = c.get("edge")
        if edge and c["type"] not in ("file",) and edge["contrast"] < 3:
            audit.fail(
                "input-contrast",
                key,
                f"Control edge contrast {edge['contrast']}:1 is below 3:1 ({edge['color']})",
                url=url,
                target=c["target"],
                page_obj=page,
            )
    audit.passed(key, "target-size", url)
    if any(c.get("edge") for c in info["controls"]):
        audit.passed(key, "input-contrast", url)


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).lower()


ERROR_BEHAVIOUR = r"""
async () => {
  const out = {focusedSummary: false, links: [], active: ''};
  const summary = document.querySelector('.govuk-error-summary');
  const isSummary = () => document.activeElement === summary || (summary && summary.contains(document.activeElement));
  for (let i = 0; i < 20 && !isSummary(); i++) await new Promise(r => setTimeout(r, 50));
  out.focusedSummary = isSummary();
  out.active = document.activeElement ? document.activeElement.outerHTML.slice(0, 80) : '';
  return out;
}
"""

SUMMARY_LINKS = r"""
() => [...document.querySelectorAll('.govuk-error-summary__list a')].map((a, i) => ({index: i, href: a.getAttribute('href'), text: a.innerText.trim()}))
"""

FOCUS_AFTER_LINK = r"""
(href) => {
  const id = decodeURIComponent(href.replace(/^#/, ''));
  const target = document.getElementById(id);
  const active = document.activeElement;
  let expected = target;
  if (target) {
    const group = target.closest('.govuk-form-group');
    const date = target.closest('.govuk-date-input') || (group && group.querySelector(':scope > fieldset > .govuk-date-input, :scope .govuk-date-input'));
    if (date) expected = date.querySelector('input.govuk-input--error') || date.querySelector('input');
    else if (target.type === 'radio' || target.type === 'checkbox') expected = document.querySelector(`input[name="${target.name}"]`);
  }
  const d = e => e ? (e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.name ? `[name=${e.name}]` : '')) : 'nothing';
  return {ok: !!target && active === expected, target: d(target), expected: d(expected), active: d(active),
          isControl: !!target && target.matches('input, textarea, select')};
}
"""


def check_error_state(audit: Audit, state: State, page: Page, info: dict[str, Any]) -> None:
    key, url = state.key, page.url
    if not page.locator(".govuk-error-summary").count():
        audit.review(
            "errors",
            key,
            "Submitting this page with its fields cleared gave no error (nothing is required here)",
            url=url,
        )
        return
    behaviour = page.evaluate(ERROR_BEHAVIOUR)
    if not behaviour["focusedSummary"]:
        audit.fail(
            "errors",
            key,
            f"Focus did not move to the error summary (focus on {behaviour['active']})",
            url=url,
            page_obj=page,
        )
    links = page.evaluate(SUMMARY_LINKS)
    if not links:
        audit.fail(
            "errors", key, "The error summary has no links to the fields", url=url, page_obj=page
        )
    messages = page.locator(".govuk-error-message").count()
    if messages < len(links):
        audit.fail(
            "errors",
            key,
            f"{len(links)} errors in the summary but {messages} messages by the fields",
            url=url,
            page_obj=page,
        )
    for link in links:
        page.locator(".govuk-error-summary__list a").nth(link["index"]).click()
        result = page.evaluate(FOCUS_AFTER_LINK, link["href"])
        if not result["ok"]:
            audit.fail(
                "errors",
                key,
                f"The summary link {link['text']!r} ({link['href']}) moved focus to {result['active']}, "
                f"not {result['expected']}",
                url=url,
                target=link["href"],
                page_obj=page,
            )
    typed: dict[str, str] = getattr(page, "_typed", {}) or {}
    for name, value in typed.items():
        kept = page.evaluate(
            'n => { const e = document.querySelector(`[name="${n}"]`); return e ? e.value : null }',
            name,
        )
        if kept is not None and kept != value:
            audit.fail(
                "errors",
                key,
                f"What was typed in {name} ({value!r}) was not kept (now {kept!r})",
                url=url,
                target=name,
                page_obj=page,
            )
    audit.passed(key, "errors", url)


@pytest.fixture(scope="session")
def sweep(site: Site, states: list[State], audit: Audit) -> Sweep:
    started = time.monotonic()
    result = Sweep()
    timings: dict[str, float] = {}
    for state in states:
        t0 = time.monotonic()
        page = site.page(state.setup)
        try:
            state.go(page)
            page.wait_for_load_state()
        except Exception as exc:  # noqa: BLE001 - a state that cannot be reached is itself a finding
            audit.fail(
                "structure",
                state.key,
                f"Could not reach this state: {exc}".splitlines()[0],
                url=state.url,
            )
            continue
        t1 = time.monotonic()
        result.states[state.key] = state
        info = checks.page_audit(page)
        t2 = time.monotonic()
        state.features = info["features"]
        result.audits[state.key] = {**info, "url": page.url}
        if state.kind == "error":
            check_error_state(audit, state, page, info)
        t3 = time.monotonic()
        check_page(audit, state, page, info)
        t4 = time.monotonic()
        for name, seconds in (
            ("reach", t1 - t0),
            ("audit", t2 - t1),
            ("errors", t3 - t2),
            ("axe+checks", t4 - t3),
        ):
            timings[name] = timings.get(name, 0.0) + seconds
    result.seconds = time.monotonic() - started
    audit.notes.append(
        f"Sweep of {len(result.states)} states took {result.seconds:.0f} s "
        f"({', '.join(f'{k} {v:.0f} s' for k, v in timings.items())})."
    )
    return result


# ---------------------------------------------------------------------------------------------
# The report: written whenever the accessibility suite ran.


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The statement test compares what every other check found with the known issues: last."""
    last = [item for item in items if "test_statement_lists_exactly" in item.name]
    for item in last:
        items.remove(item)
        items.append(item)


def pytest_sessionfinish(session: pytest.Session) -> None:
    found = session.config.stash.get(_AUDIT, None)
    if found is not None:
        write_report(found)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    found = config.stash.get(_AUDIT, None)
    if found is None:
        return
    path = write_report(found)
    terminalreporter.section("accessibility")
    for line in summary_lines(found):
        terminalreporter.write_line(line)
    terminalreporter.write_line(
        f"Report: {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}"
    )
