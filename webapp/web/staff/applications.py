"""The back office for a force's applications: dashboard, search, one application (answers,
photo, history, PDF, scan, letter) and the case status workflow. Every lookup goes through
``ForceCases`` for the signed-in member's force, so another force's application is a 404."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from starlette.background import BackgroundTask
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from webapp import engine, numbers
from webapp.engine.fields.base import clean_text
from webapp.engine.workflow import Move, Workflow, staff_names, tag_classes
from webapp.forces import normalise_postcode
from webapp.notify import deliver_after_request, queue_confirmation
from webapp.pdf.stored import application_pdf
from webapp.security import form_handler
from webapp.services import SERVICES
from webapp.store import audit, drafts, force_services, ledger
from webapp.store import staff as accounts
from webapp.store.cases import CHANNELS, PAPER_SCAN, ForceCases, SearchFilters
from webapp.store.db import unit_of_work
from webapp.store.models import Application
from webapp.web.documents import pdf_response
from webapp.web.drafts import applicant_email

from . import refunds
from .applicant import full_name, greeting, heading_line
from .common import (
    application_or_404,
    client_ip,
    flash,
    member,
    parse_date,
    redirect,
    render,
    staff_only,
    take_flash,
    write_audit,
)
from .drafts import consent_rows
from .index import index_values
from .journey import WORDING

MAX_NOTE = 2000


def _cases(request: Request, session: Any) -> ForceCases:
    return ForceCases(session, member(request).force_id)


def _service(application: Application) -> Any:
    service = SERVICES.get(application.service)
    if service is None:
        raise HTTPException(status_code=404)
    return service


def _workflows() -> list[Workflow]:
    return [service.workflow for service in SERVICES.values() if service.workflow is not None]


def _status_context() -> dict[str, Any]:
    """Every state of every service, for lists across services, and their tag colours."""
    workflows = _workflows()
    return {"statuses": staff_names(workflows), "status_tags": tag_classes(workflows)}


def _moves(application: Application, staff: accounts.StaffMember) -> list[Move]:
    """The moves this member may make on this case now, as its service declares them."""
    workflow = _service(application).workflow
    return workflow.moves_from(application.status, staff.role) if workflow else []


@staff_only()
async def dashboard(request: Request) -> Response:
    async with request.app.state.sessions() as session:
        cases = _cases(request, session)
        statuses = _status_context()
        by_status = await cases.counts_by_status(statuses["statuses"])
        by_week = await cases.counts_by_week()
        in_progress = await cases.staff_drafts()
        force = await drafts.get_force(session, member(request).force_id)
    peak = max([count for _, count in by_week] + [1])
    return render(
        request,
        "staff/dashboard.html",
        {
            "by_status": by_status,
            **statuses,
            "by_week": by_week,
            "peak": peak,
            "force_row": force,
            "services": list(SERVICES.values()),
            "flash": take_flash(request),
            "in_progress": in_progress,
            "channels": CHANNELS,
        },
    )


def _filters(request: Request) -> tuple[SearchFilters, list[dict[str, str]], dict[str, Any]]:
    query = request.query_params
    errors: list[dict[str, str]] = []
    field_errors: dict[str, str] = {}
    dates: dict[str, date | None] = {}
    for name, label in (("dob", "Date of birth"), ("from", "Sent from"), ("to", "Sent to")):
        value = parse_date(
            query.get(f"{name}-day"), query.get(f"{name}-month"), query.get(f"{name}-year")
        )
        if isinstance(value, str):
            field_errors[name] = f"{label} {value}"
            errors.append({"text": field_errors[name], "href": f"#{name}-day"})
            value = None
        dates[name] = value
    postcode = (query.get("postcode") or "").strip()[:10]
    if postcode and normalise_postcode(postcode) is None:
        field_errors["postcode"] = "Enter a real postcode"
        errors.append({"text": "Enter a real postcode", "href": "#postcode"})
        postcode = ""
    status = query.get("status") or ""
    channel = query.get("channel") or ""
    filters = SearchFilters(
        # Without control characters (PostgreSQL refuses NUL in a query: that was a 500).
        reference=clean_text(query.get("reference"), limit=20),
        surname=clean_text(query.get("surname"), limit=200),
        postcode=postcode,
        date_of_birth=dates["dob"],
        status=status if status in staff_names(_workflows()) else "",
        channel=channel if channel in CHANNELS else "",
        sent_from=dates["from"],
        sent_to=dates["to"],
    )
    return filters, errors, field_errors


@staff_only()
async def search(request: Request) -> Response:
    filters, errors, field_errors = _filters(request)
    page_number = numbers.page_number(request.query_params.get("page"))
    results = None
    if not errors:
        # The index brought up to date and the search's audit row: written together, or neither.
        async with unit_of_work(request.app.state.sessions) as session:
            cases = _cases(request, session)
            await cases.refresh_index(index_values)
            results = await cases.search(filters, page=page_number)
            if filters.used():
                detail = ", ".join(
                    f"{name}={value}" for name, value in sorted(filters.used().items())
                )
                await audit.record(
                    session,
                    "searched",
                    ip=client_ip(request),
                    member=member(request),
                    detail=detail,
                )
    kept = {key: value for key, value in request.query_params.multi_items() if key != "page"}
    return render(
        request,
        "staff/search.html",
        {
            "query": request.query_params,
            "results": results,
            "errors": errors or None,
            "field_errors": field_errors,
            **_status_context(),
            "channels": CHANNELS,
            "page_url": lambda number: "/staff/applications?" + urlencode({**kept, "page": number}),
        },
    )


@staff_only()
async def by_reference(request: Request) -> Response:
    async with request.app.state.sessions() as session:
        application = await _cases(request, session).by_reference(request.path_params["reference"])
    if application is None:
        raise HTTPException(status_code=404)
    return redirect(f"/staff/applications/{application.id}")


async def _photo_question(application: Application) -> str | None:
    """The uploaded photo's question, if the application (in its channel) still asks it: a photo
    uploaded before staff chose 'photos to follow by post' is not the applicant's photo."""
    service = _service(application)
    shown = {
        row.question_id
        for section in engine.check_answers(
            service, application.answers, channel=application.channel
        )
        for card in section.cards
        for row in card.rows
    }
    for question in service.all_questions():
        if (
            question.field.is_photo
            and question.id in shown
            and application.answers.get(question.id)
        ):
            return str(question.id)
    return None


