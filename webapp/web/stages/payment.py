"""The payment stage: the fee, paid by card on GOV.UK Pay's page, after the declaration.

The amount always comes from the service's fee rule on the server, never from the form. A
payment row is committed (with its idempotency key) before GOV.UK Pay is asked, so a double
click, a second tab or a retry after GOV.UK Pay was unavailable reuses it: at most one live
payment per case exists (the database makes a second impossible). The person comes back to
``/payment/return/<token>``; the token is signed and names our payment row, and only GOV.UK
Pay's own answer about that payment is believed (``webapp.settlement``).
"""

from __future__ import annotations

import logging
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from webapp import i18n
from webapp.engine.flow import Payment as PaymentStage
from webapp.engine.schema import Service
from webapp.fees import Fee
from webapp.payments import PaymentRefused, PaymentStatus, PaymentsUnavailable
from webapp.security import form_handler
from webapp.settlement import settle
from webapp.store import audit, card_payments, drafts
from webapp.store.db import unit_of_work
from webapp.store.models import Application
from webapp.store.payments import CREATING, ONLINE, TELEPHONE, Payment
from webapp.web import resume
from webapp.web.drafts import applicant_email, redirect, remember_submitted, render, service_for
from webapp.web.staff.common import client_ip
from webapp.web.staff.journey import StaffJourney, staff_journey

from . import continue_url, progress_of
from .guard import draft_for

log = logging.getLogger("webapp.payment")

# A return link stays good well past GOV.UK Pay's 90-minute card page; after that the person
# comes back through their resume link or reference, and the payment page finds the payment.
RETURN_LINK_SECONDS = 7 * 24 * 3600
_SALT = "payment-return"

# GOV.UK Pay's failure codes, and the page each one is told on.
FAILURE_PAGES = {
    "P0010": "declined",
    "P0020": "expired",
    "P0030": "cancelled",
}


def _signer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.settings.secret_key, salt=_SALT)


def return_url(request: Request, service: Service, payment: Payment) -> str:
    token = _signer(request).dumps(payment.id)
    # GOV.UK Pay needs an absolute address; without a configured one, the one asked for.
    base = request.app.state.settings.base_url or str(request.base_url).rstrip("/")
    return f"{base}/apply/{service.slug}/payment/return/{token}"


def _payment_of_token(request: Request, token: str) -> int:
    try:
        value = _signer(request).loads(token, max_age=RETURN_LINK_SECONDS)
    except BadSignature:
        raise HTTPException(status_code=404) from None
    if not isinstance(value, int):
        raise HTTPException(status_code=404)
    return value


def _stage(service: Service) -> PaymentStage:
    stage = service.flow.payment
    if stage is None:
        raise HTTPException(status_code=404)
    return stage


async def _due(
    request: Request, service: Service
) -> tuple[Application, Fee, StaffJourney | None] | Response:
    """The declared draft and the fee it owes now; else where to go instead."""
    stage = _stage(service)
    draft = await draft_for(request, service, stage)
    if isinstance(draft, Response):
        return draft
    fee = stage.due(service, progress_of(draft))
    if fee is None:  # nothing to pay now (an exemption, a paper form): the declaration sends
        return redirect(continue_url(service, progress_of(draft)))
    return draft, fee, request.state.staff_journey


def _render(
    request: Request, service: Service, template: str, status_code: int = 200, **extra: Any
) -> Response:
    journey = getattr(request.state, "staff_journey", None)
    return render(
        request,
        f"public/payment/{template}.html",
        {"service": service, "on_behalf": journey is not None, **extra},
        status_code=status_code,
    )


def unavailable(request: Request, service: Service) -> Response:
    """GOV.UK Pay cannot be reached: the application is saved; pay later, or try again now."""
    return _render(request, service, "unavailable", status_code=503)


async def payment(request: Request) -> Response:
    service = service_for(request)
    found = await _due(request, service)
    if isinstance(found, Response):
        return found
    draft, fee, _journey = found
    return _render(
        request, service, "pay", fee=fee, reference=draft.reference, back_url=_back(service)
    )


def _back(service: Service) -> str:
    return f"/apply/{service.slug}/declaration"


