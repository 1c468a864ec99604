"""The GOV.UK Pay simulator's card page in Chromium: accessible, with and without JavaScript,
and payable through `pay_in_browser`, which other browser tests use."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import LiveServer, assert_accessible
from tests.support.pay import PaySimulator, pay_in_browser

pytestmark = pytest.mark.browser


@pytest.fixture
def sim(pay_simulator: PaySimulator) -> Iterator[PaySimulator]:
    pay_simulator.reset()
    yield pay_simulator
    pay_simulator.reset()


def new_payment(sim: PaySimulator, return_url: str, moto: bool = False) -> tuple[str, str]:
    response = httpx.post(
        f"{sim.url}/v1/payments",
        headers={"Authorization": f"Bearer {sim.key}"},
        json={
            "amount": 8800,
            "reference": "BL-E2E",
            "description": "Firearm certificate",
            "return_url": return_url,
            "moto": moto,
        },
    )
    body = response.json()
    return body["payment_id"], body["_links"]["next_url"]["href"]


def status_of(sim: PaySimulator, payment_id: str) -> dict[str, object]:
    response = httpx.get(
        f"{sim.url}/v1/payments/{payment_id}", headers={"Authorization": f"Bearer {sim.key}"}
    )
    return dict(response.json()["state"])


@pytest.mark.parametrize("page_fixture", ["page", "nojs_page"], ids=["js", "nojs"])
def test_pay_in_browser_returns_to_the_service(
    sim: PaySimulator, live_server: LiveServer, page_fixture: str, request: pytest.FixtureRequest
) -> None:
    page: Page = request.getfixturevalue(page_fixture)
    return_url = f"{live_server.url}/"
    payment_id, next_url = new_payment(sim, return_url)
    page.goto(next_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter card details")
    assert_accessible(page)
    pay_in_browser(page)
    assert page.url == return_url
    assert status_of(sim, payment_id) == {"status": "success", "finished": True}


def test_card_page_errors_are_accessible_and_linked(
    sim: PaySimulator, page: Page, live_server: LiveServer
) -> None:
    payment_id, next_url = new_payment(sim, f"{live_server.url}/", moto=True)
    page.goto(next_url)
    expect(page.get_by_text("This is a telephone payment")).to_be_visible()
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title("Error: Enter card details – GOV.UK Pay simulator")
    assert_accessible(page)
    page.get_by_role("link", name="Enter a card number").click()
    expect(page.get_by_label("Card number")).to_be_focused()

    pay_in_browser(page, card="4000000000000119")
    state = status_of(sim, payment_id)
    assert (state["status"], state["code"]) == ("error", "P0050")


def test_cancel_in_browser(sim: PaySimulator, page: Page, live_server: LiveServer) -> None:
    payment_id, next_url = new_payment(sim, f"{live_server.url}/")
    page.goto(next_url)
    page.get_by_role("button", name="Cancel payment").click()
    page.wait_for_url(f"{live_server.url}/")
    state = status_of(sim, payment_id)
    assert (state["status"], state["code"]) == ("failed", "P0030")
