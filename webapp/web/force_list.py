"""The force chosen from a list (``ForceRouting(from_list=True)``): radios of the forces that
take the service online, for a service where the force is the one a person deals with rather
than the one where they live. The page's words are the service's (its flow's force stage)."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from webapp import i18n
from webapp.engine.schema import Service
from webapp.i18n import gettext as _
from webapp.store import force_services, price_list
from webapp.store.models import Application, Force
from webapp.web.drafts import render
from webapp.web.stages import back_from, progress_of

FIELD = "force"


async def _offering(request: Request, service: Service) -> list[Force]:
    async with request.app.state.sessions() as session:
        found = await force_services.offering(session, service.slug)
        if service.price_list is not None:  # a force with nothing priced has nothing to pay for
            pricing = await price_list.forces_pricing(session, service.slug)
            found = [force for force in found if force.id in pricing]
    locale = i18n.get_locale()
    welsh = locale.split("-")[0] == "cy"
    # Listed by the name the person reads, so the radios are in alphabetical order in Welsh too.
    return sorted(found, key=lambda force: force.name_cy if welsh and force.name_cy else force.name)


def _page(
    request: Request,
    service: Service,
    draft: Application,
    choices: list[Force],
    chosen: str | None,
    error: str | None = None,
) -> Response:
    routing = service.flow.force_routing
    welsh = i18n.get_locale().split("-")[0] == "cy"
    context: dict[str, object] = {
        "service": service,
        "back_url": back_from(service, routing, progress_of(draft)),
        "question": str(routing.question or _("Which police force is it?")),
        "hint": str(routing.hint) if routing.hint else None,
        "items": [
            {
                "value": force.id,
                "text": force.name_cy if welsh and force.name_cy else force.name,
                "checked": force.id == chosen,
            }
            for force in choices
        ],
    }
    if error:
        context.update(error=error, errors=[{"text": error, "href": f"#{FIELD}"}])
    return render(request, "public/force_list.html", context)


async def list_page(request: Request, service: Service, draft: Application) -> Response:
    return _page(request, service, draft, await _offering(request, service), draft.force_id)


async def chosen_force(
    request: Request, service: Service, draft: Application, form: FormData
) -> str | Response:
    """The force picked, if it is one on the list; else the page again with the error."""
    choices = await _offering(request, service)
    picked = form.get(FIELD)
    if isinstance(picked, str) and picked in {force.id for force in choices}:
        return picked
    routing = service.flow.force_routing
    message = str(routing.error or _("Select a police force"))
    return _page(request, service, draft, choices, None, message)
