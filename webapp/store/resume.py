"""Coming back to a draft: resume links (tokens kept only as hashes), the email addresses a
draft's links were sent to, failed attempts to resume by reference (counted in the database,
so every app process sees the same count), answers posted after a session timed out, and the
purge of drafts nobody has touched for the retention period."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Delete,
    ForeignKey,
    Integer,
    String,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from webapp.store import browser_sessions, outbox
from webapp.store.models import Application, Base, utcnow
from webapp.store.staff import as_utc

# 32 random bytes (256 bits) as URL-safe base64: always 43 characters.
TOKEN_BYTES = 32
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43}$")


class ResumeToken(Base):
    __tablename__ = "resume_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class DraftContact(Base):
    """An address a draft's resume link was sent to: how 'send me a new link' finds the draft."""

    __tablename__ = "draft_contact"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(320), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ResumeAttempt(Base):
    """One try at something rate-limited. ``key`` says what is limited: a reference, a client."""

    __tablename__ = "resume_attempt"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(100), index=True)
    failed: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )


class PendingAnswer(Base):
    """A page posted after the session had timed out, kept until the person gets back in."""

    __tablename__ = "pending_answer"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    service: Mapped[str] = mapped_column(String(64))
    page_id: Mapped[str] = mapped_column(String(64))
    item_index: Mapped[int | None] = mapped_column(Integer)
    raws: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Who posted it (a hash of the address, never the address): bounds what one client can
    # leave here, since anyone can post a question page without a session.
    client_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )


# Answers typed into an expired session are kept for the person to get back into their draft,
# which they do within minutes or not at all; so they are kept for hours, not weeks, and one
# client may leave only a few, each no bigger than a page of answers can be.
PENDING_LIFETIME = timedelta(hours=6)
PENDING_PER_CLIENT = 10
PENDING_MAX_BYTES = 64 * 1024


def hash_token(token: str) -> str:
    # The token has 256 bits of entropy, so a fast hash is enough: nothing to brute-force.
    return hashlib.sha256(token.encode()).hexdigest()


def well_formed(token: str) -> bool:
    return bool(_TOKEN_SHAPE.match(token))


def normalise_email(email: str) -> str:
    return email.strip().lower()


# --- resume links ---------------------------------------------------------------------------


