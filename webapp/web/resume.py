"""Save and come back later: save a page as typed, email a resume link, and get back into a
draft with that link or with the reference, date of birth and postcode.

A resume link lands on GET /resume/{token}, which only moves the token into the session and
redirects (with `Referrer-Policy: no-referrer`), so the token leaves the address bar at once;
nothing is used up until the person presses the button on /resume, which POSTs. Link
scanners that fetch every URL in an email therefore cannot spend the link.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from starlette.background import BackgroundTask
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from webapp import engine, forces, i18n
from webapp.engine import Step
from webapp.engine.fields import Email, FieldError, Postcode, Text, format_date, normalise_postcode
from webapp.engine.journey import context_for, page_errors
from webapp.engine.schema import Question, Service
from webapp.i18n import gettext as _
from webapp.i18n import lazy_gettext as _l
from webapp.notify import LINK_REQUEST, RESUME_LINK, deliver_after_request
from webapp.security import form_handler
from webapp.services import SERVICES
from webapp.store import drafts, outbox
from webapp.store import resume as store
from webapp.store.db import unit_of_work
from webapp.store.models import Application
from webapp.store.references import normalise_reference
from webapp.web.context import SESSION_FORCE
from webapp.web.drafts import (
    current_draft,
    no_draft,
    redirect,
    remember_draft,
    render,
    service_for,
    step_url,
)
from webapp.web.fixed_forms import attempts_key, field_view, read_questions, recent_failures
from webapp.web.identity import (
    details_named,
    proof_questions,
    proofs_match,
    query_for,
    same_answer,
    service_asked_for,
)

SAVE_FIELD, SAVE_VALUE = "save", "later"
TOKEN_KEY = "resume_token"
SAVED_EMAIL_KEY = "saved_email"
PENDING_KEY = "pending_answer"
# Resume links one draft may have emailed in a day (stops the form being used to spam).
DAILY_LINKS_PER_DRAFT = 10
LINK_REQUESTS_PER_ADDRESS_PER_HOUR = 3
LINK_REQUESTS_PER_CLIENT_PER_HOUR = 20

EMAIL = Question(
    "email",
    _l("Email address"),
    Email(),
    error=_l("Enter your email address"),
    hint=_l("We will send a link to this address"),
)
REFERENCE = Question(
    "reference",
    _l("Application reference"),
    Text(max_length=20, width="10"),
    hint=_l("This is 8 letters and numbers, for example HDJ2-R7QF"),
    error=_l("Enter your application reference"),
)
POSTCODE = Question(
    "postcode", _l("Postcode of your home address"), Postcode(autocomplete="postal-code")
)


def now(request: Request) -> datetime:
    """The app's clock: tests move it to expire links."""
    return request.app.state.clock()  # type: ignore[no-any-return]


def _settings(request: Request) -> Any:
    return request.app.state.settings


def after_commit(request: Request, response: Response) -> Response:
    """Deliver what the request queued in the outbox once the response is sent."""
    response.background = BackgroundTask(deliver_after_request, request.app)
    return response


# --- saving a page as typed -----------------------------------------------------------------


def wants_to_save(form: FormData) -> bool:
    return form.get(SAVE_FIELD) == SAVE_VALUE


async def save_as_typed(
    request: Request, service: Service, draft: Application, step: Step, form: Mapping[str, Any]
) -> None:
    """Keep the page's answers exactly as typed, valid or not (checked when the person is back).
    A page left completely empty is not saved, so it does not show errors later."""
    raws = engine.read_page(service, step, form)
    page = service.pages[step.page_id].page
    if all(question.field.is_empty(raws.get(question.id)) for question in page.all_questions()):
        return
    try:
        answers = engine.save_page(service, draft.answers, step, raws, channel=draft.channel)
    except IndexError:  # an item that no longer exists
        return
    async with unit_of_work(request.app.state.sessions) as session:
        await drafts.save_answers(
            session, draft.id, expected_version=draft.version, answers=answers
        )


def saved_errors(
    service: Service, answers: Mapping[str, Any], step: Step, *, channel: str | None = None
) -> list[FieldError]:
    """Errors in answers that were saved as typed: shown when the page is opened again."""
    ctx = context_for(service, answers, step, channel=channel)
    page = service.pages[step.page_id].page
    if not any(ctx.has(question.id) for question in page.all_questions()):
        return []
    return page_errors(service, ctx, step, rules=False)