@dataclass(frozen=True)
class PostedItem:
    """Something the applicant sends by post, as the case page shows it."""

    id: str
    name: str
    received_at: datetime | None = None
    received_by: str | None = None


async def _by_post(cases: ForceCases, service: Any, application: Application) -> list[PostedItem]:
    awaited = engine.awaited_by_post(service, application.answers, channel=application.channel)
    if not awaited:
        return []
    received = await cases.received_by_post(application)
    items = []
    for item in awaited:
        row, by = received.get(item.id, (None, None))
        items.append(PostedItem(item.id, str(item.name), row.at if row else None, by))
    return items


@staff_only()
async def view(request: Request) -> Response:
    async with request.app.state.sessions() as session:
        cases = _cases(request, session)
        application = await application_or_404(request, cases)
        origin = await cases.origin(application)
        history = await cases.history(application)
        help_given = await cases.help_given(application)
        scan = await cases.upload(application, PAPER_SCAN)
        keyed_by = (
            await accounts.member_of(session, member(request).force_id, origin.created_by_staff_id)
            if origin
            else None
        )
        service = _service(application)
        by_post = await _by_post(cases, service, application)
        payment = await refunds.case_context(request, session, application)
    await write_audit(
        request, "viewed application", member=member(request), application_id=application.id
    )
    answers, channel = application.answers, application.channel
    # The service asks for an email address but this applicant gave none: letters go by post.
    no_email = (
        engine.expects_email(service)
        and engine.contact_email(service, answers, channel=channel) is None
    )
    return render(
        request,
        "staff/application.html",
        {
            "application": application,
            "service": service,
            "origin": origin,
            "history": history,
            "keyed_by": keyed_by,
            "scan": scan,
            **_status_context(),
            "channels": CHANNELS,
            "declaration": WORDING.get(application.channel) if origin else None,
            "no_email": no_email,
            "by_post": by_post,
            "summary": engine.check_answers(service, answers, channel=channel),
            "applicant": heading_line(service, application.answers),
            "consent_rows": consent_rows(help_given),
            "has_photo": await _photo_question(application) is not None,
            "can_move": bool(_moves(application, member(request))),
            "flash": take_flash(request),
            **payment,
        },
    )


@staff_only()
async def download_pdf(request: Request) -> Response:
    async with request.app.state.sessions() as session:
        application = await application_or_404(request, _cases(request, session))
    data = await application_pdf(request.app.state.sessions, _service(application), application)
    await write_audit(
        request, "downloaded pdf", member=member(request), application_id=application.id
    )
    return pdf_response(data, f"{application.reference}.pdf", personal=True)


