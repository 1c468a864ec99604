"""The confirmation stage: the reference, what happens next, and the notes the service's flow
declares for what was sent (say, that a lost certificate needs replacing)."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from webapp.store import card_payments, drafts, force_services, outbox
from webapp.web.drafts import redirect, render, service_for, submitted_id


async def confirmation(request: Request) -> Response:
    service = service_for(request)
    stage = service.flow.confirmation
    application_id = submitted_id(request, service)
    if application_id is None:
        return redirect(f"/apply/{service.slug}")
    async with request.app.state.sessions() as session:
        application = await drafts.get_application(session, application_id)
        force = (
            await force_services.contact(session, application.force_id, service)
            if application
            else None
        )
        paid = await card_payments.paid_for(session, application_id) if application else None
        emailed_to = (
            await outbox.confirmation_address(session, application_id) if application else None
        )
    if application is None or application.status == "draft":
        raise HTTPException(status_code=404)
    return render(
        request,
        "public/confirmation.html",
        {
            "service": service,
            "application": application,
            "force_details": force,
            "emailed_to": emailed_to,
            "paid": paid,
            "title": str(stage.title) if stage.title is not None else None,
            "notes": stage.notes_for(
                service, application.answers or {}, channel=application.channel
            ),
        },
    )
