"""Each force's own price list for a service that charges for several things (a copy of a
collision report, a witness statement): what a force administrator sets in the back office.
Prices are integer pence, the price before VAT and the VAT kept apart so receipts can show both.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
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
