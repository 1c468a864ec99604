"""Feedback about the service: how satisfied someone was and how we could improve. Nobody has to
give anything personal, and nothing ties a row to an application or a person."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from webapp.store.models import Base, utcnow


class Feedback(Base):
    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    satisfaction: Mapped[str] = mapped_column(String(32))
    improvement: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )


def add(session: AsyncSession, *, satisfaction: str, improvement: str, now: datetime) -> None:
    """Add one piece of feedback to the session (the caller commits)."""
    session.add(Feedback(satisfaction=satisfaction, improvement=improvement, created_at=now))


async def latest(session: AsyncSession, limit: int = 200) -> list[Feedback]:
    rows = await session.scalars(
        select(Feedback).order_by(Feedback.created_at.desc(), Feedback.id.desc()).limit(limit)
    )
    return list(rows)
