"""With JavaScript on (htmx boosts every link and form), downloads and error answers still reach
the person: a PDF link gives a file, not its bytes in the page; an expired form token, an
over-large upload or a missing page shows what a no-JavaScript visitor sees, never nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_staff_back_office import BrowserClient, _sign_in
from tests.integration.test_firearms_journey import BASE, complete_every_task
from tests.support.browser import assert_accessible, intercept_file_choosers
from tests.support.pay import declare_and_pay_in_browser
from tests.support.staff import PASSWORD, new_staff

pytestmark = pytest.mark.browser


def _page_state(page: Page) -> tuple[str, str, str]:
    return page.url, page.title(), page.locator("main").inner_text()


def _assert_downloads(page: Page, link_text: str, filename: Callable[[str], bool]) -> None:
    """Clicking the link gives a PDF download and leaves the page exactly as it was."""
    before = _page_state(page)
    scripted: list[str] = []  # requests made by script (htmx), not by the browser itself
    listener = lambda r: scripted.append(r.url) if r.resource_type in ("xhr", "fetch") else None  # noqa: E731
    page.on("request", listener)
    with page.expect_download(timeout=10_000) as download:
        page.get_by_role("link", name=link_text).click()
    saved = download.value.path()
    assert saved is not None
    with open(saved, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert filename(download.value.suggested_filename), download.value.suggested_filename
    assert page.request.get(download.value.url).headers["content-type"] == "application/pdf"
    page.wait_for_timeout(300)  # time for a (wrong) swap to land, were one coming
    page.remove_listener("request", listener)
    assert _page_state(page) == before
    assert "%PDF" not in page.content()
    assert scripted == []  # the browser fetched the file: htmx never did


def test_public_pdf_links_download_with_javascript(page: Page) -> None:
    page.goto(BASE)
    _assert_downloads(page, "Download the paper form (PDF)", lambda name: name.endswith(".pdf"))

    page.get_by_role("button", name="Start now").click()
    page.wait_for_url(f"**{BASE}/force")
    page.fill("#postcode", "LS1 1UR")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"**{BASE}/tasks")
    _assert_downloads(
        page,
        "Download your answers so far to finish on paper (PDF)",
        lambda name: name.endswith("-draft.pdf"),
    )

    complete_every_task(BrowserClient(page))  # type: ignore[arg-type]
    page.goto(f"{BASE}/declaration")
    declare_and_pay_in_browser(page, BASE)
    page.wait_for_url(f"**{BASE}/confirmation")
    reference = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}", page.locator("main").inner_text())
    assert reference
    _assert_downloads(
        page,
        "Download a copy of your application (PDF)",
        lambda name: name == f"{reference.group(0)}.pdf",
    )


def test_staff_pdf_link_downloads_with_javascript(page: Page, sqlite_url: str) -> None:
    staff = new_staff(sqlite_url, "north-wales")
    _sign_in(page, staff.email, PASSWORD, staff.totp_secret)
    page.locator(f'a[href="/staff{BASE}"]').click()  # this service's "apply for a caller by phone"
    page.get_by_role("button", name="Start a phone application").click()
    page.wait_for_url(f"**{BASE}/tasks")
    complete_every_task(BrowserClient(page))  # type: ignore[arg-type]
    page.goto(f"{BASE}/declaration")
    declare_and_pay_in_browser(page, BASE)  # the card payment taken for the caller
    page.wait_for_url("**/staff/applications/*/sent")
    reference = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}", page.locator("main").inner_text())
    assert reference
    page.goto("/staff/applications")
    page.fill("#reference", reference.group(0))
    page.click("button:has-text('Search')")
    page.click(f"a:has-text('{reference.group(0)}')")
    _assert_downloads(
        page,
        f"Download the application as a PDF ({reference.group(0)})",
        lambda name: name == f"{reference.group(0)}.pdf",
    )


# -- a page left open until the session ended ---------------------------------------------------


def _session_ends(page: Page) -> None:
    """What the browser does when the session cookie's 30 minutes are up: forgets it."""
    page.context.clear_cookies()


def test_start_now_and_postcode_work_after_the_session_ended(page: Page) -> None:
    page.goto(BASE)
    _session_ends(page)
    page.get_by_role("button", name="Start now").click()
    page.wait_for_url(f"**{BASE}/force", timeout=5_000)
    _session_ends(page)
    page.fill("#postcode", "LS1 1UR")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"**{BASE}/tasks", timeout=5_000)
    assert "West Yorkshire Police" in page.locator("header").inner_text()


def test_resume_by_reference_works_after_the_session_ended(page: Page) -> None:
    page.goto("/resume/reference")
    _session_ends(page)
    page.locator("#reference").fill("HDJ2-2345")
    page.locator("#date_of_birth-day").fill("3")
    page.locator("#date_of_birth-month").fill("2")
    page.locator("#date_of_birth-year").fill("1980")
    page.locator("#postcode").fill("ls1 1ur")
    page.get_by_role("button", name="Continue").click()
    # The form is answered as it would be in any session: here, no application with those details.
    expect(page.locator(".govuk-error-summary")).to_contain_text("We could not find an application")
    assert page.locator("#reference").input_value() == "HDJ2-2345"


# -- any error answer to htmx is shown, as it would be without JavaScript -------------------------


def test_a_refused_form_shows_the_error_page(page: Page) -> None:
    """A token that does not match the session (the page was opened in an older session, and
    another tab has started a new one) is refused with 403: the person sees why."""
    page.goto(BASE)
    _session_ends(page)
    page.request.get(BASE)  # another tab: a new session, with a token of its own
    page.get_by_role("button", name="Start now").click()
    expect(page.locator("h1")).to_have_text("Sorry, we could not accept that form")
    expect(page).to_have_title(re.compile("^Sorry, we could not accept that form"))
    assert_accessible(page)


def test_a_link_to_a_missing_page_shows_the_not_found_page(page: Page) -> None:
    """A stale link (a bookmark, an old email) that htmx follows ends on the 404 page."""
    page.goto("/")
    page.evaluate("""() => {
        const link = Object.assign(document.createElement('a'), {href: '/no-such-page', textContent: 'Old link'})
        document.querySelector('main').append(link)
        htmx.process(link)
    }""")
    page.get_by_role("link", name="Old link").click()
    expect(page.locator("h1")).to_have_text("Page not found")
    assert page.url.endswith("/no-such-page")


def test_a_photo_too_large_to_send_says_so(page: Page, tmp_path: Path) -> None:
    page.goto(BASE)
    page.get_by_role("button", name="Start now").click()
    page.wait_for_url(f"**{BASE}/force")
    page.fill("#postcode", "LS1 1UR")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"**{BASE}/tasks")
    complete_every_task(BrowserClient(page))  # type: ignore[arg-type]
    intercept_file_choosers(page)
    page.goto(f"{BASE}/photo")
    big = tmp_path / "photo.jpg"
    big.write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * (12 * 1024 * 1024))
    page.set_input_files("#photo", str(big))
    page.get_by_role("button", name="Continue").click()
    # What a visitor without JavaScript sees (the body is refused before it is read).
    expect(page.locator("h1")).to_have_text("The information you sent is too large")
    expect(page.locator("main")).to_contain_text("smaller than 10MB")
    expect(page).to_have_title(re.compile("^The information you sent is too large"))
    assert_accessible(page)
    page.go_back()  # "Go back and try again" leads to the photo page
    expect(page.locator("#photo")).to_have_count(1)