@staff_only()
async def photo(request: Request) -> Response:
    async with request.app.state.sessions() as session:
        cases = _cases(request, session)
        application = await application_or_404(request, cases)
        question_id = await _photo_question(application)
        upload = await cases.upload(application, question_id) if question_id else None
    if upload is None:
        raise HTTPException(status_code=404)
    await write_audit(
        request, "viewed photo", member=member(request), application_id=application.id
    )
    return Response(
        upload.data, media_type=upload.content_type, headers={"Cache-Control": "no-store"}
    )


@staff_only()
async def scan(request: Request) -> Response:
    async with request.app.state.sessions() as session:
        cases = _cases(request, session)
        application = await application_or_404(request, cases)
        upload = await cases.upload(application, PAPER_SCAN)
    if upload is None:
        raise HTTPException(status_code=404)
    await write_audit(
        request, "downloaded scan", member=member(request), application_id=application.id
    )
    extension = {"application/pdf": "pdf", "image/png": "png"}.get(upload.content_type, "jpg")
    return Response(
        upload.data,
        media_type=upload.content_type,
        headers={
            "Cache-Control": "no-store",
            "Content-Disposition": f'attachment; filename="{application.reference}-paper-form.{extension}"',
        },
    )


@staff_only()
async def letter(request: Request) -> Response:
    """A confirmation letter to print and post to the applicant."""
    async with request.app.state.sessions() as session:
        application = await application_or_404(request, _cases(request, session))
        service = _service(application)
        force = await force_services.contact(session, application.force_id, service)
    await write_audit(
        request, "printed letter", member=member(request), application_id=application.id
    )
    return render(
        request,
        "staff/letter.html",
        {
            "application": application,
            "service": service,
            "force_row": force,
            "name": full_name(service, application.answers),
            "greeting": greeting(service, application.answers),
            "address": application.answers.get("home_address") or {},
        },
    )


@form_handler
@staff_only()
async def received_submit(request: Request, form: FormData) -> Response:
    """Record that something the applicant sends by post (photos to follow) has arrived."""
    wanted = str(form.get("item") or "")
    async with unit_of_work(request.app.state.sessions) as session:
        cases = _cases(request, session)
        application = await application_or_404(request, cases)
        service = _service(application)
        item = next(
            (
                item
                for item in engine.awaited_by_post(
                    service, application.answers, channel=application.channel
                )
                if item.id == wanted
            ),
            None,
        )
        case_url, reference = f"/staff/applications/{application.id}", application.reference
        if item is None:  # nothing of that name is awaited: the page shows what is
            return redirect(case_url)
        if not await cases.record_received(application, item.id, member(request).id):
            flash(request, f"{item.name}: already recorded as received")
            return redirect(case_url)
        await audit.record(
            session,
            "recorded received by post",
            ip=client_ip(request),
            member=member(request),
            application_id=application.id,
            detail=f"{reference}: {item.name}",
        )
    flash(request, f"{item.name} recorded as received")
    return redirect(case_url)


@form_handler
@staff_only()
async def send_confirmation(request: Request, form: FormData) -> Response:
    """(Re)send the confirmation email, for a caller staff helped or one who lost theirs."""
    async with unit_of_work(request.app.state.sessions) as session:
        application = await application_or_404(request, _cases(request, session))
        email = applicant_email(_service(application), application)
        if application.status == "draft" or email is None:
            flash(
                request,
                "There is no email address on this application: send the confirmation letter instead",
            )
            return redirect(f"/staff/applications/{application.id}")
        queue_confirmation(session, application, email, "en")
        await audit.record(
            session,
            "sent confirmation email",
            ip=client_ip(request),
            member=member(request),
            application_id=application.id,
        )  # the append-only log keeps no address
    flash(request, f"Confirmation email sent to {email}")
    response = redirect(f"/staff/applications/{application.id}")
    response.background = BackgroundTask(deliver_after_request, request.app)
    return response


def _status_page(request: Request, application: Application, **extra: Any) -> Response:
    workflow = _service(application).workflow
    moves = _moves(application, member(request))
    return render(
        request,
        "staff/status.html",
        {
            "application": application,
            "current": workflow.staff_name(application.status) if workflow else application.status,
            "choices": [
                (move.target, workflow.staff_name(move.target) if workflow else move.target)
                for move in moves
            ],
            "note_needed": {move.target for move in moves if move.needs_note},
            "values": {},
            **extra,
        },
    )


