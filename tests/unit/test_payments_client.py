"""PayClient against the real GOV.UK Pay simulator process: answers, retries, refusals, secrecy."""

from __future__ import annotations

import asyncio
import logging
import socket
import time
import traceback
from collections.abc import Awaitable, Callable, Iterator
from typing import TypeVar

import pytest

from tests.support.pay import PaySimulator
from tests.support.resume import in_thread
from webapp.payments import PayClient, PaymentRefused, PaymentsUnavailable

T = TypeVar("T")
SECRET_KEY = "api_test_secret_that_must_never_be_logged_7c1f"
RETURN_URL = "http://127.0.0.1:8000/apply/return"


@pytest.fixture
def sim(pay_simulator: PaySimulator) -> Iterator[PaySimulator]:
    pay_simulator.reset()
    yield pay_simulator
    pay_simulator.reset()


def run(sim_url: str, use: Callable[[PayClient], Awaitable[T]], **options: float) -> T:
    """Make a client, use it on a fresh event loop, and close it."""

    async def scenario() -> T:
        client = PayClient(sim_url, SECRET_KEY, **options)  # type: ignore[arg-type]
        try:
            return await use(client)
        finally:
            await client.aclose()

    return in_thread(asyncio.run, scenario())


def create(
    client: PayClient, key: str = "order-1", amount: int = 4200, reference: str = "BL-0042"
) -> Awaitable[object]:
    return client.create_payment(
        amount=amount,
        reference=reference,
        description="Firearm certificate",
        return_url=RETURN_URL,
        idempotency_key=key,
    )


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_create_get_and_refund(sim: PaySimulator) -> None:
    async def use(client: PayClient) -> None:
        created = await client.create_payment(
            amount=4200,
            reference="BL-0042",
            description="Firearm certificate",
            return_url=RETURN_URL,
            idempotency_key="order-1",
            email="sam@example.com",
            language="cy",
            metadata={"case": "A1", "count": 2, "urgent": False},
            moto=True,
        )
        assert (created.amount, created.reference) == (4200, "BL-0042")
        assert not created.state.finished and not created.state.succeeded
        assert created.next_url == f"{sim.url}/card_details/{created.payment_id}"
        assert created.refund_status == "pending"

        sim.complete(created.payment_id)
        paid = await client.get_payment(created.payment_id)
        assert paid.state.succeeded and paid.state.finished
        assert (paid.card_brand, paid.last_digits) == ("Visa", "1111")
        assert paid.next_url is None
        assert paid.refund_amount_available == 4200

        refund = await client.refund(
            paid.payment_id, amount=1000, refund_amount_available=4200, idempotency_key="r-1"
        )
        assert (refund.amount, refund.status) == (1000, "submitted")
        later = await client.get_refund(paid.payment_id, refund.refund_id)
        assert (later.refund_id, later.status) == (refund.refund_id, "success")
        assert (await client.get_payment(paid.payment_id)).refund_amount_available == 3200

    run(sim.url, use)


def test_a_failed_payment_has_its_code(sim: PaySimulator) -> None:
    async def use(client: PayClient) -> None:
        created = await create(client)
        sim.complete(created.payment_id, "4000000000000002")  # type: ignore[attr-defined]
        failed = await client.get_payment(created.payment_id)  # type: ignore[attr-defined]
        assert (failed.state.status, failed.state.code) == ("failed", "P0010")
        assert failed.state.message and not failed.state.succeeded

    run(sim.url, use)


@pytest.mark.parametrize("status", [503, 500, 429])
def test_retries_busy_or_failing_answers_then_succeeds(sim: PaySimulator, status: int) -> None:
    sim.fail_next(status, times=2)
    payment = run(sim.url, create)
    assert payment.amount == 4200  # type: ignore[attr-defined]


