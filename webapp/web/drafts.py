"""Which application this browser is working on, and helpers every journey handler shares.

The session holds only ids: the draft being filled in per service, and the applications this
session submitted (so it can show their confirmation). Answers live in the database. A session
holding a draft also names its record on the server (``webapp/store/browser_sessions.py``),
which must still be live for the draft to open: a copied cookie dies with the session.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from webapp import engine, i18n
from webapp.engine import Step
from webapp.engine.schema import Service
from webapp.services import SERVICES
from webapp.store import browser_sessions, drafts
from webapp.store.db import unit_of_work
from webapp.store.models import Application
from webapp.templating import render_page


def service_for(request: Request) -> Service:
    service = SERVICES.get(request.path_params["service"])
    if service is None:
        raise HTTPException(status_code=404)
    return service


_DRAFT_PREFIX = "draft:"


def _draft_key(service: Service) -> str:
    return f"{_DRAFT_PREFIX}{service.slug}"


def _submitted_key(service: Service) -> str:
    return f"sent:{service.slug}"


def draft_in_session(request: Request) -> bool:
    """Whether this browser has an application under way (any service): its answers are saved.

    Reads the session only if the session middleware has run: an error page may be drawn for a
    request that failed before it did."""
    return bool(open_draft_ids(request.scope.get("session") or {}))


def open_draft_ids(session: Mapping[str, Any]) -> list[int]:
    """The drafts (of any service) this session is working on."""
    return [
        value
        for key, value in session.items()
        if str(key).startswith(_DRAFT_PREFIX) and isinstance(value, int)
    ]


def application_in_session(session: Mapping[str, Any], service: Service) -> int | None:
    """The application a session is working on for the service (its draft), else the one it
    last sent (its confirmation): the ids only, read from the session as it stands."""
    for key in (_draft_key(service), _submitted_key(service)):
        value = session.get(key)
        if isinstance(value, int):
            return value
    return None


SESSION_ID = "sid"


def _idle(request: Request) -> timedelta:
    return timedelta(seconds=request.app.state.settings.session_idle_seconds)


async def remember_draft(request: Request, service: Service, application_id: int) -> None:
    """This browser works on the draft from now on, under a live server-side session record."""
    async with unit_of_work(request.app.state.sessions) as session:
        live = await browser_sessions.is_live(
            session, request.session.get(SESSION_ID), idle=_idle(request)
        )
        if not live:
            request.session[SESSION_ID] = browser_sessions.begin(session)
    request.session[_draft_key(service)] = application_id


async def end_session(request: Request) -> None:
    """The person has left: the server-side record ends, so no copy of the cookie opens a draft."""
    async with unit_of_work(request.app.state.sessions) as session:
        await browser_sessions.end(session, request.session.pop(SESSION_ID, None))


async def start_draft(request: Request, service: Service) -> Application:
    """A new, empty draft for this browser: every later answer is saved into it as it is given."""
    async with unit_of_work(request.app.state.sessions) as session:
        draft = await drafts.create_draft(session, service=service.slug, language=i18n.get_locale())
    await remember_draft(request, service, draft.id)
    return draft


def remember_submitted(request: Request, service: Service, application_id: int) -> None:
    request.session.pop(_draft_key(service), None)
    request.session[_submitted_key(service)] = application_id


def submitted_id(request: Request, service: Service) -> int | None:
    value = request.session.get(_submitted_key(service))
    return value if isinstance(value, int) else None


async def current_draft(request: Request, service: Service) -> Application | None:
    """This session's draft for the service, if it still exists and is still a draft."""
    application_id = request.session.get(_draft_key(service))
    if not isinstance(application_id, int):
        return None
    async with unit_of_work(request.app.state.sessions) as session:
        live = await browser_sessions.is_live(
            session, request.session.get(SESSION_ID), idle=_idle(request)
        )
        application = await drafts.get_application(session, application_id) if live else None
    if application is None or application.service != service.slug or application.status != "draft":
        request.session.pop(_draft_key(service), None)
        return None
    return application


def step_url(service: Service, step: Step | None, **query: str) -> str:
    if step is None:
        url = f"/apply/{service.slug}/tasks"
    else:
        url = f"/apply/{service.slug}/{step.page_id}"
        if step.index is not None:
            url += f"/{step.index}"
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def redirect(url: str) -> Response:
    # 303: the browser follows with a GET, so reloading the next page never re-posts a form.
    return RedirectResponse(url, status_code=303)


def no_draft(request: Request, service: Service) -> Response:
    """Where to go without a draft: the 'already sent' page after a submission, else the start."""
    if submitted_id(request, service) is not None:
        return redirect(f"/apply/{service.slug}/already-sent")
    return redirect(f"/apply/{service.slug}")


def render(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> Response:
    return render_page(request, template, context, status_code=status_code)


def applicant_email(service: Service, application: Application) -> str | None:
    """The email address the applicant gave, if they gave one (assisted channels may not)."""
    return engine.contact_email(service, application.answers or {}, channel=application.channel)
