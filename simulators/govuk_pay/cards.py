"""The mock card numbers of a GOV.UK Pay test account, and what each one does."""

from __future__ import annotations

# Number -> outcome. The expired card is declined by the bank (P0010), as on GOV.UK Pay.
TEST_CARDS = {
    "4444333322221111": "success",
    "4000000000000002": "declined",
    "4000000000000069": "declined",
    "4000000000000119": "error",
}


def digits_only(number: str) -> str:
    return "".join(ch for ch in number if ch not in " -")


def luhn_valid(number: str) -> bool:
    if not number.isdigit() or not 12 <= len(number) <= 19:
        return False
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def outcome_for(number: str) -> str | None:
    """'success', 'declined' or 'error' for a test card; None for any other number."""
    cleaned = digits_only(number)
    return TEST_CARDS.get(cleaned) if luhn_valid(cleaned) else None


def brand_of(number: str) -> str:
    first = digits_only(number)[:1]
    return {"4": "Visa", "5": "Mastercard", "3": "American Express"}.get(first, "Unknown")
