"""The declaration stage: the service's declaration, a tick box, and the button that sends; or,
when the service's flow takes a payment next and a fee is due, the button that goes to pay (the
case is sent once the payment succeeds, ``webapp/settlement.py``)."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from webapp import i18n
from webapp.security import form_handler
from webapp.sending import Charged, send_case
from webapp.store import drafts
from webapp.store.db import unit_of_work
from webapp.web import resume
from webapp.web.drafts import redirect, remember_submitted, render, service_for
from webapp.web.staff.journey import sending_on_behalf, staff_declaration

from . import progress_of
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
    payment = service.flow.payment
    return render(
        request,
        "public/declaration.html",
        {
            "service": service,
            "version": draft.version,
            "on_behalf": await staff_declaration(request, service, draft),
            "pays_next": payment is not None
            and payment.due(service, progress_of(draft)) is not None,
        },
    )


@form_handler
async def declaration_submit(request: Request, form: FormData) -> Response:
    service, stage = _stage(request)
    draft = await draft_for(request, service, stage)
    if isinstance(draft, Response):
        return draft
    payment = service.flow.payment
    pays_next = payment is not None and payment.due(service, progress_of(draft)) is not None
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
                "pays_next": pays_next,
            },
        )
    if pays_next:
        # Declared: the case waits for its payment, still a draft no force can see.
        async with unit_of_work(request.app.state.sessions) as session:
            declared = await drafts.declare(session, draft.id, expected_version=draft.version)
        if not declared:
            return await conflict(request, service, draft.id)
        return redirect(f"/apply/{service.slug}/payment")
    fee = fee_for(service, draft)
    on_behalf = await sending_on_behalf(request, service, draft)
    async with unit_of_work(request.app.state.sessions) as session:
        sent = await send_case(
            session,
            service,
            draft,
            expected_version=draft.version,
            charged=Charged(fee.pence, str(fee.description)) if fee else None,
            locale=i18n.get_locale(),
            on_behalf=on_behalf,
        )
    if not sent:
        # Another tab submitted (or changed) it first. Only one application exists either way.
        async with request.app.state.sessions() as session:
            latest = await drafts.get_application(session, draft.id)
        if latest is None or latest.status == "draft":
            return await conflict(request, service, draft.id)
    remember_submitted(request, service, draft.id)
    if sent and on_behalf is not None:  # staff go back to the back office, to their own page
        return resume.after_commit(request, redirect(f"/staff/applications/{draft.id}/sent"))
    return resume.after_commit(request, redirect(f"/apply/{service.slug}/confirmation"))