def _deleted_on(request: Request, draft: Application) -> str:
    updated = (
        draft.updated_at
        if draft.updated_at.tzinfo
        else draft.updated_at.replace(tzinfo=now(request).tzinfo)
    )
    return format_date(
        (
            max(updated, now(request)) + timedelta(days=_settings(request).draft_retention_days)
        ).date()
    )


async def save_email(request: Request) -> Response:
    service = service_for(request)
    draft = await current_draft(request, service)
    if draft is None:
        return no_draft(request, service)
    known = draft.answers.get("email")
    raws = {"email": known if isinstance(known, str) else ""}
    return render(
        request,
        "public/resume/save_email.html",
        {"service": service, "draft": draft, "field": field_view(EMAIL, raws, [])},
    )


@form_handler
async def save_email_submit(request: Request, form: FormData) -> Response:
    service = service_for(request)
    draft = await current_draft(request, service)
    if draft is None:
        return no_draft(request, service)
    raws, values, errors = read_questions([EMAIL], form, now(request).date())
    if errors:
        return render(
            request,
            "public/resume/save_email.html",
            {
                "service": service,
                "draft": draft,
                "field": field_view(EMAIL, raws, errors),
                "errors": [error.summary_item() for error in errors],
            },
        )
    address = store.normalise_email(values["email"])
    moment = now(request)
    async with request.app.state.sessions() as session:
        recent = await outbox.sent_recently(
            session, application_id=draft.id, template=RESUME_LINK, since=moment - timedelta(days=1)
        )
        if recent < DAILY_LINKS_PER_DRAFT:
            # One transaction: the draft is touched, the address kept, and the email queued.
            await session.execute(
                update(Application)
                .where(Application.id == draft.id, Application.status == "draft")
                .values(updated_at=moment)
                .execution_options(synchronize_session=False)
            )
            store.add_contact(session, draft.id, address, moment)
            outbox.enqueue(
                session,
                template=RESUME_LINK,
                to=address,
                application_id=draft.id,
                params={"locale": i18n.get_locale()},
                now=moment,
            )
            await session.commit()
    request.session[SAVED_EMAIL_KEY] = address
    return after_commit(request, redirect(f"/apply/{service.slug}/saved"))


async def saved(request: Request) -> Response:
    service = service_for(request)
    draft = await current_draft(request, service)
    if draft is None:
        return no_draft(request, service)
    return render(
        request,
        "public/resume/saved.html",
        {
            "service": service,
            "draft": draft,
            "email": request.session.get(SAVED_EMAIL_KEY),
            "deleted_on": _deleted_on(request, draft),
            "link_days": _settings(request).resume_link_days,
        },
    )


# --- getting back in ------------------------------------------------------------------------


async def _apply_pending(request: Request, service: Service, draft: Application) -> Step | None:
    """Save a page that was posted after the session timed out, now the draft is known again."""
    key = request.session.pop(PENDING_KEY, None)
    if not isinstance(key, str):
        return None
    # Taking the kept answers and saving them into the draft are one unit of work. Kept answers
    # that no longer fit are still taken (used once), as before.
    async with unit_of_work(request.app.state.sessions) as session:
        pending = await store.take_pending(session, key)
        if (
            pending is None
            or pending.service != service.slug
            or pending.page_id not in service.pages
        ):
            return None
        step = Step(pending.page_id, pending.item_index)
        for _attempt in range(3):
            try:
                answers = engine.save_page(
                    service, draft.answers, step, pending.raws, channel=draft.channel
                )
            except Exception:  # noqa: BLE001 - the page no longer fits these answers (an item was removed)
                return None
            try:
                await drafts.save_answers(
                    session, draft.id, expected_version=draft.version, answers=answers
                )
                return step
            except drafts.StaleDraft:
                latest = await drafts.get_application(session, draft.id)
            except drafts.AlreadySubmitted:
                return None
            if latest is None:
                return None
            draft = latest
    return None


