from __future__ import annotations

import pytest

from webapp.numbers import ascii_digits, page_number, whole_number


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("7", 7), (" 12 ", 12), ("0042", 42), ("", None), ("١٢", None), ("１２", None), ("²", None)],
)
def test_only_ascii_digits_are_a_number(typed: str, expected: int | None) -> None:
    assert whole_number(typed, max_digits=4) == expected


def test_a_number_longer_than_allowed_is_none() -> None:
    assert whole_number("2147483648", max_digits=4) is None
    assert ascii_digits("123456", max_digits=6) == "123456"
    assert ascii_digits("1234567", max_digits=6) is None


@pytest.mark.parametrize(("typed", "expected"), [("3", 3), ("0", 1), (None, 1), ("9" * 40, 1)])
def test_a_page_number_falls_back_to_the_first(typed: str | None, expected: int) -> None:
    assert page_number(typed) == expected
