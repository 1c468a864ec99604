"""The back office in a real browser: an administrator creates a caseworker; the caseworker
sets up TOTP, takes a phone application, keys in a paper form, finds both, downloads a PDF and
moves a status; the administrator then sees every step in the audit log. Pages pass axe."""

from __future__ import annotations

import io
import re
import time
import uuid
from typing import Any
from urllib.parse import urlencode

import pyotp
import pytest
from playwright.sync_api import APIResponse, Page
from pypdf import PdfWriter

from tests.integration.test_firearms_journey import BASE, complete_every_task
from tests.support.browser import assert_accessible
from tests.support.staff import PASSWORD, new_staff

pytestmark = pytest.mark.browser


class _Response:
    def __init__(self, response: APIResponse) -> None:
        self.status_code = response.status
        self.headers = response.headers
        self.text = response.text()


class BrowserClient:
    """The journey helpers' client interface over the page's own cookies (Playwright's request
    context shares them), so the long journey is posted rather than clicked, as a browser would."""

    def __init__(self, page: Page) -> None:
        self.request = page.request

    def get(self, url: str, follow_redirects: bool = True) -> _Response:
        return _Response(self.request.get(url, max_redirects=20 if follow_redirects else 0))

    def post(self, url: str, data: dict[str, Any], files: Any = None, follow_redirects: bool = True) -> _Response:
        redirects = 20 if follow_redirects else 0
        if files:
            multipart: dict[str, Any] = {key: str(value) for key, value in data.items()}
            for name, (filename, content, mime) in files.items():
                multipart[name] = {"name": filename, "mimeType": mime, "buffer": content}
            return _Response(self.request.post(url, multipart=multipart, max_redirects=redirects))
        body = urlencode(data, doseq=True)
        return _Response(self.request.post(
            url, data=body, headers={"content-type": "application/x-www-form-urlencoded"},
            max_redirects=redirects))


def _sign_in(page: Page, email: str, password: str, secret: str | None, offset: int = 0) -> str:
    page.goto("/staff/sign-in")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button:has-text('Continue')")
    if secret is None:  # first sign-in: set up the authenticator app from the page
        assert page.locator("h1").inner_text() == "Set up your authenticator app"
        assert page.locator("figure svg").count() == 1
        assert_accessible(page)
        secret = "".join(page.locator("#totp-secret").inner_text().split())
    page.fill("#code", pyotp.TOTP(secret).at(time.time() + 30 * offset))
    page.click("button:has-text('Sign in')")
    assert page.locator("h1").inner_text() == "Dashboard", page.content()[:3000]
    return secret


def _sign_out(page: Page) -> None:
    page.click("button:has-text('Sign out')")
    assert page.locator("h1").inner_text() == "You have signed out"


def _finish_and_send(page: Page, wording: str) -> str:
    complete_every_task(BrowserClient(page))  # type: ignore[arg-type]
    page.goto(f"{BASE}/declaration")
    assert wording in page.content()
    assert_accessible(page)
    page.check("#confirm")
    page.click("form[action$='/declaration'] button")
    page.wait_for_url(f"**{BASE}/confirmation")
    reference = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}", page.locator("main").inner_text())
    assert reference, page.content()[:2000]
    return reference.group(0)


def _scan() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_caseworker_day_in_the_back_office(page: Page, sqlite_url: str) -> None:
    admin = new_staff(sqlite_url, "west-mercia", role="admin")
    _sign_in(page, admin.email, PASSWORD, admin.totp_secret)
    assert_accessible(page)

    # The administrator creates a caseworker.
    page.click("a:has-text('Staff accounts')")
    caseworker_email = f"case.{uuid.uuid4().hex[:8]}@west-mercia.police.example"
    caseworker_password = "evening mist over malvern"
    page.fill("#name", "Casey Worker")
    page.fill("#email", caseworker_email)
    page.check("input[name=role][value=caseworker]")
    page.fill("#password", caseworker_password)
    page.click("button:has-text('Add member of staff')")
    assert caseworker_email in page.locator("table").inner_text()
    assert_accessible(page)
    _sign_out(page)

    # The caseworker signs in for the first time and sets up TOTP.
    _sign_in(page, caseworker_email, caseworker_password, None)

    # A phone application, through the public journey.
    page.click("a:has-text('apply for a caller by phone')")
    assert_accessible(page)
    page.click("button:has-text('Start a phone application')")
    assert page.url.endswith(f"{BASE}/tasks")
    phone_reference = _finish_and_send(page, "The applicant confirmed this declaration by phone")

    # A paper form, with its scan.
    page.goto("/staff/apply/firearm-certificate")
    page.fill("#received-day", "3")
    page.fill("#received-month", "3")
    page.fill("#received-year", "2025")
    page.set_input_files("#scan", files=[{"name": "form.pdf", "mimeType": "application/pdf", "buffer": _scan()}])
    page.click("button:has-text('Start keying in the paper form')")
    assert page.url.endswith(f"{BASE}/tasks")
    paper_reference = _finish_and_send(page, "signed this declaration on the paper form")

    # Find both.
    page.goto("/staff/applications")
    page.fill("#surname", "Jones")
    page.select_option("#channel", "assisted")
    page.click("button:has-text('Search')")
    assert phone_reference in page.locator("main").inner_text()
    assert_accessible(page)
    page.goto("/staff/applications")
    page.fill("#reference", paper_reference)
    page.click("button:has-text('Search')")
    page.click(f"a:has-text('{paper_reference}')")
    assert "Paper form" in page.locator("main").inner_text()
    assert_accessible(page)

    # Download its PDF, then move its status.
    with page.expect_download() as download:
        page.click("a:has-text('Download the application as a PDF')")
    path = download.value.path()
    assert path is not None
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    page.click("a:has-text('Change')")
    page.check("input[name=status][value=medical_check]")
    page.fill("#note", "Medical form sent to the GP")
    assert_accessible(page)
    page.click("button:has-text('Change status')")
    assert "Status changed to Medical check" in page.locator("main").inner_text()
    _sign_out(page)

    # Every step is in the administrator's audit log.
    _sign_in(page, admin.email, PASSWORD, admin.totp_secret, offset=1)
    page.click("a:has-text('Audit log')")
    log = page.locator("table").inner_text()
    for step in ["Created staff account", "Set up authenticator app", "Signed in", "Signed out",
                 "Started phone application", "Started paper application",
                 "Sent application on applicant's behalf", "Searched applications",
                 "Viewed application", "Downloaded PDF", "Changed status"]:
        assert step in log, step
    assert caseworker_email in log and phone_reference in log and paper_reference in log
    assert_accessible(page)


def test_staff_sign_in_without_javascript(nojs_page: Page, sqlite_url: str) -> None:
    staff = new_staff(sqlite_url, "dyfed-powys")
    nojs_page.goto("/staff")
    assert nojs_page.locator("h1").inner_text() == "Sign in to the back office"
    assert_accessible(nojs_page)
    _sign_in(nojs_page, staff.email, PASSWORD, staff.totp_secret)
    assert_accessible(nojs_page)
    nojs_page.goto("/staff/applications?dob-day=99")
    assert "There is a problem" in nojs_page.content()
    assert_accessible(nojs_page)
