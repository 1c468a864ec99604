"""Apply on a caller's behalf, or key in a paper form, through the public journey itself.

Staff get the same pages and the same service definition as the public: this module only
creates the draft (for the member's force, marked ``assisted`` or ``paper``, with who made it),
puts it in this browser's session as the public journey does, and sends them to its task list.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from webapp.engine.schema import Service
from webapp.scans import ScanError, clean_scan
from webapp.security import form_handler
from webapp.services import SERVICES
from webapp.store import audit, drafts, force_services
from webapp.store.cases import PAPER_SCAN, record_origin
from webapp.store.db import unit_of_work
from webapp.uk_time import uk_today
from webapp.web.drafts import remember_draft
from webapp.workers import run_in_worker

from .common import client_ip, member, parse_date, redirect, render, staff_only


def _service(request: Request) -> Service:
    service = SERVICES.get(request.path_params["service"])
    if service is None:
        raise HTTPException(status_code=404)
    return service


def _page(request: Request, service: Service, status_code: int = 200, **extra: Any) -> Response:
    return render(
        request,
        "staff/apply.html",
        {"service": service, "values": {}, **extra},
        status_code=status_code,
    )


async def _switched_off(request: Request, service: Service) -> Response | None:
    """The page saying the member's force does not take this service, if it does not: staff
    never start an application their force will not receive."""
    async with request.app.state.sessions() as session:
        if await force_services.offers_online(session, member(request).force_id, service.slug):
            return None
    return render(request, "staff/apply_switched_off.html", {"service": service}, status_code=403)


@staff_only()
async def start(request: Request) -> Response:
    service = _service(request)
    return await _switched_off(request, service) or _page(request, service)


async def _create(
    request: Request,
    service: Service,
    channel: str,
    received_on: date | None,
    scan: tuple[bytes, str, str] | None,
) -> Response:
    refused = await _switched_off(request, service)
    if refused is not None:
        return refused
    staff = member(request)
    async with unit_of_work(request.app.state.sessions) as session:
        # The draft, its origin, its audit and its scan: committed together.
        draft = await drafts.create_draft(
            session, service=service.slug, force_id=staff.force_id, channel=channel
        )
        await record_origin(session, draft.id, staff.id, received_on)
        action = (
            "started phone application" if channel == "assisted" else "started paper application"
        )
        await audit.record(
            session,
            action,
            ip=client_ip(request),
            member=staff,
            application_id=draft.id,
            detail=f"{draft.reference}" + (f", received {received_on}" if received_on else ""),
        )
        if scan is not None:
            data, content_type, filename = scan
            await drafts.save_upload(
                session,
                draft.id,
                question_id=PAPER_SCAN,
                content_type=content_type,
                filename=filename,
                data=data,
            )
    await remember_draft(request, service, draft.id)
    return redirect(f"/apply/{service.slug}/tasks")


@form_handler
@staff_only()
async def phone(request: Request, form: FormData) -> Response:
    return await _create(request, _service(request), "assisted", None, None)


@form_handler
@staff_only()
async def paper(request: Request, form: FormData) -> Response:
    service = _service(request)
    errors: list[dict[str, str]] = []
    field_errors: dict[str, str] = {}
    received = parse_date(
        form.get("received-day"), form.get("received-month"), form.get("received-year")
    )
    if received is None:
        field_errors["received"] = "Enter the date the paper form was received"
    elif isinstance(received, str):
        field_errors["received"] = f"Date received {received}"
    elif received > uk_today():
        field_errors["received"] = "Date received must be today or in the past"
    upload = form.get("scan")
    scan = None
    if not isinstance(upload, UploadFile) or not upload.filename:
        field_errors["scan"] = "Select the scan of the signed paper form"
    else:
        try:
            clean = await run_in_worker(clean_scan, await upload.read())
            scan = (clean.data, clean.content_type, (upload.filename or "scan")[:200])
        except ScanError as exc:
            field_errors["scan"] = str(exc)
    for name, message in field_errors.items():
        errors.append(
            {"text": message, "href": f"#{name}-day" if name == "received" else f"#{name}"}
        )
    if errors or not isinstance(received, date):
        # Kept as typed (to the 20 characters a date box keeps everywhere), so that a mistyped
        # date is seen and corrected, not silently cut to something else.
        values = {
            part: str(form.get(f"received-{part}") or "")[:20] for part in ("day", "month", "year")
        }
        return _page(request, service, errors=errors, field_errors=field_errors, values=values)
    return await _create(request, service, "paper", received, scan)


routes = [
    Route("/staff/apply/{service}", start, methods=["GET"], name="staff_apply"),
    Route("/staff/apply/{service}/phone", phone, methods=["POST"], name="staff_apply_phone"),
    Route("/staff/apply/{service}/paper", paper, methods=["POST"], name="staff_apply_paper"),
]
