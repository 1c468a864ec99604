"""Force administrators: their force's staff accounts, and its audit log (read only)."""

from __future__ import annotations

import re
from typing import Any

import anyio
from sqlalchemy.exc import IntegrityError
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from webapp import auth as credentials
from webapp.security import form_handler
from webapp.store import audit
from webapp.store import staff as accounts

from .common import client_ip, flash, member, redirect, render, staff_only, take_flash

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


async def _accounts_page(request: Request, status_code: int = 200, **extra: Any) -> Response:
    async with request.app.state.sessions() as session:
        people = await accounts.members_of(session, member(request).force_id)
    return render(request, "staff/admin_staff.html", {
        "people": people, "roles": accounts.ROLE_NAMES, "values": {}, "flash": take_flash(request),
        **extra,
    }, status_code=status_code)


@staff_only(admin=True)
async def staff_list(request: Request) -> Response:
    return await _accounts_page(request)


@form_handler
@staff_only(admin=True)
async def staff_create(request: Request, form: FormData) -> Response:
    values = {
        "name": str(form.get("name") or "").strip()[:200],
        "email": accounts.normalise_email(str(form.get("email") or ""))[:254],
        "role": str(form.get("role") or ""),
    }
    password = str(form.get("password") or "")
    field_errors: dict[str, str] = {}
    if not values["name"]:
        field_errors["name"] = "Enter their full name"
    if not _EMAIL.match(values["email"]):
        field_errors["email"] = "Enter an email address in the correct format, like name@example.com"
    if values["role"] not in accounts.ROLES:
        field_errors["role"] = "Select a role"
    problem = credentials.password_problem(password, email=values["email"])
    if problem:
        field_errors["password"] = problem
    if not field_errors:
        password_hash = await anyio.to_thread.run_sync(credentials.hash_password, password)
        async with request.app.state.sessions() as session:
            try:
                created = await accounts.create_member(
                    session, force_id=member(request).force_id, email=values["email"],
                    password_hash=password_hash, role=values["role"], name=values["name"],
                    totp_secret=credentials.new_totp_secret(),
                )
                await audit.record(session, "created staff", ip=client_ip(request), member=member(request),
                                   detail=f"{created.email} ({accounts.ROLE_NAMES[created.role]})")
                await session.commit()
            except IntegrityError:
                await session.rollback()
                field_errors["email"] = "An account with this email address already exists"
    if field_errors:
        errors = [{"text": text, "href": f"#{name}"} for name, text in field_errors.items()]
        return await _accounts_page(request, errors=errors, field_errors=field_errors, values=values)
    flash(request, f"Account created for {values['email']}. They set up their authenticator app "
                   "when they first sign in.")
    return redirect("/staff/admin/staff")


async def _change(request: Request, action: str) -> Response:
    staff_id = int(request.path_params["staff_id"])
    async with request.app.state.sessions() as session:
        person = await accounts.member_of(session, member(request).force_id, staff_id)
        if person is None:
            raise HTTPException(status_code=404)
        if action == "unlocked staff":
            await accounts.clear_failures(session, person)
        elif person.id == member(request).id:
            flash(request, "You cannot deactivate your own account")
            return redirect("/staff/admin/staff")
        else:
            person.active = False
            await accounts.close_all_sessions(session, person.id)
        await audit.record(session, action, ip=client_ip(request), member=member(request),
                           detail=person.email)
        await session.commit()
    flash(request, f"{'Unlocked' if action == 'unlocked staff' else 'Deactivated'} {person.email}")
    return redirect("/staff/admin/staff")


@form_handler
@staff_only(admin=True)
async def staff_unlock(request: Request, form: FormData) -> Response:
    return await _change(request, "unlocked staff")


@form_handler
@staff_only(admin=True)
async def staff_deactivate(request: Request, form: FormData) -> Response:
    return await _change(request, "deactivated staff")


@staff_only(admin=True)
async def audit_log(request: Request) -> Response:
    try:
        page = int(request.query_params.get("page") or 1)
    except ValueError:
        page = 1
    async with request.app.state.sessions() as session:
        found = await audit.events_for_force(session, member(request).force_id, page=page)
    return render(request, "staff/audit.html", {"log": found, "actions": audit.ACTIONS})


routes = [
    Route("/staff/admin/staff", staff_list, methods=["GET"], name="staff_admin_staff"),
    Route("/staff/admin/staff", staff_create, methods=["POST"], name="staff_admin_create"),
    Route("/staff/admin/staff/{staff_id:int}/unlock", staff_unlock, methods=["POST"],
          name="staff_admin_unlock"),
    Route("/staff/admin/staff/{staff_id:int}/deactivate", staff_deactivate, methods=["POST"],
          name="staff_admin_deactivate"),
    Route("/staff/admin/audit", audit_log, methods=["GET"], name="staff_admin_audit"),
]
