"""Fees as the platform shows them, and the lookup of a dated fee table.

A service declares its own fee table (in ``webapp/services/``) as schedules with the date each
took effect; asking for the schedule ``on`` the date an application was submitted gives the fee
it was charged, whatever the table says today. Amounts are in pence.
"""

from __future__ import annotations

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
