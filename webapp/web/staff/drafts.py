"""Unfinished applications staff are working on: reopen one (a dropped call is never lost work),
open a caller's own online draft with their consent, and the staff confirmation once sent.

Every lookup goes through ``ForceCases`` for the member's force, and every step is audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from webapp.security import form_handler
from webapp.services import SERVICES
from webapp.store import audit
from webapp.store.cases import CHANNELS, ForceCases
from webapp.store.db import unit_of_work
from webapp.store.models import Application
from webapp.store.staff import StaffHelp
from webapp.uk_time import uk_datetime
from webapp.web.drafts import remember_draft

from .common import (
    application_or_404,
    client_ip,
    member,
    parse_date,
    redirect,
    render,
    staff_only,
    write_audit,
)
from .index import index_values

MAX_NAME = 200
MAX_PURPOSE = 500


def consent_rows(help_given: list[tuple[StaffHelp, str]]) -> list[dict[str, Any]]:
    """Summary-list rows for the case: each time staff opened the caller's own draft, who agreed,
    when, and to what."""
    return [
        {
            "key": {"text": "Staff help with consent"},
            "value": {
                "text": f"{record.consent_from} agreed on {uk_datetime(record.at)} to {staff_name} "
                f"opening the application to help with: {record.purpose}"
            },
        }
        for record, staff_name in help_given
    ]


def _cases(request: Request, session: Any) -> ForceCases:
    return ForceCases(session, member(request).force_id)


async def _staff_draft(request: Request) -> Application | Response:
    """The draft in the URL if staff of this force may work on it; the application's own page
    once it has been sent; 404 for anything else (another force's, or a member of the public's)."""
    application_id = int(request.path_params["id"])
    async with request.app.state.sessions() as session:
        cases = _cases(request, session)
        draft = await cases.staff_draft(application_id)
        if draft is None:
            if await cases.get(application_id) is not None:
                return redirect(f"/staff/applications/{application_id}")
            raise HTTPException(status_code=404)
    return draft


@staff_only()
async def draft_page(request: Request) -> Response:
    draft = await _staff_draft(request)
    if isinstance(draft, Response):
        return draft
    async with request.app.state.sessions() as session:
        cases = _cases(request, session)
        started_by = (await cases.started_by([draft.id])).get(draft.id, "")
        help_given = await cases.help_given(draft)
    service = SERVICES.get(draft.service)
    await write_audit(
        request, "viewed application", member=member(request), application_id=draft.id
    )
    return render(
        request,
        "staff/draft.html",
        {
            "draft": draft,
            "service": service,
            "started_by": started_by,
            "channels": CHANNELS,
            "consent_rows": consent_rows(help_given),
        },
    )


@form_handler
@staff_only()
async def draft_continue(request: Request, form: FormData) -> Response:
    draft = await _staff_draft(request)
    if isinstance(draft, Response):
        return draft
    service = SERVICES.get(draft.service)
    if service is None:
        raise HTTPException(status_code=404)
    async with unit_of_work(request.app.state.sessions) as session:
        await audit.record(
            session,
            "reopened draft",
            ip=client_ip(request),
            member=member(request),
            application_id=draft.id,
            detail=draft.reference,
        )
    await remember_draft(request, service, draft.id)
    return redirect(f"/apply/{service.slug}/tasks")


@staff_only()
async def sent(request: Request) -> Response:
    """Where staff land once they send an application for a caller: back into the office."""
    async with request.app.state.sessions() as session:
        application = await application_or_404(request, _cases(request, session))
    return render(
        request,
        "staff/sent.html",
        {"application": application, "service": SERVICES.get(application.service)},
    )


def _help_page(request: Request, values: dict[str, str], **extra: Any) -> Response:
    return render(
        request, "staff/help_caller.html", {"values": values, "field_errors": {}, **extra}
    )


@staff_only()
async def help_caller(request: Request) -> Response:
    return _help_page(request, {})


def _read_help(form: FormData) -> tuple[dict[str, str], date | None, dict[str, str]]:
    values = {
        name: str(form.get(name) or "").strip()
        for name in (
            "reference",
            "dob-day",
            "dob-month",
            "dob-year",
            "consent_from",
            "purpose",
            "consent",
        )
    }
    values["reference"] = values["reference"][:20]
    errors: dict[str, str] = {}
    if not values["reference"]:
        errors["reference"] = "Enter the reference the caller was given"
    born = parse_date(values["dob-day"], values["dob-month"], values["dob-year"])
    if born is None:
        errors["dob"] = "Enter the caller’s date of birth"
    elif isinstance(born, str):
        errors["dob"] = f"Date of birth {born}"
    if not values["consent_from"]:
        errors["consent_from"] = "Enter the name of the person who agreed"
    elif len(values["consent_from"]) > MAX_NAME:
        errors["consent_from"] = f"Name must be {MAX_NAME} characters or fewer"
    if not values["purpose"]:
        errors["purpose"] = "Enter what you are helping the caller with"
    elif len(values["purpose"]) > MAX_PURPOSE:
        errors["purpose"] = f"What you are helping with must be {MAX_PURPOSE} characters or fewer"
    if values["consent"] != "yes":
        errors["consent"] = "Confirm the caller agreed to you opening their application"
    return values, born if isinstance(born, date) else None, errors


def _summary(field_errors: dict[str, str]) -> list[dict[str, str]]:
    return [
        {"text": text, "href": "#dob-day" if name == "dob" else f"#{name}"}
        for name, text in field_errors.items()
    ]


@form_handler
@staff_only()
async def help_caller_submit(request: Request, form: FormData) -> Response:
    """Open a caller's own draft, found by the reference and date of birth they read out, with
    their consent recorded on the case (who agreed, to what, when) and in the audit log."""
    values, born, field_errors = _read_help(form)
    if field_errors:
        return _help_page(request, values, errors=_summary(field_errors), field_errors=field_errors)
    staff = member(request)
    # A miss is audited and committed too: leaving the block by return commits, as at its end.
    async with unit_of_work(request.app.state.sessions) as session:
        cases = _cases(request, session)
        draft = await cases.caller_draft(values["reference"])
        if draft is None or index_values(draft)[2] != born:
            await audit.record(
                session,
                "caller's draft not found",
                ip=client_ip(request),
                member=staff,
                detail=f"reference {values['reference']}",
            )
            message = (
                "No application in progress with your force matches that reference and date "
                "of birth. Check them with the caller"
            )
            return _help_page(
                request,
                values,
                errors=[{"text": message, "href": "#reference"}],
                field_errors={"reference": message},
            )
        await cases.record_help(draft, staff.id, values["consent_from"], values["purpose"])
        await audit.record(
            session,
            "opened caller's draft",
            ip=client_ip(request),
            member=staff,
            application_id=draft.id,
            detail=f"{draft.reference}: consent from {values['consent_from']} "
            f"to help with {values['purpose']}",
        )
    service = SERVICES.get(draft.service)
    if service is None:
        raise HTTPException(status_code=404)
    await remember_draft(request, service, draft.id)
    return redirect(f"/apply/{service.slug}/tasks")


routes = [
    Route("/staff/drafts/{id:int}", draft_page, methods=["GET"], name="staff_draft"),
    Route(
        "/staff/drafts/{id:int}/continue",
        draft_continue,
        methods=["POST"],
        name="staff_draft_continue",
    ),
    Route("/staff/applications/{id:int}/sent", sent, methods=["GET"], name="staff_sent"),
    Route("/staff/help-caller", help_caller, methods=["GET"], name="staff_help_caller"),
    Route(
        "/staff/help-caller", help_caller_submit, methods=["POST"], name="staff_help_caller_submit"
    ),
]
