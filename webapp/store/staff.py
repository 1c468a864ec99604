"""Staff of a force: accounts, their server-side sessions, and what they record on applications.

Every function that reads or changes an account takes the force it acts for, so a member of
staff can never reach another force's accounts (see also ``cases`` and ``audit``).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    delete,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from webapp.store.models import Base, utcnow

ROLES = ("caseworker", "admin", "national_admin")
ROLE_NAMES = {
    "caseworker": "Caseworker",
    "admin": "Force administrator",
    "national_admin": "National administrator",
}
# Platform-wide powers (onboarding forces, national figures) count only for the lead force's
# staff: see docs/adr/0009-who-administers-forces.md.
NATIONAL_ROLE = "national_admin"
# A staff session ends after this long without a request, and after this long in any case.
IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_TIMEOUT = timedelta(hours=10)
# last_seen_at is written at most this often, so browsing is not one write per request.
TOUCH_EVERY = timedelta(seconds=60)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class StaffMember(Base):
    __tablename__ = "staff_member"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    force_id: Mapped[str] = mapped_column(ForeignKey("force.id"), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16), default="caseworker")
    password_hash: Mapped[str] = mapped_column(String(256))
    totp_secret: Mapped[str] = mapped_column(String(64))
    totp_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    last_totp_step: Mapped[int | None] = mapped_column(Integer)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set when an administrator resets the password: the member chooses a new one at sign-in.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    # Demo accounts are made by seed-demo for development and refused in production.
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_signed_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def is_admin(self) -> bool:
        """Administers their own force (a national administrator does too)."""
        return self.role in ("admin", NATIONAL_ROLE)

    def is_national_admin(self, lead_force: str | None) -> bool:
        """Administers the platform: the national role, held by the lead force's staff only."""
        return self.role == NATIONAL_ROLE and lead_force is not None and self.force_id == lead_force

    @property
    def role_name(self) -> str:
        return ROLE_NAMES.get(self.role, self.role)

    def locked(self, now: datetime | None = None) -> bool:
        return self.locked_until is not None and as_utc(self.locked_until) > (now or utcnow())


class StaffSession(Base):
    """A signed-in browser. The cookie holds a random token; only its hash is kept here."""

    __tablename__ = "staff_session"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff_member.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ip: Mapped[str] = mapped_column(String(64), default="")


class ApplicationOrigin(Base):
    """Who keyed in an assisted-digital or paper application, and when a paper form arrived."""

    __tablename__ = "application_origin"

    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), primary_key=True
    )
    created_by_staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), index=True)
    received_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class StatusChange(Base):
    """One move of an application through the case workflow, with the caseworker's note."""

    __tablename__ = "status_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ReceivedByPost(Base):
    """Staff recorded that something the applicant sends by post (photos to follow) arrived.
    One row per item: recording it twice is refused by the key, not by a check in Python."""

    __tablename__ = "received_by_post"

    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), primary_key=True
    )
    item: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ApplicationIndex(Base):
    """What staff search by, taken from the answers once an application is sent."""

    __tablename__ = "application_index"

    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), primary_key=True
    )
    surname: Mapped[str | None] = mapped_column(String(200), index=True)
    postcode: Mapped[str | None] = mapped_column(String(10), index=True)
    date_of_birth: Mapped[date | None] = mapped_column(Date, index=True)
    # The application version these values were read from: a draft staff are working on is
    # indexed again whenever its answers change, and once more when it is sent.
    version: Mapped[int | None] = mapped_column(Integer)


