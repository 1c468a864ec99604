"""The public journey for any service in webapp/services: start, task list, question pages,
add-another, check answers, declaration and confirmation. Handlers are thin: the form engine
decides what is asked and what is valid; the store keeps the answers."""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from webapp import engine, forces, i18n
from webapp.engine import Step
from webapp.engine.fields import FileUpload, format_date
from webapp.engine.fields.base import error_for
from webapp.engine.schema import Service
from webapp.i18n import gettext as _
from webapp.notify import queue_confirmation
from webapp.security import form_handler
from webapp.store import drafts, outbox
from webapp.store import resume as resume_store
from webapp.store.cases import latest_help
from webapp.store.db import unit_of_work
from webapp.store.models import Application
from webapp.uk_time import uk_local, uk_today
from webapp.uploads import UploadError, clean_photo
from webapp.web import force_choice, resume, timeout
from webapp.web.drafts import (
    applicant_email,
    current_draft,
    no_draft,
    redirect,
    remember_submitted,
    render,
    service_for,
    start_draft,
    step_url,
    submitted_id,
)
from webapp.web.routing import form_page
from webapp.web.staff.journey import (
    back_to_the_office,
    number_questions,
    record_sent_on_behalf,
    staff_declaration,
    staff_journey,
)

RETURN_TO_CHECK = "check"


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
        return redirect(f"/apply/{service.slug}/tasks")
    await start_draft(request, service)
    return redirect(f"/apply/{service.slug}/force")


async def _journey_draft(request: Request, service: Service) -> Application | None:
    """This session's draft; when staff are working on it, the pages keep the staff layout."""
    draft = await current_draft(request, service)
    if draft is not None:
        await staff_journey(request, service, draft)
    return draft


async def _draft_with_force(request: Request, service: Service) -> Application | Response:
    draft = await _journey_draft(request, service)
    if draft is None:
        return no_draft(request, service)
    if draft.force_id is None:
        return redirect(f"/apply/{service.slug}/force")
    return draft


async def tasks(request: Request) -> Response:
    service = service_for(request)
    draft = await _draft_with_force(request, service)
    if isinstance(draft, Response):
        return draft
    async with request.app.state.sessions() as session:
        helped = await latest_help(session, draft.id)
    helped_force = forces.get_force(helped.force_id) if helped else None
    return render(
        request,
        "public/tasks.html",
        {
            "service": service,
            "draft": draft,
            "tasks": engine.task_list(service, draft.answers, channel=draft.channel),
            "complete": engine.is_complete(service, draft.answers, channel=draft.channel),
            "step_url": step_url,
            # "A member of staff at <force> helped ... on <date>", in the applicant's language.
            "staff_helped": {
                "force": helped_force.display_name(i18n.get_locale()) if helped_force else "",
                "date": format_date(uk_local(helped.at).date()),
            } if helped else None,
        },
    )


def _step(request: Request, service: Service) -> Step:
    page_id = request.path_params["page"]
    index = request.path_params.get("index")
    ref = service.pages.get(page_id)
    if ref is None:
        raise HTTPException(status_code=404)
    # Item pages need an index; every other page must not have one.
    is_item_page = ref.group is not None and not ref.is_add_another
    if is_item_page != (index is not None):
        raise HTTPException(status_code=404)
    return Step(page_id, index)


def _question_context(request: Request, service: Service, view: engine.PageView) -> dict[str, Any]:
    returning = request.query_params.get("return") == RETURN_TO_CHECK
    journey = getattr(request.state, "staff_journey", None)
    if journey is not None and journey.numbers:  # keying in paper: the form's own numbers
        number_questions(view, journey.numbers)
    action = step_url(service, view.step, **({"return": RETURN_TO_CHECK} if returning else {}))
    return {
        "service": service,
        "view": view,
        "action": action,
        "errors": view.error_summary,
        "step_url": step_url,
        "back_url": f"/apply/{service.slug}/check" if returning else f"/apply/{service.slug}/tasks",
        "group": service.pages[view.step.page_id].group,
        "multipart": any(isinstance(field.question.field, FileUpload) for field in view.fields),
    }


