"""Reconciliation: the payments whose person never came back from GOV.UK Pay's card page (they
closed the tab, lost their connection), settled from GOV.UK Pay's own answer.

``python -m webapp reconcile-payments`` runs it, from a scheduler every few minutes. A paid
case is sent (through the same ``webapp.settlement.settle`` as the return page, so never twice);
a payment that ended unpaid is recorded, so the person can try again; a create GOV.UK Pay never
answered is ended in error. Running it again changes nothing that has not changed at GOV.UK Pay.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from webapp.i18n import DEFAULT_LOCALE
from webapp.payments import PayClient, PaymentRefused, PaymentsUnavailable
from webapp.settlement import settle
from webapp.store import card_payments
from webapp.store.db import unit_of_work
from webapp.store.models import utcnow

log = logging.getLogger("webapp.reconcile")

# Younger payments may still have their person on the card page, about to come back.
QUIET_MINUTES = 5


async def reconcile(
    sessions: async_sessionmaker[AsyncSession],
    pay: PayClient,
    *,
    quiet_minutes: float = QUIET_MINUTES,
) -> Counter[str]:
    """Settle every payment quiet for ``quiet_minutes``; a count of what happened to them."""
    before = utcnow() - timedelta(minutes=quiet_minutes)
    counts: Counter[str] = Counter()
    async with unit_of_work(sessions) as session:
        counts["abandoned"] = await card_payments.abandon_unanswered_creates(session, before)
    async with sessions() as session:
        waiting = [(row.id, row.pay_id) for row in await card_payments.unanswered(session, before)]
    for row_id, pay_id in waiting:
        assert pay_id is not None  # unanswered() lists only payments GOV.UK Pay created
        try:
            status = await pay.get_payment(pay_id)
        except (PaymentsUnavailable, PaymentRefused) as exc:
            log.warning(
                "payment %s: GOV.UK Pay did not say its state (%s)", row_id, type(exc).__name__
            )
            counts["unreachable"] += 1
            continue
        # One unit of work per payment: one that fails leaves the others settled.
        async with unit_of_work(sessions) as session:
            row = await card_payments.get(session, row_id)
            if row is None:
                continue
            # The confirmation email goes in the default language: the person's is not known here.
            settled = await settle(session, row, status, locale=DEFAULT_LOCALE, ip="reconcile")
        counts[settled.outcome] += 1
    return counts


def summary(counts: Counter[str]) -> str:
    order = ("sent", "already_sent", "ended", "unfinished", "abandoned", "unreachable", "mismatch")
    return "reconciled payments: " + ", ".join(f"{key} {counts.get(key, 0)}" for key in order)
