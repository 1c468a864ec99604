"""Save and come back later in a real browser, with a real SMTP server on loopback: save in one
browser context, read the email, resume in a fresh context and find every answer; the link
fails cleanly the second time and once expired; resume by reference; the timeout dialog by
keyboard and with axe."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.conftest import make_settings
from tests.support.browser import LiveServer, assert_accessible
from tests.support.firearms import COMPLETE
from tests.support.mail import MailServer
from tests.support.resume import set_draft, token_in
from webapp.app import create_app
from webapp.store.models import utcnow

pytestmark = pytest.mark.browser

BASE = "/apply/firearm-certificate"


@pytest.fixture(scope="module")
def mail_server() -> Iterator[MailServer]:
    server = MailServer()
    server.start()
    yield server
    server.stop()


def _serve(sqlite_url: str, **overrides: object) -> LiveServer:
    settings = make_settings(sqlite_url, **overrides)
    app = create_app(settings)
    server = LiveServer(app)
    # Links in emails must point at this server.
    app.state.settings = dataclasses.replace(settings, base_url=server.url)
    server.start()
    return server


@pytest.fixture(scope="module")
def resume_server(sqlite_url: str, mail_server: MailServer) -> Iterator[LiveServer]:
    server = _serve(sqlite_url, smtp_url=mail_server.url)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def short_session_server(sqlite_url: str) -> Iterator[LiveServer]:
    # The warning opens a second after each page load or extension.
    server = _serve(sqlite_url, session_idle_seconds=121, session_warning_seconds=120)
    yield server
    server.stop()


def fresh(browser: Browser, server: LiveServer) -> BrowserContext:
    return browser.new_context(base_url=server.url)


def start_application(page: Page) -> None:
    page.goto(BASE)
    page.get_by_role("button", name="Start now").click()
    page.locator("input[name=postcode]").fill("LS1 1UR")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/tasks$"))


def test_save_email_resume_in_a_fresh_context(
    browser: Browser, resume_server: LiveServer, mail_server: MailServer
) -> None:
    first = fresh(browser, resume_server)
    page = first.new_page()
    start_application(page)
    page.goto(f"{BASE}/certificates")
    page.get_by_label("Firearm certificate").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/fac_kind$"))
    page.locator("input[name=fac_kind][value=grant]").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/fee_exemption$"))
    page.locator("input[name=fee_exemption][value=no]").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/tasks$"))
    page.goto(f"{BASE}/gender")
    page.locator("input[name=gender][value=female]").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/name$"))
    page.locator("#title").fill("Ms")
    page.locator("#surname").fill("Jones")
    page.get_by_role("button", name="Save and come back later").click()
    page.wait_for_url(re.compile(r"/save-and-return$"))
    assert_accessible(page)
    page.locator("#email").fill("ann.e2e@example.com")
    before = len(mail_server.catcher.messages)
    page.get_by_role("button", name="Send me a link").click()
    page.wait_for_url(re.compile(r"/saved$"))
    reference = page.locator("main p.govuk-body strong").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", reference)
    assert_accessible(page)
    first.close()

    message = mail_server.wait_for(before + 1)[before]
    body = message.get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert reference in body and "Jones" not in body
    link = re.search(r"http://\S+/resume/\S+", body)
    assert link and link.group(0).startswith(resume_server.url)

    second = fresh(browser, resume_server)
    page = second.new_page()
    page.goto(link.group(0))
    page.wait_for_url(re.compile(r"/resume$"))  # the token has left the address bar
    assert token_in(body) not in page.url
    assert_accessible(page)
    page.get_by_role("button", name="Continue your application").click()
    page.wait_for_url(re.compile(r"/tasks$"))
    page.goto(f"{BASE}/name")
    expect(page.locator("#surname")).to_have_value("Jones")
    expect(page.locator("#title")).to_have_value("Ms")
    page.goto(f"{BASE}/gender")
    expect(page.locator("input[name=gender][value=female]")).to_be_checked()
    page.goto(f"{BASE}/certificates")
    expect(page.get_by_label("Firearm certificate")).to_be_checked()
    second.close()

    third = fresh(browser, resume_server)
    page = third.new_page()
    page.goto(link.group(0))
    expect(page.locator("h1")).to_have_text("Your link has expired or has already been used")
    assert_accessible(page)
    page.get_by_role("button", name="Get a new link").click()
    page.wait_for_url(re.compile(r"/resume/new-link$"))
    third.close()


def test_an_expired_link_fails_cleanly(
    browser: Browser, resume_server: LiveServer, mail_server: MailServer
) -> None:
    first = fresh(browser, resume_server)
    page = first.new_page()
    start_application(page)
    page.goto(f"{BASE}/certificates")
    page.get_by_label("Shotgun certificate").check()
    page.get_by_role("button", name="Save and come back later").click()
    page.locator("#email").fill("expiry.e2e@example.com")
    before = len(mail_server.catcher.messages)
    page.get_by_role("button", name="Send me a link").click()
    page.wait_for_url(re.compile(r"/saved$"))
    first.close()
    body = mail_server.wait_for(before + 1)[before].get_payload(decode=True).decode()  # type: ignore[union-attr]
    link = re.search(r"http://\S+/resume/\S+", body)
    assert link

    app = resume_server.server.config.app
    app.state.clock = lambda: utcnow() + timedelta(days=28, hours=1)
    try:
        later = fresh(browser, resume_server)
        page = later.new_page()
        page.goto(link.group(0))
        expect(page.locator("h1")).to_have_text("Your link has expired or has already been used")
        later.close()
    finally:
        app.state.clock = utcnow


def test_resume_by_reference_date_of_birth_and_postcode(
    browser: Browser, resume_server: LiveServer, sqlite_url: str
) -> None:
    first = fresh(browser, resume_server)
    page = first.new_page()
    start_application(page)
    page.goto(f"{BASE}/save-and-return")
    reference = re.search(r"Your reference is ([A-Z0-9]{4}-[A-Z0-9]{4})", page.content())
    assert reference
    first.close()
    set_draft(sqlite_url, reference.group(1), answers={**COMPLETE, "surname": "Byref"})

    second = fresh(browser, resume_server)
    page = second.new_page()
    page.goto("/resume/reference")
    assert_accessible(page)
    page.locator("#reference").fill(reference.group(1).lower())
    page.locator("#date_of_birth-day").fill("3")
    page.locator("#date_of_birth-month").fill("2")
    page.locator("#date_of_birth-year").fill("1980")
    page.locator("#postcode").fill("ls1 1ur")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/tasks$"))
    page.goto(f"{BASE}/name")
    expect(page.locator("#surname")).to_have_value("Byref")
    second.close()


def _focused_in_dialog(page: Page) -> bool:
    return bool(page.evaluate("() => !!document.activeElement.closest('dialog[open]')"))


def test_timeout_dialog_by_keyboard_and_with_axe(
    browser: Browser, short_session_server: LiveServer
) -> None:
    context = fresh(browser, short_session_server)
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    start_application(page)
    page.goto(f"{BASE}/certificates")
    dialog = page.locator("dialog.app-timeout-dialog")
    expect(dialog).to_be_visible(timeout=5000)
    # Announced as a dialog with its heading and message; focus is moved into it.
    # No account here: nothing says "signed in" or "signed out" (GOV.UK's wording for services
    # without accounts), in what is shown or in what the live region announces.
    expect(page.get_by_role("dialog", name="Your application will close soon")).to_be_visible()
    expect(page.locator("[data-timeout-announce]")).to_contain_text(
        "For your security, we will close your application on this device in"
    )
    assert "signed" not in dialog.inner_text().lower()
    assert page.evaluate("() => document.activeElement.id") == "app-timeout-heading"
    assert_accessible(page)
    # Focus stays inside while tabbing either way.
    for key in ["Tab"] * 5 + ["Shift+Tab"] * 5:
        page.keyboard.press(key)
        assert _focused_in_dialog(page), key
    # Escape closes it and extends the session.
    with page.expect_response(
        lambda response: response.url.endswith("/session/extend")
    ) as extended:
        page.keyboard.press("Escape")
    assert extended.value.status == 200
    expect(dialog).to_be_hidden()
    # It can be extended again and again (WCAG 2.2.1 asks for at least 10 times).
    for _time in range(10):
        expect(dialog).to_be_visible(timeout=5000)
        with page.expect_response(
            lambda response: response.url.endswith("/session/extend")
        ) as extended:
            page.get_by_role("button", name="Continue with your application").click()
        assert extended.value.status == 200
        expect(dialog).to_be_hidden()
    # Still signed in to the draft: the page works.
    page.goto(f"{BASE}/certificates")
    expect(page.locator("h1, legend h1").first).to_contain_text("Which certificates")
    expect(dialog).to_be_visible(timeout=5000)
    page.get_by_role("link", name="Close your application on this device").click()
    expect(page.locator("h1")).to_have_text("We have closed your application on this device")
    assert errors == []
    context.close()


@pytest.mark.parametrize(
    "path",
    ["/resume", "/resume/new-link", "/resume/new-link/sent", "/session/ended", f"{BASE}/timed-out"],
)
def test_other_resume_pages_pass_axe_without_javascript(nojs_page: Page, path: str) -> None:
    nojs_page.goto(path)
    expect(nojs_page.locator("h1")).to_be_visible()
    assert_accessible(nojs_page)


def test_reference_errors_pass_axe(page: Page) -> None:
    page.goto("/resume/reference")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
