"""The tables. Answers are kept as JSON exactly as the form engine describes them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Force(Base):
    """A territorial police force, and what it has chosen to publish on the platform."""

    __tablename__ = "force"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_cy: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(20))
    on_platform: Mapped[bool] = mapped_column(Boolean, default=False)
    # The force's postal address for applications. The column keeps its first name until a
    # migration renames it; code and templates use only the neutral attribute name.
    postal_address: Mapped[str | None] = mapped_column("licensing_address", Text)
    phone: Mapped[str | None] = mapped_column(String(50))
    email: Mapped[str | None] = mapped_column(String(200))
    opening_hours: Mapped[str | None] = mapped_column(String(200))
    processing_time: Mapped[str | None] = mapped_column(String(200))


class ForceService(Base):
    """One force's choice about one service: whether it takes it online, and who in the force
    deals with it. Empty contact values fall back to the force's own details and the service's
    declared unit name (see ``force_services.contact``)."""

    __tablename__ = "force_service"

    force_id: Mapped[str] = mapped_column(
        ForeignKey("force.id", ondelete="CASCADE"), primary_key=True
    )
    service: Mapped[str] = mapped_column(String(64), primary_key=True)
    offered: Mapped[bool] = mapped_column(Boolean, default=False)
    unit_name: Mapped[str | None] = mapped_column(String(200))
    postal_address: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(String(50))
    email: Mapped[str | None] = mapped_column(String(200))
    opening_hours: Mapped[str | None] = mapped_column(String(200))
    processing_time: Mapped[str | None] = mapped_column(String(200))
    # Where the public goes in person for this service (stations, venues): a list of names.
    places: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Application(Base):
    """One application to a force: a draft until submitted, then never changed by the public."""

    __tablename__ = "application"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    service: Mapped[str] = mapped_column(String(64), index=True)
    force_id: Mapped[str | None] = mapped_column(ForeignKey("force.id"), index=True)
    status: Mapped[str] = mapped_column(String(32), default="draft", index=True)
    channel: Mapped[str] = mapped_column(String(16), default="online")
    # The language the person made it in ("en" or "cy"): their letters and emails follow it.
    # Empty for applications made before the service asked, and for staff-made ones.
    language: Mapped[str | None] = mapped_column(String(8))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Optimistic concurrency: every save must name the version it read.
    version: Mapped[int] = mapped_column(Integer, default=1)
    fee_pence: Mapped[int | None] = mapped_column(Integer)
    fee_description: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Declared and waiting for its payment: still a draft (no force sees it) until the payment
    # succeeds; a changed answer clears it, so the person declares again what they changed.
    declared_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Upload(Base):
    """A file kept behind the app (never served publicly): a photo, a scanned paper form."""

    __tablename__ = "upload"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(200))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ApplicationDocument(Base):
    """A document made from a submitted application (``kind`` "pdf": its PDF copy), rendered
    once on first download and kept, so it never changes and is never rendered twice."""

    __tablename__ = "application_document"

    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    content_type: Mapped[str] = mapped_column(String(64), default="application/pdf")
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
