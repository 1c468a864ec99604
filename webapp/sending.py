"""Sending a case to its force: the one place a draft becomes a submission.

The declaration sends a case that has nothing to pay; settling a successful payment sends one
that had (``webapp/settlement.py``). Either way the same things happen in the caller's unit of
work, all or none: the draft is marked submitted (only one of two racing senders succeeds), its
confirmation email is queued, its resume links are forgotten, and a member of staff who sent it
for the applicant is audited. No HTTP here: the caller says who is sending.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from webapp.engine import contact_email
from webapp.engine.schema import Service
from webapp.notify import queue_confirmation
from webapp.store import audit, drafts
from webapp.store import resume as resume_store
from webapp.store.cases import mark_taken_by_phone
from webapp.store.models import Application
from webapp.store.staff import StaffMember


@dataclass(frozen=True)
class OnBehalf:
    """A member of staff sending the case for the applicant, and from where."""

    member: StaffMember
    ip: str


@dataclass(frozen=True)
class Charged:
    """What the case cost: recorded on the submission so staff see the fee it was sent with."""

    pence: int
    description: str


async def send_case(
    session: AsyncSession,
    service: Service,
    draft: Application,
    *,
    expected_version: int,
    charged: Charged | None,
    locale: str,
    on_behalf: OnBehalf | None = None,
) -> bool:
    """Submit ``draft`` to its force; False if it was not a draft at ``expected_version`` any
    more (another tab or request sent or changed it first). The caller commits."""
    email = contact_email(service, draft.answers or {}, channel=draft.channel)
    sent = await drafts.submit(
        session,
        draft.id,
        expected_version=expected_version,
        fee_pence=charged.pence if charged else None,
        fee_description=charged.description if charged else None,
        with_submission=(lambda same: queue_confirmation(same, draft, email, locale))
        if email
        else None,
    )
    if not sent:
        return False
    if on_behalf is not None:
        # A caller's own draft sent by staff was confirmed by phone: it is now an assisted one.
        await mark_taken_by_phone(session, draft.id)
        await audit.record(
            session,
            "submitted on behalf",
            ip=on_behalf.ip,
            member=on_behalf.member,
            application_id=draft.id,
            detail=f"{draft.reference} ({draft.channel})",
        )
    await resume_store.forget_draft(session, draft.id)  # no resume link may open it now
    return True