@form_handler
async def payment_submit(request: Request, form: FormData) -> Response:
    """'Continue to payment' (and 'Try again'): the fee worked out here, one live payment."""
    service = service_for(request)
    found = await _due(request, service)
    if isinstance(found, Response):
        return found
    draft, fee, journey = found
    sessions = request.app.state.sessions
    live = await _live_or_new(request, draft, fee, journey)
    if live.status not in (CREATING, *_CARD_PAGE_STATES):
        # Succeeded (or moved on) already: its return handler settles it and says where to go.
        return redirect(return_url(request, service, live))
    if live.pay_id is not None and live.next_url:
        return redirect(live.next_url)
    try:
        created = await request.app.state.pay.create_payment(
            amount=live.amount_pence,
            reference=live.reference,
            description=live.description,
            return_url=return_url(request, service, live),
            idempotency_key=live.idempotency_key,
            email=applicant_email(service, draft) if journey is None else None,
            language="cy" if i18n.get_locale() == "cy" else "en",
            metadata={"service": service.slug, "force": live.force_id, "case": live.reference},
            moto=live.channel == TELEPHONE,
        )
    except PaymentsUnavailable:
        # The row and its idempotency key stay: trying again asks for the same payment.
        return unavailable(request, service)
    except PaymentRefused as refused:
        log.error("payment %s: GOV.UK Pay refused the create (%s)", live.id, refused.status)
        async with unit_of_work(sessions) as session:
            row = await card_payments.get(session, live.id)
            if row is not None:
                await card_payments.record_state(session, row, status="error", finished=True)
        return _render(request, service, "problem")
    async with unit_of_work(sessions) as session:
        row = await card_payments.get(session, live.id)
        assert row is not None
        await card_payments.created(
            session,
            row,
            pay_id=created.payment_id,
            next_url=created.next_url,
            status=created.state.status,
        )
    if not created.next_url:
        return unavailable(request, service)
    return redirect(created.next_url)


_CARD_PAGE_STATES = ("created", "started", "submitted", "capturable")


async def _live_or_new(
    request: Request, draft: Application, fee: Fee, journey: StaffJourney | None
) -> Payment:
    """The case's live payment, or a new one; two requests at once end up with the same row."""
    sessions = request.app.state.sessions
    for _attempt in range(3):
        async with sessions() as session:
            live = await card_payments.live_for(session, draft.id)
        if live is not None:
            return live
        try:
            async with unit_of_work(sessions) as session:
                member = journey.member if journey is not None else None
                live = await card_payments.start(
                    session,
                    draft,
                    amount_pence=fee.pence,
                    description=fee.description,
                    channel=TELEPHONE if member is not None else ONLINE,
                    taken_by=member.id if member is not None else None,
                )
                if member is not None:
                    await audit.record(
                        session,
                        "took card payment by phone",
                        ip=client_ip(request),
                        member=member,
                        application_id=draft.id,
                        detail=f"{draft.reference} ({fee.pence} pence)",
                    )
            return live
        except IntegrityError:
            continue  # another click or tab started one first: use that one
    raise RuntimeError("no live payment could be found or started")


async def payment_return(request: Request) -> Response:
    """Back from GOV.UK Pay's card page: ask GOV.UK Pay how it went, and settle it."""
    service = service_for(request)
    payment_id = _payment_of_token(request, request.path_params["token"])
    sessions = request.app.state.sessions
    async with sessions() as session:
        row = await card_payments.get(session, payment_id)
        draft = await drafts.get_application(session, row.application_id) if row else None
    if row is None or draft is None or row.service != service.slug:
        raise HTTPException(status_code=404)
    if draft.status == "draft":
        await staff_journey(request, service, draft)  # keep the staff layout for staff
    if row.pay_id is None:  # GOV.UK Pay never answered the create: start from the payment page
        return redirect(f"/apply/{service.slug}/payment")
    try:
        status: PaymentStatus = await request.app.state.pay.get_payment(row.pay_id)
    except PaymentsUnavailable:
        return unavailable(request, service)
    except PaymentRefused:
        return _render(request, service, "problem")
    async with unit_of_work(sessions) as session:
        settled = await settle(
            session,
            row,
            status,
            locale=i18n.get_locale(),
            ip=client_ip(request),
        )
    if settled.outcome in ("sent", "already_sent"):
        remember_submitted(request, service, draft.id)
        if row.channel == TELEPHONE:  # staff go back to the back office, to their own page
            return resume.after_commit(request, redirect(f"/staff/applications/{draft.id}/sent"))
        return resume.after_commit(request, redirect(f"/apply/{service.slug}/confirmation"))
    if settled.outcome == "unfinished":
        return _render(request, service, "unfinished", next_url=status.next_url)
    if settled.outcome == "mismatch":
        return _render(request, service, "problem")
    page = FAILURE_PAGES.get(settled.failure_code or "", "problem")
    return _render(request, service, page, reference=draft.reference)
