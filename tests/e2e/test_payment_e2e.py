"""Payments that do not go through the first time, in Chromium against the GOV.UK Pay simulator:
a declined card, a cancelled payment and a card page left open past its 90 minutes, each followed
by paying. The service's own pages say what happened in GOV.UK style, and the case is sent once:
one confirmation, one success among the payments, one confirmation email."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import assert_accessible
from tests.support.databases import run_sql
from tests.support.firearms import COMPLETE
from tests.support.pay import PaySimulator, pay_in_browser
from tests.support.resume import set_draft

pytestmark = pytest.mark.browser

BASE = "/apply/firearm-certificate"
DECLINED_CARD = "4000000000000002"
FEE = 20200  # a first firearm certificate and a renewed shotgun one, expiring together


@pytest.fixture
def sim(pay_simulator: PaySimulator) -> Iterator[PaySimulator]:
    # Reset between tests, not during: the clock moved for an expiry must not touch the next.
    pay_simulator.reset()
    yield pay_simulator
    pay_simulator.reset()


def declare(page: Page, sqlite_url: str) -> str:
    """A complete draft of this browser's own, declared in the browser: the payment page."""
    page.goto(BASE)
    page.get_by_role("button", name="Start now").click()
    page.wait_for_url(f"**{BASE}/force")
    page.get_by_label("Postcode").fill("LS1 1UR")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"**{BASE}/tasks")
    page.goto(f"{BASE}/save-and-return")
    found = re.search(r"Your reference is ([A-Z0-9]{4}-[A-Z0-9]{4})", page.content())
    assert found, "the save page names the draft"
    set_draft(sqlite_url, found.group(1), answers=dict(COMPLETE))
    page.goto(f"{BASE}/declaration")
    page.locator("input[name=confirm]").check()
    page.locator(f"form[action$='{BASE}/declaration'] button").click()
    page.wait_for_url(f"**{BASE}/payment")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pay for your application")
    expect(page.locator("main")).to_contain_text("£202")
    return found.group(1)


def to_card_page(page: Page, button: str) -> str:
    """Press the service's button (a plain form: GOV.UK Pay is another site); the card page."""
    page.get_by_role("button", name=button).click()
    page.wait_for_url(lambda url: "/apply/" not in url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter card details")
    return page.url


def declined(page: Page, sim: PaySimulator) -> None:
    pay_in_browser(page, DECLINED_CARD)


def cancelled(page: Page, sim: PaySimulator) -> None:
    page.get_by_role("button", name="Cancel payment").click()
    page.wait_for_url(lambda url: "/apply/" in url)


def expired(page: Page, sim: PaySimulator) -> None:
    # The card page left open past GOV.UK Pay's 90 minutes, then sent: the person is sent back.
    sim.advance_clock(91)
    pay_in_browser(page)


ENDINGS: dict[str, tuple[Callable[[Page, PaySimulator], None], str, str]] = {
    "declined": (declined, "Your payment was declined", "P0010"),
    "cancelled": (cancelled, "You cancelled your payment", "P0030"),
    "expired": (expired, "Your payment session expired", "P0020"),
}


def payments_of(sqlite_url: str, reference: str) -> list[tuple[object, ...]]:
    """(succeeded, amount, failure code) of each payment of the case, oldest first."""
    return [
        (status == "success", amount, code)
        for status, amount, code in run_sql(
            sqlite_url,
            "SELECT status, amount_pence, failure_code FROM payment WHERE reference = :ref "
            "ORDER BY id",
            ref=reference,
        )
    ]


def sent_once(sqlite_url: str, reference: str) -> None:
    [(status, submitted)] = run_sql(
        sqlite_url,
        "SELECT status, submitted_at IS NOT NULL FROM application WHERE reference = :ref",
        ref=reference,
    )
    assert status != "draft" and submitted
    [(emails,)] = run_sql(
        sqlite_url,
        "SELECT COUNT(*) FROM outbox o JOIN application a ON a.id = o.application_id "
        "WHERE a.reference = :ref AND o.template = 'application_sent'",
        ref=reference,
    )
    assert emails == 1


def unpaid_then_paid(page: Page, sim: PaySimulator, sqlite_url: str, ending: str) -> None:
    end, heading, code = ENDINGS[ending]
    reference = declare(page, sqlite_url)
    first_card_page = to_card_page(page, "Continue to payment")
    end(page, sim)

    # Our page: what happened, nothing sent, and a way to try again or pay later.
    assert f"{BASE}/payment/return/" in page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page).to_have_title(re.compile(f"^{heading} – "))
    expect(page.locator("main")).to_contain_text("has not been sent to the police yet")
    expect(page.get_by_role("link", name="continue your application")).to_be_visible()
    assert page.locator("main button.govuk-button", has_text="Try again").count() == 1
    assert_accessible(page)
    assert payments_of(sqlite_url, reference) == [(False, FEE, code)]
    assert run_sql(
        sqlite_url, "SELECT status FROM application WHERE reference = :ref", ref=reference
    ) == [("draft",)]

    # Try again: a new payment on a new card page, paid this time.
    assert to_card_page(page, "Try again") != first_card_page
    pay_in_browser(page)
    page.wait_for_url(f"**{BASE}/confirmation")
    expect(page).to_have_title(re.compile("^Application sent"))
    assert page.locator(".govuk-panel__body strong").inner_text().strip() == reference
    assert payments_of(sqlite_url, reference) == [
        (False, FEE, code),
        (True, FEE, None),
    ]
    sent_once(sqlite_url, reference)

    # The return link again (browser history): the confirmation, not a second send.
    page.go_back()
    page.wait_for_load_state()
    page.goto(f"{BASE}/payment")
    assert f"{BASE}/payment" not in page.url
    sent_once(sqlite_url, reference)


@pytest.mark.parametrize("ending", list(ENDINGS))
def test_unpaid_then_paid_with_javascript(
    page: Page, sim: PaySimulator, sqlite_url: str, ending: str
) -> None:
    unpaid_then_paid(page, sim, sqlite_url, ending)


def test_declined_then_paid_without_javascript(
    nojs_page: Page, sim: PaySimulator, sqlite_url: str
) -> None:
    unpaid_then_paid(nojs_page, sim, sqlite_url, "declined")
