"""Browser fixtures: a live server, Debian's Chromium driven by Playwright, and axe-core.

Playwright cannot download its own browsers here, so we drive the system Chromium
(`/usr/bin/chromium`, or PLAYWRIGHT_CHROMIUM_EXECUTABLE).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from webapp.app import create_app

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Everything WCAG 2.2 AA asks that axe can test, plus target-size, which axe leaves off by default.
# True once the page has settled: with JavaScript on, htmx has finished swapping (it may change
# the address before it has swapped and settled the new page), and GOV.UK Frontend has started
# every component on it (it marks each with `data-<module>-init`; until then a component may
# still rebuild its markup: the file upload replaces its input with a button, so a key pressed
# too early lands on an element that is about to go). Without JavaScript (GOV.UK's
# `govuk-frontend-supported` class never set) a loaded page is settled.
SETTLED_JS = """() =>
    !document.body.classList.contains('govuk-frontend-supported')
    || (!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')
        && [...document.querySelectorAll('[data-module^="govuk-"]')]
            .every(e => e.dataset.module.split(' ').every(m => e.hasAttribute(`data-${m}-init`))))"""
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def intercept_file_choosers(page: Page) -> None:
    """Have Playwright take over file dialogs on this page from now on.

    `expect_file_chooser` turns interception on as it starts listening, but the browser may get
    that message after the key press that opens the dialog (the subscription is sent without
    waiting), and then no `filechooser` event ever comes. Listening from the start avoids the race.
    """
    page.on("filechooser", lambda _chooser: None)


def chromium_path() -> str:
    path = os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE") or shutil.which("chromium")
    if not path:
        pytest.fail("Chromium is not installed: run `make test`, which installs Debian's chromium")
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """The real app served by uvicorn in a background thread."""

    def __init__(self, app: object) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("live server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(sqlite_url: str) -> Iterator[LiveServer]:
    from tests.conftest import make_settings

    server = LiveServer(create_app(make_settings(sqlite_url, base_url="")))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def context(browser: Browser, live_server: LiveServer) -> Iterator[BrowserContext]:
    ctx = browser.new_context(base_url=live_server.url)
    yield ctx
    ctx.close()


@pytest.fixture
def nojs_context(browser: Browser, live_server: LiveServer) -> Iterator[BrowserContext]:
    ctx = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    NO_JAVASCRIPT_CONTEXTS.add(id(ctx))
    yield ctx
    NO_JAVASCRIPT_CONTEXTS.discard(id(ctx))
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def nojs_page(nojs_context: BrowserContext) -> Page:
    return nojs_context.new_page()


class AxeViolations(AssertionError):
    pass


# Contexts made with JavaScript off. Playwright cannot wait for axe's promise in such a page
# (timers never fire), so axe runs on a copy of the page's HTML, scripts removed, loaded at the
# same address in a JavaScript-enabled page: the same DOM and styles a no-JavaScript visitor gets.
NO_JAVASCRIPT_CONTEXTS: set[int] = set()
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.IGNORECASE | re.DOTALL)


def _evaluate(page: Page, expression: str, arg: object = None) -> object:
    if id(page.context) not in NO_JAVASCRIPT_CONTEXTS:
        return page.evaluate(expression, arg)
    html = _SCRIPT.sub("", page.content())
    browser = page.context.browser
    assert browser is not None
    copy_context = browser.new_context(viewport=page.viewport_size)
    try:
        copy = copy_context.new_page()
        copy.route(
            page.url,
            lambda route: route.fulfill(
                status=200, content_type="text/html; charset=utf-8", body=html
            ),
        )
        copy.goto(page.url)
        return copy.evaluate(expression, arg)
    finally:
        copy_context.close()


def axe_violations(page: Page) -> list[dict[str, object]]:
    """Run axe-core on the page as it is now (with JavaScript on or off for the page)."""
    if not AXE_SCRIPT.exists():
        pytest.fail("axe-core is missing: run `npm ci` (make test does)")
    result = _evaluate(
        page,
        """async ([source, tags]) => {
            if (!window.axe) { (0, eval)(source); }
            const r = await axe.run(document, {
                runOnly: {type: 'tag', values: tags},
                rules: {'target-size': {enabled: true}},
                resultTypes: ['violations'],
            });
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.failureSummary),
            }));
        }""",
        [AXE_SCRIPT.read_text(encoding="utf-8"), AXE_TAGS],
    )
    return list(result)  # type: ignore[call-overload]


def assert_accessible(page: Page) -> None:
    """Fail with a readable list of axe violations, if there are any."""
    violations = axe_violations(page)
    if violations:
        lines = [f"{len(violations)} axe violation(s) on {page.url}:"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            lines.extend(f"    {node}" for node in violation["nodes"])  # type: ignore[union-attr]
        raise AxeViolations("\n".join(lines))
