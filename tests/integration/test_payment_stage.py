"""The payment stage of the firearms journey against the GOV.UK Pay simulator (a real process),
on both databases: pay and the case is sent once; declined, cancelled and expired payments and a
retry; GOV.UK Pay down while creating and while checking; double clicks and a return link opened
twice, raced by real concurrent clients; reconciliation; a tampered amount; paper forms."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from starlette.testclient import TestClient

from tests.conftest import make_settings
from tests.support.browser import LiveServer
from tests.support.databases import run_sql
from tests.support.firearms import COMPLETE
from tests.support.forms import csrf_from, post_form
from tests.support.pay import PaySimulator, running_simulator
from tests.support.resume import Outbox, in_thread, reference_of, set_draft
from tests.support.staff import unique_ip
from webapp.app import create_app
from webapp.cli import main as cli

BASE = "/apply/firearm-certificate"
DECLINED_CARD = "4000000000000002"
ERROR_CARD = "4000000000000119"
FEE = 20200  # a first firearm certificate and a renewed shotgun one, expiring together


@pytest.fixture
def client(database_url: str, pay_simulator: PaySimulator) -> Iterator[TestClient]:
    app = create_app(make_settings(database_url))
    app.state.mailer = Outbox()
    with TestClient(app, raise_server_exceptions=False, client=(unique_ip(), 1)) as test_client:
        yield test_client


def declared_draft(client: TestClient, database_url: str, **answers: object) -> str:
    """A complete firearms draft, declared: the journey now waits at its payment."""
    post_form(client, BASE, {}, action=f"{BASE}/start")
    post_form(client, f"{BASE}/force", {"postcode": "LS1 1UR"})
    reference = reference_of(client)
    set_draft(database_url, reference, answers={**COMPLETE, **answers})
    response = post_form(client, f"{BASE}/declaration", {"confirm": "yes"})
    assert response.status_code == 303 and response.headers["location"] == f"{BASE}/payment"
    return reference


def continue_to_payment(client: TestClient, **extra: object) -> httpx.Response:
    return post_form(client, f"{BASE}/payment", dict(extra))


def pay_id_of(card_page: str) -> str:
    return urlsplit(card_page).path.rstrip("/").split("/")[-1]


def pay_api(payment_id: str) -> dict[str, object]:
    """The payment as GOV.UK Pay's API tells it (the simulator's own record)."""
    simulator = running_simulator()
    response = httpx.get(
        f"{simulator.url}/v1/payments/{payment_id}",
        headers={"Authorization": f"Bearer {simulator.key}"},
    )
    response.raise_for_status()
    body: dict[str, object] = response.json()
    return body


def return_path(client: object, reference: str) -> str:
    """The return address given to GOV.UK Pay for the newest payment of the case."""
    newest = running_simulator().payments(reference)[-1]
    return urlsplit(str(pay_api(newest["payment_id"])["return_url"])).path


def payments(database_url: str, reference: str) -> list[tuple[object, ...]]:
    return run_sql(
        database_url,
        "SELECT status, amount_pence, failure_code FROM payment WHERE reference = :ref ORDER BY id",
        ref=reference,
    )


def case_status(database_url: str, reference: str) -> tuple[object, ...]:
    [row] = run_sql(
        database_url,
        "SELECT status, fee_pence, declared_at IS NOT NULL FROM application WHERE reference = :ref",
        ref=reference,
    )
    return row


def confirmation_emails(database_url: str, reference: str) -> int:
    [(count,)] = run_sql(
        database_url,
        "SELECT COUNT(*) FROM outbox o JOIN application a ON a.id = o.application_id "
        "WHERE a.reference = :ref AND o.template = 'application_sent'",
        ref=reference,
    )
    return int(count)  # type: ignore[call-overload]


def test_declaring_leads_to_the_payment_page_and_paying_sends_the_case_once(
    client: TestClient, database_url: str, pay_simulator: PaySimulator
) -> None:
    reference = declared_draft(client, database_url)
    assert case_status(database_url, reference) == ("draft", None, True)
    page = client.get(f"{BASE}/payment")
    assert page.status_code == 200
    assert "Pay for your application" in page.text and "£202" in page.text
    assert "GOV.UK Pay" in page.text and "Continue to payment" in page.text
    response = continue_to_payment(client)
    assert response.status_code == 303
    card_page = response.headers["location"]
    assert card_page.startswith(pay_simulator.url)
    [made] = pay_simulator.payments(reference)
    assert made["status"] == "created"
    assert payments(database_url, reference) == [("created", FEE, None)]
    assert case_status(database_url, reference)[0] == "draft"  # not sent before it is paid
    assert pay_simulator.complete(pay_id_of(card_page)) == "success"
    back = client.get(return_path(client, reference), follow_redirects=False)
    assert back.status_code == 303 and back.headers["location"] == f"{BASE}/confirmation"
    confirmation = client.get(f"{BASE}/confirmation").text
    assert "Application sent" in confirmation and reference in confirmation
    assert "You paid £202" in confirmation
    assert case_status(database_url, reference) == ("submitted", FEE, True)
    assert payments(database_url, reference) == [("success", FEE, None)]
    # The same return link again (a reload, the back button): nothing more happens.
    again = client.get(return_path(client, reference), follow_redirects=False)
    assert again.headers["location"] == f"{BASE}/confirmation"
    assert confirmation_emails(database_url, reference) == 1
    [(card,)] = run_sql(
        database_url, "SELECT last_digits FROM payment WHERE reference = :ref", ref=reference
    )
    assert card == "1111"


def test_a_declined_card_then_a_retry_that_succeeds(
    client: TestClient, database_url: str, pay_simulator: PaySimulator
) -> None:
    reference = declared_draft(client, database_url)
    first = continue_to_payment(client).headers["location"]
    assert pay_simulator.complete(pay_id_of(first), DECLINED_CARD) == "failed"
    back = client.get(return_path(client, reference))
    assert back.status_code == 200 and "Your payment was declined" in back.text
    assert "Try again" in back.text and "/resume" in back.text
    assert case_status(database_url, reference)[0] == "draft"
    second = post_form(client, return_path(client, reference), {}, action=f"{BASE}/payment")
    assert second.status_code == 303 and second.headers["location"] != first
    assert pay_simulator.complete(pay_id_of(second.headers["location"])) == "success"
    client.get(return_path(client, reference))
    assert payments(database_url, reference) == [
        ("failed", FEE, "P0010"),
        ("success", FEE, None),
    ]
    assert case_status(database_url, reference)[0] == "submitted"
    assert confirmation_emails(database_url, reference) == 1


@pytest.mark.parametrize(
    ("ending", "heading", "code"),
    [
        ("cancel", "You cancelled your payment", "P0030"),
        ("expire", "Your payment session expired", "P0020"),
        ("error", "There was a problem with your payment", "P0050"),
    ],
)
def test_a_payment_that_ends_unpaid_says_so_and_can_be_tried_again(
    client: TestClient,
    database_url: str,
    pay_simulator: PaySimulator,
    ending: str,
    heading: str,
    code: str,
) -> None:
    reference = declared_draft(client, database_url)
    card_page = continue_to_payment(client).headers["location"]
    if ending == "cancel":
        form = httpx.get(card_page).text
        action = re.search(r'<form[^>]*action="([^"]*cancel[^"]*)"', form)
        assert action, form[:2000]
        httpx.post(
            httpx.URL(card_page).join(action.group(1)),
            data=dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form)),
        )
    elif ending == "expire":
        pay_simulator.advance_clock(91)
    else:
        pay_simulator.complete(pay_id_of(card_page), ERROR_CARD)
    back = client.get(return_path(client, reference))
    assert back.status_code == 200 and heading in back.text, back.text[:3000]
    assert payments(database_url, reference)[-1][2] == code
    assert case_status(database_url, reference)[0] == "draft"
    retry = post_form(client, return_path(client, reference), {}, action=f"{BASE}/payment")
    assert retry.status_code == 303 and retry.headers["location"] != card_page
    assert len(payments(database_url, reference)) == 2


def test_a_payment_not_finished_yet_links_back_to_the_card_page(
    client: TestClient, database_url: str
) -> None:
    reference = declared_draft(client, database_url)
    card_page = continue_to_payment(client).headers["location"]
    back = client.get(return_path(client, reference))
    assert back.status_code == 200 and "Your payment is not finished yet" in back.text
    assert card_page in back.text
    # Clicking again while it is live goes back to the same card page: no second payment.
    assert continue_to_payment(client).headers["location"] == card_page
    assert len(payments(database_url, reference)) == 1


def test_a_tampered_amount_changes_nothing(
    client: TestClient, database_url: str, pay_simulator: PaySimulator
) -> None:
    reference = declared_draft(client, database_url)
    continue_to_payment(client, amount="1", amount_pence="1", fee="1")
    [made] = pay_simulator.payments(reference)
    assert payments(database_url, reference) == [("created", FEE, None)]
    assert pay_api(made["payment_id"])["amount"] == FEE


@pytest.mark.parametrize("fault", ["500", "closed port"])
def test_pay_down_while_creating_keeps_everything_and_paying_later_works(
    database_url: str, pay_simulator: PaySimulator, fault: str
) -> None:
    pay_url = pay_simulator.url if fault == "500" else "http://127.0.0.1:9"
    settings = make_settings(database_url, pay_api_url=pay_url)
    with TestClient(create_app(settings), raise_server_exceptions=False) as down:
        reference = declared_draft(down, database_url)
        if fault == "500":
            pay_simulator.fail_next(500, times=3)
        response = continue_to_payment(down)
        assert response.status_code == 503
        assert "We cannot take payments at the moment" in response.text
        assert "Your application is saved" in response.text and "Try again" in response.text
        [(status, key)] = run_sql(
            database_url,
            "SELECT status, idempotency_key FROM payment WHERE reference = :ref",
            ref=reference,
        )
        assert status == "creating"
        cookies = dict(down.cookies)
    # Later, GOV.UK Pay is back: the same payment row (same key) is created and paid.
    with TestClient(
        create_app(make_settings(database_url)), raise_server_exceptions=False, cookies=cookies
    ) as later:
        card_page = continue_to_payment(later).headers["location"]
        assert pay_simulator.complete(pay_id_of(card_page)) == "success"
        later.get(return_path(later, reference))
        [(_status, same_key)] = run_sql(
            database_url,
            "SELECT status, idempotency_key FROM payment WHERE reference = :ref",
            ref=reference,
        )
        assert same_key == key
    assert case_status(database_url, reference)[0] == "submitted"
    assert len(pay_simulator.payments(reference)) == 1


def test_pay_down_while_checking_then_checked_again_later(
    client: TestClient, database_url: str, pay_simulator: PaySimulator
) -> None:
    reference = declared_draft(client, database_url)
    card_page = continue_to_payment(client).headers["location"]
    pay_simulator.complete(pay_id_of(card_page))
    coming_back = return_path(client, reference)
    pay_simulator.fail_next(500, times=3)
    back = client.get(coming_back)
    assert back.status_code == 503 and "We cannot take payments at the moment" in back.text
    assert case_status(database_url, reference)[0] == "draft"
    again = client.get(coming_back, follow_redirects=False)
    assert again.headers["location"] == f"{BASE}/confirmation"
    assert case_status(database_url, reference)[0] == "submitted"


def test_resuming_a_declared_draft_goes_to_the_payment_and_a_change_means_declaring_again(
    client: TestClient, database_url: str
) -> None:
    reference = declared_draft(client, database_url)
    start = post_form(client, BASE, {}, action=f"{BASE}/start")
    assert start.headers["location"] == f"{BASE}/payment"
    # Changing an answer clears the declaration: the payment page sends them to declare again.
    response = post_form(client, f"{BASE}/name?return=check", {**_name_form()})
    assert response.status_code == 303
    assert not case_status(database_url, reference)[2]
    assert client.get(f"{BASE}/payment", follow_redirects=False).headers["location"] == (
        f"{BASE}/declaration"
    )


def _name_form() -> dict[str, str]:
    from tests.support.firearms import form_for, step_of

    step = step_of(f"{BASE}/name")
    assert step is not None
    return dict(form_for(step, {**COMPLETE, "surname": "Changed"}))


def test_a_claimed_fee_exemption_sends_at_the_declaration_flagged_for_staff(
    client: TestClient, database_url: str
) -> None:
    post_form(client, BASE, {}, action=f"{BASE}/start")
    post_form(client, f"{BASE}/force", {"postcode": "LS1 1UR"})
    reference = reference_of(client)
    answers = {
        **COMPLETE,
        "fee_exemption": "yes",
        "fee_exemption_ground": "club_officer",
        "fee_exemption_details": "Secretary of Leeds Rifle Club",
    }
    set_draft(database_url, reference, answers=answers)
    check = client.get(f"{BASE}/check").text
    assert "Fee exemption claimed" in check and "to be checked by staff" in check
    response = post_form(client, f"{BASE}/declaration", {"confirm": "yes"})
    assert response.headers["location"] == f"{BASE}/confirmation"
    assert payments(database_url, reference) == []
    [(status, fee, description)] = run_sql(
        database_url,
        "SELECT status, fee_pence, fee_description FROM application WHERE reference = :ref",
        ref=reference,
    )
    assert status == "submitted" and fee == 0
    assert "Fee exemption claimed" in str(description)


def test_reconciliation_sends_a_paid_case_whose_person_never_came_back(
    client: TestClient, database_url: str, pay_simulator: PaySimulator
) -> None:
    reference = declared_draft(client, database_url)
    card_page = continue_to_payment(client).headers["location"]
    pay_simulator.complete(pay_id_of(card_page))  # paid, and the tab closed
    assert case_status(database_url, reference)[0] == "draft"
    env = {
        "DATABASE_URL": database_url,
        "PAY_API_URL": pay_simulator.url,
        "PAY_API_KEY": pay_simulator.key,
    }
    first = in_thread(_reconcile, env)
    assert re.search(r"sent [1-9]", first)
    assert case_status(database_url, reference)[0] == "submitted"
    assert confirmation_emails(database_url, reference) == 1
    second = in_thread(_reconcile, env)
    assert "sent 0" in second
    assert confirmation_emails(database_url, reference) == 1
    # The person comes back after all: the case is not sent again.
    back = client.get(return_path(client, reference), follow_redirects=False)
    assert back.headers["location"] == f"{BASE}/confirmation"
    assert confirmation_emails(database_url, reference) == 1


def test_reconciliation_records_an_expired_payment_so_the_person_can_pay_again(
    client: TestClient, database_url: str, pay_simulator: PaySimulator
) -> None:
    reference = declared_draft(client, database_url)
    continue_to_payment(client)
    pay_simulator.advance_clock(91)
    env = {
        "DATABASE_URL": database_url,
        "PAY_API_URL": pay_simulator.url,
        "PAY_API_KEY": pay_simulator.key,
    }
    assert re.search(r"ended [1-9]", in_thread(_reconcile, env))  # others' may end here too
    assert payments(database_url, reference) == [("failed", FEE, "P0020")]
    assert case_status(database_url, reference)[0] == "draft"
    assert continue_to_payment(client).status_code == 303
    assert len(payments(database_url, reference)) == 2


def _reconcile(env: dict[str, str]) -> str:
    import contextlib
    import io
    import os

    saved = dict(os.environ)
    os.environ.update(env)
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            assert cli(["reconcile-payments", "--quiet-minutes", "0"]) == 0
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return out.getvalue()


def test_a_paper_form_skips_the_payment(client: TestClient, database_url: str) -> None:
    post_form(client, BASE, {}, action=f"{BASE}/start")
    post_form(client, f"{BASE}/force", {"postcode": "LS1 1UR"})
    reference = reference_of(client)
    set_draft(database_url, reference, answers=COMPLETE, channel="paper")
    response = post_form(client, f"{BASE}/declaration", {"confirm": "yes"})
    assert response.headers["location"] == f"{BASE}/confirmation"
    assert case_status(database_url, reference)[0] == "submitted"
    assert payments(database_url, reference) == []


# --- real concurrent clients against a live server -------------------------------------------


@pytest.fixture
def live(database_url: str, pay_simulator: PaySimulator) -> Iterator[LiveServer]:
    server = LiveServer(create_app(make_settings(database_url, base_url="")))
    server.start()
    yield server
    server.stop()


def _declared_over_http(live: LiveServer, database_url: str) -> tuple[httpx.Client, str]:
    browser = httpx.Client(base_url=live.url, follow_redirects=False, timeout=30)
    page = browser.get(BASE)
    browser.post(f"{BASE}/start", data={"csrf_token": csrf_from(page.text)})
    page = browser.get(f"{BASE}/force")
    browser.post(f"{BASE}/force", data={"postcode": "LS1 1UR", "csrf_token": csrf_from(page.text)})
    saved = browser.get(f"{BASE}/save-and-return").text
    match = re.search(r"Your reference is ([A-Z0-9]{4}-[A-Z0-9]{4})", saved)
    assert match
    reference = match.group(1)
    set_draft(database_url, reference, answers=COMPLETE)
    page = browser.get(f"{BASE}/declaration")
    declared = browser.post(
        f"{BASE}/declaration", data={"confirm": "yes", "csrf_token": csrf_from(page.text)}
    )
    assert declared.headers["location"] == f"{BASE}/payment"
    return browser, reference


async def _both(
    live: LiveServer, cookies: httpx.Cookies, requests: list[tuple[str, str, dict[str, str]]]
) -> list[httpx.Response]:
    async with (
        httpx.AsyncClient(base_url=live.url, cookies=cookies, timeout=30) as first,
        httpx.AsyncClient(base_url=live.url, cookies=cookies, timeout=30) as second,
    ):
        calls = [
            client.request(method, url, data=data or None)
            for client, (method, url, data) in zip((first, second), requests, strict=True)
        ]
        return list(await asyncio.gather(*calls))


def test_two_clicks_at_once_make_one_payment(
    live: LiveServer, database_url: str, pay_simulator: PaySimulator
) -> None:
    browser, reference = _declared_over_http(live, database_url)
    token = csrf_from(browser.get(f"{BASE}/payment").text)
    post = ("POST", f"{BASE}/payment", {"csrf_token": token})
    answers = in_thread(asyncio.run, _both(live, browser.cookies, [post, post]))
    assert [answer.status_code for answer in answers] == [303, 303]
    assert answers[0].headers["location"] == answers[1].headers["location"]
    assert len(payments(database_url, reference)) == 1
    assert len(pay_simulator.payments(reference)) == 1
    browser.close()


def test_the_return_link_opened_twice_at_once_sends_the_case_once(
    live: LiveServer, database_url: str, pay_simulator: PaySimulator
) -> None:
    browser, reference = _declared_over_http(live, database_url)
    token = csrf_from(browser.get(f"{BASE}/payment").text)
    card_page = browser.post(f"{BASE}/payment", data={"csrf_token": token}).headers["location"]
    pay_simulator.complete(pay_id_of(card_page))
    back = ("GET", return_path(browser, reference), {})
    answers = in_thread(asyncio.run, _both(live, browser.cookies, [back, back]))
    assert [answer.status_code for answer in answers] == [303, 303]
    assert case_status(database_url, reference)[0] == "submitted"
    assert confirmation_emails(database_url, reference) == 1
    [(audited_version,)] = run_sql(
        database_url, "SELECT version FROM application WHERE reference = :ref", ref=reference
    )
    assert audited_version == 2  # submitted exactly once: one version step
    browser.close()
