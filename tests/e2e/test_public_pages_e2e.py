"""Ways in and ways to reach us, in a real browser with JavaScript on and off: the home page and
a start page lead back to a saved application; the home page offers each blank paper form."""

from __future__ import annotations

import dataclasses
import re
import time
import uuid
from collections.abc import Iterator
from email.message import Message

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import text

from tests.conftest import make_settings
from tests.support.browser import NO_JAVASCRIPT_CONTEXTS, LiveServer, assert_accessible
from tests.support.firearms import COMPLETE
from tests.support.mail import MailServer
from tests.support.pay import declare_and_pay_in_browser
from tests.support.resume import set_draft, unique_email
from webapp.app import create_app
from webapp.services import SERVICES
from webapp.store.db import create_sync_engine

pytestmark = pytest.mark.browser

BASE = "/apply/firearm-certificate"


def _saved_draft(
    browser: Browser, server: LiveServer, sqlite_url: str, surname: str, **answers: str
) -> str:
    """A draft started in another browser, with answers: its reference."""
    other = browser.new_context(base_url=server.url)
    page = other.new_page()
    page.goto(BASE)
    page.get_by_role("button", name="Start now").click()
    page.locator("input[name=postcode]").fill("LS1 1UR")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/tasks$"))
    page.goto(f"{BASE}/save-and-return")
    found = re.search(r"Your reference is ([A-Z0-9]{4}-[A-Z0-9]{4})", page.content())
    assert found
    other.close()
    set_draft(sqlite_url, found.group(1), answers={**COMPLETE, "surname": surname, **answers})
    return found.group(1)


def _continue_by_reference(page: Page, reference: str, via_start: bool = True) -> None:
    if via_start:
        expect(page.locator("h1")).to_have_text("Continue an application you have saved")
        page.get_by_role("link", name="Use your reference, date of birth and postcode").click()
    page.locator("#reference").fill(reference)
    page.locator("#date_of_birth-day").fill("3")
    page.locator("#date_of_birth-month").fill("2")
    page.locator("#date_of_birth-year").fill("1980")
    page.locator("#postcode").fill("LS1 1UR")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/tasks$"))


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("entry", ["/", BASE], ids=["home", "start"])
def test_continue_a_saved_application_from_home_and_start_page(
    browser: Browser, live_server: LiveServer, sqlite_url: str, javascript: bool, entry: str
) -> None:
    reference = _saved_draft(browser, live_server, sqlite_url, "Comeback")
    context: BrowserContext = browser.new_context(
        base_url=live_server.url, java_script_enabled=javascript
    )
    try:
        page = context.new_page()
        page.goto(entry)
        link = page.get_by_role(
            "link",
            name=re.compile(
                "Continue (a saved application|an application you have already started)"
            ),
        )
        expect(link).to_have_count(1)
        link.click()
        _continue_by_reference(page, reference)
        page.goto(f"{BASE}/name")
        expect(page.locator("#surname")).to_have_value("Comeback")
    finally:
        context.close()


def test_home_page_links_each_blank_paper_form(page: Page) -> None:
    page.goto("/")
    links = page.get_by_role("link", name=re.compile(r"Blank paper form: .* \(PDF\)"))
    expect(links).to_have_count(len(SERVICES))
    hrefs = [links.nth(index).get_attribute("href") for index in range(len(SERVICES))]
    assert hrefs == [f"/forms/{slug}.pdf" for slug in SERVICES]
    for href in hrefs:
        assert href is not None
        response = page.request.get(href)
        assert response.status == 200 and response.headers["content-type"] == "application/pdf"
        assert response.body().startswith(b"%PDF")
    assert_accessible(page)


@pytest.fixture(scope="module")
def mail_server() -> Iterator[MailServer]:
    server = MailServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def mailing_server(sqlite_url: str, mail_server: MailServer) -> Iterator[LiveServer]:
    settings = make_settings(sqlite_url, smtp_url=mail_server.url)
    app = create_app(settings)
    server = LiveServer(app)
    app.state.settings = dataclasses.replace(settings, base_url=server.url)  # links in emails
    server.start()
    yield server
    server.stop()


def _context(
    browser: Browser, server: LiveServer, javascript: bool, **options: object
) -> BrowserContext:
    """A browser context; axe is run differently in one with JavaScript off (see assert_accessible)."""
    context = browser.new_context(base_url=server.url, java_script_enabled=javascript, **options)  # type: ignore[arg-type]
    if not javascript:
        NO_JAVASCRIPT_CONTEXTS.add(id(context))
    return context


