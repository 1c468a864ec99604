"""The server's record of each browser session that holds a draft.

The session cookie is signed, so nobody can forge one; but a copy of it (from a shared
computer, a proxy log) would otherwise open the draft for as long as it was used, since each
use re-signs it. So a session that holds a draft names one of these records, and the record,
not the cookie, decides: it ends when the person leaves ("sign out" at the end of the timeout),
when it has been idle for the idle timeout, and in any case after ``ABSOLUTE_LIFETIME``.
Only a hash of the session's token is kept.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import DateTime, String, delete, or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from webapp.store.models import Base, utcnow
from webapp.store.staff import as_utc

# However active, a session ends after this; a draft is reopened by its link or reference.
ABSOLUTE_LIFETIME = timedelta(hours=12)
# Recording every request's time would be a write per page: a minute's precision is enough.
TOUCH_EVERY = timedelta(minutes=1)


class BrowserSession(Base):
    __tablename__ = "browser_session"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def begin(session: AsyncSession, now: datetime | None = None) -> str:
    """A new session record; the token goes in the cookie, its hash here."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    session.add(BrowserSession(token_hash=_hash(token), created_at=now, last_seen_at=now))
    return token


async def is_live(session: AsyncSession, token: object, *, idle: timedelta) -> bool:
    """Whether the session this token names may still open its drafts; notes that it was used."""
    if not isinstance(token, str) or not 20 <= len(token) <= 64:
        return False
    record = await session.get(BrowserSession, _hash(token))
    now = utcnow()
    if record is None or record.ended_at is not None:
        return False
    if as_utc(record.created_at) + ABSOLUTE_LIFETIME < now:
        return False
    if as_utc(record.last_seen_at) + idle < now:
        return False
    if as_utc(record.last_seen_at) + TOUCH_EVERY < now:
        record.last_seen_at = now
    return True


async def end(session: AsyncSession, token: object) -> None:
    """End the session: no copy of its cookie opens a draft again."""
    if isinstance(token, str) and len(token) <= 64:
        record = await session.get(BrowserSession, _hash(token))
        if record is not None and record.ended_at is None:
            record.ended_at = utcnow()


async def purge(session: AsyncSession, *, now: datetime) -> int:
    """Forget sessions that can no longer be live (for the purge command)."""
    result = await session.execute(
        delete(BrowserSession).where(
            or_(
                BrowserSession.created_at < now - ABSOLUTE_LIFETIME,
                BrowserSession.ended_at.is_not(None),
            )
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)