def mint_token(
    session: AsyncSession, application_id: int, *, now: datetime, lifetime: timedelta
) -> str:
    """A new single-use token for the draft (added to the session; the caller commits)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(
        ResumeToken(
            application_id=application_id,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    return token


async def token_state(session: AsyncSession, token: str, now: datetime) -> str:
    """'valid', or 'invalid' for a used, expired, unknown or malformed token (one page for all)."""
    if not well_formed(token):
        return "invalid"
    row = await session.scalar(
        select(ResumeToken.id)
        .join(Application, Application.id == ResumeToken.application_id)
        .where(
            ResumeToken.token_hash == hash_token(token),
            ResumeToken.used_at.is_(None),
            ResumeToken.expires_at > now,
            Application.status == "draft",
        )
    )
    return "valid" if row is not None else "invalid"


async def consume_token(session: AsyncSession, token: str, now: datetime) -> int | None:
    """Use the token once: the draft's id, or None. Of two racing uses only one succeeds."""
    if not well_formed(token):
        return None
    digest = hash_token(token)
    application_id = await session.scalar(
        select(ResumeToken.application_id).where(ResumeToken.token_hash == digest)
    )
    if application_id is None:
        return None
    result = await session.execute(
        update(ResumeToken)
        .where(
            ResumeToken.token_hash == digest,
            ResumeToken.used_at.is_(None),
            ResumeToken.expires_at > now,
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return None
    draft = await session.get(Application, application_id, populate_existing=True)
    return application_id if draft is not None and draft.status == "draft" else None


def add_contact(session: AsyncSession, application_id: int, email: str, now: datetime) -> None:
    session.add(
        DraftContact(application_id=application_id, email=normalise_email(email), created_at=now)
    )


async def drafts_for_email(session: AsyncSession, email: str) -> list[Application]:
    ids = select(DraftContact.application_id).where(DraftContact.email == normalise_email(email))
    rows = await session.scalars(
        select(Application).where(Application.id.in_(ids), Application.status == "draft")
    )
    return list(rows)


async def forget_draft(session: AsyncSession, application_id: int) -> None:
    """After a submission: no link, address or unsent email may lead back to it as a draft."""
    await session.execute(delete(ResumeToken).where(ResumeToken.application_id == application_id))
    await session.execute(delete(DraftContact).where(DraftContact.application_id == application_id))
    await outbox.cancel_for_application(session, application_id)


# --- attempts -------------------------------------------------------------------------------


async def failures_since(session: AsyncSession, key: str, since: datetime) -> int:
    count = await session.scalar(
        select(func.count(ResumeAttempt.id)).where(
            ResumeAttempt.key == key,
            ResumeAttempt.failed.is_(True),
            ResumeAttempt.created_at >= since,
        )
    )
    return int(count or 0)


async def failures_and_last(
    session: AsyncSession, key: str, since: datetime
) -> tuple[int, datetime | None]:
    """Wrong tries under ``key`` since a moment, and when the last of them was."""
    count, last = (
        await session.execute(
            select(func.count(ResumeAttempt.id), func.max(ResumeAttempt.created_at)).where(
                ResumeAttempt.key == key,
                ResumeAttempt.failed.is_(True),
                ResumeAttempt.created_at >= since,
            )
        )
    ).one()
    return int(count or 0), (as_utc(last) if last is not None else None)


async def forget_failures(session: AsyncSession, key_prefix: str) -> None:
    """Clear the wrong tries of every key starting with ``key_prefix`` (an administrator's unlock)."""
    await session.execute(
        delete(ResumeAttempt).where(ResumeAttempt.key.startswith(key_prefix, autoescape=True))
    )


async def attempts_since(session: AsyncSession, key: str, since: datetime) -> int:
    count = await session.scalar(
        select(func.count(ResumeAttempt.id)).where(
            ResumeAttempt.key == key, ResumeAttempt.created_at >= since
        )
    )
    return int(count or 0)


def record_attempt(session: AsyncSession, key: str, *, failed: bool, now: datetime) -> None:
    session.add(ResumeAttempt(key=key[:100], failed=failed, created_at=now))


# --- answers posted after a timeout ---------------------------------------------------------


async def keep_pending(
    session: AsyncSession,
    *,
    service: str,
    page_id: str,
    index: int | None,
    raws: dict[str, Any],
    now: datetime,
    client: str,
) -> str | None:
    """Keep a page's raw answers; the returned key (held in the new session) claims them. None
    when they are not kept: too big to be a page's answers, or this client has left too many."""
    if len(json.dumps(raws)) > PENDING_MAX_BYTES:
        return None
    client_hash = hash_token(client)
    await session.execute(
        delete(PendingAnswer).where(PendingAnswer.created_at < now - PENDING_LIFETIME)
    )
    left = await session.scalar(
        select(func.count())
        .select_from(PendingAnswer)
        .where(PendingAnswer.client_hash == client_hash)
    )
    if (left or 0) >= PENDING_PER_CLIENT:
        return None
    key = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(
        PendingAnswer(
            key_hash=hash_token(key),
            service=service,
            page_id=page_id,
            item_index=index,
            raws=raws,
            client_hash=client_hash,
            created_at=now,
        )
    )
    await session.flush()
    return key


async def peek_pending(session: AsyncSession, key: str) -> PendingAnswer | None:
    if not well_formed(key):
        return None
    return await session.scalar(
        select(PendingAnswer).where(
            PendingAnswer.key_hash == hash_token(key),
            PendingAnswer.created_at >= utcnow() - PENDING_LIFETIME,
        )
    )


async def take_pending(session: AsyncSession, key: str) -> PendingAnswer | None:
    pending = await peek_pending(session, key)
    if pending is not None:
        await session.delete(pending)
        await session.flush()
    return pending


# --- purge ----------------------------------------------------------------------------------


async def purge(session: AsyncSession, *, now: datetime, retention: timedelta) -> dict[str, int]:
    """Delete drafts untouched for the retention period (their uploads, links and addresses go
    with them), and the bookkeeping that is no longer needed."""
    cutoff = now - retention
    old = list(
        await session.scalars(
            select(Application.id).where(
                Application.status == "draft", Application.updated_at < cutoff
            )
        )
    )
    for application_id in old:
        await outbox.cancel_for_application(session, application_id)
    # Children first as well as ON DELETE CASCADE: correct even where foreign keys are off.
    if old:
        from webapp.store.models import Upload

        for table in (ResumeToken, DraftContact, Upload):
            await session.execute(delete(table).where(table.application_id.in_(old)))
        await session.execute(delete(Application).where(Application.id.in_(old)))
    counts = {"drafts": len(old)}
    counts["tokens"] = await _deleted(
        session, delete(ResumeToken).where(ResumeToken.expires_at < cutoff)
    )
    counts["attempts"] = await _deleted(
        session, delete(ResumeAttempt).where(ResumeAttempt.created_at < now - timedelta(days=2))
    )
    counts["pending"] = await _deleted(
        session, delete(PendingAnswer).where(PendingAnswer.created_at < now - PENDING_LIFETIME)
    )
    counts["emails"] = await outbox.purge(session, before=now - timedelta(days=7))
    counts["sessions"] = await browser_sessions.purge(session, now=now)
    return counts


async def _deleted(session: AsyncSession, statement: Delete) -> int:
    """How many rows a DELETE removed."""
    result = await session.execute(statement)
    return int(getattr(result, "rowcount", 0) or 0)  # a DELETE's result is a CursorResult
