"""Run-time facts for the fields and fee rules that read them (``engine.fields.run_time_facts``):
for a journey page of a service that reads them, the facts of the force the application goes to.

A service's file cannot know a force's price list or its places; the web layer sets them around
each request, here, so that rendering a page, validating an answer and working out the fee all
read the same ones. The facts are read from the database on every request, never from a form:
a price is always the force's own, whatever is posted. Without a force (not chosen yet) there
are no facts, and the fields behave as runtime_choice documents.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

from webapp.engine.fields import run_time_facts
from webapp.engine.prices import PLACES, PRICES, Price
from webapp.engine.schema import Service
from webapp.services import SERVICES
from webapp.store import force_services, price_list
from webapp.store.models import Application
from webapp.web.drafts import application_in_session

_JOURNEY = "/apply/"


def reads_facts(service: Service) -> bool:
    """Whether anything in the service reads run-time facts: its price list, or a field whose
    options are read at run time."""
    return service.price_list is not None or any(
        question.field.reads_facts for question in service.all_questions()
    )


def _service_of(path: str) -> Service | None:
    if not path.startswith(_JOURNEY):
        return None
    slug = path[len(_JOURNEY) :].split("/", 1)[0]
    service = SERVICES.get(slug)
    return service if service is not None and reads_facts(service) else None


async def facts_for(sessions: Any, service: Service, application_id: int) -> dict[str, Any]:
    """The facts of the force an application goes to; none before a force is chosen."""
    async with sessions() as session:
        application = await session.get(Application, application_id)
        if application is None or application.service != service.slug:
            return {}
        force_id = application.force_id
        if not force_id:
            return {}
        facts: dict[str, Any] = {}
        if service.price_list is not None:
            facts[PRICES] = tuple(
                Price(item.code, item.name, item.name_cy, item.net_pence, item.vat_pence)
                for item in await price_list.offered(session, force_id, service.slug)
            )
        setting = await force_services.setting(session, force_id, service.slug)
        facts[PLACES] = tuple(setting.places or ()) if setting is not None else ()
    return facts


class RunTimeFactsMiddleware:
    """Sets the run-time facts around a journey request (inside the session middleware)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        service = _service_of(scope["path"]) if scope["type"] == "http" else None
        if service is None:
            await self.app(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        application_id = application_in_session(connection.session, service)
        facts = (
            await facts_for(connection.app.state.sessions, service, application_id)
            if application_id is not None
            else {}
        )
        with run_time_facts(facts):
            await self.app(scope, receive, send)
