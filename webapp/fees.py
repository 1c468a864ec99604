"""Fees as the platform shows them, and the lookup of a dated fee table.

A service declares its own fee table (in ``webapp/services/``) as schedules with the date each
took effect; asking for the schedule ``on`` the date an application was submitted gives the fee
it was charged, whatever the table says today. Amounts are in pence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol, TypeVar


def format_pounds(pence: int) -> str:
    """'£198' or '£4.50', as GOV.UK writes money."""
    pounds, part = divmod(pence, 100)
    return f"£{pounds:,}" if part == 0 else f"£{pounds:,}.{part:02d}"


@dataclass(frozen=True)
class Fee:
    pence: int
    description: str
    confirmed: bool = True

    @property
    def pounds(self) -> str:
        return format_pounds(self.pence)


class Dated(Protocol):
    @property
    def effective_from(self) -> date: ...


ScheduleT = TypeVar("ScheduleT", bound=Dated)


def in_force(schedules: Sequence[ScheduleT], on: date) -> ScheduleT:
    """The schedule in force on a date: the latest one that had taken effect by then."""
    current = [schedule for schedule in schedules if schedule.effective_from <= on]
    if not current:
        raise LookupError(f"no fee schedule in force on {on.isoformat()}")
    return max(current, key=lambda schedule: schedule.effective_from)


# VAT rates a price may carry: the standard rate, or none (what a force charges may be outside
# the scope of VAT). A percentage, so the VAT on a price in pence is exact integer arithmetic.
STANDARD_VAT_PERCENT = 20


def vat_on(net_pence: int, percent: int) -> int:
    """The VAT on a price before VAT, to the penny, a half penny rounded up."""
    return (net_pence * percent + 50) // 100


# The most one card payment may be (GOV.UK Pay's limit): £100,000.
MAX_PAYMENT_PENCE = 10_000_000

_POUNDS = re.compile(r"^(?P<pounds>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<pence>\d*))?$")


class MoneyError(ValueError):
    """Why typed money could not be read: ``empty``, ``format``, ``decimals`` or ``negative``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_pounds(text: str) -> int:
    """An amount typed in pounds ('173.30', '£1,173.3', '45') as integer pence, read strictly:
    no more than two decimal places, no sign, no other characters."""
    typed = text.strip().removeprefix("£").strip()
    if not typed:
        raise MoneyError("empty")
    if typed.startswith("-"):
        raise MoneyError("negative")
    match = _POUNDS.match(typed)
    if match is None:
        raise MoneyError("format")
    pence = match.group("pence")
    if pence is not None and len(pence) > 2:
        raise MoneyError("decimals")
    if pence == "":  # '45.' is not how anyone writes an amount
        raise MoneyError("format")
    digits = match.group("pounds").replace(",", "")
    if len(digits) > 9:  # far beyond any price: never turned into a number of unbounded size
        return MAX_PAYMENT_PENCE + 1
    pounds = int(digits)
    return pounds * 100 + int((pence or "0").ljust(2, "0"))
