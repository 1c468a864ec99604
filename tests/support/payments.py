"""Paid cases for the money-side tests: a real payment made in the GOV.UK Pay simulator with the
success card, and the matching Payment row on a sent application, as the payment stage leaves them."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from tests.support.pay import SUCCESS_CARD, PaySimulator
from tests.support.resume import in_thread
from tests.support.staff import sent_application
from webapp.payments import PayClient, PaymentStatus
from webapp.store.db import create_sync_engine
from webapp.store.models import utcnow
from webapp.store.payments import ONLINE, SUCCESS, Payment


@dataclass(frozen=True)
class PaidCase:
    application_id: int
    reference: str
    payment_id: int
    pay_id: str
    amount_pence: int


def pay_status(simulator: PaySimulator, pay_id: str) -> PaymentStatus:
    """What GOV.UK Pay (the simulator) says about a payment now."""

    async def read() -> PaymentStatus:
        client = PayClient(simulator.url, simulator.key)
        try:
            return await client.get_payment(pay_id)
        finally:
            await client.aclose()

    return in_thread(asyncio.run, read())  # type: ignore[no-any-return]


def _paid_in_simulator(simulator: PaySimulator, amount: int, reference: str) -> PaymentStatus:
    async def pay() -> PaymentStatus:
        client = PayClient(simulator.url, simulator.key)
        try:
            created = await client.create_payment(
                amount=amount,
                reference=reference,
                description="Certificate fee",
                return_url="http://testserver/return",
                idempotency_key=uuid.uuid4().hex,
            )
            return created
        finally:
            await client.aclose()

    created: PaymentStatus = in_thread(asyncio.run, pay())
    assert simulator.complete(created.payment_id, SUCCESS_CARD) == SUCCESS
    return pay_status(simulator, created.payment_id)


def paid_case(
    database_url: str,
    simulator: PaySimulator | None,
    force_id: str = "cheshire",
    *,
    amount: int = 9800,
    status: str = SUCCESS,
    service: str = "firearm-certificate",
    channel: str = ONLINE,
    taken_by: int | None = None,
    created_at: datetime | None = None,
    description: str = "Certificate fee",
    case_status: str = "submitted",
) -> PaidCase:
    """A sent application with a payment row. With a simulator the payment is real there (and
    succeeded); without one (ledger tests that never refund) only the row is written."""
    application = sent_application(database_url, force_id, status=case_status)
    pay_id: str | None = None
    brand, digits = None, None
    if simulator is not None:
        paid = _paid_in_simulator(simulator, amount, application.reference)
        pay_id, brand, digits = paid.payment_id, paid.card_brand, paid.last_digits
    engine = create_sync_engine(database_url)
    try:
        with Session(engine, expire_on_commit=False) as session, session.begin():
            now = created_at or utcnow()
            payment = Payment(
                application_id=application.id,
                force_id=force_id,
                service=service,
                amount_pence=amount,
                description=description,
                reference=application.reference,
                channel=channel,
                taken_by=taken_by,
                idempotency_key=uuid.uuid4().hex,
                pay_id=pay_id or f"row-only-{uuid.uuid4().hex[:20]}",
                status=status,
                card_brand=brand,
                last_digits=digits,
                created_at=now,
                updated_at=now,
                finished_at=now if status == SUCCESS else None,
            )
            session.add(payment)
        return PaidCase(
            application.id, application.reference, payment.id, payment.pay_id or "", amount
        )
    finally:
        engine.dispose()
