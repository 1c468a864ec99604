"""Where the public journey meets the back office: when the signed-in member of staff is working
on a draft their force's staff started for a caller, keyed in from paper, or opened with a
caller's consent, the journey keeps the staff layout (``StaffJourney``), paper questions carry
the paper form's numbers, and the declaration is confirmed on the applicant's behalf."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from webapp import forces
from webapp.engine import PageView
from webapp.engine.schema import Service
from webapp.pdf.layout import question_numbers
from webapp.sending import OnBehalf
from webapp.store import staff as accounts
from webapp.store.cases import ForceCases, origin_of
from webapp.store.models import Application

from .common import SESSION_TOKEN, client_ip, flash, redirect, signed_in_member

# How each kind of staff draft is sent, in the declaration's words.
WORDING = {
    "assisted": "The applicant confirmed this declaration by phone",
    "paper": "The applicant signed this declaration on the paper form",
    "helped": "The applicant confirmed this declaration by phone",
}
BANNERS = {
    "assisted": "You are filling this in for a caller",
    "paper": "You are keying in a paper form",
    "helped": "You are helping a caller with the application they started online",
}


@dataclass(frozen=True)
class StaffJourney:
    """What the journey's layout needs to stay in the back office."""

    member: accounts.StaffMember
    force_name: str
    mode: str  # "assisted", "paper" or "helped"
    reference: str
    numbers: Mapping[str, str] = field(default_factory=dict)  # paper: question id -> number

    @property
    def banner(self) -> str:
        return BANNERS[self.mode]

    @property
    def declaration(self) -> str:
        return WORDING[self.mode]


async def staff_journey(
    request: Request, service: Service, draft: Application
) -> StaffJourney | None:
    """The staff view of this journey, or None for the public's own (also kept on
    ``request.state`` for the layout)."""
    found = await _find(request, service, draft)
    request.state.staff_journey = found
    return found


async def _find(request: Request, service: Service, draft: Application) -> StaffJourney | None:
    if not isinstance(request.session.get(SESSION_TOKEN), str) or draft.force_id is None:
        return None
    member = await signed_in_member(request)
    if member is None or member.force_id != draft.force_id:
        return None
    async with request.app.state.sessions() as session:
        origin = await origin_of(session, draft.id)
        helped = (
            origin is None
            and await ForceCases(session, member.force_id).staff_draft(draft.id) is not None
        )
    if origin is not None and draft.channel in ("assisted", "paper"):
        mode = draft.channel
    elif helped:
        mode = "helped"
    else:
        return None
    force = forces.get_force(member.force_id)
    return StaffJourney(
        member=member,
        force_name=force.name if force else member.force_id,
        mode=mode,
        reference=draft.reference,
        numbers=question_numbers(service) if mode == "paper" else {},
    )


def back_to_the_office(request: Request, journey: StaffJourney) -> Response:
    """'Save and come back later' for staff: every answer is kept, and the dashboard lists the
    application under those in progress (no email to give, unlike the public's)."""
    flash(
        request,
        f"Saved. {journey.reference} is under Applications in progress: open it there to carry on.",
    )
    return redirect("/staff")


def number_questions(view: PageView, numbers: Mapping[str, str]) -> None:
    """Put the paper form's number in front of each question's label, as the form prints it."""
    pending = list(view.fields)
    while pending:
        field_view = pending.pop()
        pending.extend(child for children in field_view.reveals.values() for child in children)
        number = numbers.get(field_view.question.id)
        label: dict[str, Any] | None = field_view.params.get("label")
        if "fieldset" in field_view.params:
            label = field_view.params["fieldset"].get("legend")
        if not number or not isinstance(label, dict):
            continue
        if "text" in label:
            label["text"] = f"{number} {label['text']}"
        elif "html" in label:
            label["html"] = f"{number} {label['html']}"


async def staff_declaration(request: Request, service: Service, draft: Application) -> str | None:
    """The staff wording for the declaration, or None for the public's own."""
    journey = await staff_journey(request, service, draft)
    return journey.declaration if journey else None


async def sending_on_behalf(
    request: Request, service: Service, draft: Application
) -> OnBehalf | None:
    """The member of staff sending this draft for the applicant, or None for the public's own."""
    if await staff_journey(request, service, draft) is None:
        return None
    staff = await signed_in_member(request)
    return OnBehalf(staff, client_ip(request)) if staff is not None else None
