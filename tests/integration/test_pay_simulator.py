"""The GOV.UK Pay simulator's API and card page, against the real process over HTTP."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.support.pay import PaySimulator

RETURN_URL = "http://127.0.0.1:8000/apply/return"
DECLINED_CARD = "4000000000000002"
EXPIRED_CARD = "4000000000000069"
ERROR_CARD = "4000000000000119"


@pytest.fixture
def sim(pay_simulator: PaySimulator) -> Iterator[PaySimulator]:
    pay_simulator.reset()
    yield pay_simulator
    pay_simulator.reset()


@pytest.fixture
def api(sim: PaySimulator) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {sim.key}"}
    with httpx.Client(base_url=sim.url, headers=headers, timeout=10) as client:
        yield client


def payment_request(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "amount": 8800,
        "reference": "BL-0001",
        "description": "Firearm certificate",
        "return_url": RETURN_URL,
    }
    body.update(changes)
    return body


def create(api: httpx.Client, **changes: Any) -> dict[str, Any]:
    response = api.post("/v1/payments", json=payment_request(**changes))
    assert response.status_code == 201, response.text
    return dict(response.json())


def card_form(card: str, **changes: str) -> dict[str, str]:
    form = {
        "card_number": card,
        "expiry_month": "12",
        "expiry_year": "30",
        "cardholder_name": "Sam Tester",
        "cvc": "123",
        "email": "",
    }
    form.update(changes)
    return form


def test_create_and_get_a_payment(api: httpx.Client) -> None:
    created = create(api, email="sam@example.com", language="cy", metadata={"case": "A1", "n": 2})
    assert created["state"] == {"status": "created", "finished": False}
    assert created["payment_provider"] == "sandbox"
    assert (created["amount"], created["reference"]) == (8800, "BL-0001")
    assert created["metadata"] == {"case": "A1", "n": 2}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", created["created_date"])
    links = created["_links"]
    payment_id = created["payment_id"]
    assert links["next_url"] == {
        "href": f"{api.base_url}/card_details/{payment_id}",
        "method": "GET",
    }
    assert links["cancel"]["method"] == "POST"
    assert {"self", "next_url_post", "events", "refunds"} <= links.keys()

    found = api.get(f"/v1/payments/{payment_id}").json()
    assert found["payment_id"] == payment_id
    assert found["refund_summary"] == {
        "status": "pending",
        "amount_available": 0,
        "amount_submitted": 0,
    }
    assert "card_details" not in found
    assert api.get(f"/v1/payments/{payment_id}/events").json()["events"][0]["state"] == {
        "status": "created",
        "finished": False,
    }


def test_unknown_payment_is_not_found(api: httpx.Client) -> None:
    response = api.get("/v1/payments/nosuchpayment")
    assert response.status_code == 404
    assert response.json()["code"] == "P0200"


def test_a_wrong_or_missing_key_is_refused(sim: PaySimulator, api: httpx.Client) -> None:
    payment_id = create(api)["payment_id"]
    for headers in ({}, {"Authorization": "Bearer live_not_a_test_key"}, {"Authorization": "x"}):
        response = httpx.get(f"{sim.url}/v1/payments/{payment_id}", headers=headers)
        assert response.status_code == 401
        assert "description" in response.json()
    # A key of another account does not see this account's payments.
    other = httpx.get(
        f"{sim.url}/v1/payments/{payment_id}", headers={"Authorization": "Bearer api_test_other"}
    )
    assert other.status_code == 404


def test_idempotency_key_returns_the_same_payment(api: httpx.Client) -> None:
    headers = {"Idempotency-Key": "order-1"}
    first = api.post("/v1/payments", json=payment_request(), headers=headers)
    again = api.post("/v1/payments", json=payment_request(), headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["payment_id"] == again.json()["payment_id"]

    changed = api.post("/v1/payments", json=payment_request(amount=100), headers=headers)
    assert changed.status_code == 422
    assert changed.json()["code"] == "P0191"
    other = api.post("/v1/payments", json=payment_request(), headers={"Idempotency-Key": "order-2"})
    assert other.json()["payment_id"] != first.json()["payment_id"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": 0}, "amount"),
        ({"amount": 10_000_001}, "amount"),
        ({"amount": "100"}, "amount"),
        ({"amount": True}, "amount"),
        ({"reference": "R" * 256}, "reference"),
        ({"description": "D" * 256}, "description"),
        ({"return_url": "ftp://example.com/back"}, "return_url"),
        ({"return_url": "not a url"}, "return_url"),
        ({"language": "fr"}, "language"),
        ({"email": "not-an-email"}, "email"),
        ({"metadata": {f"k{i}": i for i in range(11)}}, "metadata"),
        ({"metadata": {"k": {"nested": 1}}}, "metadata"),
        ({"moto": "yes"}, "moto"),
    ],
)
def test_invalid_values_are_refused(api: httpx.Client, changes: dict[str, Any], field: str) -> None:
    response = api.post("/v1/payments", json=payment_request(**changes))
    assert response.status_code == 422
    assert response.json()["code"] == "P0102"
    assert response.json()["field"] == field
    assert field in response.json()["description"]


def test_the_limits_themselves_are_accepted(api: httpx.Client) -> None:
    created = create(api, amount=10_000_000, reference="R" * 255, description="D" * 255, moto=True)
    assert (created["amount"], created["moto"]) == (10_000_000, True)


def test_missing_values_and_unreadable_json(api: httpx.Client) -> None:
    missing = api.post("/v1/payments", json={"amount": 100})
    assert missing.status_code == 400
    assert missing.json()["code"] == "P0101"
    assert missing.json()["field"] == "reference"
    broken = api.post(
        "/v1/payments", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert broken.status_code == 400
    assert broken.json()["code"] == "P0197"


def test_more_than_15_posts_in_a_second_are_limited(sim: PaySimulator) -> None:
    headers = {"Authorization": "Bearer api_test_rate_limit"}
    with httpx.Client(base_url=sim.url, headers=headers) as client:
        statuses = [
            client.post("/v1/payments", json=payment_request()).status_code for _ in range(16)
        ]
        # Sixteen posts take far less than a second here; the check is on the sixteenth.
        assert statuses[:15] == [201] * 15
        assert statuses[15] == 429
        assert client.post("/v1/payments", json=payment_request()).json() == {
            "code": "P0900",
            "description": "Too many requests",
        }


def test_an_unfinished_payment_expires_after_90_minutes(
    sim: PaySimulator, api: httpx.Client
) -> None:
    payment_id = create(api)["payment_id"]
    sim.advance_clock(89)
    assert api.get(f"/v1/payments/{payment_id}").json()["state"]["status"] == "created"
    sim.advance_clock(2)
    state = api.get(f"/v1/payments/{payment_id}").json()["state"]
    assert state == {
        "status": "failed",
        "finished": True,
        "code": "P0020",
        "message": "Payment expired",
    }


def test_cancel_an_unfinished_payment_only(sim: PaySimulator, api: httpx.Client) -> None:
    payment_id = create(api)["payment_id"]
    assert api.post(f"/v1/payments/{payment_id}/cancel").status_code == 204
    state = api.get(f"/v1/payments/{payment_id}").json()["state"]
    assert (state["status"], state["code"]) == ("cancelled", "P0040")
    again = api.post(f"/v1/payments/{payment_id}/cancel")
    assert again.status_code == 400
    assert again.json()["code"] == "P0501"


def test_refunds(sim: PaySimulator, api: httpx.Client) -> None:
    payment_id = create(api)["payment_id"]
    not_yet = api.post(
        f"/v1/payments/{payment_id}/refunds", json={"amount": 100, "refund_amount_available": 0}
    )
    assert not_yet.status_code == 400
    assert not_yet.json()["code"] == "P0603"
    assert sim.complete(payment_id) == "success"
    summary = api.get(f"/v1/payments/{payment_id}").json()["refund_summary"]
    assert summary == {"status": "available", "amount_available": 8800, "amount_submitted": 0}

    stale = api.post(
        f"/v1/payments/{payment_id}/refunds", json={"amount": 100, "refund_amount_available": 5000}
    )
    assert stale.status_code == 412
    assert stale.json()["code"] == "P0604"
    too_much = api.post(
        f"/v1/payments/{payment_id}/refunds", json={"amount": 8801, "refund_amount_available": 8800}
    )
    assert too_much.status_code == 400

    refund = api.post(
        f"/v1/payments/{payment_id}/refunds", json={"amount": 3000, "refund_amount_available": 8800}
    )
    assert refund.status_code == 202
    body = refund.json()
    assert (body["amount"], body["status"]) == (3000, "submitted")
    assert body["_links"]["self"]["href"].endswith(f"/refunds/{body['refund_id']}")
    # Submitted when made; gone through by the time it is read again.
    read = api.get(f"/v1/payments/{payment_id}/refunds/{body['refund_id']}").json()
    assert read["status"] == "success"
    listed = api.get(f"/v1/payments/{payment_id}/refunds").json()["_embedded"]["refunds"]
    assert [r["refund_id"] for r in listed] == [body["refund_id"]]
    summary = api.get(f"/v1/payments/{payment_id}").json()["refund_summary"]
    assert summary == {"status": "available", "amount_available": 5800, "amount_submitted": 3000}

    rest = api.post(
        f"/v1/payments/{payment_id}/refunds", json={"amount": 5800, "refund_amount_available": 5800}
    )
    assert rest.status_code == 202
    assert api.get(f"/v1/payments/{payment_id}").json()["refund_summary"]["status"] == "full"
    assert api.get(f"/v1/payments/{payment_id}/refunds/nosuchrefund").status_code == 404


def test_a_repeated_refund_idempotency_key_refunds_once(
    sim: PaySimulator, api: httpx.Client
) -> None:
    payment_id = create(api)["payment_id"]
    sim.complete(payment_id)
    body = {"amount": 1000, "refund_amount_available": 8800}
    headers = {"Idempotency-Key": "refund-1"}
    first = api.post(f"/v1/payments/{payment_id}/refunds", json=body, headers=headers)
    again = api.post(f"/v1/payments/{payment_id}/refunds", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (202, 200)
    assert first.json()["refund_id"] == again.json()["refund_id"]
    assert (
        api.get(f"/v1/payments/{payment_id}").json()["refund_summary"]["amount_available"] == 7800
    )


@pytest.mark.parametrize(
    ("card", "status", "code"),
    [
        ("4444 3333 2222 1111", "success", None),
        (DECLINED_CARD, "failed", "P0010"),
        (EXPIRED_CARD, "failed", "P0010"),
        (ERROR_CARD, "error", "P0050"),
    ],
)
def test_card_page_outcomes(api: httpx.Client, card: str, status: str, code: str | None) -> None:
    created = create(api, email="sam@example.com")
    payment_id, next_url = created["payment_id"], created["_links"]["next_url"]["href"]
    page = httpx.get(next_url)
    assert page.status_code == 200
    assert '<html lang="en">' in page.text
    assert "<h1>Enter card details</h1>" in page.text
    assert api.get(f"/v1/payments/{payment_id}").json()["state"]["status"] == "started"

    answer = httpx.post(next_url, data=card_form(card))
    assert answer.status_code == 303
    assert answer.headers["location"] == RETURN_URL
    payment = api.get(f"/v1/payments/{payment_id}").json()
    assert payment["state"]["status"] == status
    assert payment["state"].get("code") == code
    assert payment["card_details"]["last_digits_card_number"] == card[-4:]
    assert payment["card_details"]["card_brand"] == "Visa"
    assert payment["card_details"]["expiry_date"] == "12/30"
    assert payment["card_details"]["cardholder_name"] == "Sam Tester"
    if status == "success":
        assert payment["settlement_summary"]["captured_date"]
        assert payment["refund_summary"]["status"] == "available"
    # Finished: the card page sends the user straight back.
    assert httpx.get(next_url).headers["location"] == RETURN_URL


def test_card_page_errors_keep_what_was_typed(api: httpx.Client) -> None:
    created = create(api)
    next_url = created["_links"]["next_url"]["href"]
    answer = httpx.post(
        next_url, data=card_form("4444333322221112", cvc="1", cardholder_name="", expiry_month="13")
    )
    assert answer.status_code == 200
    assert "<title>Error: Enter card details" in answer.text
    assert "There is a problem" in answer.text
    for message in (
        "Enter a valid card number",
        "Enter a valid expiry date",
        "Enter the name as it appears on the card",
        "Enter a valid card security code",
    ):
        assert message in answer.text
    assert 'value="4444333322221112"' in answer.text
    assert 'aria-describedby="card-number-error"' in answer.text
    # A number that passes the Luhn check but is not a mock card is refused too.
    other = httpx.post(next_url, data=card_form("4242424242424242"))
    assert "Enter a valid card number" in other.text
    state = api.get(f"/v1/payments/{created['payment_id']}").json()["state"]
    assert state == {"status": "started", "finished": False}


def test_card_page_cancel(api: httpx.Client) -> None:
    created = create(api)
    next_url = created["_links"]["next_url"]["href"]
    httpx.get(next_url)
    answer = httpx.post(f"{next_url}/cancel")
    assert (answer.status_code, answer.headers["location"]) == (303, RETURN_URL)
    state = api.get(f"/v1/payments/{created['payment_id']}").json()["state"]
    assert (state["status"], state["code"]) == ("failed", "P0030")


def test_a_telephone_payment_says_so(api: httpx.Client) -> None:
    created = create(api, moto=True)
    page = httpx.get(created["_links"]["next_url"]["href"])
    assert "This is a telephone payment" in page.text
    plain = httpx.get(create(api)["_links"]["next_url"]["href"])
    assert "telephone payment" not in plain.text


def test_faults_fail_the_api_but_not_the_controls(sim: PaySimulator, api: httpx.Client) -> None:
    sim.fail_next(503, times=2)
    assert api.post("/v1/payments", json=payment_request()).status_code == 503
    sim.reset()  # a control is never failed, and reset clears what is queued
    assert api.post("/v1/payments", json=payment_request()).status_code == 201
