"""Test controls under /__simulator/: not part of GOV.UK Pay, used only by tests.

They move the clock, queue faults, clear everything and settle a payment without a browser.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from simulators.govuk_pay import cards
from simulators.govuk_pay.api import _sim
from simulators.govuk_pay.errors import error
from simulators.govuk_pay.faults import Fault
from simulators.govuk_pay.store import CardDetails


async def _body(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


async def advance_clock(request: Request) -> Response:
    body = await _body(request)
    minutes = body.get("minutes")
    if not isinstance(minutes, int | float) or minutes < 0:
        return error(400, None, "minutes must be a number of minutes, 0 or more", "minutes")
    clock = _sim(request).clock
    clock.advance(timedelta(minutes=minutes))
    return JSONResponse({"now": clock.now().isoformat()})


def _fault(body: dict[str, Any], **extra: Any) -> Fault:
    return Fault(
        path_prefix=str(body.get("path_prefix", "/v1/")),
        times=max(1, int(body.get("times", 1))),
        **extra,
    )


async def fail_next(request: Request) -> Response:
    body = await _body(request)
    status = body.get("status", 500)
    if not isinstance(status, int) or not 400 <= status <= 599:
        return error(400, None, "status must be an HTTP error status", "status")
    _sim(request).faults.add(_fault(body, status=status))
    return Response(status_code=204)


async def hang_next(request: Request) -> Response:
    """The next matching requests wait `seconds` before they are answered as usual."""
    body = await _body(request)
    seconds = body.get("seconds", 30)
    if not isinstance(seconds, int | float) or not 0 < seconds <= 600:
        return error(400, None, "seconds must be between 0 and 600", "seconds")
    _sim(request).faults.add(_fault(body, hang_seconds=float(seconds)))
    return Response(status_code=204)


async def reset(request: Request) -> Response:
    _sim(request).reset()
    return Response(status_code=204)


async def complete(request: Request) -> Response:
    """Pay with a mock card as if the user had used the card page."""
    sim = _sim(request)
    payment = sim.store.get(request.path_params["payment_id"])
    if payment is None:
        return error(404, "P0200", "Not found")
    number = str((await _body(request)).get("card", "4444333322221111"))
    outcome = cards.outcome_for(number)
    if outcome is None:
        return error(400, None, "card must be one of the mock card numbers", "card")
    digits = cards.digits_only(number)
    card = CardDetails(digits[-4:], digits[:6], cards.brand_of(digits), "12/30", "Test User")
    if not sim.store.authorise(payment, card, outcome):
        return error(409, None, f"The payment has already finished ({payment.status})")
    return JSONResponse({"status": payment.status, "code": payment.code})


async def payments(request: Request) -> Response:
    """Every payment made (id, reference, status), so a test can count them."""
    made = [
        {"payment_id": p.payment_id, "reference": p.reference, "status": p.status}
        for p in _sim(request).store.all()
    ]
    return JSONResponse({"payments": made})


routes = [
    Route("/__simulator/payments", payments, methods=["GET"]),
    Route("/__simulator/advance-clock", advance_clock, methods=["POST"]),
    Route("/__simulator/fail-next", fail_next, methods=["POST"]),
    Route("/__simulator/hang-next", hang_next, methods=["POST"]),
    Route("/__simulator/reset", reset, methods=["POST"]),
    Route("/__simulator/complete/{payment_id}", complete, methods=["POST"]),
]
