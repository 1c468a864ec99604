"""Card payments and their refunds, as the service records them.

A payment row is written *before* GOV.UK Pay is asked to create the payment (``status`` starts
as ``creating``), so a double click, a second tab or a retry after a timeout finds the row and
its idempotency key instead of charging twice: at most one payment per case may be in progress
or have succeeded (the partial unique index below), and a new one is allowed only after the last
one failed, was cancelled or ended in error. The states after ``creating`` are GOV.UK Pay's own.
Amounts are integer pence.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.store.models import Base, utcnow

CREATING = "creating"
UNFINISHED = ("created", "started", "submitted", "capturable")
SUCCESS = "success"
# The states that end a payment without money taken: after one of these a new payment may start.
ENDED_UNPAID = ("failed", "cancelled", "error")

# Who took the card details: the person online, or staff on the telephone (GOV.UK Pay's MOTO).
ONLINE, TELEPHONE = "online", "telephone"

# The refunds a force administrator has asked for (or the rules propose, waiting for approval).
REFUND_PROPOSED, REFUND_SUBMITTED, REFUND_SUCCESS, REFUND_ERROR, REFUND_DECLINED = (
    "proposed",
    "submitted",
    "success",
    "error",
    "declined",
)

_ENDED_UNPAID_SQL = ", ".join(f"'{state}'" for state in ENDED_UNPAID)


class Payment(Base):
    __tablename__ = "payment"
    __table_args__ = (
        # The database, not the code, makes a second live payment for one case impossible.
        Index(
            "one_live_payment_per_application",
            "application_id",
            unique=True,
            sqlite_where=text(f"status NOT IN ({_ENDED_UNPAID_SQL})"),
            postgresql_where=text(f"status NOT IN ({_ENDED_UNPAID_SQL})"),
        ),
        CheckConstraint("amount_pence > 0", name="payment_amount_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="RESTRICT"), index=True
    )
    force_id: Mapped[str] = mapped_column(ForeignKey("force.id"), index=True)
    service: Mapped[str] = mapped_column(String(64), index=True)
    amount_pence: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(255))
    reference: Mapped[str] = mapped_column(String(255))
    channel: Mapped[str] = mapped_column(String(16), default=ONLINE)
    # The staff member who took a telephone payment (None online).
    taken_by: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    # Sent as GOV.UK Pay's Idempotency-Key: a retried create returns the same payment.
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    # GOV.UK Pay's payment_id and card page, once it has answered the create.
    pay_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    next_url: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=CREATING, index=True)
    failure_code: Mapped[str | None] = mapped_column(String(16))
    card_brand: Mapped[str | None] = mapped_column(String(40))
    last_digits: Mapped[str | None] = mapped_column(String(4))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Refund(Base):
    __tablename__ = "refund"
    __table_args__ = (CheckConstraint("amount_pence > 0", name="refund_amount_positive"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payment.id"), index=True)
    amount_pence: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=REFUND_PROPOSED, index=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    pay_refund_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Who asked (None: proposed by the service's rules) and who approved and sent it.
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
