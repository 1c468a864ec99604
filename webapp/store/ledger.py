"""The money side for staff: a force's payments ledger, its totals, a case's payment and the
refunds against it (asked for by an administrator, or proposed by a service's rules).

Every query of one force's ledger takes the force, so another force's payments are never
found; only ``force_totals`` spans forces (for national administrators). Amounts are integer
pence. Nothing here commits: the request's unit of work does.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from webapp.store.models import Application, Force, utcnow
from webapp.store.payments import (
    REFUND_DECLINED,
    REFUND_ERROR,
    REFUND_PROPOSED,
    REFUND_SUBMITTED,
    REFUND_SUCCESS,
    SUCCESS,
    Payment,
    Refund,
)
from webapp.store.staff import StaffMember
from webapp.uk_time import LONDON

# Refunds that have taken (or are taking) money back: what is left to refund excludes these.
COUNTED = (REFUND_SUBMITTED, REFUND_SUCCESS)
# A ledger page never lists more rows than this; the CSV export has no such limit.
PAGE_ROWS = 500


def new_idempotency_key() -> str:
    """A fresh key for one refund request, sent to GOV.UK Pay as its Idempotency-Key."""
    return secrets.token_hex(16)


@dataclass(frozen=True)
class LedgerFilters:
    date_from: date | None = None
    date_to: date | None = None
    status: str = ""
    service: str = ""

    def used(self) -> dict[str, str]:
        return {name: str(value) for name, value in self.__dict__.items() if value}


@dataclass(frozen=True)
class LedgerRow:
    payment: Payment
    reference: str
    taken_by: str | None  # the staff member's name, for a telephone payment
    refunded_pence: int


@dataclass(frozen=True)
class Totals:
    paid_pence: int = 0
    refunded_pence: int = 0
    count: int = 0

    @property
    def net_pence(self) -> int:
        return self.paid_pence - self.refunded_pence


@dataclass(frozen=True)
class ForceTotals:
    force_id: str
    force_name: str
    totals: Totals


@dataclass
class Ledger:
    rows: list[LedgerRow] = field(default_factory=list)
    totals: Totals = field(default_factory=Totals)
    more: bool = False  # there are more rows than a page shows


def _start_of(day: date) -> datetime:
    """Midnight at the start of a UK day, in UTC (as payments' times are stored)."""
    return datetime.combine(day, time.min, tzinfo=LONDON).astimezone(UTC)


def _refunded() -> Select[int, int]:
    """Money refunded or on its way back, per payment."""
    return (
        select(Refund.payment_id, func.sum(Refund.amount_pence).label("pence"))
        .where(Refund.status.in_(COUNTED))
        .group_by(Refund.payment_id)
    )


def _conditions(filters: LedgerFilters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.date_from:
        conditions.append(Payment.created_at >= _start_of(filters.date_from))
    if filters.date_to:
        conditions.append(Payment.created_at < _start_of(filters.date_to + timedelta(days=1)))
    if filters.status:
        conditions.append(Payment.status == filters.status)
    if filters.service:
        conditions.append(Payment.service == filters.service)
    return conditions


async def ledger(
    session: AsyncSession, force_id: str, filters: LedgerFilters, *, limit: int | None = PAGE_ROWS
) -> Ledger:
    """One force's payments matching the filters, newest first, and their totals."""
    refunded = _refunded().subquery()
    conditions = [Payment.force_id == force_id, *_conditions(filters)]
    query = (
        select(
            Payment,
            Application.reference,
            StaffMember.name,
            func.coalesce(refunded.c.pence, 0),
        )
        .join(Application, Application.id == Payment.application_id)
        .outerjoin(StaffMember, StaffMember.id == Payment.taken_by)
        .outerjoin(refunded, refunded.c.payment_id == Payment.id)
        .where(*conditions)
        .order_by(Payment.created_at.desc(), Payment.id.desc())
    )
    if limit is not None:
        query = query.limit(limit + 1)
    rows = [
        LedgerRow(payment, reference, name, int(pence))
        for payment, reference, name, pence in (await session.execute(query)).all()
    ]
    more = limit is not None and len(rows) > limit
    totals = await _totals(session, conditions)
    return Ledger(rows[:limit] if limit is not None else rows, totals, more)


async def _totals(session: AsyncSession, conditions: list[ColumnElement[bool]]) -> Totals:
    """Paid counts only successful payments; refunded, what went back on any of the rows."""
    refunded = _refunded().subquery()
    paid = func.sum(func.coalesce(Payment.amount_pence, 0)).filter(Payment.status == SUCCESS)
    row = (
        await session.execute(
            select(paid, func.sum(func.coalesce(refunded.c.pence, 0)), func.count(Payment.id))
            .outerjoin(refunded, refunded.c.payment_id == Payment.id)
            .where(*conditions)
        )
    ).one()
    return Totals(int(row[0] or 0), int(row[1] or 0), int(row[2] or 0))


async def force_totals(session: AsyncSession, filters: LedgerFilters) -> list[ForceTotals]:
    """Every force that has payments matching the filters, with its totals, by force name."""
    conditions = _conditions(filters)
    refunded = _refunded().subquery()
    paid = func.sum(Payment.amount_pence).filter(Payment.status == SUCCESS)
    rows = (
        await session.execute(
            select(
                Force.id,
                Force.name,
                paid,
                func.sum(func.coalesce(refunded.c.pence, 0)),
                func.count(Payment.id),
            )
            .join(Payment, Payment.force_id == Force.id)
            .outerjoin(refunded, refunded.c.payment_id == Payment.id)
            .where(*conditions)
            .group_by(Force.id, Force.name)
            .order_by(Force.name)
        )
    ).all()
    return [
        ForceTotals(force_id, name, Totals(int(paid or 0), int(back or 0), int(count)))
        for force_id, name, paid, back, count in rows
    ]


# --- one case's payment and its refunds ----------------------------------------------------


@dataclass(frozen=True)
class CasePayment:
    payment: Payment
    refunds: list[Refund]

    @property
    def refunded_pence(self) -> int:
        return sum(refund.amount_pence for refund in self.refunds if refund.status in COUNTED)

    @property
    def available_pence(self) -> int:
        """What is left to refund, as this service's records have it."""
        return self.payment.amount_pence - self.refunded_pence

    @property
    def proposed(self) -> list[Refund]:
        return [refund for refund in self.refunds if refund.status == REFUND_PROPOSED]


async def case_payment(
    session: AsyncSession, force_id: str, application_id: int
) -> CasePayment | None:
    """The case's successful payment (there is at most one) and its refunds, oldest first."""
    payment = await session.scalar(
        select(Payment).where(
            Payment.application_id == application_id,
            Payment.force_id == force_id,
            Payment.status == SUCCESS,
        )
    )
    if payment is None:
        return None
    refunds = list(
        await session.scalars(
            select(Refund).where(Refund.payment_id == payment.id).order_by(Refund.id)
        )
    )
    return CasePayment(payment, refunds)


def already_sent(paid: CasePayment, idempotency_key: str) -> bool:
    """A refund from this very form was already made (the form was sent twice)."""
    return any(refund.idempotency_key == idempotency_key for refund in paid.refunds)


def add_refund(
    session: AsyncSession,
    payment: Payment,
    *,
    amount_pence: int,
    reason: str,
    idempotency_key: str,
    status: str,
    requested_by: int | None,
    approved_by: int | None = None,
) -> Refund:
    """A new refund row. A second row with the same idempotency key is refused by the table's
    unique index when the session flushes: that is what stops a double submit refunding twice."""
    now = utcnow()
    refund = Refund(
        payment_id=payment.id,
        amount_pence=amount_pence,
        reason=reason,
        status=status,
        idempotency_key=idempotency_key,
        requested_by=requested_by,
        approved_by=approved_by,
        created_at=now,
        updated_at=now,
    )
    session.add(refund)
    return refund


async def propose_refund(
    session: AsyncSession, force_id: str, application_id: int, reason: str
) -> Refund | None:
    """If the case was paid and money is left to give back, propose refunding all of it."""
    paid = await case_payment(session, force_id, application_id)
    if paid is None or paid.available_pence <= 0 or paid.proposed:
        return None
    return add_refund(
        session,
        paid.payment,
        amount_pence=paid.available_pence,
        reason=reason,
        idempotency_key=new_idempotency_key(),
        status=REFUND_PROPOSED,
        requested_by=None,
    )


async def take_proposed(
    session: AsyncSession, refund: Refund, *, to_status: str, staff_id: int
) -> bool:
    """Move a proposed refund on (to submitted when approved, or declined) if it is still
    proposed: of two administrators clicking at once, one wins and the other is told."""
    assert to_status in (REFUND_SUBMITTED, REFUND_DECLINED)
    result = await session.execute(
        update(Refund)
        .where(Refund.id == refund.id, Refund.status == REFUND_PROPOSED)
        .values(status=to_status, approved_by=staff_id, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    refund.status, refund.approved_by = to_status, staff_id
    return True


def record_answer(refund: Refund, *, pay_refund_id: str, status: str) -> None:
    """What GOV.UK Pay said about the refund: its id, and success, submitted or error."""
    refund.pay_refund_id = pay_refund_id
    refund.status = status if status in (REFUND_SUBMITTED, REFUND_SUCCESS) else REFUND_ERROR
    refund.updated_at = utcnow()


async def refunds_for_application(session: AsyncSession, application_id: int) -> list[Refund]:
    """Refunds that went through on an application (for what the applicant is shown)."""
    return list(
        await session.scalars(
            select(Refund)
            .join(Payment, Payment.id == Refund.payment_id)
            .where(Payment.application_id == application_id, Refund.status.in_(COUNTED))
            .order_by(Refund.id)
        )
    )
