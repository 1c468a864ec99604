"""The payment rows of the public journey: start one, find a case's live one, record what GOV.UK
Pay says about it, and find those that never came back (for reconciliation). The caller commits.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from webapp.store.models import Application, utcnow
from webapp.store.payments import CREATING, ENDED_UNPAID, ONLINE, SUCCESS, UNFINISHED, Payment


def new_idempotency_key() -> str:
    return secrets.token_urlsafe(24)


async def start(
    session: AsyncSession,
    application: Application,
    *,
    amount_pence: int,
    description: str,
    channel: str = ONLINE,
    taken_by: int | None = None,
) -> Payment:
    """Add a payment in ``creating`` with a fresh idempotency key, before GOV.UK Pay is asked.
    A second live payment for the case fails the flush (``one_live_payment_per_application``)."""
    assert application.force_id is not None  # the flow chooses the force before the declaration
    payment = Payment(
        application_id=application.id,
        force_id=application.force_id,
        service=application.service,
        amount_pence=amount_pence,
        description=description[:255],
        reference=application.reference,
        channel=channel,
        taken_by=taken_by,
        idempotency_key=new_idempotency_key(),
        status=CREATING,
    )
    session.add(payment)
    await session.flush()
    return payment


async def live_for(session: AsyncSession, application_id: int) -> Payment | None:
    """The case's payment in progress or succeeded (at most one: the partial unique index)."""
    return await session.scalar(
        select(Payment)
        .where(Payment.application_id == application_id, Payment.status.not_in(ENDED_UNPAID))
        .execution_options(populate_existing=True)
    )


async def latest_for(session: AsyncSession, application_id: int) -> Payment | None:
    return await session.scalar(
        select(Payment)
        .where(Payment.application_id == application_id)
        .order_by(Payment.id.desc())
        .limit(1)
    )


async def paid_for(session: AsyncSession, application_id: int) -> Payment | None:
    """The payment that paid for the case, if one did."""
    return await session.scalar(
        select(Payment).where(Payment.application_id == application_id, Payment.status == SUCCESS)
    )


async def get(session: AsyncSession, payment_id: int) -> Payment | None:
    return await session.get(Payment, payment_id, populate_existing=True)


async def created(
    session: AsyncSession, payment: Payment, *, pay_id: str, next_url: str | None, status: str
) -> None:
    """GOV.UK Pay answered the create: keep its id and card page. A row another request has
    already moved on (to a later state) keeps its state."""
    await session.execute(
        update(Payment)
        .where(Payment.id == payment.id)
        .values(
            pay_id=pay_id,
            next_url=next_url,
            status=status if payment.status == CREATING else payment.status,
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )


async def record_state(
    session: AsyncSession,
    payment: Payment,
    *,
    status: str,
    finished: bool,
    failure_code: str | None = None,
    card_brand: str | None = None,
    last_digits: str | None = None,
) -> None:
    """What GOV.UK Pay says now. A finished payment never changes again, so a late or repeated
    report cannot move it back."""
    await session.execute(
        update(Payment)
        .where(Payment.id == payment.id, Payment.finished_at.is_(None))
        .values(
            status=status,
            failure_code=failure_code,
            card_brand=card_brand,
            last_digits=last_digits,
            finished_at=utcnow() if finished else None,
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )


async def unanswered(session: AsyncSession, older_than: datetime) -> Sequence[Payment]:
    """Payments started before ``older_than`` whose end we have not heard: GOV.UK Pay knows it."""
    rows = await session.scalars(
        select(Payment)
        .where(
            Payment.finished_at.is_(None),
            Payment.updated_at < older_than,
            or_(
                Payment.status.in_(UNFINISHED),
                and_(Payment.status == CREATING, Payment.pay_id.is_not(None)),
            ),
        )
        .order_by(Payment.id)
    )
    return list(rows)


async def abandon_unanswered_creates(session: AsyncSession, older_than: datetime) -> int:
    """Payments GOV.UK Pay never answered the create of, long ago: ended in error, so the
    person can start again (their idempotency key was never given a payment)."""
    result = await session.execute(
        update(Payment)
        .where(
            Payment.status == CREATING,
            Payment.pay_id.is_(None),
            Payment.created_at < older_than,
        )
        .values(status="error", failure_code=None, finished_at=utcnow(), updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
