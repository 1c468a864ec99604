"""The force routing stage. From the postcode page (webapp/web/force_choice.py, as a service's
flow declares by default), or from an answer the service names: the postcode in that answer
routes the case as soon as the page asking it is saved, asking the person to choose only when
the postcode area is shared between forces."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from webapp import forces
from webapp.engine import Step
from webapp.engine.schema import Service
from webapp.store.models import Application
from webapp.web import force_choice
from webapp.web.drafts import redirect


def _postcode_in(answer: object) -> str | None:
    """The postcode an answer holds: an address's postcode, or a postcode typed as text."""
    if isinstance(answer, Mapping):
        answer = answer.get("postcode")
    return forces.normalise_postcode(answer) if isinstance(answer, str) else None


async def route_from_answer(
    request: Request, service: Service, draft: Application, step: Step, answers: Mapping[str, Any]
) -> Response | None:
    """When ``step`` asked the answer the service routes by: choose the force from it (the
    response says where to go next), or None when this page routes nothing."""
    source = service.flow.force_routing.from_answer
    if source is None or service.questions[source].page.id != step.page_id:
        return None
    postcode = _postcode_in(answers.get(source))
    result = forces.forces_for_postcode(postcode) if postcode else forces.forces_for_postcode("")
    if result.outside_england_and_wales:
        return redirect(f"/apply/{service.slug}/force/outside")
    if result.force is not None:
        return await force_choice._choose(request, service.slug, result.force.id, draft.id)
    request.session[force_choice.SESSION_CANDIDATES] = [force.id for force in result.candidates]
    request.session[force_choice.SESSION_BORDER] = result.partly_outside_england_and_wales
    return redirect(f"/apply/{service.slug}/force/choose")
