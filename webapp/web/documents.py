"""PDF downloads: the copy of an application this session sent, its draft, and blank forms.

Personal documents are found through the session only (never by an id in the URL), so another
person gets 404 whatever they guess; they are ``no-store``. Blank forms are public and cacheable.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from datetime import date

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from webapp.i18n import get_locale
from webapp.pdf import (
    ForceData,
    render_blank_form_pdf,
    render_draft_pdf,
    render_in_worker,
)
from webapp.pdf.stored import application_pdf
from webapp.settings import Settings
from webapp.store import drafts, force_services
from webapp.uk_time import uk_today
from webapp.web.drafts import current_draft, service_for, submitted_id

_FORCE_ID = re.compile(r"^[a-z0-9-]{1,64}$")
# Blank forms are the same for everyone: keep a few, so a burst of anonymous downloads
# costs one render (keyed by the day too, as the fee table and printed date depend on it).
_BLANK_CACHE: OrderedDict[tuple[str, str | None, str, date, str], bytes] = OrderedDict()
_BLANK_CACHE_SIZE = 64


def pdf_response(data: bytes, filename: str, *, personal: bool) -> Response:
    safe = re.sub(r"[^A-Za-z0-9._-]", "-", filename)
    return Response(
        data,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{safe}"',
            "Cache-Control": "no-store" if personal else "public, max-age=3600",
        },
    )


def contact_url(request: Request) -> str:
    """The contact page's address as printed on paper: absolute, from the configured base URL
    (not the Host header a request happened to carry)."""
    settings: Settings = request.app.state.settings
    return settings.base_url + str(request.app.url_path_for("contact"))


async def application_copy(request: Request) -> Response:
    service = service_for(request)
    application_id = submitted_id(request, service)
    if application_id is None:
        raise HTTPException(status_code=404)
    async with request.app.state.sessions() as session:
        application = await drafts.get_application(session, application_id)
    if application is None or application.service != service.slug or application.status == "draft":
        raise HTTPException(status_code=404)
    data = await application_pdf(request.app.state.sessions, service, application)
    return pdf_response(data, f"{application.reference}.pdf", personal=True)


async def draft_copy(request: Request) -> Response:
    service = service_for(request)
    draft = await current_draft(request, service)
    if draft is None:
        raise HTTPException(status_code=404)
    async with request.app.state.sessions() as session:
        force = await force_services.contact(session, draft.force_id, service)
    data = await render_in_worker(
        render_draft_pdf,
        service,
        dict(draft.answers or {}),
        ForceData.of(force),
        reference=draft.reference,
        contact_url=contact_url(request),
    )
    return pdf_response(data, f"{draft.reference}-draft.pdf", personal=True)


async def blank_form(request: Request) -> Response:
    service = service_for(request)
    force_id = request.query_params.get("force") or None
    force = None
    if force_id is not None:
        if not _FORCE_ID.match(force_id):
            raise HTTPException(status_code=404)
        async with request.app.state.sessions() as session:
            force = await force_services.contact(session, force_id, service)
        if force is None:
            raise HTTPException(status_code=404)
    # The contact address is printed on the form, so it is part of what the form is.
    where_to_ask = contact_url(request)
    key = (service.slug, force_id, get_locale(), uk_today(), where_to_ask)
    data = _BLANK_CACHE.get(key)
    if data is None:
        data = await render_in_worker(
            render_blank_form_pdf, service, ForceData.of(force), contact_url=where_to_ask
        )
        _BLANK_CACHE[key] = data
        while len(_BLANK_CACHE) > _BLANK_CACHE_SIZE:
            _BLANK_CACHE.popitem(last=False)
    else:
        _BLANK_CACHE.move_to_end(key)
    name = f"{service.slug}-{force_id}.pdf" if force_id else f"{service.slug}.pdf"
    return pdf_response(data, name, personal=False)


routes = [
    Route(
        "/apply/{service}/confirmation/application.pdf",
        application_copy,
        methods=["GET"],
        name="application_pdf",
    ),
    Route("/apply/{service}/draft.pdf", draft_copy, methods=["GET"], name="draft_pdf"),
    Route("/forms/{service}.pdf", blank_form, methods=["GET"], name="blank_form_pdf"),
]
