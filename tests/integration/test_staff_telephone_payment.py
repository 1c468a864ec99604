"""A caseworker takes an application by phone and the caller's card payment with it, on both
databases, against the GOV.UK Pay simulator: the payment is a telephone one taken by that staff
member (a MOTO payment on GOV.UK Pay), the audit log says who took it, and the payments ledger
shows it as a telephone payment with the staff member's name."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from html import unescape
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from starlette.testclient import TestClient

from tests.integration.test_firearms_journey import BASE, complete_every_task
from tests.support.databases import run_sql
from tests.support.forms import csrf_from, post_form
from tests.support.pay import SUCCESS_CARD, PaySimulator
from tests.support.paying import pay_api, pay_id_of
from tests.support.staff import PASSWORD, client_from_own_address, sign_in
from webapp.app import create_app
from webapp.settings import Settings
from webapp.staff_setup import CreatedStaff, create_staff

STAFF_NAME = "Priya Shah"
FEE = 20200  # a first firearm certificate and a renewed shotgun one, expiring together


@pytest.fixture
def member(database_url: str) -> CreatedStaff:
    return create_staff(
        database_url,
        force_id="cheshire",
        email=f"caseworker.{uuid.uuid4().hex[:10]}@cheshire.police.example",
        password=PASSWORD,
        role="caseworker",
        name=STAFF_NAME,
    )


@pytest.fixture
def caseworker(
    settings: Settings, member: CreatedStaff, pay_simulator: PaySimulator
) -> Iterator[TestClient]:
    with client_from_own_address(create_app(settings)) as client:
        assert sign_in(client, member).status_code == 303
        yield client


def pay_on_the_card_page(card_page: str, card: str = SUCCESS_CARD) -> str:
    """Key in the caller's card on GOV.UK Pay's page (the simulator's form, posted as the
    browser would); where GOV.UK Pay sends the staff member back to."""
    shown = httpx.get(card_page)
    assert shown.status_code == 200
    assert "This is a telephone payment" in shown.text  # GOV.UK Pay was told: MOTO
    action = re.search(r'<form method="post" action="([^"]+)" novalidate>', shown.text)
    assert action, shown.text[:2000]
    sent = httpx.post(
        httpx.URL(card_page).join(unescape(action.group(1))),
        data={
            "card_number": card,
            "expiry_month": "12",
            "expiry_year": "30",
            "cardholder_name": "Sam Caller",
            "cvc": "123",
            "email": "",
        },
    )
    assert sent.status_code == 303, sent.text[:2000]
    return str(sent.headers["location"])


def test_a_card_payment_taken_by_phone_is_the_staff_members(
    caseworker: TestClient,
    database_url: str,
    member: CreatedStaff,
    pay_simulator: PaySimulator,
) -> None:
    page = caseworker.get("/staff/apply/firearm-certificate")
    started = caseworker.post(
        "/staff/apply/firearm-certificate/phone",
        data={"csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert started.status_code == 303 and started.headers["location"] == f"{BASE}/tasks"
    complete_every_task(caseworker)

    declared = post_form(caseworker, f"{BASE}/declaration", {"confirm": "yes"})
    assert declared.status_code == 303 and declared.headers["location"] == f"{BASE}/payment"
    payment_page = caseworker.get(f"{BASE}/payment")
    assert "Take the card payment" in payment_page.text and "£202" in payment_page.text

    to_card_page = post_form(caseworker, f"{BASE}/payment", {})
    assert to_card_page.status_code == 303
    card_page = to_card_page.headers["location"]
    payment_id = pay_id_of(card_page)
    returned = pay_on_the_card_page(card_page)
    sent = caseworker.get(urlsplit(returned).path, follow_redirects=False)
    # Staff go back to their own page in the back office, not the public confirmation.
    assert sent.status_code == 303
    assert re.fullmatch(r"/staff/applications/\d+/sent", sent.headers["location"])
    application_id = int(sent.headers["location"].split("/")[3])
    [(reference,)] = run_sql(
        database_url, "SELECT reference FROM application WHERE id = :i", i=application_id
    )

    # Our record: one payment, by telephone, taken by this member, succeeded; the case sent.
    [row] = run_sql(
        database_url,
        "SELECT channel, taken_by, status, amount_pence, pay_id FROM payment "
        "WHERE application_id = :i",
        i=application_id,
    )
    assert tuple(row) == ("telephone", member.id, "success", FEE, payment_id)
    [(status,)] = run_sql(
        database_url, "SELECT status FROM application WHERE id = :i", i=application_id
    )
    assert status != "draft"

    # GOV.UK Pay's record: one payment for the case, made as a MOTO (telephone) payment.
    made = pay_simulator.payments(str(reference))
    assert [(p["payment_id"], p["status"]) for p in made] == [(payment_id, "success")]
    asked: dict[str, Any] = pay_api(payment_id)
    assert asked["moto"] is True and asked["amount"] == FEE
    assert asked.get("email") in (None, "")  # staff do not hand the caller's email to GOV.UK Pay

    # The audit log: who took the card payment, for which case.
    events = run_sql(
        database_url,
        "SELECT staff_id, detail FROM audit_event WHERE action = :a AND application_id = :i",
        a="took card payment by phone",
        i=application_id,
    )
    assert [(staff_id, str(detail).split(" ")[0]) for staff_id, detail in events] == [
        (member.id, reference)
    ]

    # The ledger: a telephone payment, taken by the staff member, by name.
    ledger = caseworker.get("/staff/payments")
    assert ledger.status_code == 200
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', ledger.text, re.S)
    [mine] = [r for r in rows if str(reference) in r]
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", mine)).split())
    assert "Telephone" in text and f"taken by {STAFF_NAME}" in text