async def _visitable_step(request: Request, service: Service) -> tuple[Application, Step] | Response:
    """The draft and the page asked for, or where to go instead (a later page cannot be
    reached by URL before the pages it depends on are answered)."""
    draft = await _draft_with_force(request, service)
    if isinstance(draft, Response):
        return draft
    step = _step(request, service)
    access = engine.can_visit(service, draft.answers, step, channel=draft.channel)
    if not access.allowed:
        return redirect(step_url(service, access.redirect))
    return draft, step


async def question(request: Request) -> Response:
    service = service_for(request)
    visitable = await _visitable_step(request, service)
    if isinstance(visitable, Response):
        return visitable
    draft, step = visitable
    # Answers saved as typed ('Save and come back later') show their errors when reopened.
    view = engine.page_view(service, draft.answers, step, channel=draft.channel,
                            errors=resume.saved_errors(service, draft.answers, step, channel=draft.channel))
    return render(request, "public/question.html", _question_context(request, service, view))


async def _receive_uploads(
    request: Request, service: Service, draft: Application, step: Step, form: FormData
) -> tuple[dict[str, Any], list[Any]]:
    """Store any newly uploaded files; the engine then sees each as a record under its id."""
    values: dict[str, Any] = {}
    errors = []
    page = service.pages[step.page_id].page
    for question in page.all_questions():
        if not isinstance(question.field, FileUpload):
            continue
        upload = form.get(question.id)
        if isinstance(upload, UploadFile) and upload.filename:
            data = await upload.read()
            try:
                clean = clean_photo(data)
            except UploadError as exc:
                errors.append(error_for(question, str(exc)))
                continue
            async with unit_of_work(request.app.state.sessions) as session:
                upload_id = await drafts.save_upload(
                    session, draft.id, question_id=question.id, content_type=clean.content_type,
                    filename=(upload.filename or "photo")[:200], data=clean.data,
                )
            values[question.id] = {
                "id": str(upload_id), "filename": (upload.filename or "photo")[:200],
                "content_type": clean.content_type, "size": len(clean.data),
            }
        else:
            values[question.id] = draft.answers.get(question.id)
    return values, errors


class _FormWithUploads:
    """The posted form, with each file field replaced by the stored upload's record."""

    def __init__(self, form: FormData, uploads: dict[str, Any]) -> None:
        self.form, self.uploads = form, uploads

    def get(self, key: str, default: Any = None) -> Any:
        return self.uploads[key] if key in self.uploads else self.form.get(key, default)

    def getlist(self, key: str) -> list[Any]:
        return self.form.getlist(key)


async def _conflict(request: Request, service: Service, application_id: int) -> Response:
    """Another tab or device saved first: say so, and show the answers as they are now."""
    async with request.app.state.sessions() as session:
        latest = await drafts.get_application(session, application_id)
    summary = engine.check_answers(service, latest.answers, channel=latest.channel) if latest is not None else []
    return render(request, "public/conflict.html", {"service": service, "summary": summary}, status_code=409)


@form_handler
async def question_submit(request: Request, form: FormData) -> Response:
    service = service_for(request)
    visitable = await _visitable_step(request, service)
    if isinstance(visitable, Response):
        return visitable
    draft, step = visitable
    uploads, upload_errors = await _receive_uploads(request, service, draft, step, form)
    if resume.wants_to_save(form):  # "Save and come back later": keep the page as typed
        try:
            await resume.save_as_typed(request, service, draft, step, _FormWithUploads(form, uploads))
        except drafts.StaleDraft:
            return await _conflict(request, service, draft.id)
        except drafts.AlreadySubmitted:
            return redirect(f"/apply/{service.slug}/already-sent")
        journey = getattr(request.state, "staff_journey", None)
        if journey is not None:
            return back_to_the_office(request, journey)
        return redirect(f"/apply/{service.slug}/save-and-return")
    result = engine.submit(service, draft.answers, step, _FormWithUploads(form, uploads), channel=draft.channel)  # type: ignore[arg-type]
    errors = [*upload_errors, *result.errors]
    if errors:
        view = engine.page_view(service, draft.answers, step, raws=result.raws, errors=errors, channel=draft.channel)
        return render(request, "public/question.html", _question_context(request, service, view))
    async with unit_of_work(request.app.state.sessions) as session:
        try:
            await drafts.save_answers(session, draft.id, expected_version=draft.version, answers=result.answers)
        except drafts.StaleDraft:
            return await _conflict(request, service, draft.id)
        except drafts.AlreadySubmitted:
            return redirect(f"/apply/{service.slug}/already-sent")
    if request.query_params.get("return") == RETURN_TO_CHECK:
        # A change can open new questions (say, renewal now needs a certificate number).
        pending = engine.first_unanswered(service, result.answers, channel=draft.channel)
        if pending is not None:
            return redirect(step_url(service, pending, **{"return": RETURN_TO_CHECK}))
        return redirect(f"/apply/{service.slug}/check")
    return redirect(step_url(service, result.next_step))


