"""In a real browser: the referee guidance page, and the home address page when its postcode is
another force's, pass the accessibility checks, and the way to change the force works."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import assert_accessible
from tests.support.firearms import COMPLETE
from tests.support.resume import set_draft

pytestmark = pytest.mark.browser

BASE = "/apply/firearm-certificate"


def test_the_referee_guidance_page_is_accessible(page: Page) -> None:
    page.goto(f"{BASE}/guide/referees")
    expect(page.locator("h1")).to_have_text("Guidance for referees")
    assert_accessible(page)


def test_a_home_address_in_another_force_area_offers_to_change_the_force(
    page: Page, sqlite_url: str
) -> None:
    page.goto(BASE)
    page.get_by_role("button", name="Start now").click()
    page.locator("input[name=postcode]").fill("LS1 1UR")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/tasks$"))
    page.goto(f"{BASE}/save-and-return")
    found = re.search(r"Your reference is ([A-Z0-9]{4}-[A-Z0-9]{4})", page.content())
    assert found
    set_draft(sqlite_url, found.group(1), answers=COMPLETE)
    page.goto(f"{BASE}/home_address")
    page.locator("#home_address-postcode").fill("M1 1AE")
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("in the area of Greater Manchester Police, not West Yorkshire")
    assert_accessible(page)
    page.get_by_role("link", name="Change the police force your application goes to").click()
    page.wait_for_url(re.compile(r"/force$"))
    expect(page.locator("input[name=postcode]")).to_have_value("M1 1AE")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/tasks$"))
    page.goto(f"{BASE}/check")
    expect(page.locator("h1")).to_contain_text("Check your answers")