@staff_only()
async def status(request: Request) -> Response:
    async with request.app.state.sessions() as session:
        application = await application_or_404(request, _cases(request, session))
    if not _moves(application, member(request)):
        return redirect(f"/staff/applications/{application.id}")
    return _status_page(request, application)


def _move_errors(move: Move | None, moves: list[Move], note: str) -> list[dict[str, str]]:
    errors = []
    if move is None:
        errors.append({"text": "Select the new status", "href": "#status"})
    # Until a move is chosen, ask for a note if any move on offer would need one.
    if not note and (move.needs_note if move else any(offered.needs_note for offered in moves)):
        errors.append({"text": "Enter a note about this change", "href": "#note"})
    elif len(note) > MAX_NOTE:
        errors.append({"text": f"Note must be {MAX_NOTE} characters or fewer", "href": "#note"})
    return errors


@form_handler
@staff_only()
async def status_submit(request: Request, form: FormData) -> Response:
    chosen = str(form.get("status") or "")
    note = str(form.get("note") or "").strip()
    # The state the form was made for: a form left open while someone else moved the case on
    # is refused, not applied to a state its sender never saw.
    made_for = form.get("from_status")
    staff = member(request)
    async with unit_of_work(request.app.state.sessions) as session:
        cases = _cases(request, session)
        application = await application_or_404(request, cases)
        case_url = f"/staff/applications/{application.id}"
        if isinstance(made_for, str) and made_for != application.status:
            flash(request, "The status was changed by someone else: check it and try again")
            return redirect(case_url)
        workflow = _service(application).workflow
        moves = _moves(application, staff)
        move = next((move for move in moves if move.target == chosen), None)
        errors = _move_errors(move, moves, note)
        if errors or workflow is None or move is None:
            return _status_page(
                request,
                application,
                errors=errors,
                values={"status": chosen, "note": note[: MAX_NOTE * 2]},
            )
        before = application.status
        if not await cases.move(application, workflow, chosen, note, staff):
            flash(request, "The status was changed by someone else: check it and try again")
            return redirect(case_url)
        await audit.record(
            session,
            "status changed",
            ip=client_ip(request),
            member=staff,
            application_id=application.id,
            detail=f"{workflow.staff_name(before)} to {workflow.staff_name(chosen)}: {note}",
        )
        if workflow.refundable(chosen):
            # The service says a case ending here gets its fee back: propose it to an
            # administrator, with the move, or not at all.
            proposed = await ledger.propose_refund(
                session,
                staff.force_id,
                application.id,
                f"{workflow.staff_name(chosen)}: {note}"[:500],
            )
            if proposed is not None:
                await session.flush()
                await audit.record(
                    session,
                    "refund proposed",
                    ip=client_ip(request),
                    member=staff,
                    application_id=application.id,
                    detail=f"{application.reference}: {proposed.amount_pence} pence",
                    after={"refund_id": proposed.id, "amount_pence": proposed.amount_pence},
                )
    flash(request, f"Status changed to {workflow.staff_name(chosen)}")
    return redirect(case_url)


routes = [
    Route("/staff", dashboard, methods=["GET"], name="staff_dashboard"),
    Route("/staff/applications", search, methods=["GET"], name="staff_search"),
    Route(
        "/staff/applications/reference/{reference}",
        by_reference,
        methods=["GET"],
        name="staff_by_reference",
    ),
    Route("/staff/applications/{id:int}", view, methods=["GET"], name="staff_application"),
    Route(
        "/staff/applications/{id:int}/application.pdf",
        download_pdf,
        methods=["GET"],
        name="staff_application_pdf",
    ),
    Route("/staff/applications/{id:int}/photo", photo, methods=["GET"], name="staff_photo"),
    Route("/staff/applications/{id:int}/paper-form", scan, methods=["GET"], name="staff_scan"),
    Route("/staff/applications/{id:int}/letter", letter, methods=["GET"], name="staff_letter"),
    Route(
        "/staff/applications/{id:int}/received",
        received_submit,
        methods=["POST"],
        name="staff_received_by_post",
    ),
    Route(
        "/staff/applications/{id:int}/confirmation-email",
        send_confirmation,
        methods=["POST"],
        name="staff_send_confirmation",
    ),
    Route("/staff/applications/{id:int}/status", status, methods=["GET"], name="staff_status"),
    Route(
        "/staff/applications/{id:int}/status",
        status_submit,
        methods=["POST"],
        name="staff_status_submit",
    ),
]
