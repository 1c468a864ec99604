"""The one place the public journey asks about staff: when the signed-in member of staff made
this assisted-digital or paper draft, the declaration is confirmed on the applicant's behalf."""

from __future__ import annotations

from starlette.requests import Request

from webapp.store import audit
from webapp.store.cases import origin_of
from webapp.store.models import Application

from .common import SESSION_TOKEN, client_ip, signed_in_member

WORDING = {
    "assisted": "The applicant confirmed this declaration by phone",
    "paper": "The applicant signed this declaration on the paper form",
}


async def staff_declaration(request: Request, draft: Application) -> str | None:
    """The staff wording for the declaration, or None for the public's own."""
    if draft.channel not in WORDING or not isinstance(request.session.get(SESSION_TOKEN), str):
        return None
    staff = await signed_in_member(request)
    if staff is None:
        return None
    async with request.app.state.sessions() as session:
        origin = await origin_of(session, draft.id)
    if origin is None or origin.created_by_staff_id != staff.id or draft.force_id != staff.force_id:
        return None
    return WORDING[draft.channel]


async def record_sent_on_behalf(request: Request, draft: Application) -> None:
    staff = await signed_in_member(request)
    if staff is None:
        return
    async with request.app.state.sessions() as session:
        await audit.record(session, "submitted on behalf", ip=client_ip(request), member=staff,
                           application_id=draft.id, detail=f"{draft.reference} ({draft.channel})")
        await session.commit()
