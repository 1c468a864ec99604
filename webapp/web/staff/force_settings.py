"""A force administrator's own force's services: which it takes online, and who deals with each
(unit, address, phone, email, opening hours, processing time, places to go in person).

The force is always the signed-in administrator's own: no URL names a force, so another force's
settings cannot be reached from here. Every change is audited with the values before and after.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from webapp.engine.schema import Service
from webapp.security import form_handler
from webapp.services import SERVICES
from webapp.store import audit, force_services
from webapp.store.db import unit_of_work
from webapp.store.models import Force

from .common import client_ip, flash, member, redirect, render, staff_only, take_flash

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LABELS = {
    "unit_name": "Unit name",
    "postal_address": "Postal address",
    "phone": "Telephone",
    "email": "Email address",
    "opening_hours": "Opening hours",
    "processing_time": "Published processing time",
}


def _service(request: Request) -> Service:
    service = SERVICES.get(request.path_params["service"])
    if service is None:
        raise HTTPException(status_code=404)
    return service


@staff_only(admin=True)
async def services_page(request: Request) -> Response:
    force_id = member(request).force_id
    async with request.app.state.sessions() as session:
        force = await session.get(Force, force_id)
        rows = await force_services.settings_of(session, force_id)
    if force is None:
        raise HTTPException(status_code=404)
    offers = [
        {
            "service": service,
            "own": force_services.row_values(rows.get(slug)),
            "contact": force_services.resolve(force, rows.get(slug), service),
        }
        for slug, service in SERVICES.items()
    ]
    return render(
        request,
        "staff/admin_services.html",
        {
            "own_force": force,
            "offers": offers,
            "labels": LABELS,
            "flash": take_flash(request),
        },
    )


def _edit_page(
    request: Request,
    service: Service,
    force: Force,
    values: dict[str, Any],
    status_code: int = 200,
    **extra: Any,
) -> Response:
    return render(
        request,
        "staff/admin_service_edit.html",
        {
            "service": service,
            "own_force": force,
            "values": values,
            "labels": LABELS,
            "places_text": "\n".join(values.get("places") or []),
            **extra,
        },
        status_code=status_code,
    )


@staff_only(admin=True)
async def edit_page(request: Request) -> Response:
    service = _service(request)
    force_id = member(request).force_id
    async with request.app.state.sessions() as session:
        force = await session.get(Force, force_id)
        row = await force_services.setting(session, force_id, service.slug)
    if force is None:
        raise HTTPException(status_code=404)
    return _edit_page(request, service, force, force_services.row_values(row))


def _read(form: FormData) -> tuple[dict[str, Any], dict[str, str]]:
    """The submitted values, and what is wrong with them (field id: message)."""
    offered = form.get("offered")
    values: dict[str, Any] = {
        name: str(form.get(name) or "").strip() for name in force_services.CONTACT_FIELDS
    }
    values["offered"] = offered == "yes"
    values["places"] = force_services.clean_places(str(form.get("places") or "").splitlines())
    problems: dict[str, str] = {}
    if offered not in ("yes", "no"):
        problems["offered"] = "Select whether your force takes this service online"
    for name, limit in force_services.LIMITS.items():
        if len(values[name]) > limit:
            problems[name] = f"{LABELS[name]} must be {limit} characters or fewer"
    if values["email"] and not _EMAIL.match(values["email"]) and "email" not in problems:
        problems["email"] = "Enter an email address in the correct format, like name@example.com"
    return values, problems


@form_handler
@staff_only(admin=True)
async def edit_submit(request: Request, form: FormData) -> Response:
    service = _service(request)
    force_id = member(request).force_id
    values, problems = _read(form)
    if problems:
        async with request.app.state.sessions() as session:
            force = await session.get(Force, force_id)
        if force is None:
            raise HTTPException(status_code=404)
        errors = [{"text": text, "href": f"#{name}"} for name, text in problems.items()]
        shown = {**values, "offered": form.get("offered")}
        return _edit_page(request, service, force, shown, errors=errors, field_errors=problems)
    async with unit_of_work(request.app.state.sessions) as session:
        before, after = await force_services.save(session, force_id, service.slug, values)
        was, now = audit.changed(before, after)
        if now:
            await audit.record(
                session,
                "changed force service",
                ip=client_ip(request),
                member=member(request),
                detail=str(service.title),
                before=was,
                after=now,
            )
    flash(
        request,
        f"Saved the settings for {service.title}"
        if now
        else f"Nothing changed for {service.title}",
    )
    return redirect("/staff/admin/services")


routes = [
    Route("/staff/admin/services", services_page, methods=["GET"], name="staff_admin_services"),
    Route(
        "/staff/admin/services/{service}", edit_page, methods=["GET"], name="staff_admin_service"
    ),
    Route(
        "/staff/admin/services/{service}",
        edit_submit,
        methods=["POST"],
        name="staff_admin_service_submit",
    ),
]
