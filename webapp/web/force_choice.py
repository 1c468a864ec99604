"""Which force to apply to: from the postcode where the applicant lives, asking the person to
choose when the postcode area is shared between forces (we never guess)."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from webapp import forces
from webapp.engine.fields.base import clean_text
from webapp.engine.schema import Service
from webapp.i18n import gettext as _
from webapp.security import form_handler
from webapp.store import drafts, force_services
from webapp.store.models import Application
from webapp.web import force_list
from webapp.web.context import SESSION_FORCE
from webapp.web.drafts import (
    current_draft,
    no_draft,
    redirect,
    render,
    service_for,
    start_draft,
    submitted_id,
)
from webapp.web.routing import form_page
from webapp.web.stages import after_force_url, back_from, blocked_url, progress_of, stage_url

SESSION_POSTCODE = "force_postcode"
SESSION_CANDIDATES = "force_candidates"
SESSION_BORDER = "force_border"  # the postcode district crosses into Scotland
OUTSIDE = "outside"


def _error(field_id: str, message: str) -> list[dict[str, str]]:
    return [{"text": message, "href": f"#{field_id}"}]


async def _choose(
    request: Request, service_slug: str, force_id: str, application_id: int
) -> Response:
    async with request.app.state.sessions() as session:
        if not await force_services.offers_online(session, force_id, service_slug):
            request.session[SESSION_FORCE] = force_id
            return redirect(f"/apply/{service_slug}/force/not-available")
        await drafts.set_force(session, application_id, force_id)
        await session.commit()
    request.session[SESSION_FORCE] = force_id
    request.session.pop(SESSION_CANDIDATES, None)
    return redirect(await after_force_url(request, service_slug))


def _postcode_context(service: Service, draft: Application, **extra: object) -> dict[str, object]:
    routing = service.flow.force_routing
    return {
        "service": service,
        "back_url": back_from(service, routing, progress_of(draft)),
        **extra,
    }


async def postcode_page(request: Request) -> Response:
    service = service_for(request)
    draft = await current_draft(request, service)
    if draft is None:
        return no_draft(request, service)
    routing = service.flow.force_routing
    progress = progress_of(draft)
    # The postcode page comes when the flow says: not before the stages ahead of it, and not
    # at all when the force comes from an answer.
    elsewhere = blocked_url(service, routing, progress) or (
        stage_url(service, routing, progress) if routing.from_answer is not None else None
    )
    if elsewhere is not None:
        return redirect(elsewhere)
    if routing.from_list:
        return await force_list.list_page(request, service, draft)
    return render(
        request,
        "public/force_postcode.html",
        _postcode_context(service, draft, postcode=request.session.get(SESSION_POSTCODE, "")),
    )


@form_handler
async def postcode_submit(request: Request, form: FormData) -> Response:
    service = service_for(request)
    draft = await current_draft(request, service)
    if draft is None and submitted_id(request, service) is None:
        # The session ended while this page was open. Start would make a new draft anyway: make
        # it here and keep the postcode just given, rather than send the person back to Start.
        draft = await start_draft(request, service)
    if draft is None:
        return no_draft(request, service)
    if service.flow.force_routing.from_list:
        picked = await force_list.chosen_force(request, service, draft, form)
        if isinstance(picked, Response):
            return picked
        return await _choose(request, service.slug, picked, draft.id)
    typed = clean_text(form.get("postcode", ""), limit=20)
    normalised = forces.normalise_postcode(typed)
    if normalised is None:
        message = _("Enter your postcode") if not typed.strip() else _("Enter a real postcode")
        return render(
            request,
            "public/force_postcode.html",
            _postcode_context(
                service, draft, postcode=typed, error=message, errors=_error("postcode", message)
            ),
        )
    request.session[SESSION_POSTCODE] = normalised
    result = forces.forces_for_postcode(normalised)
    if result.outside_england_and_wales:
        return redirect(f"/apply/{service.slug}/force/outside")
    if result.force is not None:
        return await _choose(request, service.slug, result.force.id, draft.id)
    request.session[SESSION_CANDIDATES] = [force.id for force in result.candidates]
    request.session[SESSION_BORDER] = result.partly_outside_england_and_wales
    return redirect(f"/apply/{service.slug}/force/choose")


def _choose_context(
    request: Request, service: object, error: str | None = None
) -> dict[str, object]:
    context: dict[str, object] = {
        "service": service,
        "candidates": _candidates(request),
        "border": bool(request.session.get(SESSION_BORDER)),
        "outside_value": OUTSIDE,
    }
    if error:
        context.update(error=error, errors=_error("force", error))
    return context


def _candidates(request: Request) -> list[forces.Force]:
    """The forces to choose from: those sharing the postcode area, or every force if unknown."""
    ids = request.session.get(SESSION_CANDIDATES) or []
    chosen = [force for force in (forces.get_force(i) for i in ids if isinstance(i, str)) if force]
    return chosen or list(forces.all_forces())


async def choose_page(request: Request) -> Response:
    service = service_for(request)
    if await current_draft(request, service) is None:
        return no_draft(request, service)
    return render(request, "public/force_choose.html", _choose_context(request, service))


@form_handler
async def choose_submit(request: Request, form: FormData) -> Response:
    service = service_for(request)
    draft = await current_draft(request, service)
    if draft is None:
        return no_draft(request, service)
    candidates = _candidates(request)
    chosen = form.get("force")
    if chosen == OUTSIDE and request.session.get(SESSION_BORDER):
        return redirect(f"/apply/{service.slug}/force/outside")
    if not isinstance(chosen, str) or chosen not in {force.id for force in candidates}:
        message = _("Select the police force for the area where you live")
        return render(
            request, "public/force_choose.html", _choose_context(request, service, message)
        )
    return await _choose(request, service.slug, chosen, draft.id)


async def outside(request: Request) -> Response:
    return render(request, "public/force_outside.html", {"service": service_for(request)})


async def not_available(request: Request) -> Response:
    """The force does not take this service online: say which force, offer the paper form and
    how to reach the force about this service (its contact for the service, or its own)."""
    service = service_for(request)
    force_id = request.session.get(SESSION_FORCE)
    contact = None
    if isinstance(force_id, str) and len(force_id) <= 64:
        async with request.app.state.sessions() as session:
            contact = await force_services.contact(session, force_id, service)
    return render(
        request, "public/force_not_available.html", {"service": service, "contact": contact}
    )


routes = [
    *form_page("/apply/{service}/force", postcode_page, postcode_submit, "force"),
    *form_page("/apply/{service}/force/choose", choose_page, choose_submit, "force_choose"),
    Route("/apply/{service}/force/outside", outside, methods=["GET"], name="force_outside"),
    Route(
        "/apply/{service}/force/not-available",
        not_available,
        methods=["GET"],
        name="force_not_available",
    ),
]
