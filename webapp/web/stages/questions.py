"""The questions stage: the task list (when the service lays its questions out as one), each
question page, and the add-another 'remove' page. Eligibility questions are question pages too:
the same handlers ask them, and the flow decides where each answer leads."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from webapp import engine, forces, i18n
from webapp.engine import Step, navigation
from webapp.engine.fields import FieldError, format_date
from webapp.engine.flow import Eligibility, Questions, Stage
from webapp.engine.schema import Service
from webapp.i18n import gettext as _
from webapp.security import form_handler
from webapp.store import drafts
from webapp.store.cases import latest_help
from webapp.store.db import unit_of_work
from webapp.store.models import Application
from webapp.uk_time import uk_local
from webapp.web import force_choice, resume
from webapp.web.drafts import no_draft, redirect, render, service_for, step_url
from webapp.web.staff.journey import back_to_the_office, number_questions
from webapp.workers import run_in_worker

from . import back_in_run, continue_url, exit_url, progress_of, stage_url
from .force import confirming_page, force_mismatch, postcode_in, route_from_answer
from .guard import conflict, draft_for, journey_draft

RETURN_TO_CHECK = "check"


def _is_run(stage: Stage) -> bool:
    """Pages asked one after another (eligibility, or a straight run), not from a task list."""
    return isinstance(stage, Eligibility) or (
        isinstance(stage, Questions) and not stage.is_task_list
    )


async def tasks(request: Request) -> Response:
    service = service_for(request)
    stage = service.flow.questions
    if not stage.is_task_list:
        # A straight run has no task list: carry on where the person is.
        carrying_on = await journey_draft(request, service)
        if carrying_on is None:
            return no_draft(request, service)
        return redirect(continue_url(service, progress_of(carrying_on)))
    draft = await draft_for(request, service, stage)
    if isinstance(draft, Response):
        return draft
    async with request.app.state.sessions() as session:
        helped = await latest_help(session, draft.id)
    helped_force = forces.get_force(helped.force_id) if helped else None
    own = {section.id for section in service.flow.extra_sections()}
    return render(
        request,
        "public/tasks.html",
        {
            "service": service,
            "draft": draft,
            "tasks": [
                task
                for task in engine.task_list(service, draft.answers, channel=draft.channel)
                if task.section.id not in own
            ],
            "complete": engine.is_complete(service, draft.answers, channel=draft.channel),
            "step_url": step_url,
            # "A member of staff at <force> helped ... on <date>", in the applicant's language.
            "staff_helped": {
                "force": helped_force.display_name(i18n.get_locale()) if helped_force else "",
                "date": format_date(uk_local(helped.at).date()),
            }
            if helped
            else None,
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


def _page_stage(request: Request, service: Service) -> Stage:
    page_id = request.path_params["page"]
    return (
        navigation.stage_of_page(service, page_id)
        if page_id in service.pages
        else service.flow.questions
    )


def _back_url(service: Service, draft: Application, step: Step, returning: bool) -> str:
    if returning:
        return f"/apply/{service.slug}/check"
    stage = navigation.stage_of_page(service, step.page_id)
    if _is_run(stage):
        return back_in_run(service, stage, progress_of(draft), step)
    return stage_url(service, stage, progress_of(draft))


def question_context(
    request: Request, service: Service, view: engine.PageView, back_url: str | None = None
) -> dict[str, Any]:
    returning = request.query_params.get("return") == RETURN_TO_CHECK
    journey = getattr(request.state, "staff_journey", None)
    if journey is not None and journey.numbers:  # keying in paper: the form's own numbers
        number_questions(view, journey.numbers)
    action = step_url(service, view.step, **({"return": RETURN_TO_CHECK} if returning else {}))
    if back_url is None:
        back_url = f"/apply/{service.slug}/check" if returning else f"/apply/{service.slug}/tasks"
    return {
        "service": service,
        "view": view,
        "action": action,
        "errors": view.error_summary,
        "step_url": step_url,
        "back_url": back_url,
        "group": service.pages[view.step.page_id].group,
        "multipart": any(field.question.field.is_upload for field in view.fields),
    }


def _context(
    request: Request, service: Service, draft: Application, view: engine.PageView
) -> dict[str, Any]:
    returning = request.query_params.get("return") == RETURN_TO_CHECK
    return question_context(request, service, view, _back_url(service, draft, view.step, returning))


async def _visitable_step(
    request: Request, service: Service
) -> tuple[Application, Step] | Response:
    """The draft and the page asked for, or where to go instead (a later page cannot be
    reached by URL before the pages it depends on are answered)."""
    stage = _page_stage(request, service)
    draft = await draft_for(request, service, stage)
    if isinstance(draft, Response):
        return draft
    step = _step(request, service)
    if _is_run(stage):
        run = navigation.run_access(service, stage, progress_of(draft), step)
        if not run.allowed:
            return redirect(
                step_url(service, run.redirect)
                if run.redirect
                else continue_url(service, progress_of(draft))
            )
        return draft, step
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
    errors = resume.saved_errors(service, draft.answers, step, channel=draft.channel)
    mismatch = _force_mismatch_on(request, service, draft, step, draft.answers)
    if mismatch is not None and not errors:
        errors = [mismatch]
    view = engine.page_view(service, draft.answers, step, channel=draft.channel, errors=errors)
    return render(
        request,
        "public/question.html",
        {**_context(request, service, draft, view), **_change_force(service, mismatch)},
    )


def _force_mismatch_on(
    request: Request, service: Service, draft: Application, step: Step, answers: Mapping[str, Any]
) -> FieldError | None:
    """On the page confirming the force: the error when its postcode is another force's. The
    postcode page then offers that postcode, to change the force in one step."""
    if step.page_id != confirming_page(service):
        return None
    mismatch = force_mismatch(service, draft, answers)
    if mismatch is not None:
        postcode = postcode_in(answers.get(mismatch.question_id))
        if postcode is not None:
            request.session[force_choice.SESSION_POSTCODE] = postcode
    return mismatch


def _change_force(service: Service, mismatch: FieldError | None) -> dict[str, Any]:
    return {"change_force_url": f"/apply/{service.slug}/force"} if mismatch is not None else {}


def check_upload(service: Service, question_id: str, data: bytes) -> Any:
    """The upload question's own check of a file: what to store, or its ``FieldError``. Runs in
    a worker (sent there by name), so it takes the service and the question's id."""
    question = service.questions[question_id].question
    return question.field.clean_upload(question, data)


