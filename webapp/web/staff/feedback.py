"""The public's feedback, for the lead force's staff only (LEAD_FORCE: the force that runs the
platform for the others). Every view is audited."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from webapp.store import feedback as store
from webapp.web.feedback import SATISFACTION_NAMES

from .common import member, reads_feedback, render, staff_only, write_audit


@staff_only()
async def feedback_list(request: Request) -> Response:
    if not reads_feedback(request, member(request)):
        raise HTTPException(status_code=403)
    async with request.app.state.sessions() as session:
        rows = await store.latest(session)
    await write_audit(
        request, "viewed feedback", member=member(request), detail=f"{len(rows)} shown"
    )
    return render(request, "staff/feedback.html", {"rows": rows, "names": SATISFACTION_NAMES})


routes = [Route("/staff/feedback", feedback_list, methods=["GET"], name="staff_feedback")]
