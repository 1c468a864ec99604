"""Settling a payment: what GOV.UK Pay says about it, recorded, and its case sent once it has
succeeded. The one place this happens, for the person coming back from the card page and for
reconciliation (``python -m webapp reconcile-payments``) alike; no HTTP here.

Only GOV.UK Pay's own answer (``PaymentStatus`` from ``get_payment``) is trusted, never what a
browser says. Sending is ``webapp.sending.send_case``, guarded by the draft's status: the same
success settled twice, or by two requests at once, sends the case once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from webapp.payments import PaymentStatus
from webapp.sending import Charged, OnBehalf, send_case
from webapp.services import SERVICES
from webapp.store import card_payments, drafts
from webapp.store.payments import Payment
from webapp.store.staff import StaffMember

log = logging.getLogger("webapp.settlement")

Outcome = Literal["sent", "already_sent", "unfinished", "ended", "mismatch"]


@dataclass(frozen=True)
class Settled:
    outcome: Outcome
    status: str
    failure_code: str | None = None


async def settle(
    session: AsyncSession,
    payment: Payment,
    status: PaymentStatus,
    *,
    locale: str,
    ip: str = "",
) -> Settled:
    """Record ``status`` on ``payment``; if it succeeded, send its case (once). ``ip``: where the
    request came from, for the audit of a telephone payment's staff member. The caller commits."""
    state = status.state
    if status.payment_id != payment.pay_id or status.amount != payment.amount_pence:
        # Not the payment we asked for: record nothing, send nothing, and say so in the log.
        log.error(
            "payment %s: GOV.UK Pay's answer does not match the payment asked for", payment.id
        )
        return Settled("mismatch", payment.status)
    await card_payments.record_state(
        session,
        payment,
        status=state.status,
        finished=state.finished,
        failure_code=state.code,
        card_brand=status.card_brand,
        last_digits=status.last_digits,
    )
    if not state.finished:
        return Settled("unfinished", state.status)
    if not state.succeeded:
        return Settled("ended", state.status, state.code)
    draft = await drafts.get_application(session, payment.application_id)
    service = SERVICES.get(payment.service)
    if draft is None or service is None:
        log.error("payment %s succeeded for a case that cannot be sent", payment.id)
        return Settled("already_sent", state.status)
    await session.refresh(draft)
    if draft.status != "draft":
        return Settled("already_sent", state.status)
    on_behalf = None
    if payment.taken_by is not None:
        member = await session.get(StaffMember, payment.taken_by)
        on_behalf = OnBehalf(member, ip) if member is not None else None
    sent = await send_case(
        session,
        service,
        draft,
        expected_version=draft.version,
        charged=Charged(payment.amount_pence, payment.description),
        locale=locale,
        on_behalf=on_behalf,
    )
    return Settled("sent" if sent else "already_sent", state.status)