def _item_step(request: Request, service: Service) -> tuple[str, int]:
    group_id = request.path_params["group"]
    if group_id not in service.groups:
        raise HTTPException(status_code=404)
    return group_id, int(request.path_params["index"])


def _remove_context(service: Service, draft: Application, group_id: str, index: int) -> dict[str, Any]:
    """The remove page names the item as the list shows it ('Sako .243'), not 'Item 1'."""
    group = service.groups[group_id]
    item_ctx = engine.Context(service, draft.answers).for_item(group, index)
    name = engine.item_summary(group, item_ctx).strip() or group.item_title(index)
    section_title = str(service.pages[group.more_question_id].section.title)
    return {"service": service, "group": group, "index": index, "title": name, "section_title": section_title}


async def remove_page(request: Request) -> Response:
    service = service_for(request)
    draft = await _draft_with_force(request, service)
    if isinstance(draft, Response):
        return draft
    group_id, index = _item_step(request, service)
    group = service.groups[group_id]
    if index >= len(draft.answers.get(group_id) or []):
        return redirect(step_url(service, Step(group.more_question_id)))
    return render(request, "public/remove.html", _remove_context(service, draft, group_id, index))


@form_handler
async def remove_submit(request: Request, form: FormData) -> Response:
    service = service_for(request)
    draft = await _draft_with_force(request, service)
    if isinstance(draft, Response):
        return draft
    group_id, index = _item_step(request, service)
    group = service.groups[group_id]
    back = step_url(service, Step(group.more_question_id))
    if index >= len(draft.answers.get(group_id) or []):
        return redirect(back)
    choice = form.get("confirm")
    if choice not in ("yes", "no"):
        context = _remove_context(service, draft, group_id, index)
        message = _("Select yes if you want to remove %(item)s", item=context["title"])
        return render(
            request, "public/remove.html",
            {**context, "error": message, "errors": [{"text": message, "href": "#confirm"}]},
        )
    if choice == "yes":
        answers = engine.remove_item(draft.answers, group_id, index)
        async with unit_of_work(request.app.state.sessions) as session:
            try:
                await drafts.save_answers(session, draft.id, expected_version=draft.version, answers=answers)
            except drafts.StaleDraft:
                return await _conflict(request, service, draft.id)
    return redirect(back)


async def check(request: Request) -> Response:
    service = service_for(request)
    draft = await _draft_with_force(request, service)
    if isinstance(draft, Response):
        return draft
    pending = engine.first_unanswered(service, draft.answers, channel=draft.channel)
    if pending is not None:
        return redirect(f"/apply/{service.slug}/tasks")
    return render(
        request, "public/check.html",
        {"service": service, "summary": engine.check_answers(service, draft.answers, channel=draft.channel),
         "fee": _fee(service, draft),
         "change_url": lambda row: step_url(service, Step(row.page_id, row.index), **{"return": RETURN_TO_CHECK})},
    )


def _fee(service: Service, draft: Application) -> Any:
    if service.fee is None:
        return None
    return service.fee(engine.Context(service, draft.answers, channel=draft.channel), uk_today())


async def declaration(request: Request) -> Response:
    service = service_for(request)
    draft = await _draft_with_force(request, service)
    if isinstance(draft, Response):
        return draft
    if not engine.is_complete(service, draft.answers, channel=draft.channel):
        return redirect(f"/apply/{service.slug}/tasks")
    return render(
        request, "public/declaration.html",
        {"service": service, "version": draft.version, "on_behalf": await staff_declaration(request, service, draft)},
    )


