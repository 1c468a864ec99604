"""A force's price list as a service reads it at run time (``fields.run_time_facts``): what a
service that charges from each force's own prices offers, and how its fee rule finds the price
of what was chosen. The web layer puts the chosen force's offered prices under ``PRICES``; the
engine never fetches them, and a price is never read from what a person posts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from webapp import i18n

from .fields import current_facts

PRICES = "prices"  # the facts' key: a sequence of ``Price``
PLACES = "places"  # the facts' key: the force's places for the service (names to go to)


@dataclass(frozen=True)
class Example:
    """A price a development database starts a force's list with (never a real force's)."""

    name: str
    net_pence: int
    standard_vat: bool = True


@dataclass(frozen=True)
class PriceList:
    """A service charges from each force's own price list, kept by the force's administrators
    in the back office. ``examples``: what the demo data puts on each force's list."""

    examples: Sequence[Example] = ()


@dataclass(frozen=True)
class Price:
    """One thing a force charges for: its price before VAT and the VAT on it, in pence."""

    code: str
    name: str
    name_cy: str | None
    net_pence: int
    vat_pence: int

    @property
    def total_pence(self) -> int:
        return self.net_pence + self.vat_pence

    def display_name(self, locale: str | None = None) -> str:
        welsh = (locale or i18n.get_locale()).split("-")[0].split("_")[0] == "cy"
        return self.name_cy if welsh and self.name_cy else self.name


def prices_in(facts: Mapping[str, Any] | None = None) -> Sequence[Price] | None:
    """The prices the facts hold (the request's, by default); None when they do not say (a PDF
    rendered in a worker, a page outside a force's journey)."""
    found = (current_facts() if facts is None else facts).get(PRICES)
    if found is None:
        return None
    return [price for price in found if isinstance(price, Price)]


def price_of(code: object, facts: Mapping[str, Any] | None = None) -> Price | None:
    """The price of the item stored as ``code``; None when it is not (or no longer) offered, or
    the facts do not say."""
    return next((price for price in prices_in(facts) or () if price.code == code), None)
