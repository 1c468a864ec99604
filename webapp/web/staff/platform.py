"""The platform, for the lead force's national administrators: which forces are on it (they
onboard a force, or take it off), and figures across every force and service.

Only a member with the national role in the lead force (LEAD_FORCE) reaches these pages; any
other member of staff, a force administrator included, is refused (403).
"""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from webapp.security import form_handler
from webapp.services import SERVICES
from webapp.store import audit, force_services
from webapp.store.db import unit_of_work
from webapp.store.models import Force

from .common import client_ip, flash, member, redirect, render, staff_only, take_flash


def _national_only(request: Request) -> None:
    if not member(request).is_national_admin(request.app.state.settings.lead_force):
        raise HTTPException(status_code=403)


@staff_only(admin=True)
async def overview(request: Request) -> Response:
    _national_only(request)
    async with request.app.state.sessions() as session:
        forces = await force_services.all_forces(session)
        figures = await force_services.platform_figures(session, SERVICES)
    return render(
        request,
        "staff/admin_platform.html",
        {
            "forces": forces,
            "figures": figures,
            "services": list(SERVICES.values()),
            "flash": take_flash(request),
        },
    )


@form_handler
@staff_only(admin=True)
async def set_on_platform(request: Request, form: FormData) -> Response:
    _national_only(request)
    force_id = str(request.path_params["force_id"])[:64]
    choice = form.get("on_platform")
    if choice not in ("yes", "no"):
        return redirect("/staff/platform")
    async with unit_of_work(request.app.state.sessions) as session:
        changed = await force_services.set_on_platform(session, force_id, choice == "yes")
        if changed is None:
            raise HTTPException(status_code=404)
        before, after = changed
        force = await session.get(Force, force_id)
        name = force.name if force is not None else force_id
        if before != after:
            was = {"force": force_id, "on_platform": before}
            now = {"force": force_id, "on_platform": after}
            await audit.record(
                session,
                "changed force platform",
                ip=client_ip(request),
                member=member(request),
                detail=force_id,
                before=was,
                after=now,
            )
            if force_id != member(request).force_id:
                # The force's own administrators see it in their log too.
                await audit.record(
                    session,
                    "changed force platform",
                    ip=client_ip(request),
                    force_id=force_id,
                    email=member(request).email,
                    detail=force_id,
                    before=was,
                    after=now,
                )
    flash(
        request,
        f"Put {name} on the platform" if choice == "yes" else f"Took {name} off the platform",
    )
    return redirect("/staff/platform")


routes = [
    Route("/staff/platform", overview, methods=["GET"], name="staff_platform"),
    Route(
        "/staff/platform/forces/{force_id}",
        set_on_platform,
        methods=["POST"],
        name="staff_platform_force",
    ),
]
