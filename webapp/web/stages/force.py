"""The force routing stage. From the postcode page (webapp/web/force_choice.py, as a service's
flow declares by default), or from an answer the service names: the postcode in that answer
routes the case as soon as the page asking it is saved, asking the person to choose only when
the postcode area is shared between forces. A force chosen from the postcode page may be
confirmed by a later answer (``ForceRouting.confirm_with``): the law sends a case to the force
where the person lives, so a home address in another force's area is not let through."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from webapp import forces, i18n
from webapp.channels import STAFF_CHANNELS
from webapp.engine import Step
from webapp.engine.fields import FieldError
from webapp.engine.journey import first_input_id
from webapp.engine.schema import Service
from webapp.i18n import gettext as _
from webapp.store.models import Application
from webapp.web import force_choice
from webapp.web.drafts import redirect


def postcode_in(answer: object) -> str | None:
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
    postcode = postcode_in(answers.get(source))
    result = forces.forces_for_postcode(postcode) if postcode else forces.forces_for_postcode("")
    if result.outside_england_and_wales:
        return redirect(f"/apply/{service.slug}/force/outside")
    if result.force is not None:
        return await force_choice._choose(request, service.slug, result.force.id, draft.id)
    request.session[force_choice.SESSION_CANDIDATES] = [force.id for force in result.candidates]
    request.session[force_choice.SESSION_BORDER] = result.partly_outside_england_and_wales
    return redirect(f"/apply/{service.slug}/force/choose")


def _force_name(force_id: str) -> str:
    force = forces.get_force(force_id)
    return force.display_name(i18n.get_locale()) if force is not None else force_id


def force_mismatch(
    service: Service, draft: Application, answers: Mapping[str, Any]
) -> FieldError | None:
    """The error on the answer that confirms the force (``confirm_with``) when its postcode is
    outside the chosen force's area; None when it agrees, is not answered yet, or the data cannot
    tell. Staff taking an application for their own force are not stopped: they know whose it is."""
    source = service.flow.force_routing.confirm_with
    if source is None or draft.force_id is None or draft.channel in STAFF_CHANNELS:
        return None
    postcode = postcode_in(answers.get(source))
    if postcode is None:
        return None
    result = forces.forces_for_postcode(postcode)
    if any(force.id == draft.force_id for force in result.candidates):
        return None
    if not result.candidates and not result.outside_england_and_wales:
        return None  # a postcode the data does not know: we cannot say it is wrong
    chosen = _force_name(draft.force_id)
    if result.force is not None:
        message = _(
            "The postcode %(postcode)s is in the area of %(found)s, not %(chosen)s. Applications "
            "go to the police force where you live. Check the postcode, or change the force",
            postcode=postcode,
            found=result.force.display_name(i18n.get_locale()),
            chosen=chosen,
        )
    else:
        message = _(
            "The postcode %(postcode)s is not in the area of %(chosen)s. Applications go to the "
            "police force where you live. Check the postcode, or change the force",
            postcode=postcode,
            chosen=chosen,
        )
    if isinstance(answers.get(source), Mapping):  # an address: point at its postcode
        return FieldError(message, source, f"{source}-postcode", ("postcode",))
    return FieldError(message, source, first_input_id(service, source))


def confirming_page(service: Service) -> str | None:
    """The page asking the answer that confirms the force, if the service declares one."""
    source = service.flow.force_routing.confirm_with
    return service.questions[source].page.id if source is not None else None
