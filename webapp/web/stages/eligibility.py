"""The eligibility stage's exit pages: 'You cannot use this service because ...', and where to
go instead. The eligibility questions themselves are question pages (stages/questions.py)."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from webapp.engine import navigation
from webapp.web.drafts import current_draft, render, service_for, step_url

from . import progress_of, start_url


async def exit_page(request: Request) -> Response:
    service = service_for(request)
    stage = service.flow.eligibility
    leads_out = stage.exit(request.path_params["exit"]) if stage is not None else None
    if stage is None or leads_out is None:
        raise HTTPException(status_code=404)
    # Back to the question that led here, so an answer given by mistake can be changed.
    back = start_url(service)
    draft = await current_draft(request, service)
    if draft is not None:
        steps = navigation.run_steps(service, stage, progress_of(draft))
        back = step_url(service, steps[-1]) if steps else back
    return render(
        request, "public/exit.html", {"service": service, "exit": leads_out, "back_url": back}
    )
