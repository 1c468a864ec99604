"""The checks GOV.UK Pay makes on a create-payment request, with its error codes.

A missing attribute is P0101 (400); a value it cannot accept is P0102 (422).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

MAX_AMOUNT = 10_000_000
MAX_TEXT = 255
MAX_METADATA_KEYS = 10
MAX_METADATA_KEY = 30
MAX_METADATA_VALUE = 100


@dataclass(frozen=True)
class Invalid(Exception):
    status: int
    code: str
    field: str | None
    description: str


def _missing(name: str) -> Invalid:
    return Invalid(400, "P0101", name, f"Missing mandatory attribute: {name}")


def _bad(name: str, why: str) -> Invalid:
    return Invalid(422, "P0102", name, f"Invalid attribute value: {name}. {why}")


def _text(body: dict[str, Any], name: str, limit: int = MAX_TEXT) -> str:
    value = body.get(name)
    if value is None:
        raise _missing(name)
    if not isinstance(value, str) or not value.strip():
        raise _bad(name, "Must be a non-empty string")
    if len(value) > limit:
        raise _bad(name, f"Must be less than or equal to {limit} characters length")
    return value


def _amount(body: dict[str, Any]) -> int:
    value = body.get("amount")
    if value is None:
        raise _missing("amount")
    # bool is an int in Python; JSON true is not an amount.
    if not isinstance(value, int) or isinstance(value, bool):
        raise _bad("amount", "Must be an integer")
    if value < 1:
        raise _bad("amount", "Must be greater than or equal to 1")
    if value > MAX_AMOUNT:
        raise _bad("amount", f"Must be less than or equal to {MAX_AMOUNT}")
    return value


def _return_url(body: dict[str, Any]) -> str:
    value = _text(body, "return_url", 2000)
    parts = urlsplit(value)
    # A test account accepts http as well as https (GOV.UK Pay's own advice for testing).
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise _bad("return_url", "Must be a valid URL format")
    return value


def _metadata(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _bad("metadata", "Must be an object of JSON key-value pairs")
    if len(value) > MAX_METADATA_KEYS:
        raise _bad("metadata", f"Cannot have more than {MAX_METADATA_KEYS} key-value pairs")
    for key, item in value.items():
        if not 1 <= len(key) <= MAX_METADATA_KEY:
            raise _bad("metadata", f"Keys must be between 1 and {MAX_METADATA_KEY} characters long")
        if isinstance(item, str):
            if len(item) > MAX_METADATA_VALUE:
                raise _bad(
                    "metadata",
                    f"Values must be no greater than {MAX_METADATA_VALUE} characters long",
                )
        elif not isinstance(item, int | float | bool):
            raise _bad("metadata", "Values must be of type String, Boolean or Number")
    return dict(value)


def create_request(body: Any) -> dict[str, Any]:
    """The request, checked; raises Invalid with GOV.UK Pay's code, field and description."""
    if not isinstance(body, dict):
        raise Invalid(400, "P0197", None, "Unable to parse JSON")
    checked: dict[str, Any] = {
        "amount": _amount(body),
        "reference": _text(body, "reference"),
        "description": _text(body, "description"),
        "return_url": _return_url(body),
    }
    email = body.get("email")
    if email is not None:
        if not isinstance(email, str) or "@" not in email or len(email) > 254:
            raise _bad("email", "Must be a valid email address")
        checked["email"] = email
    language = body.get("language", "en")
    if language not in ("en", "cy"):
        raise _bad("language", 'Must be "en" or "cy"')
    checked["language"] = language
    if body.get("metadata") is not None:
        checked["metadata"] = _metadata(body["metadata"])
    moto = body.get("moto", False)
    if not isinstance(moto, bool):
        raise _bad("moto", "Must be true or false")
    checked["moto"] = moto
    return checked


def refund_request(body: Any) -> tuple[int, int]:
    if not isinstance(body, dict):
        raise Invalid(400, "P0697", None, "Unable to parse JSON")
    values = []
    for name in ("amount", "refund_amount_available"):
        value = body.get(name)
        if value is None:
            raise Invalid(400, "P0601", name, f"Missing mandatory attribute: {name}")
        if (
            not isinstance(value, int)
            or isinstance(value, bool)
            or value < (1 if name == "amount" else 0)
        ):
            raise Invalid(422, "P0602", name, f"Invalid attribute value: {name}")
        values.append(value)
    return values[0], values[1]
