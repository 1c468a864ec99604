"""PayClient: create, read and refund payments through GOV.UK Pay's API.

Retries with a short exponential backoff and jitter when GOV.UK Pay cannot be reached, is too
slow, is busy (429) or fails (5xx); the Idempotency-Key makes a retried create or refund safe.
The API key goes only into the Authorization header: it is never logged or put in an error.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

log = logging.getLogger("webapp.payments")

# Waits before the second and third attempts (plus up to 50% jitter).
BACKOFF_SECONDS = 0.2


class PaymentsUnavailable(Exception):
    """GOV.UK Pay could not be reached, kept failing, or answered with something unexpected."""


class PaymentRefused(Exception):
    """GOV.UK Pay refused the request (a 4xx other than 429); sending it again will not help."""

    def __init__(self, status: int, code: str | None, description: str) -> None:
        super().__init__(f"{status} {code or ''}: {description}".strip())
        self.status = status
        self.code = code
        self.description = description


@dataclass(frozen=True)
class PayState:
    status: str
    finished: bool
    code: str | None = None
    message: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.status == "success"


@dataclass(frozen=True)
class PaymentStatus:
    payment_id: str
    amount: int
    reference: str
    description: str
    state: PayState
    next_url: str | None
    refund_amount_available: int
    refund_status: str | None
    card_brand: str | None
    last_digits: str | None
    created_date: str


@dataclass(frozen=True)
class RefundStatus:
    refund_id: str
    amount: int
    status: str
    created_date: str


def _payment(body: Any) -> PaymentStatus:
    try:
        state = body["state"]
        refunds = body.get("refund_summary") or {}
        card = body.get("card_details") or {}
        next_url = (body.get("_links") or {}).get("next_url") or {}
        return PaymentStatus(
            payment_id=str(body["payment_id"]),
            amount=int(body["amount"]),
            reference=str(body["reference"]),
            description=str(body["description"]),
            state=PayState(
                status=str(state["status"]),
                finished=bool(state["finished"]),
                code=state.get("code"),
                message=state.get("message"),
            ),
            next_url=next_url.get("href"),
            refund_amount_available=int(refunds.get("amount_available", 0)),
            refund_status=refunds.get("status"),
            card_brand=card.get("card_brand"),
            last_digits=card.get("last_digits_card_number"),
            created_date=str(body["created_date"]),
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        raise PaymentsUnavailable("GOV.UK Pay sent a payment this client cannot read") from None


def _refund(body: Any) -> RefundStatus:
    try:
        return RefundStatus(
            refund_id=str(body["refund_id"]),
            amount=int(body["amount"]),
            status=str(body["status"]),
            created_date=str(body["created_date"]),
        )
    except (KeyError, TypeError, ValueError):
        raise PaymentsUnavailable("GOV.UK Pay sent a refund this client cannot read") from None


def _segment(value: str) -> str:
    """An id as one path segment: nothing in it can reach another endpoint."""
    return quote(value, safe="")


class PayClient:
    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: float = 10.0,
        attempts: int = 3,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._attempts = max(1, attempts)
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            headers={"Authorization": f"Bearer {api_key}", "Accept": "application/json"},
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
        )

    async def create_payment(
        self,
        *,
        amount: int,
        reference: str,
        description: str,
        return_url: str,
        idempotency_key: str,
        email: str | None = None,
        language: str = "en",
        metadata: Mapping[str, str | int | bool] | None = None,
        moto: bool = False,
    ) -> PaymentStatus:
        body: dict[str, Any] = {
            "amount": amount,
            "reference": reference,
            "description": description,
            "return_url": return_url,
            "language": language,
        }
        if email is not None:
            body["email"] = email
        if metadata:
            body["metadata"] = dict(metadata)
        if moto:
            body["moto"] = True
        answer = await self._send(
            "POST", "/v1/payments", json=body, idempotency_key=idempotency_key
        )
        return _payment(answer)

    async def get_payment(self, payment_id: str) -> PaymentStatus:
        return _payment(await self._send("GET", f"/v1/payments/{_segment(payment_id)}"))

    async def refund(
        self, payment_id: str, *, amount: int, refund_amount_available: int, idempotency_key: str
    ) -> RefundStatus:
        answer = await self._send(
            "POST",
            f"/v1/payments/{_segment(payment_id)}/refunds",
            json={"amount": amount, "refund_amount_available": refund_amount_available},
            idempotency_key=idempotency_key,
        )
        return _refund(answer)

    async def get_refund(self, payment_id: str, refund_id: str) -> RefundStatus:
        path = f"/v1/payments/{_segment(payment_id)}/refunds/{_segment(refund_id)}"
        return _refund(await self._send("GET", path))

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _send(
        self,
        method: str,
        path: str,
        *,
        json: dict[str, Any] | None = None,
        idempotency_key: str | None = None,
    ) -> Any:
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        problem = "no attempt made"
        for attempt in range(1, self._attempts + 1):
            if attempt > 1:
                delay = BACKOFF_SECONDS * 2 ** (attempt - 2)
                await asyncio.sleep(delay * (1 + random.random() / 2))
            try:
                response = await self._http.request(method, path, json=json, headers=headers)
            except httpx.TransportError as exc:
                # The exception's text can carry the request; only its kind is kept.
                problem = type(exc).__name__
                log.warning("GOV.UK Pay %s %s: %s (attempt %d)", method, path, problem, attempt)
                continue
            if response.status_code == 429 or response.status_code >= 500:
                problem = f"HTTP {response.status_code}"
                log.warning("GOV.UK Pay %s %s: %s (attempt %d)", method, path, problem, attempt)
                continue
            return self._answer(method, path, response)
        raise PaymentsUnavailable(
            f"GOV.UK Pay {method} {path} failed after {self._attempts} attempts: {problem}"
        )

    @staticmethod
    def _answer(method: str, path: str, response: httpx.Response) -> Any:
        try:
            body = response.json() if response.content else {}
        except ValueError:
            body = None
        if 400 <= response.status_code < 500:
            error = body if isinstance(body, dict) else {}
            raise PaymentRefused(
                response.status_code,
                error.get("code"),
                str(error.get("description") or f"GOV.UK Pay refused {method} {path}"),
            )
        if not 200 <= response.status_code < 300 or not isinstance(body, dict):
            raise PaymentsUnavailable(
                f"GOV.UK Pay {method} {path} answered {response.status_code} unexpectedly"
            )
        return body
