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
from tests.support.firearms import COMPLETE, SERVICE
from tests.support.pay import declare_and_pay_in_browser
from tests.support.staff import PASSWORD, new_staff, sent_application
from webapp.pdf.layout import question_numbers
from webapp.store.db import create_sync_engine

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

    def post(
        self, url: str, data: dict[str, Any], files: Any = None, follow_redirects: bool = True
    ) -> _Response:
        redirects = 20 if follow_redirects else 0
        if files:
            multipart: dict[str, Any] = {key: str(value) for key, value in data.items()}
            for name, (filename, content, mime) in files.items():
                multipart[name] = {"name": filename, "mimeType": mime, "buffer": content}
            return _Response(self.request.post(url, multipart=multipart, max_redirects=redirects))
        body = urlencode(data, doseq=True)
        return _Response(
            self.request.post(
                url,
                data=body,
                headers={"content-type": "application/x-www-form-urlencoded"},
                max_redirects=redirects,
            )
        )


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
    # By phone, the caller's card is taken on the card page; a paper form's fee came with it.
    declare_and_pay_in_browser(page, BASE)
    # Staff stay in the back office: their confirmation leads back to the dashboard.
    page.wait_for_url("**/staff/applications/*/sent")
    assert page.get_by_role("link", name="Return to the dashboard").count() == 1
    assert_accessible(page)
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
    page.set_input_files(
        "#scan", files=[{"name": "form.pdf", "mimeType": "application/pdf", "buffer": _scan()}]
    )
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
    for step in [
        "Created staff account",
        "Set up authenticator app",
        "Signed in",
        "Signed out",
        "Started phone application",
        "Started paper application",
        "Sent application on applicant's behalf",
        "Searched applications",
        "Viewed application",
        "Downloaded PDF",
        "Changed status",
    ]:
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


def _staff_banner(page: Page) -> str:
    return page.locator(".app-staff-journey-banner").inner_text()


def _pdf_text(page: Page, url: str) -> str:
    from pypdf import PdfReader

    response = page.request.get(url)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    return " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


def test_staff_keep_the_back_office_while_applying_for_a_caller(
    page: Page, sqlite_url: str
) -> None:
    """Issue 12, major 5: banner, staff menu and sign-out on the journey's pages; the paper
    form's numbers on each question; a dropped call found on the dashboard and carried on."""
    staff = new_staff(sqlite_url, "west-yorkshire")
    _sign_in(page, staff.email, PASSWORD, staff.totp_secret)

    # Phone: the journey keeps the staff header, menu and banner.
    page.goto("/staff/apply/firearm-certificate")
    page.click("button:has-text('Start a phone application')")
    page.wait_for_url(f"**{BASE}/tasks")
    assert "You are filling this in for a caller" in _staff_banner(page)
    assert page.get_by_role("navigation", name="Back office").count() == 1
    assert page.get_by_role("button", name="Sign out").count() == 1
    reference = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}", _staff_banner(page)).group(0)  # type: ignore[union-attr]
    assert_accessible(page)
    page.goto(f"{BASE}/certificates")
    page.check("input[name=certificates][value=fac]")
    page.click("button:has-text('Continue')")
    page.wait_for_url(f"**{BASE}/fac_kind")
    assert "You are filling this in for a caller" in _staff_banner(page)

    # The call drops: the dashboard shows the unfinished application, and it carries on.
    page.click("a:has-text('Return to the dashboard')")
    page.wait_for_url("**/staff")
    row = page.locator("tr", has_text=reference)
    assert f"In progress, started by {staff.email}" in row.inner_text()
    assert_accessible(page)
    row.get_by_role("link", name=reference).click()
    page.click("button:has-text('Continue this application')")
    page.wait_for_url(f"**{BASE}/tasks")
    assert reference in _staff_banner(page)
    page.goto("/staff/applications")
    page.fill("#reference", reference)
    page.click("button:has-text('Search')")
    assert "In progress" in page.locator("table").inner_text()

    # Paper: each question carries its number on the blank paper form, which prints the same.
    page.goto("/staff/apply/firearm-certificate")
    page.fill("#received-day", "3")
    page.fill("#received-month", "3")
    page.fill("#received-year", "2025")
    page.set_input_files(
        "#scan", files=[{"name": "form.pdf", "mimeType": "application/pdf", "buffer": _scan()}]
    )
    page.click("button:has-text('Start keying in the paper form')")
    page.wait_for_url(f"**{BASE}/tasks")
    assert "You are keying in a paper form" in _staff_banner(page)
    page.goto(f"{BASE}/certificates")
    number = question_numbers(SERVICE)["certificates"]
    label = str(SERVICE.questions["certificates"].question.label)
    assert page.locator("legend").first.inner_text().strip() == f"{number} {label}"
    assert_accessible(page)
    assert f"{number} {label}" in _pdf_text(page, "/forms/firearm-certificate.pdf")


