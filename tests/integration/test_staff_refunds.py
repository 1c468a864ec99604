"""On both databases, against the GOV.UK Pay simulator process: a force administrator refunds a
case's payment in full or in part, with a reason; more than is left is refused; caseworkers see
the payment but cannot refund; another force gets 404; GOV.UK Pay being down leaves nothing
written; two copies of one refund form sent at the same moment refund once; and moving a case
into a refundable state proposes the refund, approved (or declined) with one button."""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.conftest import make_settings
from tests.support.browser import LiveServer
from tests.support.databases import run_sql
from tests.support.forms import csrf_from
from tests.support.pay import PaySimulator
from tests.support.payments import PaidCase, paid_case, pay_status
from tests.support.resume import in_thread
from tests.support.staff import client_from_own_address, error_texts, new_staff, sign_in
from webapp.app import create_app
from webapp.notify import Email, deliver_one
from webapp.store.db import create_app_engine, session_factory
from webapp.store.models import utcnow

_KEY = re.compile(r'name="idempotency_key" value="([0-9a-f]{32})"')


@pytest.fixture
def sim(pay_simulator: PaySimulator) -> Iterator[PaySimulator]:
    yield pay_simulator


@pytest.fixture
def app(database_url: str) -> Any:
    return create_app(make_settings(database_url))


@pytest.fixture
def signed_in(app: Any, database_url: str) -> Iterator[Any]:
    clients: list[TestClient] = []

    def make(force_id: str = "cheshire", role: str = "admin") -> TestClient:
        client = client_from_own_address(app)
        client.__enter__()
        clients.append(client)
        assert sign_in(client, new_staff(database_url, force_id, role=role)).status_code == 303
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def _form(client: TestClient, case: PaidCase) -> dict[str, str]:
    page = client.get(f"/staff/applications/{case.application_id}").text
    key = _KEY.search(page)
    assert key, "the case page has a refund form"
    return {"csrf_token": csrf_from(page), "idempotency_key": key.group(1)}


def _refunds(database_url: str, case: PaidCase) -> list[tuple[Any, ...]]:
    return run_sql(
        database_url,
        "SELECT amount_pence, status, pay_refund_id, reason FROM refund "
        "WHERE payment_id = :p ORDER BY id",
        p=case.payment_id,
    )