async def _receive_uploads(
    request: Request, service: Service, draft: Application, step: Step, form: FormData
) -> tuple[dict[str, Any], list[Any]]:
    """Store any newly uploaded files; the engine then sees each as a record under its id."""
    values: dict[str, Any] = {}
    errors = []
    page = service.pages[step.page_id].page
    for question in page.all_questions():
        if not question.field.is_upload:
            continue
        upload = form.get(question.id)
        if isinstance(upload, UploadFile) and upload.filename:
            data = await upload.read()
            # What this question accepts, checked in a worker process: decoding an image takes
            # far longer than any request may hold the event loop.
            clean = await run_in_worker(check_upload, service, question.id, data)
            if isinstance(clean, FieldError):
                errors.append(clean)
                continue
            async with unit_of_work(request.app.state.sessions) as session:
                upload_id = await drafts.save_upload(
                    session,
                    draft.id,
                    question_id=question.id,
                    content_type=clean.content_type,
                    filename=(upload.filename or "photo")[:200],
                    data=clean.data,
                )
            values[question.id] = {
                "id": str(upload_id),
                "filename": (upload.filename or "photo")[:200],
                "content_type": clean.content_type,
                "size": len(clean.data),
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


def _after_answer(
    service: Service, draft: Application, step: Step, result: engine.Submission
) -> str:
    """Where a saved page leads: the next page of its section, then (in a run) wherever the
    flow goes next; an eligibility answer that rules the person out leads to its exit page."""
    stage = navigation.stage_of_page(service, step.page_id)
    if not _is_run(stage):
        return step_url(service, result.next_step)  # the task list when the section is done
    progress = progress_of(draft, result.answers)
    if isinstance(stage, Eligibility):
        leads_out = stage.exit_for(service, progress)
        if leads_out is not None:
            return exit_url(service, leads_out.id)
    if result.next_step is not None:
        return step_url(service, result.next_step)
    return continue_url(service, progress)


@form_handler
async def question_submit(request: Request, form: FormData) -> Response:
    service = service_for(request)
    visitable = await _visitable_step(request, service)
    if isinstance(visitable, Response):
        return visitable
    draft, step = visitable
    uploads, upload_errors = await _receive_uploads(request, service, draft, step, form)
    # The engine reads a form through get/getlist only, as _FormWithUploads provides.
    posted = cast(Mapping[str, Any], _FormWithUploads(form, uploads))
    if resume.wants_to_save(form):  # "Save and come back later": keep the page as typed
        try:
            await resume.save_as_typed(request, service, draft, step, posted)
        except drafts.StaleDraft:
            return await conflict(request, service, draft.id)
        except drafts.AlreadySubmitted:
            return redirect(f"/apply/{service.slug}/already-sent")
        journey = getattr(request.state, "staff_journey", None)
        if journey is not None:
            return back_to_the_office(request, journey)
        return redirect(f"/apply/{service.slug}/save-and-return")
    result = engine.submit(service, draft.answers, step, posted, channel=draft.channel)
    errors = [*upload_errors, *result.errors]
    if errors:
        view = engine.page_view(
            service, draft.answers, step, raws=result.raws, errors=errors, channel=draft.channel
        )
        return render(request, "public/question.html", _context(request, service, draft, view))
    async with unit_of_work(request.app.state.sessions) as session:
        try:
            await drafts.save_answers(
                session, draft.id, expected_version=draft.version, answers=result.answers
            )
        except drafts.StaleDraft:
            return await conflict(request, service, draft.id)
        except drafts.AlreadySubmitted:
            return redirect(f"/apply/{service.slug}/already-sent")
    mismatch = _force_mismatch_on(request, service, draft, step, result.answers)
    if mismatch is not None:  # saved, so nothing is lost if they change the force
        view = engine.page_view(
            service, result.answers, step, errors=[mismatch], channel=draft.channel
        )
        return render(
            request,
            "public/question.html",
            {**_context(request, service, draft, view), **_change_force(service, mismatch)},
        )
    routed = await route_from_answer(request, service, draft, step, result.answers)
    if routed is not None:  # the force comes from this answer, and needs the person's help
        return routed
    if request.query_params.get("return") == RETURN_TO_CHECK:
        # A change can open new questions (say, renewal now needs a certificate number).
        pending = engine.first_unanswered(service, result.answers, channel=draft.channel)
        if pending is not None:
            return redirect(step_url(service, pending, **{"return": RETURN_TO_CHECK}))
        return redirect(f"/apply/{service.slug}/check")
    return redirect(_after_answer(service, draft, step, result))


def _item_step(request: Request, service: Service) -> tuple[str, int]:
    group_id = request.path_params["group"]
    if group_id not in service.groups:
        raise HTTPException(status_code=404)
    return group_id, int(request.path_params["index"])


def _remove_context(
    service: Service, draft: Application, group_id: str, index: int
) -> dict[str, Any]:
    """The remove page names the item as the list shows it ('Sako .243'), not 'Item 1'."""
    group = service.groups[group_id]
    item_ctx = engine.Context(service, draft.answers).for_item(group, index)
    name = engine.item_summary(group, item_ctx).strip() or group.item_title(index)
    section_title = str(service.pages[group.more_question_id].section.title)
    return {
        "service": service,
        "group": group,
        "index": index,
        "title": name,
        "section_title": section_title,
    }


async def _remove_draft(request: Request, service: Service) -> Application | Response:
    group_id = request.path_params["group"]
    stage = (
        navigation.stage_of_page(service, service.groups[group_id].more_question_id)
        if group_id in service.groups
        else service.flow.questions
    )
    return await draft_for(request, service, stage)


async def remove_page(request: Request) -> Response:
    service = service_for(request)
    draft = await _remove_draft(request, service)
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
    draft = await _remove_draft(request, service)
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
            request,
            "public/remove.html",
            {**context, "error": message, "errors": [{"text": message, "href": "#confirm"}]},
        )
    if choice == "yes":
        answers = engine.remove_item(draft.answers, group_id, index)
        async with unit_of_work(request.app.state.sessions) as session:
            try:
                await drafts.save_answers(
                    session, draft.id, expected_version=draft.version, answers=answers
                )
            except drafts.StaleDraft:
                return await conflict(request, service, draft.id)
    return redirect(back)
