"""Refunds of a case's card payment, by a force administrator: one typed in (amount and reason),
or one the service's rules proposed when the case moved into a refundable state, approved (or
declined) with one button. Both go through ``_send``: GOV.UK Pay is asked what is left to refund,
the refund is made with the row's own idempotency key, and the row, the audit event and the
applicant's email are written in the same unit of work, or none of them is.

A double submit cannot refund twice: the form carries a key made when it was drawn, stored in
the refund table's unique ``idempotency_key``, so the second request's row is refused by the
database (and GOV.UK Pay would answer the same key with the same refund)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.background import BackgroundTask
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from webapp.fees import format_pounds
from webapp.notify import deliver_after_request, queue_refund
from webapp.payments import PaymentRefused, PaymentsUnavailable
from webapp.security import form_handler
from webapp.services import SERVICES
from webapp.store import audit, ledger
from webapp.store.cases import ForceCases
from webapp.store.db import unit_of_work
from webapp.store.models import Application
from webapp.store.payments import REFUND_DECLINED, REFUND_SUBMITTED, Refund
from webapp.web.drafts import applicant_email

from .common import application_or_404, client_ip, flash, member, redirect, staff_only

MAX_REASON = 500
UNAVAILABLE = "We cannot reach GOV.UK Pay, no refund was made, try again later"
_KEY = re.compile(r"^[0-9a-f]{32}$")
_AMOUNT = re.compile(r"^(\d{1,7})(?:\.(\d{2}))?$")


class RefundNotMade(Exception):
    """Nothing was refunded; the message says why (and which field, if one is wrong)."""

    def __init__(self, message: str, field: str = "amount") -> None:
        super().__init__(message)
        self.message, self.field = message, field


class AlreadySent(Exception):
    """This very form (its idempotency key) has already made a refund."""


def parse_pounds(typed: str) -> int | None:
    """'12.50', '£1,200' or '40' as pence; None for anything else ('12.5', '1e3', '-3')."""
    cleaned = typed.strip().removeprefix("£").replace(",", "")
    match = _AMOUNT.match(cleaned)
    if match is None:
        return None
    return int(match.group(1)) * 100 + int(match.group(2) or 0)


@dataclass(frozen=True)
class RefundForm:
    """What the case page's refund form shows: a fresh key for this drawing of the form, the
    values typed (kept after an error) and the errors."""

    idempotency_key: str
    values: dict[str, str]
    errors: dict[str, str]


def refund_form(
    paid: ledger.CasePayment, values: dict[str, str] | None = None, **errors: str
) -> RefundForm:
    whole, part = divmod(paid.available_pence, 100)
    shown = values or {"amount": f"{whole}.{part:02d}"}
    key = shown.get("idempotency_key") or ledger.new_idempotency_key()
    return RefundForm(key, shown, dict(errors))


def can_refund(request: Request) -> bool:
    return member(request).is_admin


async def _send(
    request: Request,
    session: AsyncSession,
    application: Application,
    paid: ledger.CasePayment,
    refund: Refund,
    refunded_before: int,
) -> str:
    """Ask GOV.UK Pay to refund ``refund``; record its answer, the audit event and the email.
    Raises RefundNotMade (the caller's unit of work then rolls everything back)."""
    payment = paid.payment
    if payment.pay_id is None:
        raise RefundNotMade("This payment has no GOV.UK Pay record, so it cannot be refunded")
    pay = request.app.state.pay
    try:
        # GOV.UK Pay's own figure of what is left: it refuses a refund sent with a stale one.
        available = (await pay.get_payment(payment.pay_id)).refund_amount_available
        if refund.amount_pence > available:
            raise RefundNotMade(f"Amount must be {format_pounds(available)} or less")
        answer = await pay.refund(
            payment.pay_id,
            amount=refund.amount_pence,
            refund_amount_available=available,
            idempotency_key=refund.idempotency_key,
        )
    except PaymentsUnavailable as exc:
        raise RefundNotMade(UNAVAILABLE, field="") from exc
    except PaymentRefused as exc:
        raise RefundNotMade(f"GOV.UK Pay refused the refund: {exc.description}") from exc
    before = {"refunded_pence": refunded_before, "refund": None}
    ledger.record_answer(refund, pay_refund_id=answer.refund_id, status=answer.status)
    await audit.record(
        session,
        "refunded payment",
        ip=client_ip(request),
        member=member(request),
        application_id=application.id,
        detail=f"{application.reference}: {format_pounds(refund.amount_pence)}: {refund.reason}",
        before=before,
        after={
            "refunded_pence": refunded_before + refund.amount_pence,
            "refund": {
                "amount_pence": refund.amount_pence,
                "status": refund.status,
                "pay_refund_id": answer.refund_id,
            },
        },
    )
    service = SERVICES.get(application.service)
    email = applicant_email(service, application) if service is not None else None
    if email is not None:
        await queue_refund(session, application, email, refund.amount_pence)
    return f"Refunded {format_pounds(refund.amount_pence)}" + (
        "" if email else ": there is no email address, so write to the applicant"
    )


def _done(request: Request, application_id: int, message: str) -> Response:
    flash(request, message)
    response = redirect(f"/staff/applications/{application_id}#payment")
    response.background = BackgroundTask(deliver_after_request, request.app)
    return response


async def _show_error(request: Request, problem: RefundNotMade, values: dict[str, str]) -> Response:
    """The case page again, with the error summary and what was typed."""
    from .applications import view  # the case page; imported here to keep modules acyclic

    request.state.refund_problem = (problem, values)
    response: Response = await view.__wrapped__(request)  # type: ignore[attr-defined]
    response.status_code = 503 if problem.message == UNAVAILABLE else 200
    return response


def _admin_case(request: Request) -> None:
    if not can_refund(request):
        raise HTTPException(status_code=403)


@form_handler
@staff_only()
async def refund_submit(request: Request, form: FormData) -> Response:
    typed = {
        "amount": str(form.get("amount") or "")[:50],
        "reason": str(form.get("reason") or "")[: MAX_REASON * 2],
        "idempotency_key": str(form.get("idempotency_key") or ""),
    }
    reason = typed["reason"].strip()
    amount = parse_pounds(typed["amount"])
    staff = member(request)
    try:
        async with unit_of_work(request.app.state.sessions) as session:
            application = await application_or_404(request, ForceCases(session, staff.force_id))
            _admin_case(request)
            paid = await ledger.case_payment(session, staff.force_id, application.id)
            if paid is None:
                raise HTTPException(status_code=404)
            if not _KEY.match(typed["idempotency_key"]):  # not a form this page drew
                flash(request, "The refund form had expired: check the payment and try again")
                return redirect(f"/staff/applications/{application.id}#payment")
            if ledger.already_sent(paid, typed["idempotency_key"]):
                raise AlreadySent
            if not typed["amount"].strip():
                raise RefundNotMade("Enter the amount to refund")
            if amount is None:
                raise RefundNotMade("Enter the amount in pounds and pence, like 12.50")
            if amount <= 0:
                raise RefundNotMade("Amount must be more than £0")
            if amount > paid.available_pence:
                raise RefundNotMade(f"Amount must be {format_pounds(paid.available_pence)} or less")
            if not reason:
                raise RefundNotMade("Enter the reason for the refund", field="reason")
            if len(reason) > MAX_REASON:
                raise RefundNotMade(
                    f"Reason must be {MAX_REASON} characters or fewer", field="reason"
                )
            refund = ledger.add_refund(
                session,
                paid.payment,
                amount_pence=amount,
                reason=reason,
                idempotency_key=typed["idempotency_key"],
                status=REFUND_SUBMITTED,
                requested_by=staff.id,
                approved_by=staff.id,
            )
            # The key is claimed now: a second submit of the same form waits here, then fails.
            await session.flush()
            message = await _send(request, session, application, paid, refund, paid.refunded_pence)
    except RefundNotMade as problem:
        return await _show_error(request, problem, typed)
    except (AlreadySent, IntegrityError):  # read as made, or refused by the unique key
        flash(request, "That refund was already sent: it is shown below")
        return redirect(f"/staff/applications/{request.path_params['id']}#payment")
    return _done(request, application.id, message)


async def _proposed(
    request: Request, session: AsyncSession
) -> tuple[Application, ledger.CasePayment, Refund]:
    staff = member(request)
    application = await application_or_404(request, ForceCases(session, staff.force_id))
    _admin_case(request)
    paid = await ledger.case_payment(session, staff.force_id, application.id)
    wanted = int(request.path_params["refund_id"])
    refund = next((row for row in paid.refunds if row.id == wanted), None) if paid else None
    if paid is None or refund is None:
        raise HTTPException(status_code=404)
    return application, paid, refund


@form_handler
@staff_only()
async def approve(request: Request, form: FormData) -> Response:
    try:
        async with unit_of_work(request.app.state.sessions) as session:
            application, paid, refund = await _proposed(request, session)
            refunded_before, left = paid.refunded_pence, paid.available_pence
            # Of two approvals at once, the conditional update lets one through.
            if not await ledger.take_proposed(
                session, refund, to_status=REFUND_SUBMITTED, staff_id=member(request).id
            ):
                flash(request, "That refund was already approved or declined")
                return redirect(f"/staff/applications/{application.id}#payment")
            if refund.amount_pence > left:
                raise RefundNotMade(
                    f"Only {format_pounds(left)} is left to refund: "
                    "decline this proposal and refund by hand"
                )
            message = await _send(request, session, application, paid, refund, refunded_before)
            await audit.record(
                session,
                "approved refund",
                ip=client_ip(request),
                member=member(request),
                application_id=application.id,
                detail=f"{application.reference}: {format_pounds(refund.amount_pence)}",
            )
    except RefundNotMade as problem:
        return await _show_error(request, problem, {})
    return _done(request, application.id, message)


@form_handler
@staff_only()
async def decline(request: Request, form: FormData) -> Response:
    async with unit_of_work(request.app.state.sessions) as session:
        application, _paid, refund = await _proposed(request, session)
        if await ledger.take_proposed(
            session, refund, to_status=REFUND_DECLINED, staff_id=member(request).id
        ):
            await audit.record(
                session,
                "declined refund",
                ip=client_ip(request),
                member=member(request),
                application_id=application.id,
                detail=f"{application.reference}: {format_pounds(refund.amount_pence)}",
                before={"status": "proposed"},
                after={"status": REFUND_DECLINED},
            )
            message = "Proposed refund declined"
        else:
            message = "That refund was already approved or declined"
    flash(request, message)
    return redirect(f"/staff/applications/{application.id}#payment")


async def case_context(
    request: Request, session: AsyncSession, application: Application
) -> dict[str, Any]:
    """The case page's payment panel: the payment and its refunds; for administrators, the
    refund form and any refund the rules proposed. A problem from a refund POST is shown."""
    paid = await ledger.case_payment(session, member(request).force_id, application.id)
    if paid is None:
        return {"paid": None}
    problem, values = getattr(request.state, "refund_problem", (None, None))
    errors = {problem.field: problem.message} if problem is not None and problem.field else {}
    form = refund_form(paid, values or None, **errors) if can_refund(request) else None
    summary = (
        [
            {
                "text": problem.message,
                "href": f"#refund-{problem.field}" if problem.field else "#payment",
            }
        ]
        if problem is not None
        else None
    )
    return {
        "paid": paid,
        "refund_form": form if paid.available_pence > 0 else None,
        "may_approve": can_refund(request),
        "errors": summary,
    }


routes = [
    Route(
        "/staff/applications/{id:int}/refund",
        refund_submit,
        methods=["POST"],
        name="staff_refund",
    ),
    Route(
        "/staff/applications/{id:int}/refunds/{refund_id:int}/approve",
        approve,
        methods=["POST"],
        name="staff_refund_approve",
    ),
    Route(
        "/staff/applications/{id:int}/refunds/{refund_id:int}/decline",
        decline,
        methods=["POST"],
        name="staff_refund_decline",
    ),
]
