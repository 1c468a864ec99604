"""The GOV.UK Pay public API: create, get and cancel payments; refund them."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from simulators.govuk_pay import validation
from simulators.govuk_pay.clock import iso
from simulators.govuk_pay.errors import error
from simulators.govuk_pay.state import Simulator
from simulators.govuk_pay.store import FINISHED, Payment, Refund, RefundRefused


def _sim(request: Request) -> Simulator:
    simulator: Simulator = request.app.state.simulator
    return simulator


def _api_key(request: Request) -> str | None:
    scheme, _, key = request.headers.get("authorization", "").partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key or not _sim(request).accepts(key):
        return None
    return key


def _unauthorised() -> Response:
    return error(401, None, "Credentials are required to access this resource")


def _not_found() -> Response:
    return error(404, "P0200", "Not found")


async def _json_body(request: Request) -> Any:
    try:
        return json.loads(await request.body())
    except ValueError:
        return None


def _link(request: Request, path: str, method: str = "GET") -> dict[str, str]:
    return {"href": str(request.base_url).rstrip("/") + path, "method": method}


def payment_json(request: Request, payment: Payment) -> dict[str, Any]:
    pid = payment.payment_id
    state: dict[str, Any] = {"status": payment.status, "finished": payment.finished}
    if payment.code is not None:
        state["code"], state["message"] = payment.code, payment.message
    body: dict[str, Any] = {
        "payment_id": pid,
        "amount": payment.amount,
        "total_amount": payment.amount,
        "reference": payment.reference,
        "description": payment.description,
        "return_url": payment.return_url,
        "language": payment.language,
        "moto": payment.moto,
        "delayed_capture": False,
        "state": state,
        "created_date": iso(payment.created),
        "payment_provider": "sandbox",
        "provider_id": f"sim-{pid[:10]}",
        "refund_summary": {
            "status": payment.refund_status(),
            "amount_available": payment.refund_available(),
            "amount_submitted": payment.refunded(),
        },
        "settlement_summary": (
            {
                "capture_submit_time": iso(payment.captured),
                "captured_date": iso(payment.captured)[:10],
            }
            if payment.captured is not None
            else {}
        ),
    }
    if payment.email is not None:
        body["email"] = payment.email
    if payment.metadata is not None:
        body["metadata"] = payment.metadata
    if payment.card is not None:
        body["card_details"] = {
            "last_digits_card_number": payment.card.last_digits,
            "first_digits_card_number": payment.card.first_digits,
            "card_brand": payment.card.brand,
            "expiry_date": payment.card.expiry_date,
            "cardholder_name": payment.card.cardholder_name,
            "card_type": "debit",
        }
    links: dict[str, Any] = {
        "self": _link(request, f"/v1/payments/{pid}"),
        "events": _link(request, f"/v1/payments/{pid}/events"),
        "refunds": _link(request, f"/v1/payments/{pid}/refunds"),
    }
    # Only an unfinished payment can still be paid or cancelled.
    if not payment.finished:
        links["next_url"] = _link(request, f"/card_details/{pid}")
        links["next_url_post"] = {
            **_link(request, f"/card_details/{pid}", "POST"),
            "type": "application/x-www-form-urlencoded",
            "params": {"chargeTokenId": pid},
        }
        links["cancel"] = _link(request, f"/v1/payments/{pid}/cancel", "POST")
    body["_links"] = links
    return body


def refund_json(request: Request, payment: Payment, refund: Refund) -> dict[str, Any]:
    base = f"/v1/payments/{payment.payment_id}"
    return {
        "refund_id": refund.refund_id,
        "amount": refund.amount,
        "status": refund.status,
        "created_date": iso(refund.created),
        "_links": {
            "self": _link(request, f"{base}/refunds/{refund.refund_id}"),
            "payment": _link(request, base),
        },
    }


async def create_payment(request: Request) -> Response:
    sim = _sim(request)
    key = _api_key(request)
    if key is None:
        return _unauthorised()
    if not sim.limiter.allow(key):
        return error(429, "P0900", "Too many requests")
    idempotency_key = request.headers.get("idempotency-key")
    if idempotency_key is not None and not 1 <= len(idempotency_key) <= 255:
        return error(422, "P0102", "Invalid attribute value: Idempotency-Key", "Idempotency-Key")
    try:
        checked = validation.create_request(await _json_body(request))
    except validation.Invalid as invalid:
        return error(invalid.status, invalid.code, invalid.description, invalid.field)
    payment, created = sim.store.create(key, checked, idempotency_key)
    if not created and payment.request != checked:
        return error(
            422,
            "P0191",
            "The Idempotency-Key you sent in the request header has already been used "
            "to create a payment with different details",
            "Idempotency-Key",
        )
    payment = sim.store.get(payment.payment_id) or payment
    return JSONResponse(payment_json(request, payment), status_code=201 if created else 200)


async def get_payment(request: Request) -> Response:
    key = _api_key(request)
    if key is None:
        return _unauthorised()
    payment = _sim(request).store.get(request.path_params["payment_id"], key)
    if payment is None:
        return _not_found()
    return JSONResponse(payment_json(request, payment))


async def cancel_payment(request: Request) -> Response:
    sim = _sim(request)
    key = _api_key(request)
    if key is None:
        return _unauthorised()
    if not sim.limiter.allow(key):
        return error(429, "P0900", "Too many requests")
    payment = sim.store.get(request.path_params["payment_id"], key)
    if payment is None:
        return _not_found()
    if not sim.store.cancel(payment, "P0040", "Payment was cancelled by the service"):
        return error(400, "P0501", "Cancellation of payment failed: the payment has finished")
    return Response(status_code=204)


async def create_refund(request: Request) -> Response:
    sim = _sim(request)
    key = _api_key(request)
    if key is None:
        return _unauthorised()
    if not sim.limiter.allow(key):
        return error(429, "P0900", "Too many requests")
    payment = sim.store.get(request.path_params["payment_id"], key)
    if payment is None:
        return error(404, "P0700", "Not found")
    try:
        amount, available = validation.refund_request(await _json_body(request))
        refund, created = sim.store.refund(
            payment, amount, available, request.headers.get("idempotency-key")
        )
    except validation.Invalid as invalid:
        return error(invalid.status, invalid.code, invalid.description, invalid.field)
    except RefundRefused as refused:
        return error(refused.status, refused.code, refused.description)
    return JSONResponse(refund_json(request, payment, refund), status_code=202 if created else 200)


async def get_events(request: Request) -> Response:
    key = _api_key(request)
    if key is None:
        return _unauthorised()
    payment = _sim(request).store.get(request.path_params["payment_id"], key)
    if payment is None:
        return _not_found()
    events = []
    for status, code, message, when in payment.events:
        state: dict[str, Any] = {"status": status, "finished": status in FINISHED}
        if code is not None:
            state["code"], state["message"] = code, message
        events.append({"payment_id": payment.payment_id, "state": state, "updated": iso(when)})
    return JSONResponse(
        {
            "payment_id": payment.payment_id,
            "events": events,
            "_links": {"self": _link(request, f"/v1/payments/{payment.payment_id}/events")},
        }
    )


async def list_refunds(request: Request) -> Response:
    sim = _sim(request)
    key = _api_key(request)
    if key is None:
        return _unauthorised()
    payment = sim.store.get(request.path_params["payment_id"], key)
    if payment is None:
        return error(404, "P0800", "Not found")
    sim.store.settle_refunds(payment)
    refunds = [refund_json(request, payment, refund) for refund in payment.refunds]
    return JSONResponse(
        {
            "payment_id": payment.payment_id,
            "_embedded": {"refunds": refunds},
            "_links": {
                "self": _link(request, f"/v1/payments/{payment.payment_id}/refunds"),
                "payment": _link(request, f"/v1/payments/{payment.payment_id}"),
            },
        }
    )


async def get_refund(request: Request) -> Response:
    sim = _sim(request)
    key = _api_key(request)
    if key is None:
        return _unauthorised()
    payment = sim.store.get(request.path_params["payment_id"], key)
    refund = (
        None
        if payment is None
        else sim.store.find_refund(payment, request.path_params["refund_id"])
    )
    if payment is None or refund is None:
        return error(404, "P0800", "Not found")
    sim.store.settle_refunds(payment)
    return JSONResponse(refund_json(request, payment, refund))


routes = [
    Route("/v1/payments", create_payment, methods=["POST"]),
    Route("/v1/payments/{payment_id}", get_payment, methods=["GET"]),
    Route("/v1/payments/{payment_id}/events", get_events, methods=["GET"]),
    Route("/v1/payments/{payment_id}/cancel", cancel_payment, methods=["POST"]),
    Route("/v1/payments/{payment_id}/refunds", create_refund, methods=["POST"]),
    Route("/v1/payments/{payment_id}/refunds", list_refunds, methods=["GET"]),
    Route("/v1/payments/{payment_id}/refunds/{refund_id}", get_refund, methods=["GET"]),
]