async def enter_draft(request: Request, draft: Application) -> Response:
    """The person has shown they may continue this draft: attach it to this browser's session."""
    service = SERVICES[draft.service]
    await remember_draft(request, service, draft.id)
    if draft.force_id is not None:  # the header names the force again, as before saving
        request.session[SESSION_FORCE] = draft.force_id
        request.state.force = forces.get_force(draft.force_id)
    step = await _apply_pending(request, service, draft)
    if step is not None:
        heading = service.pages[step.page_id].page.heading
        return render(
            request,
            "public/resume/pending_saved.html",
            {"service": service, "heading": heading, "url": step_url(service, step)},
        )
    if draft.force_id is None:
        return redirect(f"/apply/{service.slug}/force")
    return redirect(f"/apply/{service.slug}/tasks")


def _no_referrer(response: Response) -> Response:
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


async def link_landing(request: Request) -> Response:
    """GET /resume/{token}: keep the token in the session and get it out of the address bar."""
    request.session[TOKEN_KEY] = str(request.path_params["token"])[:100]
    return _no_referrer(RedirectResponse("/resume", status_code=303))


def _link_invalid(request: Request) -> Response:
    return _no_referrer(
        render(
            request,
            "public/resume/link_invalid.html",
            {"link_days": _settings(request).resume_link_days},
            status_code=410,
        )
    )


async def resume_page(request: Request) -> Response:
    token = request.session.get(TOKEN_KEY)
    if not isinstance(token, str):
        return render(request, "public/resume/start.html", {})
    async with request.app.state.sessions() as session:
        state = await store.token_state(session, token, now(request))
    if state != "valid":
        request.session.pop(TOKEN_KEY, None)
        return _link_invalid(request)
    return _no_referrer(render(request, "public/resume/continue.html", {}))


@form_handler
async def resume_submit(request: Request, form: FormData) -> Response:
    token = request.session.pop(TOKEN_KEY, None)
    if not isinstance(token, str):
        return redirect("/resume")
    async with request.app.state.sessions() as session:
        application_id = await store.consume_token(session, token, now(request))
        await session.commit()  # the link is used up, whatever happens next
        draft = await drafts.get_application(session, application_id) if application_id else None
    if draft is None or draft.service not in SERVICES:
        return _link_invalid(request)
    return await enter_draft(request, draft)


# --- by reference and the proofs the service declares ----------------------------------------


def _reference_questions(service: Service) -> list[Question]:
    """The reference, the service's proofs of identity, and the postcode of the person's own
    address where the service has one (the address staff search by)."""
    return [
        REFERENCE,
        *proof_questions(service),
        *([POSTCODE] if service.search_keys.postcode else []),
    ]


def _service_or_404(request: Request) -> Service:
    service = service_asked_for(request)
    if service is None or not service.identity:  # a reference alone never opens a draft
        raise HTTPException(status_code=404)
    return service


def _reference_page(
    request: Request,
    service: Service,
    raws: Mapping[str, Any],
    errors: list[FieldError],
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "public/resume/reference.html",
        {
            "fields": [
                field_view(question, raws, errors) for question in _reference_questions(service)
            ],
            "errors": [error.summary_item() for error in errors],
            "query": query_for(service),
        },
        status_code=status_code,
    )


async def reference_form(request: Request) -> Response:
    return _reference_page(request, _service_or_404(request), {}, [])


def _postcode_matches(service: Service, draft: Application, postcode: str) -> bool:
    """The postcode typed is the one on the person's own address (or postcode answer)."""
    if service.search_keys.postcode is None:
        return True  # not asked
    stored = draft.answers.get(service.search_keys.postcode)
    if isinstance(stored, dict):
        stored = stored.get("postcode", "")
    stored_postcode = normalise_postcode(str(stored or ""))
    return same_answer(stored_postcode, postcode)


def _identity_matches(
    service: Service, draft: Application, values: Mapping[str, Any], today: date
) -> bool:
    """Compare with the draft's own answers, parsed by the service's own fields."""
    postcode = normalise_postcode(str(values.get("postcode") or "")) or ""
    same_postcode = _postcode_matches(service, draft, postcode)
    return proofs_match(service, draft, values, today) and same_postcode


