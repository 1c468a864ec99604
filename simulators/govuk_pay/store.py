"""Payments and refunds held in memory, and the rules for moving them between states.

Every change happens under one lock: the API, the card page and the test controls may be served
at the same moment, and a payment must never be settled twice or refunded past its amount.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from simulators.govuk_pay.clock import Clock

# An unfinished payment expires after 90 minutes, as on GOV.UK Pay.
EXPIRY = timedelta(minutes=90)
FINISHED = frozenset({"success", "failed", "cancelled", "error"})


class RefundRefused(Exception):
    def __init__(self, status: int, code: str, description: str) -> None:
        super().__init__(description)
        self.status, self.code, self.description = status, code, description


@dataclass
class CardDetails:
    last_digits: str
    first_digits: str
    brand: str
    expiry_date: str
    cardholder_name: str


@dataclass
class Refund:
    refund_id: str
    amount: int
    created: datetime
    status: str = "submitted"


@dataclass
class Payment:
    payment_id: str
    api_key: str
    request: dict[str, Any]  # the create request as sent, for idempotency comparisons
    amount: int
    reference: str
    description: str
    return_url: str
    email: str | None
    language: str
    metadata: dict[str, Any] | None
    moto: bool
    created: datetime
    status: str = "created"
    code: str | None = None
    message: str | None = None
    card: CardDetails | None = None
    captured: datetime | None = None
    refunds: list[Refund] = field(default_factory=list)
    # (status, code, message, when) for each state the payment has been in.
    events: list[tuple[str, str | None, str | None, datetime]] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    def refunded(self) -> int:
        return sum(refund.amount for refund in self.refunds if refund.status != "error")

    def refund_available(self) -> int:
        return self.amount - self.refunded() if self.status == "success" else 0

    def refund_status(self) -> str:
        if self.status == "success":
            return "available" if self.refund_available() > 0 else "full"
        return "unavailable" if self.finished else "pending"


def new_id() -> str:
    # GOV.UK Pay's ids are 26 lower-case letters and digits.
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(secrets.choice(alphabet) for _ in range(26))


class Store:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.lock = threading.RLock()
        self._payments: dict[str, Payment] = {}
        # (api key, Idempotency-Key) -> payment id; (payment id, key) -> refund id.
        self._payment_keys: dict[tuple[str, str], str] = {}
        self._refund_keys: dict[tuple[str, str], str] = {}

    def reset(self) -> None:
        with self.lock:
            self._payments.clear()
            self._payment_keys.clear()
            self._refund_keys.clear()

    def create(
        self, api_key: str, request: dict[str, Any], idempotency_key: str | None
    ) -> tuple[Payment, bool]:
        """The new payment and True; or, for a repeated Idempotency-Key, the first and False."""
        with self.lock:
            if idempotency_key is not None:
                known = self._payment_keys.get((api_key, idempotency_key))
                if known is not None:
                    return self._payments[known], False
            payment = Payment(
                payment_id=new_id(),
                api_key=api_key,
                request=request,
                amount=request["amount"],
                reference=request["reference"],
                description=request["description"],
                return_url=request["return_url"],
                email=request.get("email"),
                language=request.get("language", "en"),
                metadata=request.get("metadata"),
                moto=bool(request.get("moto", False)),
                created=self.clock.now(),
            )
            payment.events.append(("created", None, None, payment.created))
            self._payments[payment.payment_id] = payment
            if idempotency_key is not None:
                self._payment_keys[(api_key, idempotency_key)] = payment.payment_id
            return payment, True

    def get(self, payment_id: str, api_key: str | None = None) -> Payment | None:
        """The payment as it is now (expired if it has sat unfinished too long).

        With an API key, only a payment made with that key is found, as on GOV.UK Pay, where
        a key belongs to one account.
        """
        with self.lock:
            payment = self._payments.get(payment_id)
            if payment is None or (api_key is not None and payment.api_key != api_key):
                return None
            if not payment.finished and self.clock.now() - payment.created > EXPIRY:
                self._finish(payment, "failed", "P0020", "Payment expired")
            return payment

    def all(self) -> list[Payment]:
        with self.lock:
            return list(self._payments.values())

    def start(self, payment: Payment) -> None:
        with self.lock:
            if payment.status == "created":
                payment.status = "started"
                payment.events.append(("started", None, None, self.clock.now()))

    def cancel(self, payment: Payment, code: str, message: str) -> bool:
        """End an unfinished payment. As on GOV.UK Pay, one the service cancels (P0040) is
        ``cancelled``, and one the user cancels on the card page (P0030) has ``failed``."""
        with self.lock:
            if payment.finished:
                return False
            self._finish(payment, "failed" if code == "P0030" else "cancelled", code, message)
            return True

    def authorise(self, payment: Payment, card: CardDetails, outcome: str) -> bool:
        """Record the card and the outcome the test card stands for; False if already finished."""
        with self.lock:
            if payment.finished:
                return False
            payment.card = card
            if outcome == "success":
                payment.captured = self.clock.now()
                self._finish(payment, "success", None, None)
            elif outcome == "declined":
                self._finish(payment, "failed", "P0010", "Payment method rejected")
            else:
                self._finish(payment, "error", "P0050", "Payment provider returned an error")
            return True

    def refund(
        self, payment: Payment, amount: int, expected_available: int, idempotency_key: str | None
    ) -> tuple[Refund, bool]:
        with self.lock:
            if idempotency_key is not None:
                known = self._refund_keys.get((payment.payment_id, idempotency_key))
                refund = self.find_refund(payment, known) if known is not None else None
                if refund is not None:
                    return refund, False
            if payment.status != "success":
                raise RefundRefused(
                    400,
                    "P0603",
                    "The payment is not available for refund. "
                    f"Payment refund status: {payment.refund_status()}",
                )
            available = payment.refund_available()
            if expected_available != available:
                raise RefundRefused(
                    412, "P0604", "Refund amount available mismatch: the payment changed"
                )
            if amount > available:
                raise RefundRefused(
                    400,
                    "P0603",
                    "The payment is not available for refund. "
                    f"Not sufficient amount available for refund: {available}",
                )
            refund = Refund(refund_id=new_id(), amount=amount, created=self.clock.now())
            payment.refunds.append(refund)
            if idempotency_key is not None:
                self._refund_keys[(payment.payment_id, idempotency_key)] = refund.refund_id
            return refund, True

    def settle_refunds(self, payment: Payment) -> None:
        """A submitted refund has gone through by the time anyone asks about it again."""
        with self.lock:
            for refund in payment.refunds:
                if refund.status == "submitted":
                    refund.status = "success"

    @staticmethod
    def find_refund(payment: Payment, refund_id: str) -> Refund | None:
        return next((r for r in payment.refunds if r.refund_id == refund_id), None)

    def _finish(self, payment: Payment, status: str, code: str | None, message: str | None) -> None:
        payment.status, payment.code, payment.message = status, code, message
        payment.events.append((status, code, message, self.clock.now()))
