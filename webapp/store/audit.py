"""The staff audit log: who did what, when (UTC) and from where.

Append-only by construction: this module can add an event and read a force's events, and
nothing else; the migration also adds database triggers that refuse UPDATE and DELETE.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from webapp.store.models import Application, utcnow
from webapp.store.staff import AuditEvent, StaffMember

SIGN_IN_FAILED = "sign-in failed"
# What each action is called on the audit page.
ACTIONS = {
    "signed in": "Signed in",
    SIGN_IN_FAILED: "Sign-in failed",
    "signed out": "Signed out",
    "second factor set up": "Set up authenticator app",
    "session refused": "Session cookie refused",
    "sign-in refused": "Sign-in refused",
    "viewed application": "Viewed application",
    "downloaded pdf": "Downloaded PDF",
    "viewed photo": "Viewed photo",
    "downloaded scan": "Downloaded paper form scan",
    "searched": "Searched applications",
    "status changed": "Changed status",
    "started phone application": "Started phone application",
    "started paper application": "Started paper application",
    "submitted on behalf": "Sent application on applicant's behalf",
    "took card payment by phone": "Took a card payment by phone",
    "reopened draft": "Reopened application in progress",
    "opened caller's draft": "Opened caller's application with consent",
    "caller's draft not found": "Looked for caller's application: not found",
    "created staff": "Created staff account",
    "unlocked staff": "Unlocked staff account",
    "deactivated staff": "Deactivated staff account",
    "printed letter": "Printed confirmation letter",
    "recorded received by post": "Recorded received by post",
    "sent confirmation email": "Sent confirmation email",
    "viewed feedback": "Viewed feedback",
    "reactivated staff": "Re-enabled staff account",
    "reset staff password": "Reset staff password",
    "reset staff authenticator": "Reset staff authenticator app",
    "changed own password": "Chose a new password after a reset",
    "changed force service": "Changed a service's settings",
    "changed price list": "Changed a price list",
    "changed force platform": "Put a force on or off the platform",
    "viewed payments": "Viewed payments",
    "exported payments": "Downloaded payments (CSV)",
    "viewed national payments": "Viewed every force's payment totals",
    "refunded payment": "Refunded a payment",
    "refund proposed": "Refund proposed by the rules",
    "approved refund": "Approved a proposed refund",
    "declined refund": "Declined a proposed refund",
}


async def record(
    session: AsyncSession,
    action: str,
    *,
    ip: str,
    member: StaffMember | None = None,
    force_id: str | None = None,
    email: str | None = None,
    application_id: int | None = None,
    detail: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Add one event to the session (the caller commits, with the change it describes). A change
    to settings or an account also records the values it changed, before and after."""
    session.add(
        AuditEvent(
            at=utcnow(),
            action=action,
            ip=ip[:64],
            detail=detail[:2000],
            before=before,
            after=after,
            force_id=member.force_id if member else force_id,
            staff_id=member.id if member else None,
            email=(member.email if member else email or None),
            application_id=application_id,
        )
    )


async def recent_failures(
    session: AsyncSession, *, ip: str | None = None, email: str | None = None, within: timedelta
) -> int:
    """Failed sign-ins from one client, or for one email address, in the last while."""
    query = (
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == SIGN_IN_FAILED, AuditEvent.at > utcnow() - within)
    )
    if ip is not None:
        query = query.where(AuditEvent.ip == ip[:64])
    if email is not None:
        query = query.where(AuditEvent.email == email)
    return int(await session.scalar(query) or 0)


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the values that differ, as they were and as they became (what the log shows)."""
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


@dataclass(frozen=True)
class Named:
    """How the log names an application: by its reference, never its internal id."""

    reference: str
    sent: bool


@dataclass(frozen=True)
class AuditPage:
    events: list[AuditEvent]
    page: int
    pages: int
    total: int
    references: dict[int, Named]


async def events_for_force(
    session: AsyncSession,
    force_id: str,
    *,
    page: int = 1,
    per_page: int = 50,
    application_id: int | None = None,
) -> AuditPage:
    query = select(AuditEvent).where(AuditEvent.force_id == force_id)
    if application_id is not None:
        query = query.where(AuditEvent.application_id == application_id)
    total = int(await session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    events = list(
        await session.scalars(
            query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    wanted = {event.application_id for event in events if event.application_id is not None}
    named = (
        await session.execute(
            select(Application.id, Application.reference, Application.status).where(
                Application.id.in_(wanted), Application.force_id == force_id
            )
        )
        if wanted
        else None
    )
    references = {row[0]: Named(row[1], row[2] != "draft") for row in named.all()} if named else {}
    return AuditPage(events, page, pages, total, references)
