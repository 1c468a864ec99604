"""The fee table: amounts from 5 February 2025, and fees fixed by the date they were charged."""

from __future__ import annotations

from datetime import date

import pytest

from webapp import fees
from webapp.services.firearm_certificate import fees as firearm_fees
from webapp.services.firearm_certificate.fees import FeeSchedule, fee_for

ON = date(2025, 6, 1)


@pytest.mark.parametrize(
    ("fac", "sgc", "coterminous", "pence"),
    [
        ("grant", None, False, 19800),
        ("renewal", None, False, 13100),
        (None, "grant", False, 19400),
        (None, "renewal", False, 12600),
        ("grant", "grant", True, 20200),
        ("renewal", "grant", True, 20200),
        ("grant", "renewal", True, 20200),
        ("renewal", "renewal", True, 15500),
        ("grant", "grant", False, 19800 + 19400),
        ("renewal", "renewal", False, 13100 + 12600),
    ],
)
def test_fees_from_5_february_2025(
    fac: firearm_fees.Kind | None, sgc: firearm_fees.Kind | None, coterminous: bool, pence: int
) -> None:
    fee = fee_for(fac, sgc, coterminous, ON)
    assert fee.pence == pence and fee.confirmed and fee.description


def test_coterminous_only_applies_to_both() -> None:
    assert fee_for("grant", None, True, ON).pence == 19800


def test_description_and_pounds() -> None:
    fee = fee_for("renewal", "renewal", True, ON)
    assert fee.pounds == "£155"
    assert (
        fee.description
        == "Firearm certificate renewal and shotgun certificate renewal, expiring together"
    )
    assert fees.Fee(450, "x").pounds == "£4.50"


def test_effective_dates(monkeypatch: pytest.MonkeyPatch) -> None:
    assert fee_for("grant", None, False, date(2025, 2, 5)).pence == 19800
    with pytest.raises(LookupError):
        fee_for("grant", None, False, date(2025, 2, 4))  # before the first schedule
    later = FeeSchedule(
        effective_from=date(2027, 4, 1),
        fac={"grant": 25000, "renewal": 17000},
        sgc={"grant": 24000, "renewal": 16000},
        coterminous={
            ("grant", "grant"): 26000,
            ("renewal", "grant"): 26000,
            ("grant", "renewal"): 26000,
            ("renewal", "renewal"): 20000,
        },
    )
    monkeypatch.setattr(firearm_fees, "SCHEDULES", (*firearm_fees.SCHEDULES, later))
    # An application charged before the change keeps its fee; one from the change pays the new one.
    assert fee_for("grant", None, False, date(2027, 3, 31)).pence == 19800
    assert fee_for("grant", None, False, date(2027, 4, 1)).pence == 25000


def test_nothing_applied_for_is_an_error() -> None:
    with pytest.raises(ValueError):
        fee_for(None, None, False, ON)


def test_unconfirmed_fees_are_marked() -> None:
    assert not firearm_fees.replacement_fee(ON).confirmed
    assert not firearm_fees.variation_fee(ON, adds_firearms=True).confirmed
    assert firearm_fees.variation_fee(ON, adds_firearms=True, one_for_one=True).pence == 0
    assert firearm_fees.variation_fee(ON, adds_firearms=False).pence == 0