@form_handler
async def declaration_submit(request: Request, form: FormData) -> Response:
    service = service_for(request)
    draft = await _journey_draft(request, service)
    if draft is None:
        return no_draft(request, service)
    if draft.force_id is None or not engine.is_complete(service, draft.answers, channel=draft.channel):
        return redirect(f"/apply/{service.slug}/tasks")
    if form.get("confirm") != "yes":
        message = str(service.declaration.error)
        return render(
            request, "public/declaration.html",
            {"service": service, "version": draft.version, "error": message,
             "errors": [{"text": message, "href": "#confirm"}],
             "on_behalf": await staff_declaration(request, service, draft)},
        )
    fee = _fee(service, draft)
    email = applicant_email(service, draft)
    locale = i18n.get_locale()
    on_behalf = await staff_declaration(request, service, draft) is not None
    # The submission, its confirmation email, the staff audit and forgetting the draft's resume
    # links are one unit of work: all written, or (on any failure) none.
    async with unit_of_work(request.app.state.sessions) as session:
        sent = await drafts.submit(
            session, draft.id, expected_version=draft.version,
            fee_pence=fee.pence if fee else None, fee_description=str(fee.description) if fee else None,
            with_submission=(lambda same: queue_confirmation(same, draft, email, locale)) if email else None,
        )
        if sent:
            if on_behalf:
                await record_sent_on_behalf(request, session, draft)
            await resume_store.forget_draft(session, draft.id)  # no resume link may open it now
    on_behalf = sent and on_behalf
    if not sent:
        # Another tab submitted (or changed) it first. Only one application exists either way.
        async with request.app.state.sessions() as session:
            latest = await drafts.get_application(session, draft.id)
        if latest is None or latest.status == "draft":
            return await _conflict(request, service, draft.id)
    remember_submitted(request, service, draft.id)
    if on_behalf:  # staff go back to the back office, to their own confirmation
        return resume.after_commit(request, redirect(f"/staff/applications/{draft.id}/sent"))
    return resume.after_commit(request, redirect(f"/apply/{service.slug}/confirmation"))


async def confirmation(request: Request) -> Response:
    service = service_for(request)
    application_id = submitted_id(request, service)
    if application_id is None:
        return redirect(f"/apply/{service.slug}")
    async with request.app.state.sessions() as session:
        application = await drafts.get_application(session, application_id)
        force = await drafts.get_force(session, application.force_id) if application and application.force_id else None
        emailed_to = await outbox.confirmation_address(session, application_id) if application else None
    if application is None or application.status == "draft":
        raise HTTPException(status_code=404)
    return render(
        request, "public/confirmation.html",
        {"service": service, "application": application, "force_details": force, "emailed_to": emailed_to},
    )


async def already_sent(request: Request) -> Response:
    service = service_for(request)
    return render(request, "public/already_sent.html", {"service": service, "has_confirmation": submitted_id(request, service) is not None})


routes = [
    Route("/apply/{service}", start, methods=["GET"], name="start"),
    Route("/apply/{service}/start", start_new, methods=["POST"], name="start_new"),
    *force_choice.routes,
    Route("/apply/{service}/tasks", tasks, methods=["GET"], name="tasks"),
    Route("/apply/{service}/check", check, methods=["GET"], name="check"),
    *form_page("/apply/{service}/declaration", declaration, declaration_submit, "declaration"),
    Route("/apply/{service}/confirmation", confirmation, methods=["GET"], name="confirmation"),
    Route("/apply/{service}/already-sent", already_sent, methods=["GET"], name="already_sent"),
    *form_page("/apply/{service}/{group}/{index:int}/remove", remove_page, remove_submit, "remove"),
    *form_page("/apply/{service}/{page}/{index:int}", question, timeout.keep_on_timeout(question_submit), "item_question"),
    *form_page("/apply/{service}/{page}", question, timeout.keep_on_timeout(question_submit), "question"),
]

# Page ids become URL segments beside these fixed ones, so a service may not use them.
RESERVED_PAGE_IDS = {"start", "force", "tasks", "check", "declaration", "confirmation", "already-sent"} | resume.RESERVED_PAGE_IDS