@form_handler
async def reference_submit(request: Request, form: FormData) -> Response:
    settings, moment, service = _settings(request), now(request), _service_or_404(request)
    raws, values, errors = read_questions(_reference_questions(service), form, moment.date())
    reference = (
        normalise_reference(str(raws["reference"]))
        if not any(e.question_id == "reference" for e in errors)
        else None
    )
    if reference is None and not any(e.question_id == "reference" for e in errors):
        errors.insert(
            0,
            FieldError(
                _("Enter your reference as it is shown on your emails and letters, like HDJ2-R7QF"),
                "reference",
                "reference",
            ),
        )
    if errors:
        return _reference_page(request, service, raws, errors)
    assert reference is not None
    client_key, reference_key = attempts_key(request, "resume"), f"ref:{reference}"
    async with request.app.state.sessions() as session:
        failures = await recent_failures(session, settings, client_key, reference_key, moment)
        if failures.locked:
            failures.record_while_locked(session)
            await session.commit()
            return render(
                request,
                "public/resume/locked.html",
                {"hours": settings.resume_lock_hours},
                status_code=429,
            )
        draft = await session.scalar(
            select(Application).where(
                Application.reference == reference, Application.status == "draft"
            )
        )
        matched = draft is not None and _identity_matches(service, draft, values, moment.date())
        failures.record(session, failed=not matched)
        await session.commit()
    if not matched or draft is None:
        if failures.next_one_locks:
            return render(
                request,
                "public/resume/locked.html",
                {"hours": settings.resume_lock_hours},
                status_code=429,
            )
        asked = proof_questions(service)
        details = (
            details_named(asked, _("postcode"))
            if service.search_keys.postcode
            else details_named(asked)
        )
        message = _(
            "We could not find an application with those details. Check your %(details)s, and try again",
            details=details,
        )
        return _reference_page(
            request, service, raws, [FieldError(message, "reference", "reference")]
        )
    return await enter_draft(request, draft)


# --- asking for a new link ------------------------------------------------------------------


async def new_link_form(request: Request) -> Response:
    return render(request, "public/resume/new_link.html", {"field": field_view(EMAIL, {}, [])})


@form_handler
async def new_link_submit(request: Request, form: FormData) -> Response:
    """The same page whatever the address: whether it has a draft is found out by the outbox
    worker, never here, so neither the words nor the time taken can tell."""
    moment = now(request)
    raws, values, errors = read_questions([EMAIL], form, moment.date())
    if errors:
        return render(
            request,
            "public/resume/new_link.html",
            {
                "field": field_view(EMAIL, raws, errors),
                "errors": [error.summary_item() for error in errors],
            },
        )
    address = store.normalise_email(values["email"])
    secret = _settings(request).secret_key.encode()
    address_key = "link:" + hmac.new(secret, address.encode(), hashlib.sha256).hexdigest()[:40]
    client_key = attempts_key(request, "link")
    hour_ago = moment - timedelta(hours=1)
    async with request.app.state.sessions() as session:
        by_address = await store.attempts_since(session, address_key, hour_ago)
        by_client = await store.attempts_since(session, client_key, hour_ago)
        store.record_attempt(session, address_key, failed=False, now=moment)
        store.record_attempt(session, client_key, failed=False, now=moment)
        if (
            by_address < LINK_REQUESTS_PER_ADDRESS_PER_HOUR
            and by_client < LINK_REQUESTS_PER_CLIENT_PER_HOUR
        ):
            outbox.enqueue(
                session,
                template=LINK_REQUEST,
                to=address,
                params={"locale": i18n.get_locale()},
                now=moment,
            )
        await session.commit()
    return after_commit(request, redirect("/resume/new-link/sent"))


async def new_link_sent(request: Request) -> Response:
    return render(
        request,
        "public/resume/new_link_sent.html",
        {"link_days": _settings(request).resume_link_days},
    )


def _pair(path: str, get: Any, post: Any, name: str) -> list[Route]:
    return [
        Route(path, get, methods=["GET"], name=name),
        Route(path, post, methods=["POST"], name=f"{name}_submit"),
    ]


routes = [
    *_pair("/apply/{service}/save-and-return", save_email, save_email_submit, "save_email"),
    Route("/apply/{service}/saved", saved, methods=["GET"], name="saved"),
    *_pair("/resume", resume_page, resume_submit, "resume"),
    *_pair("/resume/reference", reference_form, reference_submit, "resume_reference"),
    *_pair("/resume/new-link", new_link_form, new_link_submit, "resume_new_link"),
    Route("/resume/new-link/sent", new_link_sent, methods=["GET"], name="resume_new_link_sent"),
    Route("/resume/{token}", link_landing, methods=["GET"], name="resume_link"),
]

# Segments under /apply/{service}/ taken by these routes (no service page may use them).
RESERVED_PAGE_IDS = {"save-and-return", "saved", "timed-out"}
