"""Reference and demo data: the 43 forces, with placeholder contact details for development."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp import forces
from webapp.fees import STANDARD_VAT_PERCENT, vat_on
from webapp.services import SERVICES
from webapp.store.db import create_sync_engine
from webapp.store.models import Force, ForceService
from webapp.store.price_list import PriceItem, code_for

# The demo's mix, as data: most forces take every service online; these are not on the platform
# yet, and this one takes only the first service (the one the platform started with).
DEMO_OFF_PLATFORM = ("lincolnshire", "norfolk", "wiltshire")
DEMO_FIRST_SERVICE_ONLY = "cumbria"


def _demo_unit() -> str:
    """The unit a demo postal address names: the first service's that declares one (each force
    will publish its own contacts per service)."""
    named = (str(service.unit_name) for service in SERVICES.values() if service.unit_name)
    return next(named, "Applications")


def sync_forces(session: Session, *, demo_contacts: bool) -> int:
    """Insert forces missing from the table; never overwrite what a force has published."""
    existing = set(session.scalars(select(Force.id)))
    added = 0
    for force in forces.all_forces():
        if force.id in existing:
            continue
        row = Force(id=force.id, name=force.name, name_cy=force.name_cy, country=force.country)
        if demo_contacts:
            # Development only: real forces publish their own details through the back office.
            row.on_platform = force.id not in DEMO_OFF_PLATFORM
            row.postal_address = f"{_demo_unit()}\n{force.name}"
            row.phone = "101"
            row.opening_hours = "Monday to Friday, 9am to 5pm"
            row.processing_time = "about 12 weeks"
        session.add(row)
        added += 1
    return added


def sync_demo_services(session: Session) -> int:
    """Give each force a choice about each service it has not chosen about yet (a development
    database gains rows for a service added since it was seeded); never overwrite a choice."""
    chosen = {
        (row[0], row[1])
        for row in session.execute(select(ForceService.force_id, ForceService.service))
    }
    first = next(iter(SERVICES), None)
    added = 0
    for force_id in session.scalars(select(Force.id)):
        for slug in SERVICES:
            if (force_id, slug) in chosen:
                continue
            offered = force_id not in DEMO_OFF_PLATFORM and (
                force_id != DEMO_FIRST_SERVICE_ONLY or slug == first
            )
            session.add(ForceService(force_id=force_id, service=slug, offered=offered, places=[]))
            added += 1
    return added


def sync_demo_prices(session: Session) -> int:
    """Give each force on the platform the example prices of each service that charges from a
    price list, where its list for that service is still empty (never overwrite a force's own)."""
    added = 0
    listed = {
        (row[0], row[1]) for row in session.execute(select(PriceItem.force_id, PriceItem.service))
    }
    for force_id in session.scalars(select(Force.id).where(Force.on_platform.is_(True))):
        for slug, service in SERVICES.items():
            if service.price_list is None or (force_id, slug) in listed:
                continue
            taken: set[str] = set()
            for example in service.price_list.examples:
                code = code_for(example.name, taken)
                taken.add(code)
                percent = STANDARD_VAT_PERCENT if example.standard_vat else 0
                session.add(
                    PriceItem(
                        force_id=force_id,
                        service=slug,
                        code=code,
                        name=example.name,
                        net_pence=example.net_pence,
                        vat_pence=vat_on(example.net_pence, percent),
                        offered=True,
                    )
                )
                added += 1
    return added


def seed_demo(database_url: str) -> None:
    engine = create_sync_engine(database_url)
    with Session(engine) as session, session.begin():
        added = sync_forces(session, demo_contacts=True)
    with Session(engine) as session, session.begin():
        sync_demo_services(session)
        sync_demo_prices(session)
    with Session(engine) as session, session.begin():
        from webapp.staff_setup import seed_demo_admin  # needs the forces committed above

        demo_admin = seed_demo_admin(session)
    engine.dispose()
    print(
        f"seed-demo: {added} forces added"
        + (", demo force administrator added (see README)" if demo_admin else "")
    )
