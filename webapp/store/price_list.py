"""Each force's own price list for a service that charges for several things (a copy of a
collision report, a witness statement): what a force administrator sets in the back office.
Prices are integer pence, the price before VAT and the VAT kept apart so receipts can show both.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from webapp.store.models import Base, utcnow


class PriceItem(Base):
    __tablename__ = "price_item"
    __table_args__ = (
        UniqueConstraint("force_id", "service", "code"),
        CheckConstraint("net_pence > 0 AND vat_pence >= 0", name="price_item_amounts"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    force_id: Mapped[str] = mapped_column(ForeignKey("force.id", ondelete="CASCADE"), index=True)
    service: Mapped[str] = mapped_column(String(64))
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    name_cy: Mapped[str | None] = mapped_column(String(200))
    net_pence: Mapped[int] = mapped_column(Integer)
    vat_pence: Mapped[int] = mapped_column(Integer, default=0)
    offered: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    @property
    def total_pence(self) -> int:
        return self.net_pence + self.vat_pence


# --- the repository: reading and keeping a force's price list ------------------------------
# Every function takes the force it acts for: an administrator reaches only their own force's
# items (web/staff/price_list.py passes the signed-in member's force, never one from a URL).

NAME_LIMIT = 100  # short enough for a receipt line and a payment's description


def as_values(item: PriceItem | None) -> dict[str, Any]:
    """An item as plain values, for the audit log's before and after."""
    if item is None:
        return {}
    return {
        "name": item.name,
        "name_cy": item.name_cy or "",
        "net_pence": item.net_pence,
        "vat_pence": item.vat_pence,
        "offered": bool(item.offered),
    }


async def items_of(session: AsyncSession, force_id: str, service: str) -> list[PriceItem]:
    """The force's whole list for a service, offered or not, by name."""
    rows = await session.scalars(
        select(PriceItem)
        .where(PriceItem.force_id == force_id, PriceItem.service == service)
        .order_by(PriceItem.name, PriceItem.id)
    )
    return list(rows)


async def offered(session: AsyncSession, force_id: str, service: str) -> list[PriceItem]:
    """What the force charges for today: the items it has not switched off."""
    return [item for item in await items_of(session, force_id, service) if item.offered]


async def item_of(
    session: AsyncSession, force_id: str, service: str, item_id: int
) -> PriceItem | None:
    """One of the force's own items; None for another force's (or no such item)."""
    item = await session.get(PriceItem, item_id)
    if item is None or item.force_id != force_id or item.service != service:
        return None
    return item


def code_for(name: str, taken: set[str]) -> str:
    """A stable code for a new item, from its name: what a started payment's answer holds, so
    renaming an item later does not change what was chosen."""
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:50] or "item"
    code, number = base, 2
    while code in taken:
        code, number = f"{base}-{number}", number + 1
    return code


async def add(
    session: AsyncSession, force_id: str, service: str, values: Mapping[str, Any]
) -> PriceItem:
    taken = {item.code for item in await items_of(session, force_id, service)}
    item = PriceItem(
        force_id=force_id,
        service=service,
        code=code_for(str(values["name"]), taken),
        name=values["name"],
        name_cy=values.get("name_cy") or None,
        net_pence=values["net_pence"],
        vat_pence=values["vat_pence"],
        offered=bool(values.get("offered", True)),
    )
    session.add(item)
    await session.flush()
    return item


async def change(
    session: AsyncSession, item: PriceItem, values: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Change an item the caller has already found as the force's own; (before, after)."""
    before = as_values(item)
    item.name = values["name"]
    item.name_cy = values.get("name_cy") or None
    item.net_pence = values["net_pence"]
    item.vat_pence = values["vat_pence"]
    item.offered = bool(values["offered"])
    item.updated_at = utcnow()
    await session.flush()
    return before, as_values(item)


async def forces_pricing(session: AsyncSession, service: str) -> set[str]:
    """The forces with at least one item offered for the service."""
    rows = await session.scalars(
        select(PriceItem.force_id)
        .where(PriceItem.service == service, PriceItem.offered.is_(True))
        .distinct()
    )
    return set(rows)
