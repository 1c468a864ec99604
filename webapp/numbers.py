"""Whole numbers typed by people, read one way everywhere.

``str.isdigit`` is true for Arabic-Indic, full-width and superscript digits ("١٢٣", "１２",
"²"), which ``int`` may accept and ``hmac.compare_digest`` refuses with an exception; and an
unbounded number (a day of 2147483648) overflows ``date``. So a number counts only when it is
ASCII digits, and no longer than the caller says it can be.
"""

from __future__ import annotations


def ascii_digits(text: object, *, max_digits: int) -> str | None:
    """The digits, when ``text`` (spaces around it ignored) is 1 to ``max_digits`` ASCII digits."""
    digits = str(text if text is not None else "").strip()
    if not digits or len(digits) > max_digits or not (digits.isascii() and digits.isdigit()):
        return None
    return digits


def whole_number(text: object, *, max_digits: int) -> int | None:
    """The number ``text`` holds, read as :func:`ascii_digits` allows; None when it holds none."""
    digits = ascii_digits(text, max_digits=max_digits)
    return int(digits) if digits is not None else None


def page_number(text: object) -> int:
    """A ``?page=`` value: 1 unless it is a sensible page number."""
    number = whole_number(text, max_digits=6)
    return number if number else 1
