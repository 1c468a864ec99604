"""A copy of a sent application, for whoever can give its reference and the answers its service
declares as proof of identity (the applicant's date of birth, say). The confirmation email links
here: the email itself carries no personal data.

Rate-limited like resume by reference: failures are counted per client and per reference in the
database, and a reference is locked for a while after too many. A match puts the application in
this browser's session only; the PDF is then served from the session, never from an id in the URL.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from webapp.engine.fields import FieldError
from webapp.engine.schema import Question, Service
from webapp.i18n import gettext as _
from webapp.notify import COPY_PATH
from webapp.pdf.stored import application_pdf
from webapp.security import form_handler
from webapp.services import SERVICES
from webapp.store.models import Application
from webapp.store.references import normalise_reference
from webapp.web.documents import pdf_response
from webapp.web.drafts import redirect, render
from webapp.web.fixed_forms import attempts_key, field_view, read_questions, recent_failures
from webapp.web.identity import (
    details_named,
    proof_questions,
    proofs_match,
    query_for,
    service_asked_for,
)
from webapp.web.resume import REFERENCE, now
from webapp.web.routing import form_page

SESSION_KEY = "copy_of"


def _questions(service: Service) -> list[Question]:
    return [REFERENCE, *proof_questions(service)]


def _service_or_404(request: Request) -> Service:
    service = service_asked_for(request)
    if (
        service is None or not service.identity
    ):  # a service that declares no proof offers no copy here
        raise HTTPException(status_code=404)
    return service


def _page(
    request: Request,
    service: Service,
    raws: Mapping[str, Any],
    errors: list[FieldError],
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "public/copy/request.html",
        {
            "fields": [field_view(question, raws, errors) for question in _questions(service)],
            "errors": [error.summary_item() for error in errors],
            "query": query_for(service),
        },
        status_code=status_code,
    )


async def request_form(request: Request) -> Response:
    return _page(request, _service_or_404(request), {}, [])


@form_handler
async def request_submit(request: Request, form: FormData) -> Response:
    settings, moment, service = request.app.state.settings, now(request), _service_or_404(request)
    raws, values, errors = read_questions(_questions(service), form, moment.date())
    reference_ok = not any(error.question_id == "reference" for error in errors)
    reference = normalise_reference(str(raws["reference"])) if reference_ok else None
    if reference is None and reference_ok:
        errors.insert(
            0,
            FieldError(
                _("Enter your reference as it is shown on your emails and letters, like HDJ2-123F"),
                "reference",
                "reference",
            ),
        )
    if errors:
        return _page(request, service, raws, errors)
    client_key, reference_key = attempts_key(request, "copy"), f"copy:{reference}"
    async with request.app.state.sessions() as session:
        failures = await recent_failures(session, settings, client_key, reference_key, moment)
        if failures.locked:
            failures.record_while_locked(session)
            await session.commit()
            return render(
                request,
                "public/copy/locked.html",
                {"hours": settings.resume_lock_hours},
                status_code=429,
            )
        application = await session.scalar(
            select(Application).where(
                Application.reference == reference, Application.status != "draft"
            )
        )
        matched = application is not None and proofs_match(
            service, application, values, moment.date()
        )
        failures.record(session, failed=not matched)
        await session.commit()
    if not matched or application is None:
        if failures.next_one_locks:
            return render(
                request,
                "public/copy/locked.html",
                {"hours": settings.resume_lock_hours},
                status_code=429,
            )
        message = _(
            "We could not find a sent application with those details. Check your %(details)s, and try again",
            details=details_named(proof_questions(service)),
        )
        return _page(request, service, raws, [FieldError(message, "reference", "reference")])
    request.session[SESSION_KEY] = application.id
    return redirect(f"{COPY_PATH}/ready")


async def _chosen(request: Request) -> Application | None:
    application_id = request.session.get(SESSION_KEY)
    if not isinstance(application_id, int):
        return None
    async with request.app.state.sessions() as session:
        application: Application | None = await session.get(Application, application_id)
    if application is None or application.status == "draft" or application.service not in SERVICES:
        return None
    return application


async def ready(request: Request) -> Response:
    application = await _chosen(request)
    if application is None:
        return redirect(COPY_PATH)
    return render(
        request,
        "public/copy/ready.html",
        {"application": application, "service": SERVICES[application.service]},
    )


async def download(request: Request) -> Response:
    application = await _chosen(request)
    if application is None:
        raise HTTPException(status_code=404)
    data = await application_pdf(
        request.app.state.sessions, SERVICES[application.service], application
    )
    return pdf_response(data, f"{application.reference}.pdf", personal=True)


routes = [
    *form_page(COPY_PATH, request_form, request_submit, "copy"),
    Route(f"{COPY_PATH}/ready", ready, methods=["GET"], name="copy_ready"),
    Route(f"{COPY_PATH}/application.pdf", download, methods=["GET"], name="copy_pdf"),
]
