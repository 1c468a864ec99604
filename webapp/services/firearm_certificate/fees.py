"""Fees for firearm and shotgun certificates in England and Wales, as one dated table.

Fees are set nationally and change every few years. A change is a new ``FeeSchedule`` appended to
``SCHEDULES`` with the date it takes effect; nothing else changes. Asking for a fee ``on`` the
date an application was submitted gives the fee it was charged, whatever the table says today.
Amounts are in pence. Entries marked ``confirmed=False`` came from old or conflicting sources.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from webapp.fees import Fee, in_force
from webapp.i18n import gettext

Kind = Literal["grant", "renewal"]


@dataclass(frozen=True)
class FeeSchedule:
    effective_from: date
    fac: dict[Kind, int]  # a firearm certificate on its own
    sgc: dict[Kind, int]  # a shotgun certificate on its own
    coterminous: dict[tuple[Kind, Kind], int]  # (FAC kind, SGC kind) granted to expire together
    variation: int | None = None  # variation adding firearms, not at renewal
    replacement: int | None = None  # replacement of a lost, stolen or destroyed certificate
    unconfirmed: frozenset[str] = frozenset()


SCHEDULES: tuple[FeeSchedule, ...] = (
    FeeSchedule(
        effective_from=date(2025, 2, 5),
        fac={"grant": 19800, "renewal": 13100},
        sgc={"grant": 19400, "renewal": 12600},
        coterminous={
            ("grant", "grant"): 20200,
            ("renewal", "grant"): 20200,
            ("grant", "renewal"): 20200,
            ("renewal", "renewal"): 15500,
        },
        variation=2000,  # to confirm: the figure found was the earlier fee
        replacement=400,  # to confirm
        unconfirmed=frozenset({"variation", "replacement"}),
    ),
)


def schedule_on(on: date) -> FeeSchedule:
    """The schedule in force on a date: the latest one that had taken effect by then."""
    return in_force(SCHEDULES, on)


def _name(certificate: str, kind: Kind) -> str:
    names = {
        ("fac", "grant"): gettext("Firearm certificate (new)"),
        ("fac", "renewal"): gettext("Firearm certificate renewal"),
        ("sgc", "grant"): gettext("Shotgun certificate (new)"),
        ("sgc", "renewal"): gettext("Shotgun certificate renewal"),
    }
    return names[(certificate, kind)]


def fee_for(fac: Kind | None, sgc: Kind | None, coterminous: bool, on: date) -> Fee:
    """The fee for a Form 201 application: a firearm and/or shotgun certificate, each a grant or
    a renewal; ``coterminous`` (both expiring together) pays the single combined fee."""
    if fac is None and sgc is None:
        raise ValueError(
            "an application is for a firearm certificate, a shotgun certificate or both"
        )
    schedule = schedule_on(on)
    if fac is not None and sgc is not None:
        # One message, not a joined "and": Welsh mutates the word after "a" (and).
        names = gettext(
            "%(firearm)s and %(shotgun)s",
            firearm=_name("fac", fac),
            shotgun=_name("sgc", sgc).lower(),
        )
        if coterminous:
            return Fee(
                schedule.coterminous[(fac, sgc)],
                gettext("%(names)s, expiring together", names=names),
            )
        return Fee(schedule.fac[fac] + schedule.sgc[sgc], names)
    if fac is not None:
        return Fee(schedule.fac[fac], _name("fac", fac))
    assert sgc is not None
    return Fee(schedule.sgc[sgc], _name("sgc", sgc))


def variation_fee(on: date, *, adds_firearms: bool, one_for_one: bool = False) -> Fee:
    """Varying a firearm certificate: free unless it increases the number of firearms held."""
    schedule = schedule_on(on)
    if not adds_firearms or one_for_one or schedule.variation is None:
        return Fee(0, gettext("Variation of a firearm certificate"))
    return Fee(
        schedule.variation,
        gettext("Variation of a firearm certificate"),
        "variation" not in schedule.unconfirmed,
    )


def replacement_fee(on: date) -> Fee:
    schedule = schedule_on(on)
    return Fee(
        schedule.replacement or 0,
        gettext("Replacement certificate"),
        "replacement" not in schedule.unconfirmed,
    )
