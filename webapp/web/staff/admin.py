"""Force administrators: their force's staff accounts (create, disable, re-enable, reset the
password or the authenticator app), and its audit log (read only). Every change to an account
is audited with the values it changed, before and after."""

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
from webapp.numbers import page_number
from webapp.security import form_handler
from webapp.store import audit
from webapp.store import resume as attempts
from webapp.store import staff as accounts
from webapp.store.db import unit_of_work

from .auth import account_tag
from .common import client_ip, flash, member, redirect, render, staff_only, take_flash

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _roles_for(request: Request) -> dict[str, str]:
    """The roles this administrator may give: the national role only by a national administrator."""
    lead = request.app.state.settings.lead_force
    national = member(request).is_national_admin(lead)
    return {
        role: name
        for role, name in accounts.ROLE_NAMES.items()
        if role != accounts.NATIONAL_ROLE or national
    }


# Accounts listed a page at a time: a large force's list stays short to read and to tab through.
ACCOUNTS_PER_PAGE = 25


async def _accounts_page(request: Request, status_code: int = 200, **extra: Any) -> Response:
    async with request.app.state.sessions() as session:
        people = await accounts.members_of(session, member(request).force_id)
    pages = max(1, -(-len(people) // ACCOUNTS_PER_PAGE))
    page = min(page_number(request.query_params.get("page")), pages)
    shown = people[(page - 1) * ACCOUNTS_PER_PAGE : page * ACCOUNTS_PER_PAGE]
    return render(
        request,
        "staff/admin_staff.html",
        {
            "people": shown,
            "page": page,
            "pages": pages,
            "total": len(people),
            "roles": _roles_for(request),
            "values": {},
            "flash": take_flash(request),
            **extra,
        },
        status_code=status_code,
    )


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
        field_errors["email"] = (
            "Enter an email address in the correct format, like name@example.com"
        )
    if values["role"] not in _roles_for(request):
        field_errors["role"] = "Select a role"
    problem = credentials.password_problem(password, email=values["email"])
    if problem:
        field_errors["password"] = problem
    if not field_errors:
        password_hash = await anyio.to_thread.run_sync(credentials.hash_password, password)
        async with request.app.state.sessions() as session:
            try:
                created = await accounts.create_member(
                    session,
                    force_id=member(request).force_id,
                    email=values["email"],
                    password_hash=password_hash,
                    role=values["role"],
                    name=values["name"],
                    totp_secret=credentials.new_totp_secret(),
                )
                await audit.record(
                    session,
                    "created staff",
                    ip=client_ip(request),
                    member=member(request),
                    detail=f"{created.email} ({accounts.ROLE_NAMES[created.role]})",
                    before={},
                    after=accounts.account_state(created),
                )
                await session.commit()
            except IntegrityError:
                await session.rollback()
                field_errors["email"] = "An account with this email address already exists"
    if field_errors:
        errors = [{"text": text, "href": f"#{name}"} for name, text in field_errors.items()]
        return await _accounts_page(
            request, errors=errors, field_errors=field_errors, values=values
        )
    flash(
        request,
        f"Account created for {values['email']}. They set up their authenticator app "
        "when they first sign in.",
    )
    return redirect("/staff/admin/staff")


async def _change(request: Request, action: str) -> Response:
    async with request.app.state.sessions() as session:
        person = await _own_member(session, request)
        before = accounts.account_state(person)
        if action == "unlocked staff":
            await accounts.clear_failures(session, person)
            # Every client's wait at this account ends.
            await attempts.forget_failures(session, account_tag(person.email) + ":")
            await session.refresh(person)
        elif person.id == member(request).id:
            flash(request, "You cannot deactivate your own account")
            return redirect("/staff/admin/staff")
        else:
            await accounts.set_active(session, person, False)
        was, now = audit.changed(before, accounts.account_state(person))
        await audit.record(
            session,
            action,
            ip=client_ip(request),
            member=member(request),
            detail=person.email,
            before=was,
            after=now,
        )
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


async def _own_member(session: Any, request: Request) -> accounts.StaffMember:
    """A member of the administrator's own force named in the URL; another force's is a 404.
    Only a national administrator changes a national administrator's account (403)."""
    person = await accounts.member_of(
        session, member(request).force_id, int(request.path_params["staff_id"])
    )
    if person is None:
        raise HTTPException(status_code=404)
    if person.role == accounts.NATIONAL_ROLE and not member(request).is_national_admin(
        request.app.state.settings.lead_force
    ):
        raise HTTPException(status_code=403)
    return person


async def _audited_change(
    request: Request,
    person: accounts.StaffMember,
    action: str,
    before: dict[str, Any],
    session: Any,
) -> None:
    was, now = audit.changed(before, accounts.account_state(person))
    await audit.record(
        session,
        action,
        ip=client_ip(request),
        member=member(request),
        detail=person.email,
        before=was,
        after=now,
    )


@form_handler
@staff_only(admin=True)
async def staff_reactivate(request: Request, form: FormData) -> Response:
    async with unit_of_work(request.app.state.sessions) as session:
        person = await _own_member(session, request)
        before = accounts.account_state(person)
        await accounts.set_active(session, person, True)
        await _audited_change(request, person, "reactivated staff", before, session)
    flash(
        request,
        f"Re-enabled {person.email}. They sign in with their own password and authenticator app.",
    )
    return redirect("/staff/admin/staff")


@form_handler
@staff_only(admin=True)
async def staff_reset_authenticator(request: Request, form: FormData) -> Response:
    async with unit_of_work(request.app.state.sessions) as session:
        person = await _own_member(session, request)
        if person.id == member(request).id:
            flash(request, "You cannot reset your own authenticator app: ask another administrator")
            return redirect("/staff/admin/staff")
        before = accounts.account_state(person)
        await accounts.reset_authenticator(session, person, credentials.new_totp_secret())
        await _audited_change(request, person, "reset staff authenticator", before, session)
    flash(
        request,
        f"Reset the authenticator app for {person.email}. They set it up again "
        "when they next sign in.",
    )
    return redirect("/staff/admin/staff")


def _reset_page(
    request: Request, person: accounts.StaffMember, status_code: int = 200, **extra: Any
) -> Response:
    return render(
        request,
        "staff/admin_reset_password.html",
        {"person": person, **extra},
        status_code=status_code,
    )


@staff_only(admin=True)
async def staff_reset_password_page(request: Request) -> Response:
    async with request.app.state.sessions() as session:
        person = await _own_member(session, request)
    if person.id == member(request).id:
        raise HTTPException(status_code=404)
    return _reset_page(request, person)


@form_handler
@staff_only(admin=True)
async def staff_reset_password(request: Request, form: FormData) -> Response:
    async with request.app.state.sessions() as session:
        person = await _own_member(session, request)
    if person.id == member(request).id:
        raise HTTPException(status_code=404)
    password = str(form.get("password") or "")
    problem = credentials.password_problem(password, email=person.email)
    if problem:
        return _reset_page(
            request, person, error=problem, errors=[{"text": problem, "href": "#password"}]
        )
    password_hash = await anyio.to_thread.run_sync(credentials.hash_password, password)
    async with unit_of_work(request.app.state.sessions) as session:
        person = await _own_member(session, request)
        before = accounts.account_state(person)
        await accounts.reset_password(session, person, password_hash)
        await _audited_change(request, person, "reset staff password", before, session)
    flash(
        request,
        f"Reset the password for {person.email}. Give them the one-time password in person "
        "or by phone: they choose their own when they next sign in.",
    )
    return redirect("/staff/admin/staff")


@staff_only(admin=True)
async def audit_log(request: Request) -> Response:
    page = page_number(request.query_params.get("page"))
    async with request.app.state.sessions() as session:
        found = await audit.events_for_force(session, member(request).force_id, page=page)
    return render(request, "staff/audit.html", {"log": found, "actions": audit.ACTIONS})


routes = [
    Route("/staff/admin/staff", staff_list, methods=["GET"], name="staff_admin_staff"),
    Route("/staff/admin/staff", staff_create, methods=["POST"], name="staff_admin_create"),
    Route(
        "/staff/admin/staff/{staff_id:int}/unlock",
        staff_unlock,
        methods=["POST"],
        name="staff_admin_unlock",
    ),
    Route(
        "/staff/admin/staff/{staff_id:int}/deactivate",
        staff_deactivate,
        methods=["POST"],
        name="staff_admin_deactivate",
    ),
    Route(
        "/staff/admin/staff/{staff_id:int}/reactivate",
        staff_reactivate,
        methods=["POST"],
        name="staff_admin_reactivate",
    ),
    Route(
        "/staff/admin/staff/{staff_id:int}/reset-authenticator",
        staff_reset_authenticator,
        methods=["POST"],
        name="staff_admin_reset_authenticator",
    ),
    Route(
        "/staff/admin/staff/{staff_id:int}/reset-password",
        staff_reset_password_page,
        methods=["GET"],
        name="staff_admin_reset_password",
    ),
    Route(
        "/staff/admin/staff/{staff_id:int}/reset-password",
        staff_reset_password,
        methods=["POST"],
        name="staff_admin_reset_password_submit",
    ),
    Route("/staff/admin/audit", audit_log, methods=["GET"], name="staff_admin_audit"),
]
