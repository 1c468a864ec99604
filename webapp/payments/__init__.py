"""Card payments through GOV.UK Pay's API (webapp/payments/client.py)."""

from webapp.payments.client import (
    PayClient,
    PaymentRefused,
    PaymentStatus,
    PaymentsUnavailable,
    PayState,
    RefundStatus,
)

__all__ = [
    "PayClient",
    "PayState",
    "PaymentRefused",
    "PaymentStatus",
    "PaymentsUnavailable",
    "RefundStatus",
]
