"""Ways in and ways to reach us, in a real browser with JavaScript on and off: the home page and
a start page lead back to a saved application; the home page offers each blank paper form."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.support.browser import LiveServer, assert_accessible
from tests.support.firearms import COMPLETE
from tests.support.resume import set_draft

pytestmark = pytest.mark.browser

BASE = "/apply/firearm-certificate"


def _saved_draft(browser: Browser, server: LiveServer, sqlite_url: str, surname: str) -> str:
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
    set_draft(sqlite_url, found.group(1), answers={**COMPLETE, "surname": surname})
    return found.group(1)


def _continue_by_reference(page: Page, reference: str) -> None:
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
    context: BrowserContext = browser.new_context(base_url=live_server.url, java_script_enabled=javascript)
    try:
        page = context.new_page()
        page.goto(entry)
        link = page.get_by_role("link", name=re.compile("Continue (a saved application|an application you have already started)"))
        expect(link).to_have_count(1)
        link.click()
        _continue_by_reference(page, reference)
        page.goto(f"{BASE}/surname")
        expect(page.locator("#surname")).to_have_value("Comeback")
    finally:
        context.close()


def test_home_page_links_each_blank_paper_form(page: Page) -> None:
    page.goto("/")
    link = page.get_by_role("link", name=re.compile(r"Blank paper form: .* \(PDF\)"))
    expect(link).to_have_count(1)
    href = link.get_attribute("href")
    assert href == "/forms/firearm-certificate.pdf"
    response = page.request.get(href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    assert_accessible(page)
