"""The payments ledger: a force's card payments with their state, channel and refunds, filtered
by date, state and service, with totals; the same rows as a CSV file for the finance team; and,
for national administrators, every force's totals. Every view and export is audited."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date
from typing import Any
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from webapp.services import SERVICES
from webapp.store import audit, ledger
from webapp.store.db import unit_of_work
from webapp.store.payments import CREATING, ENDED_UNPAID, SUCCESS, UNFINISHED
from webapp.uk_time import uk_local

from .common import client_ip, member, parse_date, render, staff_only

# GOV.UK Pay's states as the ledger names them, with their tag colours.
STATES = {
    CREATING: ("Not started", "grey"),
    "created": ("Created", "grey"),
    "started": ("Started", "light-blue"),
    "submitted": ("Submitted", "light-blue"),
    "capturable": ("Capturable", "blue"),
    SUCCESS: ("Success", "green"),
    "failed": ("Failed", "red"),
    "cancelled": ("Cancelled", "orange"),
    "error": ("Error", "red"),
}
assert set(STATES) == {CREATING, *UNFINISHED, SUCCESS, *ENDED_UNPAID}
CHANNELS = {"online": "Online", "telephone": "Telephone"}
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def pounds(pence: int) -> str:
    """Pence as pounds with two decimals, for a spreadsheet: 1250 -> '12.50'."""
    sign = "-" if pence < 0 else ""
    whole, part = divmod(abs(pence), 100)
    return f"{sign}{whole}.{part:02d}"


def safe_cell(value: object) -> str:
    """A cell a spreadsheet will show as text, never run: formula starts get an apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def service_names() -> dict[str, str]:
    return {slug: str(service.title) for slug, service in SERVICES.items()}


def _filters(request: Request) -> tuple[ledger.LedgerFilters, list[dict[str, str]], dict[str, str]]:
    query = request.query_params
    errors: list[dict[str, str]] = []
    field_errors: dict[str, str] = {}
    dates: dict[str, date | None] = {}
    for name, label in (("from", "Date from"), ("to", "Date to")):
        value = parse_date(
            query.get(f"{name}-day"), query.get(f"{name}-month"), query.get(f"{name}-year")
        )
        if isinstance(value, str):
            field_errors[name] = f"{label} {value}"
            errors.append({"text": field_errors[name], "href": f"#{name}-day"})
            value = None
        dates[name] = value
    if dates["from"] and dates["to"] and dates["to"] < dates["from"]:
        field_errors["to"] = "Date to must be the same as or after date from"
        errors.append({"text": field_errors["to"], "href": "#to-day"})
    status = query.get("status") or ""
    service = query.get("service") or ""
    filters = ledger.LedgerFilters(
        date_from=dates["from"],
        date_to=dates["to"],
        status=status if status in STATES else "",
        service=service if service in SERVICES else "",
    )
    return filters, errors, field_errors


def _context(request: Request) -> dict[str, Any]:
    return {
        "query": request.query_params,
        "states": STATES,
        "channels": CHANNELS,
        "service_names": service_names(),
        "query_string": urlencode(list(request.query_params.multi_items())),
        "is_national": member(request).is_national_admin(request.app.state.settings.lead_force),
    }


def _detail(filters: ledger.LedgerFilters) -> str:
    return ", ".join(f"{name}={value}" for name, value in sorted(filters.used().items()))


@staff_only()
async def payments(request: Request) -> Response:
    filters, errors, field_errors = _filters(request)
    found = None
    if not errors:
        staff = member(request)
        async with unit_of_work(request.app.state.sessions) as session:
            found = await ledger.ledger(session, staff.force_id, filters)
            await audit.record(
                session,
                "viewed payments",
                ip=client_ip(request),
                member=staff,
                detail=_detail(filters),
            )
    return render(
        request,
        "staff/payments.html",
        {
            **_context(request),
            "ledger": found,
            "errors": errors or None,
            "field_errors": field_errors,
        },
        status_code=200,
    )


def csv_rows(rows: Iterable[ledger.LedgerRow]) -> Iterable[list[str]]:
    names = service_names()
    yield [
        "Date",
        "Application reference",
        "Service",
        "Payment reference",
        "Amount (£)",
        "Amount (pence)",
        "State",
        "Channel",
        "Taken by",
        "Refunded (£)",
        "Refunded (pence)",
        "Net (£)",
        "Net (pence)",
        "GOV.UK Pay ID",
    ]
    for row in rows:
        payment = row.payment
        kept = payment.amount_pence if payment.status == SUCCESS else 0
        net = kept - row.refunded_pence
        yield [
            safe_cell(value)
            for value in (
                uk_local(payment.created_at).strftime("%Y-%m-%d %H:%M"),
                row.reference,
                names.get(payment.service, payment.service),
                payment.reference,
                pounds(payment.amount_pence),
                payment.amount_pence,
                STATES.get(payment.status, (payment.status, ""))[0],
                CHANNELS.get(payment.channel, payment.channel),
                row.taken_by or "",
                pounds(row.refunded_pence),
                row.refunded_pence,
                pounds(net),
                net,
                payment.pay_id or "",
            )
        ]


@staff_only()
async def payments_csv(request: Request) -> Response:
    filters, errors, _ = _filters(request)
    if errors:  # the page says what is wrong with the dates, with the typed values kept
        return await payments(request)
    staff = member(request)
    async with unit_of_work(request.app.state.sessions) as session:
        found = await ledger.ledger(session, staff.force_id, filters, limit=None)
        # Who took the finance figures away, and which ones: in the same transaction as reading them.
        await audit.record(
            session,
            "exported payments",
            ip=client_ip(request),
            member=staff,
            detail=f"{len(found.rows)} rows; {_detail(filters)}".rstrip("; "),
        )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(csv_rows(found.rows))
    return Response(
        out.getvalue().encode("utf-8-sig"),  # the BOM makes spreadsheets read the £ sign right
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="payments-{staff.force_id}.csv"',
            "Cache-Control": "no-store",
        },
    )


@staff_only(admin=True)
async def force_totals(request: Request) -> Response:
    if not member(request).is_national_admin(request.app.state.settings.lead_force):
        raise HTTPException(status_code=403)
    filters, errors, field_errors = _filters(request)
    totals = None
    if not errors:
        async with unit_of_work(request.app.state.sessions) as session:
            totals = await ledger.force_totals(session, filters)
            await audit.record(
                session,
                "viewed national payments",
                ip=client_ip(request),
                member=member(request),
                detail=_detail(filters),
            )
    overall = (
        ledger.Totals(
            sum(row.totals.paid_pence for row in totals),
            sum(row.totals.refunded_pence for row in totals),
            sum(row.totals.count for row in totals),
        )
        if totals is not None
        else None
    )
    return render(
        request,
        "staff/payments_forces.html",
        {
            **_context(request),
            "force_totals": totals,
            "overall": overall,
            "errors": errors or None,
            "field_errors": field_errors,
        },
    )


routes = [
    Route("/staff/payments", payments, methods=["GET"], name="staff_payments"),
    Route("/staff/payments.csv", payments_csv, methods=["GET"], name="staff_payments_csv"),
    Route("/staff/payments/forces", force_totals, methods=["GET"], name="staff_payments_forces"),
]