def _body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    return payload.decode() if isinstance(payload, bytes) else str(message.get_payload())


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_confirmation_email_and_the_copy_it_links_to(
    browser: Browser,
    mailing_server: LiveServer,
    mail_server: MailServer,
    sqlite_url: str,
    javascript: bool,
) -> None:
    address = unique_email("sent")
    reference = _saved_draft(browser, mailing_server, sqlite_url, "Sender", email=address)
    applicant = _context(browser, mailing_server, javascript)
    try:
        page = applicant.new_page()
        page.goto("/resume/reference")
        _continue_by_reference(page, reference, via_start=False)
        page.goto(f"{BASE}/declaration")
        declare_and_pay_in_browser(page, BASE)
        page.wait_for_url(re.compile(r"/confirmation$"))
        expect(page.get_by_text(f"We have sent a confirmation email to {address}")).to_be_visible()
        assert_accessible(page)
    finally:
        NO_JAVASCRIPT_CONTEXTS.discard(id(applicant))
        applicant.close()

    deadline = time.monotonic() + 10
    while not (mine := [m for m in mail_server.catcher.messages if m["To"] == address]):
        assert time.monotonic() < deadline, "no confirmation email"
        time.sleep(0.05)
    body = _body(mine[0])
    assert reference in mine[0]["Subject"] and reference in body and "Sender" not in body
    link = re.search(r"(http://\S+/copy)\b", body)
    assert link, body

    reader = _context(browser, mailing_server, javascript, accept_downloads=True)
    try:
        page = reader.new_page()
        page.goto(link.group(1))
        expect(page.locator("h1")).to_have_text("Get a copy of your application")
        assert_accessible(page)
        page.locator("#reference").fill(reference)
        page.locator("#date_of_birth-day").fill("4")
        page.locator("#date_of_birth-month").fill("2")
        page.locator("#date_of_birth-year").fill("1980")
        page.get_by_role("button", name="Continue").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "We could not find a sent application"
        )
        assert_accessible(page)
        page.locator("#date_of_birth-day").fill("3")
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(re.compile(r"/copy/ready$"))
        assert_accessible(page)
        with page.expect_download() as download:
            page.get_by_role("link", name="Download a copy of your application (PDF)").click()
        assert download.value.suggested_filename == f"{reference}.pdf"
        assert download.value.path().read_bytes().startswith(b"%PDF-")
        expect(page.locator("h1")).to_have_text("Your copy is ready")  # the page is unchanged
    finally:
        NO_JAVASCRIPT_CONTEXTS.discard(id(reader))
        reader.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_feedback_from_the_contact_page(
    browser: Browser, live_server: LiveServer, sqlite_url: str, javascript: bool
) -> None:
    words = f"Make the paper form bigger {uuid.uuid4().hex[:8]}"
    context = _context(browser, live_server, javascript)
    try:
        page = context.new_page()
        page.goto("/contact")
        expect(page.get_by_text("Text relay: 18001 101").first).to_be_visible()
        expect(page.locator("main a[href^='mailto:']").first).to_be_visible()
        assert_accessible(page)
        page.get_by_role("link", name="Tell us what you think of this service").click()
        expect(page.locator("h1")).to_have_text("Give feedback on Blue Lamp")
        assert_accessible(page)
        page.get_by_label("How could we improve this service?").fill(words)
        page.get_by_role("button", name="Send feedback").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Select how you felt about the service"
        )
        expect(page.get_by_label("How could we improve this service?")).to_have_value(words)
        assert_accessible(page)
        page.get_by_label("Satisfied", exact=True).check()
        page.get_by_role("button", name="Send feedback").click()
        page.wait_for_url(re.compile(r"/feedback/sent$"))
        expect(page.locator("h1")).to_have_text("Feedback sent")
        assert_accessible(page)
    finally:
        NO_JAVASCRIPT_CONTEXTS.discard(id(context))
        context.close()
    engine = create_sync_engine(sqlite_url)
    try:
        with engine.connect() as connection:
            stored = connection.execute(
                text("SELECT satisfaction FROM feedback WHERE improvement = :w"), {"w": words}
            ).all()
    finally:
        engine.dispose()
    assert [row[0] for row in stored] == ["satisfied"]


def test_staff_send_the_confirmation_email_for_a_caller(
    browser: Browser, mailing_server: LiveServer, mail_server: MailServer, sqlite_url: str
) -> None:
    from tests.e2e.test_staff_back_office import _sign_in
    from tests.support.staff import PASSWORD, new_staff, sent_application

    address = unique_email("caller")
    application = sent_application(sqlite_url, "cheshire", channel="phone")
    set_draft(sqlite_url, application.reference, answers={**application.answers, "email": address})
    staff = new_staff(sqlite_url, "cheshire")
    context = browser.new_context(base_url=mailing_server.url)
    try:
        page = context.new_page()
        _sign_in(page, staff.email, PASSWORD, staff.totp_secret)
        page.goto(f"/staff/applications/{application.id}")
        page.get_by_role("button", name=re.compile("Send the confirmation email")).click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            f"Confirmation email sent to {address}"
        )
        expect(page.locator("h1")).to_contain_text(application.reference)
        assert_accessible(page)
    finally:
        context.close()
    deadline = time.monotonic() + 10
    while not (mine := [m for m in mail_server.catcher.messages if m["To"] == address]):
        assert time.monotonic() < deadline, "no confirmation email"
        time.sleep(0.05)
    assert application.reference in _body(mine[0])
