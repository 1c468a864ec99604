"""The declaration stage: the service's declaration, a tick box, and the button that sends."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from webapp import i18n
from webapp.notify import queue_confirmation
from webapp.security import form_handler
from webapp.store import drafts
from webapp.store import resume as resume_store
from webapp.store.db import unit_of_work
from webapp.web import resume
from webapp.web.drafts import applicant_email, redirect, remember_submitted, render, service_for
from webapp.web.staff.journey import record_sent_on_behalf, staff_declaration

from .check_answers import fee_for
from .guard import conflict, draft_for


def _stage(request: Request):  # type: ignore[no-untyped-def]
    service = service_for(request)
    stage = service.flow.of_kind("declaration")
    assert stage is not None  # every flow has one (Flow.validate)
    return service, stage


async def declaration(request: Request) -> Response:
    service, stage = _stage(request)
    draft = await draft_for(request, service, stage)
    if isinstance(draft, Response):
        return draft
    return render(
        request,
        "public/declaration.html",
        {
            "service": service,
            "version": draft.version,
            "on_behalf": await staff_declaration(request, service, draft),
        },
    )


@form_handler
async def declaration_submit(request: Request, form: FormData) -> Response:
    service, stage = _stage(request)
    draft = await draft_for(request, service, stage)
    if isinstance(draft, Response):
        return draft
    if form.get("confirm") != "yes":
        message = str(service.declaration.error)
        return render(
            request,
            "public/declaration.html",
            {
                "service": service,
                "version": draft.version,
                "error": message,
                "errors": [{"text": message, "href": "#confirm"}],
                "on_behalf": await staff_declaration(request, service, draft),
            },
        )
    fee = fee_for(service, draft)
    email = applicant_email(service, draft)
    locale = i18n.get_locale()
    on_behalf = await staff_declaration(request, service, draft) is not None
    # The submission, its confirmation email, the staff audit and forgetting the draft's resume
    # links are one unit of work: all written, or (on any failure) none.
    async with unit_of_work(request.app.state.sessions) as session:
        sent = await drafts.submit(
            session,
            draft.id,
            expected_version=draft.version,
            fee_pence=fee.pence if fee else None,
            fee_description=str(fee.description) if fee else None,
            with_submission=(lambda same: queue_confirmation(same, draft, email, locale))
            if email
            else None,
        )
        if sent:
            if on_behalf:
                await record_sent_on_behalf(request, session, draft)
            await resume_store.forget_draft(session, draft.id)  # no resume link may open it now
    on_behalf = sent and on_behalf
    if not sent:
        # Another tab submitted (or changed) it first. Only one application exists either way.
        async with request.app.state.sessions() as session:
            latest = await drafts.get_application(session, draft.id)
        if latest is None or latest.status == "draft":
            return await conflict(request, service, draft.id)
    remember_submitted(request, service, draft.id)
    if on_behalf:  # staff go back to the back office, to their own confirmation
        return resume.after_commit(request, redirect(f"/staff/applications/{draft.id}/sent"))
    return resume.after_commit(request, redirect(f"/apply/{service.slug}/confirmation"))