def test_gives_up_after_the_attempts(sim: PaySimulator) -> None:
    sim.fail_next(503, times=3)
    with pytest.raises(PaymentsUnavailable, match="3 attempts: HTTP 503"):
        run(sim.url, create)


def test_a_closed_port_is_unavailable() -> None:
    started = time.monotonic()
    with pytest.raises(PaymentsUnavailable, match="ConnectError"):
        run(f"http://127.0.0.1:{closed_port()}", create, attempts=2)
    assert time.monotonic() - started < 5


def test_a_hanging_answer_times_out(sim: PaySimulator) -> None:
    sim.hang_next(3, times=2)
    with pytest.raises(PaymentsUnavailable, match="ReadTimeout"):
        run(sim.url, create, timeout=0.3, attempts=2)


def test_a_create_retried_after_a_timeout_makes_one_payment(sim: PaySimulator) -> None:
    # The first attempt is answered too late (the simulator still makes the payment); the
    # retry, with the same Idempotency-Key, is answered in time. Generous times: a loaded
    # machine must not turn the retry into a timeout too.
    hang_seconds = 3.0
    sim.hang_next(hang_seconds, times=1)

    async def use(client: PayClient) -> str:
        started = time.monotonic()
        # A reference of its own: late requests of other tests may still arrive after a reset.
        payment = await create(client, key="order-7", reference="BL-RETRIED")
        # Until the late first attempt has surely been handled by the simulator.
        await asyncio.sleep(max(0.0, hang_seconds + 1.0 - (time.monotonic() - started)))
        return payment.payment_id  # type: ignore[attr-defined]

    payment_id = run(sim.url, use, timeout=1.5)
    assert [p["payment_id"] for p in sim.payments("BL-RETRIED")] == [payment_id]


def test_a_validation_error_is_refused_without_retrying(sim: PaySimulator) -> None:
    with pytest.raises(PaymentRefused) as refused:
        run(sim.url, lambda client: create(client, amount=0))
    assert refused.value.code == "P0102"
    assert "amount" in refused.value.description
    assert refused.value.status == 422


def test_an_unknown_payment_or_a_path_in_an_id_is_refused(sim: PaySimulator) -> None:
    for payment_id in ("nosuchpayment", "../payments"):
        with pytest.raises(PaymentRefused) as refused:
            run(sim.url, lambda client, pid=payment_id: client.get_payment(pid))
        assert refused.value.status == 404


def test_a_stale_refund_is_refused(sim: PaySimulator) -> None:
    async def use(client: PayClient) -> None:
        created = await create(client)
        sim.complete(created.payment_id)  # type: ignore[attr-defined]
        await client.refund(
            created.payment_id,  # type: ignore[attr-defined]
            amount=100,
            refund_amount_available=9999,
            idempotency_key="r-1",
        )

    with pytest.raises(PaymentRefused) as refused:
        run(sim.url, use)
    assert (refused.value.status, refused.value.code) == (412, "P0604")


def test_the_api_key_is_never_logged_or_in_an_error(
    sim: PaySimulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, httpx's and httpcore's included
    texts: list[str] = []

    def record(url: str, use: Callable[[PayClient], Awaitable[object]], **options: float) -> None:
        with pytest.raises((PaymentsUnavailable, PaymentRefused)) as failure:
            run(url, use, **options)
        texts.append(str(failure.value))
        texts.append(repr(failure.value))
        texts.append("".join(traceback.format_exception(failure.value)))

    sim.fail_next(503, times=3)
    record(sim.url, create)
    record(f"http://127.0.0.1:{closed_port()}", create, attempts=2)
    sim.hang_next(2, times=1)
    record(sim.url, create, timeout=0.2, attempts=1)
    record(sim.url, lambda client: create(client, amount=0))
    assert caplog.records, "the failures above should have been logged"
    assert "503" in caplog.text
    for text in [caplog.text, *texts]:
        assert SECRET_KEY not in text
        assert SECRET_KEY[len("api_test_") :] not in text
