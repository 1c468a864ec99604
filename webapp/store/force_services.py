"""What each force offers: which services it takes online, and who in the force deals with each.

A force takes a service online only when it is on the platform *and* has switched that service
on; a force with no row for a service (a service added since the force chose) does not take it,
so nobody is sent into a journey the force will not receive. Contact details given for one
service fall back, value by value, to the force's own details and the service's declared unit.

Every function that changes a force's choices takes the force it acts for; a force administrator
reaches only their own (see ``web/staff/force_settings``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from webapp.engine.schema import Service
from webapp.store.models import Application, Force, ForceService, utcnow

# The contact details a force may publish per service, in the order they are shown.
CONTACT_FIELDS = (
    "unit_name",
    "postal_address",
    "phone",
    "email",
    "opening_hours",
    "processing_time",
)
LIMITS = {
    "unit_name": 200,
    "postal_address": 1000,
    "phone": 50,
    "email": 200,
    "opening_hours": 200,
    "processing_time": 200,
}
MAX_PLACES = 50
PLACE_LIMIT = 200


@dataclass
class ForceContact:
    """How the applicant and staff reach a force about one service: the values the force gave
    for that service, else its own, else (for the unit) the service's declared name. Shaped like
    a ``Force`` row (name, postal_address, phone, email) so documents can take either (not
    frozen, so it meets ``pdf.render.ForceLike``'s plain attributes)."""

    id: str
    name: str
    name_cy: str | None
    unit_name: str | None
    postal_address: str | None
    phone: str | None
    email: str | None
    opening_hours: str | None
    processing_time: str | None
    places: list[str] = field(default_factory=list)

    def display_name(self, locale: str) -> str:
        return (
            self.name_cy
            if self.name_cy and locale.split("-")[0].split("_")[0] == "cy"
            else self.name
        )


def resolve(force: Force, row: ForceService | None, service: Service | None) -> ForceContact:
    """The contact for one service, with the fall-backs applied (pure: no database)."""

    def pick(name: str) -> str | None:
        own = getattr(row, name, None) if row is not None else None
        return own or getattr(force, name, None) or None

    declared = str(service.unit_name) if service is not None and service.unit_name else None
    unit = (row.unit_name if row is not None and row.unit_name else None) or declared
    return ForceContact(
        id=force.id,
        name=force.name,
        name_cy=force.name_cy,
        unit_name=unit,
        postal_address=pick("postal_address"),
        phone=pick("phone"),
        email=pick("email"),
        opening_hours=pick("opening_hours"),
        processing_time=pick("processing_time"),
        places=list(row.places or []) if row is not None else [],
    )


async def setting(session: AsyncSession, force_id: str, service_slug: str) -> ForceService | None:
    return await session.get(ForceService, (force_id, service_slug))


async def contact(
    session: AsyncSession, force_id: str | None, service: Service | None
) -> ForceContact | None:
    """The force's contact for a case of this service; None if there is no such force."""
    if not force_id:
        return None
    force = await session.get(Force, force_id)
    if force is None:
        return None
    row = await setting(session, force_id, service.slug) if service is not None else None
    return resolve(force, row, service)


def takes_online(force: Force | None, row: ForceService | None) -> bool:
    return force is not None and bool(force.on_platform) and row is not None and bool(row.offered)


async def offers_online(session: AsyncSession, force_id: str, service_slug: str) -> bool:
    """Does this force receive this service's applications made online (or keyed in by staff)?"""
    force = await session.get(Force, force_id)
    return takes_online(force, await setting(session, force_id, service_slug))


async def offering(session: AsyncSession, service_slug: str) -> list[Force]:
    """The forces that take this service online, by name: those a person may choose from."""
    rows = await session.scalars(
        select(Force)
        .join(ForceService, ForceService.force_id == Force.id)
        .where(
            ForceService.service == service_slug,
            ForceService.offered.is_(True),
            Force.on_platform.is_(True),
        )
        .order_by(Force.name)
    )
    return list(rows)


async def settings_of(session: AsyncSession, force_id: str) -> dict[str, ForceService]:
    """The force's rows, keyed by service slug (a service it never chose about is missing)."""
    rows = await session.scalars(select(ForceService).where(ForceService.force_id == force_id))
    return {row.service: row for row in rows}


def row_values(row: ForceService | None) -> dict[str, Any]:
    """A row as plain values (an absent row is a service switched off with nothing published)."""
    values: dict[str, Any] = {"offered": bool(row.offered) if row is not None else False}
    for name in CONTACT_FIELDS:
        values[name] = (getattr(row, name) or "") if row is not None else ""
    values["places"] = list(row.places or []) if row is not None else []
    return values


def clean_places(lines: Iterable[str]) -> list[str]:
    """One place a line; blank lines and repeats dropped, each trimmed to a sensible length."""
    places: list[str] = []
    for line in lines:
        place = " ".join(line.split())[:PLACE_LIMIT]
        if place and place not in places:
            places.append(place)
    return places[:MAX_PLACES]


async def save(
    session: AsyncSession, force_id: str, service_slug: str, values: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Record a force's choice for one service; returns the values before and after."""
    row = await setting(session, force_id, service_slug)
    before = row_values(row)
    if row is None:
        row = ForceService(force_id=force_id, service=service_slug, offered=False, places=[])
        session.add(row)
    row.offered = bool(values.get("offered", before["offered"]))
    for name in CONTACT_FIELDS:
        if name in values:
            text = str(values[name] or "").strip()[: LIMITS[name]]
            setattr(row, name, text or None)
    if "places" in values:
        row.places = clean_places(values["places"])
    row.updated_at = utcnow()
    await session.flush()
    return before, row_values(row)


async def set_on_platform(
    session: AsyncSession, force_id: str, on: bool
) -> tuple[bool, bool] | None:
    """Put a force on or off the platform; (before, after), or None if there is no such force."""
    force = await session.get(Force, force_id)
    if force is None:
        return None
    before = bool(force.on_platform)
    force.on_platform = on
    await session.flush()
    return before, on


async def all_forces(session: AsyncSession) -> list[Force]:
    return list(await session.scalars(select(Force).order_by(Force.name)))


@dataclass(frozen=True)
class PlatformFigures:
    """What the lead force's national administrators see across the platform."""

    forces_on: int
    forces_off: int
    # Per force id: how many services it takes online (on the platform or not).
    services_offered: dict[str, int]
    # Per (force id, service slug): applications sent (everything past draft).
    sent: dict[tuple[str, str], int]

    def sent_by(self, force_id: str, service_slug: str) -> int:
        return self.sent.get((force_id, service_slug), 0)


async def platform_figures(session: AsyncSession, services: Iterable[str]) -> PlatformFigures:
    known = set(services)
    forces = await all_forces(session)
    on = sum(1 for force in forces if force.on_platform)
    offered_rows = await session.execute(
        select(ForceService.force_id, ForceService.service).where(ForceService.offered.is_(True))
    )
    offered: dict[str, int] = {}
    for force_id, slug in offered_rows.all():
        if slug in known:
            offered[force_id] = offered.get(force_id, 0) + 1
    sent_rows = await session.execute(
        select(Application.force_id, Application.service, func.count())
        .where(Application.status != "draft", Application.force_id.is_not(None))
        .group_by(Application.force_id, Application.service)
    )
    sent = {(str(force_id), str(slug)): int(count) for force_id, slug, count in sent_rows.all()}
    return PlatformFigures(on, len(forces) - on, offered, sent)
