"""What every stage handler does first: find this browser's draft and check that the stages
before this one are done (else send the person to the first that is not)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from webapp import engine
from webapp.engine import Step
from webapp.engine.flow import Stage
from webapp.engine.schema import Service
from webapp.store import drafts
from webapp.store.models import Application
from webapp.web.drafts import current_draft, no_draft, redirect, render, step_url
from webapp.web.staff.journey import staff_journey

from . import blocked_url, progress_of
from .force import confirming_page, force_mismatch

# The stages that lead to sending the case: not while the force disagrees with the answers.
_SENDING_STAGES = ("check", "declaration", "payment")


async def journey_draft(request: Request, service: Service) -> Application | None:
    """This session's draft; when staff are working on it, the pages keep the staff layout."""
    draft = await current_draft(request, service)
    if draft is not None:
        await staff_journey(request, service, draft)
    return draft


async def draft_for(request: Request, service: Service, stage: Stage) -> Application | Response:
    """The draft, if ``stage`` may be shown now; else where to go instead."""
    draft = await journey_draft(request, service)
    if draft is None:
        return no_draft(request, service)
    elsewhere = blocked_url(service, stage, progress_of(draft))
    if elsewhere is not None:
        return redirect(elsewhere)
    if stage.kind in _SENDING_STAGES and force_mismatch(service, draft, draft.answers) is not None:
        # The home address (say) is in another force's area: its page says so, and how to fix it.
        return redirect(step_url(service, Step(confirming_page(service) or "")))
    return draft


async def conflict(request: Request, service: Service, application_id: int) -> Response:
    """Another tab or device saved first: say so, and show the answers as they are now."""
    async with request.app.state.sessions() as session:
        latest = await drafts.get_application(session, application_id)
    summary = (
        engine.check_answers(service, latest.answers, channel=latest.channel)
        if latest is not None
        else []
    )
    return render(
        request, "public/conflict.html", {"service": service, "summary": summary}, status_code=409
    )