def test_staff_finish_an_application_a_caller_started_online(
    browser: Any, live_server: Any, page: Page, sqlite_url: str
) -> None:
    """Issue 12, major 5b: staff open the caller's own draft by reference and date of birth,
    with consent recorded; the applicant's task list then says that staff helped."""
    from sqlalchemy.orm import Session

    from webapp.store.models import Application

    caller = browser.new_context(base_url=live_server.url)
    try:
        own = caller.new_page()
        own.goto(BASE)
        own.get_by_role("button", name="Start now").click()
        own.locator("input[name=postcode]").fill("LS1 1UR")
        own.get_by_role("button", name="Continue").click()
        own.wait_for_url(re.compile(r"/tasks$"))
        reference = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}", own.locator("main").inner_text()).group(0)  # type: ignore[union-attr]
        engine = create_sync_engine(sqlite_url)
        with Session(engine) as session, session.begin():  # the caller has answered these online
            draft = session.query(Application).filter_by(reference=reference).one()
            draft.answers = {
                key: COMPLETE[key]
                for key in (
                    "certificates",
                    "title",
                    "surname",
                    "forenames",
                    "date_of_birth",
                    "home_address",
                )
            }
            draft.version += 1
        engine.dispose()

        staff = new_staff(sqlite_url, "west-yorkshire")
        _sign_in(page, staff.email, PASSWORD, staff.totp_secret)
        page.click("a:has-text('Help a caller with an application they started online')")
        page.click("button:has-text('Open their application')")
        assert "Confirm the caller agreed" in page.locator(".govuk-error-summary").inner_text()
        assert_accessible(page)
        page.fill("#reference", reference.lower().replace("-", " "))
        page.fill("#dob-day", "3")
        page.fill("#dob-month", "2")
        page.fill("#dob-year", "1980")
        page.fill("#consent_from", "Ann Jones")
        page.fill("#purpose", "The questions about her firearms")
        page.check("#consent")
        page.click("button:has-text('Open their application')")
        page.wait_for_url(f"**{BASE}/tasks")
        assert "You are helping a caller" in _staff_banner(page)
        assert_accessible(page)
        page.goto(f"{BASE}/certificates")
        assert page.locator(
            "input[name=certificates][value=sgc]"
        ).is_checked()  # nothing typed twice

        own.reload()
        helped = own.locator("#staff-helped").inner_text()
        assert (
            "A member of staff at West Yorkshire Police helped with this application on" in helped
        )
        assert own.locator(".app-staff-journey-banner").count() == 0
    finally:
        caller.close()


def test_staff_find_a_reference_however_it_is_typed(page: Page, sqlite_url: str) -> None:
    """Issue 12, major 6: case, spaces and the hyphen do not matter; surname with date of birth,
    and postcode, find an application too."""
    sent = sent_application(
        sqlite_url,
        "west-yorkshire",
        surname="Quartermaine",
        postcode="LS6 3QW",
        born={"day": "9", "month": "9", "year": "1969"},
    )
    staff = new_staff(sqlite_url, "west-yorkshire")
    _sign_in(page, staff.email, PASSWORD, staff.totp_secret)
    for typed in (sent.reference.lower().replace("-", " "), sent.reference.replace("-", "")):
        page.goto("/staff")
        page.fill("#reference", typed)
        page.click("button:has-text('Find')")
        assert sent.reference in page.locator("table").inner_text(), typed
    assert_accessible(page)
    page.goto("/staff/applications")
    page.fill("#surname", "quartermaine")
    page.fill("#dob-day", "9")
    page.fill("#dob-month", "9")
    page.fill("#dob-year", "1969")
    page.click("button:has-text('Search')")
    assert sent.reference in page.locator("table").inner_text()
    page.goto("/staff/applications")
    page.fill("#postcode", "ls63qw")
    page.click("button:has-text('Search')")
    page.click(f"a:has-text('{sent.reference}')")
    assert sent.reference in page.locator("h1").inner_text()


def test_dashboard_chart_in_forced_colours_and_the_page_font(page: Page, sqlite_url: str) -> None:
    """Issue 12, minor: in Windows high contrast the bars keep the user's text colour (they
    never vanish into the background), and the chart's text is in the page's font."""
    sent_application(sqlite_url, "west-yorkshire")
    staff = new_staff(sqlite_url, "west-yorkshire")
    _sign_in(page, staff.email, PASSWORD, staff.totp_secret)
    font = page.evaluate("getComputedStyle(document.querySelector('.govuk-body')).fontFamily")
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.app-chart__label')).fontFamily")
        == font
    )
    page.emulate_media(forced_colors="active")
    page.reload()
    styles = page.evaluate("""() => {
        const bar = getComputedStyle(document.querySelector('.app-chart__bar'));
        return {fill: bar.fill, stroke: bar.stroke, text: getComputedStyle(document.body).color,
                background: getComputedStyle(document.body).backgroundColor};
    }""")
    assert styles["fill"] == styles["text"] and styles["stroke"] == styles["text"], styles
    assert styles["fill"] != styles["background"], styles
