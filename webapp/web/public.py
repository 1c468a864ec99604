"""The public journey for any service in webapp/services: the start page, then the stages the
service's flow declares, each handled by its module in webapp/web/stages. The routes are the
same for every service; which stage follows which is read from the flow."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from webapp.security import form_handler
from webapp.uk_time import uk_today
from webapp.web import force_choice, resume, timeout
from webapp.web.drafts import (
    current_draft,
    redirect,
    render,
    service_for,
    start_draft,
    submitted_id,
)
from webapp.web.routing import form_page
from webapp.web.stages import EXIT_PATH, continue_url, progress_of, resume_url
from webapp.web.stages.check_answers import check
from webapp.web.stages.confirmation import confirmation
from webapp.web.stages.declaration import declaration, declaration_submit
from webapp.web.stages.eligibility import exit_page
from webapp.web.stages.payment import payment, payment_return, payment_submit
from webapp.web.stages.questions import (
    RETURN_TO_CHECK,
    question,
    question_submit,
    remove_page,
    remove_submit,
    tasks,
)

__all__ = ["RESERVED_PAGE_IDS", "RETURN_TO_CHECK", "routes"]


async def start(request: Request) -> Response:
    service = service_for(request)
    fees = service.start.fees(uk_today()) if service.start.fees else []
    return render(request, "public/start.html", {"service": service, "fees": fees})


@form_handler
async def start_new(request: Request, form: FormData) -> Response:
    """'Start now' makes a draft at once, so every later answer is saved as it is given."""
    service = service_for(request)
    existing = await current_draft(request, service)
    if existing is not None:
        return redirect(resume_url(service, progress_of(existing)))
    draft = await start_draft(request, service)
    return redirect(continue_url(service, progress_of(draft)))


async def already_sent(request: Request) -> Response:
    service = service_for(request)
    return render(
        request,
        "public/already_sent.html",
        {"service": service, "has_confirmation": submitted_id(request, service) is not None},
    )


async def guide(request: Request) -> Response:
    """A guide the service publishes (for a referee, say): public, needing no application."""
    service = service_for(request)
    found = service.guide(request.path_params["guide"])
    if found is None:
        raise HTTPException(status_code=404)
    return render(request, "public/guide.html", {"service": service, "guide": found})


routes = [
    Route("/apply/{service}", start, methods=["GET"], name="start"),
    Route("/apply/{service}/guide/{guide}", guide, methods=["GET"], name="guide"),
    Route("/apply/{service}/start", start_new, methods=["POST"], name="start_new"),
    *force_choice.routes,
    Route("/apply/{service}/tasks", tasks, methods=["GET"], name="tasks"),
    Route("/apply/{service}/check", check, methods=["GET"], name="check"),
    *form_page("/apply/{service}/declaration", declaration, declaration_submit, "declaration"),
    *form_page("/apply/{service}/payment", payment, payment_submit, "payment"),
    Route(
        "/apply/{service}/payment/return/{token}",
        payment_return,
        methods=["GET"],
        name="payment_return",
    ),
    Route("/apply/{service}/confirmation", confirmation, methods=["GET"], name="confirmation"),
    Route("/apply/{service}/already-sent", already_sent, methods=["GET"], name="already_sent"),
    Route(f"/apply/{{service}}/{EXIT_PATH}/{{exit}}", exit_page, methods=["GET"], name="exit"),
    *form_page("/apply/{service}/{group}/{index:int}/remove", remove_page, remove_submit, "remove"),
    *form_page(
        "/apply/{service}/{page}/{index:int}",
        question,
        timeout.keep_on_timeout(question_submit),
        "item_question",
    ),
    *form_page(
        "/apply/{service}/{page}", question, timeout.keep_on_timeout(question_submit), "question"
    ),
]

# Page ids become URL segments beside these fixed ones, so a service may not use them.
RESERVED_PAGE_IDS = {
    "start",
    "force",
    "tasks",
    "check",
    "declaration",
    "payment",
    "confirmation",
    "already-sent",
    "guide",
    EXIT_PATH,
} | resume.RESERVED_PAGE_IDS
