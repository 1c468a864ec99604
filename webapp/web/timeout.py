"""Session timeout (WCAG 2.2.1): extending a session from the warning dialog, the page the
dialog leads to when time runs out, and keeping an answer posted after the session ended.

Without JavaScript nobody is warned, so a page posted after the timeout arrives with no session
and fails the CSRF check. Rather than lose it, `keep_on_timeout` keeps the page's answers
(as typed) against a new session and explains; once the person gets back into their draft
(resume link, or reference, date of birth and postcode) the answers are saved to it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from webapp import engine
from webapp.engine import Step
from webapp.security import CSRF_SESSION_KEY, CsrfError, form_handler
from webapp.services import SERVICES
from webapp.store import drafts
from webapp.store import resume as store
from webapp.store.db import unit_of_work
from webapp.web.drafts import end_session, redirect, render, service_for
from webapp.web.resume import PENDING_KEY, now

DRAFT_PREFIX = "draft:"


def has_draft(session: dict[str, object]) -> bool:
    return any(key.startswith(DRAFT_PREFIX) for key in session)


def _same_origin(request: Request) -> bool:
    """A timed-out post is kept only if it came from one of our own pages."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    if origin and origin != "null":
        return urlsplit(origin).netloc == request.url.netloc
    return True


def keep_on_timeout(
    endpoint: Callable[[Request], Awaitable[Response]],
) -> Callable[[Request], Awaitable[Response]]:
    """Wrap a question page's POST (already CSRF-checked): keep what a timed-out session posted."""

    @wraps(endpoint)
    async def wrapper(request: Request) -> Response:
        timed_out = not isinstance(request.session.get(CSRF_SESSION_KEY), str)
        try:
            return await endpoint(request)
        except CsrfError:
            if not timed_out or not _same_origin(request):
                raise
            return await _keep(request)

    return wrapper


async def _keep(request: Request) -> Response:
    service = service_for(request)
    page_id = request.path_params.get("page")
    index = request.path_params.get("index")
    ref = service.pages.get(page_id) if isinstance(page_id, str) else None
    if ref is None:
        raise CsrfError()
    step = Step(page_id, index)  # type: ignore[arg-type]
    form = await request.form()  # already read (and cached) by form_handler
    raws = engine.read_page(service, step, form)
    # Files cannot be kept this way: the person uploads them again.
    questions = {q.id: q for q in ref.page.all_questions()}
    kept = {key: value for key, value in raws.items() if not questions[key].field.is_upload}
    async with unit_of_work(request.app.state.sessions) as session:
        key = await store.keep_pending(
            session,
            service=service.slug,
            page_id=step.page_id,
            index=step.index,
            raws=kept,
            now=now(request),
            client=request.client.host if request.client else "",
        )
    if key is None:  # not kept (see keep_pending): the plain "page has expired" answer
        raise CsrfError()
    request.session[PENDING_KEY] = key
    return redirect(f"/apply/{service.slug}/timed-out")


async def timed_out(request: Request) -> Response:
    service = service_for(request)
    heading = None
    key = request.session.get(PENDING_KEY)
    if isinstance(key, str):
        async with request.app.state.sessions() as session:
            pending = await store.peek_pending(session, key)
        if pending is not None and pending.page_id in service.pages:
            heading = service.pages[pending.page_id].page.heading
    minutes = request.app.state.settings.session_idle_seconds // 60
    return render(
        request,
        "public/resume/timed_out.html",
        {"service": service, "heading": heading, "minutes": minutes},
    )


@form_handler
async def extend(request: Request, _form: object) -> Response:
    """The dialog's 'Continue with your application': any request re-signs the session cookie (a
    sliding expiry, see web/context.py); this one says whether there is still a draft to keep open."""
    if not has_draft(request.session):
        return JSONResponse({"extended": False}, status_code=401)
    return JSONResponse(
        {"extended": True, "seconds": request.app.state.settings.session_idle_seconds}
    )


async def ended(request: Request) -> Response:
    """Where the dialog sends the browser when time runs out: sign out, say how to get back."""
    references = []
    async with request.app.state.sessions() as session:
        for key in [key for key in request.session if key.startswith(DRAFT_PREFIX)]:
            application_id = request.session.pop(key)
            if isinstance(application_id, int):
                draft = await drafts.get_application(session, application_id)
                if draft is not None and draft.status == "draft" and draft.service in SERVICES:
                    references.append((SERVICES[draft.service], draft.reference))
    request.session.pop(CSRF_SESSION_KEY, None)
    await end_session(request)
    return render(request, "public/resume/ended.html", {"references": references})


routes = [
    Route("/apply/{service}/timed-out", timed_out, methods=["GET"], name="timed_out"),
    Route("/session/extend", extend, methods=["POST"], name="session_extend"),
    Route("/session/ended", ended, methods=["GET"], name="session_ended"),
]