def test_full_refund(signed_in: Any, sim: PaySimulator, database_url: str) -> None:
    case = paid_case(database_url, sim, amount=9800)
    admin = signed_in()
    page = admin.get(f"/staff/applications/{case.application_id}").text
    assert 'id="payment"' in page and "£98" in page and "ending 1111" in page
    assert 'name="amount"' in page and 'value="98.00"' in page  # the whole amount by default
    form = _form(admin, case)
    done = admin.post(
        f"/staff/applications/{case.application_id}/refund",
        data={**form, "amount": "98.00", "reason": "Withdrawn by phone"},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text[:2000]
    refunds = _refunds(database_url, case)
    assert len(refunds) == 1 and refunds[0][0] == 9800 and refunds[0][3] == "Withdrawn by phone"
    assert refunds[0][1] in ("submitted", "success") and refunds[0][2]
    assert pay_status(sim, case.pay_id).refund_amount_available == 0
    shown = admin.get(done.headers["location"]).text
    assert "Refunded £98" in shown and 'name="amount"' not in shown  # nothing left to refund
    audited = run_sql(
        database_url,
        "SELECT before, after FROM audit_event WHERE action = 'refunded payment' "
        "AND application_id = :a",
        a=case.application_id,
    )
    assert len(audited) == 1 and '"refunded_pence": 0' in str(audited[0][0]).replace("'", '"')
    email = run_sql(
        database_url,
        "SELECT id, to_address FROM outbox WHERE template = 'refund_sent' AND application_id = :a",
        a=case.application_id,
    )
    assert [row[1] for row in email] == ["ann@example.com"]
    sent = _deliver(database_url, int(email[0][0]))
    assert (
        sent.subject.startswith("Refund of £98: ")
        and f"(reference {case.reference})" in sent.subject
    )
    assert f"has refunded £98 of the fee you paid for application {case.reference}" in sent.body


class _Kept:
    def __init__(self) -> None:
        self.sent: list[Email] = []

    def send(self, message: Email) -> None:
        self.sent.append(message)


def _deliver(database_url: str, message_id: int) -> Email:
    """Write and 'send' one outbox message, keeping what would have gone out."""
    kept = _Kept()
    # The request already handed it to the app's own transport (the log, in tests): again, here.
    sent = run_sql(database_url, "SELECT status FROM outbox WHERE id = :i", i=message_id)
    assert sent == [("sent",)]
    run_sql(
        database_url,
        "UPDATE outbox SET status = 'pending', next_attempt_at = :t WHERE id = :i",
        t=utcnow() - timedelta(minutes=1),
        i=message_id,
    )

    async def deliver() -> None:
        engine = create_app_engine(database_url)
        try:
            await deliver_one(
                session_factory(engine), message_id, make_settings(database_url), kept, utcnow()
            )
        finally:
            await engine.dispose()

    in_thread(asyncio.run, deliver())
    assert len(kept.sent) == 1
    return kept.sent[0]


def test_partial_refunds_and_no_more_than_is_left(
    signed_in: Any, sim: PaySimulator, database_url: str
) -> None:
    case = paid_case(database_url, sim, amount=9800)
    admin = signed_in()
    url = f"/staff/applications/{case.application_id}/refund"
    first = admin.post(
        url, data={**_form(admin, case), "amount": "£10", "reason": "Part"}, follow_redirects=False
    )
    assert first.status_code == 303
    assert 'value="88.00"' in admin.get(f"/staff/applications/{case.application_id}").text
    for typed, message in [
        ("88.01", "Amount must be £88 or less"),
        ("12.5", "Enter the amount in pounds and pence, like 12.50"),
        ("1e3", "Enter the amount in pounds and pence, like 12.50"),
        ("-5", "Enter the amount in pounds and pence, like 12.50"),
        ("0.00", "Amount must be more than £0"),
        ("", "Enter the amount to refund"),
        ("99999999999999999999", "Enter the amount in pounds and pence, like 12.50"),
    ]:
        refused = admin.post(url, data={**_form(admin, case), "amount": typed, "reason": "More"})
        assert refused.status_code == 200 and message in error_texts(refused.text), typed
        assert f'value="{typed}"' in refused.text or not typed
    no_reason = admin.post(url, data={**_form(admin, case), "amount": "5.00", "reason": " "})
    assert "Enter the reason for the refund" in error_texts(no_reason.text)
    assert [row[0] for row in _refunds(database_url, case)] == [1000]
    rest = admin.post(
        url,
        data={**_form(admin, case), "amount": "88.00", "reason": "Rest"},
        follow_redirects=False,
    )
    assert rest.status_code == 303
    assert [row[0] for row in _refunds(database_url, case)] == [1000, 8800]
    assert pay_status(sim, case.pay_id).refund_amount_available == 0


def test_caseworkers_see_the_payment_but_cannot_refund(
    signed_in: Any, sim: PaySimulator, database_url: str
) -> None:
    case = paid_case(database_url, sim, amount=4000)
    admin_form = _form(signed_in(), case)
    caseworker = signed_in(role="caseworker")
    page = caseworker.get(f"/staff/applications/{case.application_id}").text
    assert 'id="payment"' in page and "£40" in page and 'name="amount"' not in page
    refused = caseworker.post(
        f"/staff/applications/{case.application_id}/refund",
        data={**admin_form, "csrf_token": csrf_from(page), "amount": "40.00", "reason": "x"},
    )
    assert refused.status_code == 403
    elsewhere = signed_in("derbyshire")
    assert elsewhere.get(f"/staff/applications/{case.application_id}").status_code == 404
    other = elsewhere.post(
        f"/staff/applications/{case.application_id}/refund",
        data={
            **admin_form,
            "csrf_token": csrf_from(elsewhere.get("/staff").text),
            "amount": "40.00",
            "reason": "x",
        },
    )
    assert other.status_code == 404
    assert _refunds(database_url, case) == []
    assert pay_status(sim, case.pay_id).refund_amount_available == 4000


def test_pay_down_makes_no_refund_and_says_so(
    signed_in: Any, sim: PaySimulator, database_url: str
) -> None:
    case = paid_case(database_url, sim, amount=2500)
    admin = signed_in()
    form = _form(admin, case)
    sim.fail_next(503, times=3)  # every attempt the client makes
    answer = admin.post(
        f"/staff/applications/{case.application_id}/refund",
        data={**form, "amount": "25.00", "reason": "Refused"},
    )
    assert answer.status_code == 503
    assert "We cannot reach GOV.UK Pay, no refund was made, try again later" in error_texts(
        answer.text
    )
    assert "Refused</textarea>" in answer.text  # what was typed is kept
    assert _refunds(database_url, case) == []
    assert run_sql(
        database_url,
        "SELECT count(*) FROM outbox WHERE template = 'refund_sent' AND application_id = :a",
        a=case.application_id,
    ) == [(0,)]
    # Once GOV.UK Pay is back the same form works.
    again = admin.post(
        f"/staff/applications/{case.application_id}/refund",
        data={**form, "amount": "25.00", "reason": "Refused"},
        follow_redirects=False,
    )
    assert again.status_code == 303 and len(_refunds(database_url, case)) == 1


def test_two_copies_of_one_refund_form_at_once_refund_once(
    sim: PaySimulator, database_url: str
) -> None:
    """Two real HTTP requests, at the same moment, to a real server, with the same form."""
    case = paid_case(database_url, sim, amount=6000)
    server = LiveServer(create_app(make_settings(database_url, base_url="")))
    server.start()
    try:
        first = httpx.Client(base_url=server.url, timeout=30)
        assert sign_in(first, new_staff(database_url, "cheshire", role="admin")).status_code == 303
        form = _form(first, case)  # type: ignore[arg-type]
        second = httpx.Client(base_url=server.url, timeout=30, cookies=first.cookies)
        data = {**form, "amount": "60.00", "reason": "Double click"}
        barrier = threading.Barrier(2)
        answers: list[int] = []

        def send(client: httpx.Client) -> None:
            barrier.wait()
            response = client.post(
                f"/staff/applications/{case.application_id}/refund",
                data=data,
                follow_redirects=False,
            )
            answers.append(response.status_code)

        threads = [threading.Thread(target=send, args=(c,)) for c in (first, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        first.close()
        second.close()
    finally:
        server.stop()
    # Both are sent back to the case page: one having refunded, one told it already was.
    assert answers == [303, 303]
    refunds = _refunds(database_url, case)
    assert len(refunds) == 1 and refunds[0][0] == 6000
    status = pay_status(sim, case.pay_id)
    assert status.refund_amount_available == 0
    # GOV.UK Pay holds one refund of 60.00, not two (it would refuse the second anyway).
    listed = httpx.get(
        f"{sim.url}/v1/payments/{case.pay_id}/refunds",
        headers={"Authorization": f"Bearer {sim.key}"},
    ).json()
    assert [refund["amount"] for refund in listed["_embedded"]["refunds"]] == [6000]


def test_moving_into_a_refundable_state_proposes_the_refund(
    signed_in: Any, sim: PaySimulator, database_url: str
) -> None:
    case = paid_case(database_url, sim, amount=8800)
    caseworker = signed_in(role="caseworker")
    url = f"/staff/applications/{case.application_id}"
    moved = caseworker.post(
        f"{url}/status",
        data={
            "csrf_token": csrf_from(caseworker.get(f"{url}/status").text),
            "status": "withdrawn_before_checks",
            "from_status": "submitted",
            "note": "Applicant phoned to withdraw",
        },
        follow_redirects=False,
    )
    assert moved.status_code == 303
    assert _refunds(database_url, case) == [
        (8800, "proposed", None, "Withdrawn before checks: Applicant phoned to withdraw")
    ]
    assert "Approve refund" not in caseworker.get(url).text  # caseworkers do not approve
    admin = signed_in()
    page = admin.get(url).text
    assert "Approve refund" in page and "£88" in page
    refund_id = run_sql(
        database_url, "SELECT id FROM refund WHERE payment_id = :p", p=case.payment_id
    )[0][0]
    token = csrf_from(page)
    refused = caseworker.post(
        f"{url}/refunds/{refund_id}/approve",
        data={"csrf_token": csrf_from(caseworker.get(url).text)},
    )
    assert refused.status_code == 403
    approved = admin.post(
        f"{url}/refunds/{refund_id}/approve", data={"csrf_token": token}, follow_redirects=False
    )
    assert approved.status_code == 303
    [(amount, status, pay_refund_id, _reason)] = _refunds(database_url, case)
    assert amount == 8800 and status in ("submitted", "success") and pay_refund_id
    assert pay_status(sim, case.pay_id).refund_amount_available == 0
    # Approving again does nothing more.
    again = admin.post(f"{url}/refunds/{refund_id}/approve", data={"csrf_token": token})
    assert "already approved or declined" in again.text
    assert len(_refunds(database_url, case)) == 1
    actions = run_sql(
        database_url,
        "SELECT action FROM audit_event WHERE application_id = :a AND action LIKE '%refund%' "
        "ORDER BY id",
        a=case.application_id,
    )
    assert [row[0] for row in actions] == ["refund proposed", "refunded payment", "approved refund"]


def test_a_proposed_refund_can_be_declined_and_a_later_withdrawal_proposes_none(
    signed_in: Any, sim: PaySimulator, database_url: str
) -> None:
    case = paid_case(database_url, sim, amount=3000)
    declined_case = case
    admin = signed_in()
    url = f"/staff/applications/{case.application_id}"
    admin.post(
        f"{url}/status",
        data={
            "csrf_token": csrf_from(admin.get(f"{url}/status").text),
            "status": "withdrawn_before_checks",
            "from_status": "submitted",
            "note": "Withdrawn",
        },
    )
    refund_id = run_sql(
        database_url, "SELECT id FROM refund WHERE payment_id = :p", p=case.payment_id
    )[0][0]
    declined = admin.post(
        f"{url}/refunds/{refund_id}/decline",
        data={"csrf_token": csrf_from(admin.get(url).text)},
        follow_redirects=False,
    )
    assert declined.status_code == 303
    assert [row[1] for row in _refunds(database_url, declined_case)] == ["declined"]
    assert pay_status(sim, case.pay_id).refund_amount_available == 3000
    # Withdrawn after checks began is not refundable: no proposal.
    later = paid_case(database_url, sim, amount=3000, case_status="medical_check")
    later_url = f"/staff/applications/{later.application_id}"
    admin.post(
        f"{later_url}/status",
        data={
            "csrf_token": csrf_from(admin.get(f"{later_url}/status").text),
            "status": "withdrawn",
            "from_status": "medical_check",
            "note": "Withdrawn",
        },
    )
    assert run_sql(
        database_url, "SELECT status FROM application WHERE id = :i", i=later.application_id
    ) == [("withdrawn",)]
    assert _refunds(database_url, later) == []
