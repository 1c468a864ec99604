"""The outbox: every email the service sends is first a row here, written in the same
transaction as the change that causes it, then delivered (webapp/notify.py) with retries.

A row names a template and its parameters, never a finished message: the text is made at
delivery time, so a resume link's token exists in plain text only on its way to the mail
server (the database keeps its hash), and no answer is ever copied into the outbox.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from webapp.store.models import Base, utcnow

PENDING, SENT, FAILED, CANCELLED = "pending", "sent", "failed", "cancelled"
# The email that confirms a submission: the one message about an application that is not
# cancelled when it stops being a draft (it is written in the submission's own transaction).
CONFIRMATION = "application_sent"

# Give up after this many attempts: with the backoff below that is about three days of trying.
MAX_ATTEMPTS = 80
# While one process delivers a row, others leave it alone for this long.
LEASE = timedelta(minutes=2)


class OutboxMessage(Base):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    template: Mapped[str] = mapped_column(String(64))
    to_address: Mapped[str] = mapped_column(String(320))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The draft a message is about (not a foreign key: the row outlives a purged draft).
    application_id: Mapped[int | None] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(16), default=PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


def enqueue(
    session: AsyncSession,
    *,
    template: str,
    to: str,
    params: dict[str, Any] | None = None,
    application_id: int | None = None,
    now: datetime | None = None,
) -> OutboxMessage:
    """Add a message to the session; it is sent only if the caller's transaction commits."""
    now = now or utcnow()
    message = OutboxMessage(
        template=template,
        to_address=to,
        params=params or {},
        application_id=application_id,
        status=PENDING,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(message)
    return message


async def locale_of(session: AsyncSession, application_id: int, template: str) -> str | None:
    """The language the latest message of this kind about an application was written in."""
    params = await session.scalar(
        select(OutboxMessage.params)
        .where(OutboxMessage.application_id == application_id, OutboxMessage.template == template)
        .order_by(OutboxMessage.id.desc())
        .limit(1)
    )
    locale = params.get("locale") if isinstance(params, dict) else None
    return str(locale) if locale else None


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, … capped at one hour between attempts."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


async def due_ids(session: AsyncSession, now: datetime, limit: int = 20) -> list[int]:
    rows = await session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    )
    return list(rows)


async def claim(session: AsyncSession, message_id: int, now: datetime) -> OutboxMessage | None:
    """Take a lease on a due message, so that two workers never send it twice at once."""
    result = await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status == PENDING,
            OutboxMessage.next_attempt_at <= now,
        )
        .values(next_attempt_at=now + LEASE)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return await session.get(OutboxMessage, message_id, populate_existing=True)


async def mark_sent(session: AsyncSession, message: OutboxMessage, now: datetime) -> None:
    message.status, message.sent_at, message.last_error = SENT, now, None
    message.attempts += 1


async def mark_cancelled(session: AsyncSession, message: OutboxMessage) -> None:
    message.status = CANCELLED


async def mark_failed_attempt(
    session: AsyncSession, message: OutboxMessage, now: datetime, error: str
) -> None:
    message.attempts += 1
    message.last_error = error[:200]
    if message.attempts >= MAX_ATTEMPTS:
        message.status = FAILED
    else:
        message.next_attempt_at = now + backoff(message.attempts)


async def cancel_for_application(session: AsyncSession, application_id: int) -> None:
    """Unsent messages about a draft that is gone or submitted are not sent (but its
    confirmation is: it is about the submission)."""
    await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.application_id == application_id,
            OutboxMessage.status == PENDING,
            OutboxMessage.template != CONFIRMATION,
        )
        .values(status=CANCELLED)
        .execution_options(synchronize_session=False)
    )


async def purge(session: AsyncSession, before: datetime) -> int:
    """Forget finished messages (they hold email addresses) once they are old."""
    result = await session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.status != PENDING, OutboxMessage.created_at < before
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def confirmation_address(session: AsyncSession, application_id: int) -> str | None:
    """Where the application's latest confirmation email went (or is going), if anywhere."""
    return await session.scalar(
        select(OutboxMessage.to_address)
        .where(
            OutboxMessage.application_id == application_id,
            OutboxMessage.template == CONFIRMATION,
            OutboxMessage.status != CANCELLED,
        )
        .order_by(OutboxMessage.id.desc())
        .limit(1)
    )


async def sent_recently(
    session: AsyncSession, *, application_id: int, template: str, since: datetime
) -> int:
    rows = await session.scalars(
        select(OutboxMessage.id).where(
            OutboxMessage.application_id == application_id,
            OutboxMessage.template == template,
            OutboxMessage.created_at >= since,
        )
    )
    return len(list(rows))