class StaffHelp(Base):
    """A member of staff opened a caller's own draft, with the caller's consent: who agreed,
    for what, and when. The applicant's task list says that staff helped."""

    __tablename__ = "staff_help"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"))
    force_id: Mapped[str] = mapped_column(ForeignKey("force.id"), index=True)
    consent_from: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditEvent(Base):
    """Append-only: the app only ever inserts; database triggers refuse UPDATE and DELETE."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_force_at", "force_id", "at"),
        Index("ix_audit_event_action_ip_at", "action", "ip", "at"),
        Index("ix_audit_event_action_email_at", "action", "email", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    force_id: Mapped[str | None] = mapped_column(String(64))
    staff_id: Mapped[int | None] = mapped_column(Integer)
    email: Mapped[str | None] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(64))
    application_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(Text, default="")
    ip: Mapped[str] = mapped_column(String(64), default="")
    # A change to settings or an account: the values it changed, as they were and as they became.
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# Accounts -------------------------------------------------------------------------------------


async def by_email(session: AsyncSession, email: str) -> StaffMember | None:
    return await session.scalar(
        select(StaffMember).where(StaffMember.email == normalise_email(email))
    )


async def create_member(
    session: AsyncSession,
    *,
    force_id: str,
    email: str,
    password_hash: str,
    role: str,
    totp_secret: str,
    totp_confirmed: bool = False,
    name: str = "",
    demo: bool = False,
) -> StaffMember:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    member = StaffMember(
        force_id=force_id,
        email=normalise_email(email),
        name=name,
        role=role,
        password_hash=password_hash,
        totp_secret=totp_secret,
        totp_confirmed=totp_confirmed,
        demo=demo,
        failed_attempts=0,
        active=True,
        must_change_password=False,
    )
    session.add(member)
    await session.flush()
    return member


async def members_of(session: AsyncSession, force_id: str) -> list[StaffMember]:
    rows = await session.scalars(
        select(StaffMember).where(StaffMember.force_id == force_id).order_by(StaffMember.email)
    )
    return list(rows)


async def member_of(session: AsyncSession, force_id: str, staff_id: int) -> StaffMember | None:
    return await session.scalar(
        select(StaffMember).where(StaffMember.id == staff_id, StaffMember.force_id == force_id)
    )


def account_state(member: StaffMember) -> dict[str, Any]:
    """What an administrator can change about an account, for the audit log's before and after
    (never a secret: the password's or authenticator's own values are not written)."""
    return {
        "active": member.active,
        "locked": member.locked(),
        "role": member.role,
        "must_change_password": member.must_change_password,
        "authenticator_set_up": member.totp_confirmed,
    }


async def set_active(session: AsyncSession, member: StaffMember, active: bool) -> None:
    """Disable or re-enable an account; disabling also ends every session it has open."""
    member.active = active
    if not active:
        await close_all_sessions(session, member.id)
    else:
        member.failed_attempts, member.locked_until = 0, None
    await session.flush()


async def reset_password(session: AsyncSession, member: StaffMember, password_hash: str) -> None:
    """Give the account a one-time password: it signs in with it once and must then choose its
    own. Sessions open with the old password end, and a lock is lifted."""
    member.password_hash = password_hash
    member.must_change_password = True
    member.failed_attempts, member.locked_until = 0, None
    await close_all_sessions(session, member.id)
    await session.flush()


async def reset_authenticator(session: AsyncSession, member: StaffMember, new_secret: str) -> None:
    """Forget the authenticator app: at the next sign-in the member sets one up again (with the
    new secret shown only then). The old app's codes stop working at once."""
    member.totp_secret = new_secret
    member.totp_confirmed = False
    member.last_totp_step = None
    await close_all_sessions(session, member.id)
    await session.flush()


async def choose_password(session: AsyncSession, member_id: int, password_hash: str) -> None:
    """The member's own new password, chosen after a reset."""
    await session.execute(
        update(StaffMember)
        .where(StaffMember.id == member_id)
        .values(password_hash=password_hash, must_change_password=False)
    )


async def clear_failures(session: AsyncSession, member: StaffMember) -> None:
    await session.execute(
        update(StaffMember)
        .where(StaffMember.id == member.id)
        .values(failed_attempts=0, locked_until=None)
    )


async def use_totp_step(session: AsyncSession, member: StaffMember, step: int) -> bool:
    """Record the step as used; False if a concurrent request used it (or a later one) first."""
    result = await session.execute(
        update(StaffMember)
        .where(
            StaffMember.id == member.id,
            (StaffMember.last_totp_step.is_(None)) | (StaffMember.last_totp_step < step),
        )
        .values(
            last_totp_step=step,
            totp_confirmed=True,
            failed_attempts=0,
            locked_until=None,
            last_signed_in_at=utcnow(),
        )
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


# Sessions -------------------------------------------------------------------------------------


async def open_session(session: AsyncSession, member: StaffMember, token: str, ip: str) -> None:
    now = utcnow()
    session.add(
        StaffSession(
            token_hash=token_hash(token),
            staff_id=member.id,
            created_at=now,
            last_seen_at=now,
            ip=ip[:64],
        )
    )


async def member_for_token(session: AsyncSession, token: str) -> StaffMember | None:
    """The signed-in member, if the session exists, is within both timeouts and is active.
    An expired session is deleted on sight."""
    key = token_hash(token)
    row = await session.get(StaffSession, key)
    if row is None:
        return None
    now = utcnow()
    if (now - as_utc(row.last_seen_at) > IDLE_TIMEOUT) or (
        now - as_utc(row.created_at) > ABSOLUTE_TIMEOUT
    ):
        await session.execute(delete(StaffSession).where(StaffSession.token_hash == key))
        return None
    member = await session.get(StaffMember, row.staff_id)
    if member is None or not member.active:
        return None
    if now - as_utc(row.last_seen_at) > TOUCH_EVERY:
        await session.execute(
            update(StaffSession).where(StaffSession.token_hash == key).values(last_seen_at=now)
        )
    return member


async def close_session(session: AsyncSession, token: str) -> None:
    await session.execute(delete(StaffSession).where(StaffSession.token_hash == token_hash(token)))


async def close_all_sessions(session: AsyncSession, staff_id: int) -> None:
    await session.execute(delete(StaffSession).where(StaffSession.staff_id == staff_id))
