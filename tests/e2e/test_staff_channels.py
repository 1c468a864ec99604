"""Staff take an application by phone for a caller with no email address and no digital photo,
in Chromium with JavaScript on: the email may be left empty and the photos marked to follow by
post; the case then says to write, and shows the photos outstanding until staff record them."""

from __future__ import annotations

import copy
import re

import pytest
from playwright.sync_api import Page

from tests.e2e.test_staff_back_office import BrowserClient, _sign_in
from tests.integration.test_firearms_journey import BASE, complete_every_task
from tests.support.browser import assert_accessible
from tests.support.firearms import COMPLETE
from tests.support.pay import pay_in_browser
from tests.support.staff import PASSWORD, new_staff

pytestmark = pytest.mark.browser


def test_phone_application_without_email_or_digital_photo(page: Page, sqlite_url: str) -> None:
    staff = new_staff(sqlite_url, "west-mercia")
    _sign_in(page, staff.email, PASSWORD, staff.totp_secret)
    page.click("a:has-text('apply for a caller by phone')")
    page.click("button:has-text('Start a phone application')")
    assert page.url.endswith(f"{BASE}/tasks")

    # The long journey is posted through the page's own session; the two relaxed pages are
    # then answered by hand, from check answers, as staff would correct them.
    complete_every_task(BrowserClient(page))  # type: ignore[arg-type]
    page.goto(f"{BASE}/check")
    page.click(f"a[href^='{BASE}/email?return=check']")
    page.wait_for_url(f"**{BASE}/email?return=check*")
    assert "Leave this empty if the applicant has no email address" in page.content()
    assert_accessible(page)
    page.fill("#email", "")
    page.click("button:has-text('Continue')")
    page.wait_for_url(f"**{BASE}/check")
    assert "There is a problem" not in page.content()

    page.click(f"a[href^='{BASE}/photo_route?return=check']")
    page.wait_for_url(f"**{BASE}/photo_route?return=check*")
    assert_accessible(page)
    page.check("input[name=photo_route][value=post]")
    page.click("button:has-text('Continue')")
    page.wait_for_url(f"**{BASE}/check")
    summary = page.locator("main").inner_text()
    assert "Photos to follow by post" in summary and "me.png" not in summary

    page.goto(f"{BASE}/declaration")
    assert "The applicant confirmed this declaration by phone" in page.content()
    page.check("#confirm")
    page.click("form[action$='/declaration'] button")
    # The fee, by the caller's card read out over the phone: on GOV.UK Pay's page, as MOTO.
    page.wait_for_url(f"**{BASE}/payment")
    assert page.locator("h1").inner_text() == "Take the card payment"
    assert_accessible(page)
    page.get_by_role("button", name="Continue to payment").click()
    page.wait_for_url(lambda url: "/apply/" not in url)
    assert "This is a telephone payment" in page.content()
    pay_in_browser(page)
    page.wait_for_url("**/staff/applications/*/sent")
    found = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}", page.locator("main").inner_text())
    assert found
    reference = found.group(0)

    # The case: write to the applicant; photos outstanding until recorded received.
    page.goto(f"/staff/applications/reference/{reference}")
    main = page.locator("main")
    assert "No email address: write to the applicant" in main.inner_text()
    assert "Assisted digital (phone)" in main.inner_text()
    assert "The applicant confirmed this declaration by phone" in main.inner_text()
    assert "Outstanding" in page.locator("#by-post + dl").inner_text()
    assert (
        page.locator("img.app-staff-photo").count() == 0
    )  # the photo uploaded first no longer counts
    assert_accessible(page)
    page.click("button:has-text('Record photos received')")
    page.locator(".govuk-notification-banner").wait_for()
    assert "Photos recorded as received" in main.inner_text()
    assert "Received" in page.locator("#by-post + dl").inner_text()
    assert page.locator("button:has-text('Record photos received')").count() == 0
    assert_accessible(page)

    # The PDF copy says how it was taken.
    with page.expect_download() as download:
        page.click("a:has-text('Download the application as a PDF')")
    path = download.value.path()
    assert path is not None
    from pypdf import PdfReader

    text = " ".join(" ".join(p.extract_text() or "" for p in PdfReader(path).pages).split())
    assert "By phone, with police staff (assisted digital)" in text
    assert "The applicant confirmed this declaration by phone to" in text


def test_the_online_journey_never_offers_photos_by_post(page: Page) -> None:
    """Without staff, the photo page asks for a photo and there is no 'by post' page."""
    answers = copy.deepcopy(COMPLETE)
    page.goto(f"{BASE}")
    page.click("button:has-text('Start now')")
    page.fill("#postcode", "LS1 1UR")
    page.click("button:has-text('Continue')")
    page.wait_for_url(f"**{BASE}/tasks")
    complete_every_task(BrowserClient(page), answers)  # type: ignore[arg-type]
    page.goto(f"{BASE}/photo_route")
    assert not page.url.endswith("/photo_route")
    page.goto(f"{BASE}/email?return=check")
    page.fill("#email", "")
    page.click("button:has-text('Continue')")
    page.locator(".govuk-error-summary").wait_for()
    assert "Enter your email address" in page.locator(".govuk-error-summary").inner_text()
