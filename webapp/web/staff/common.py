"""What every staff handler shares: who is signed in, the role check, safe redirects, audit.

A signed-in browser carries a random token in the signed session cookie; the token's hash is a
row in ``staff_session``, so signing out or an expiry ends the session on the server too.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from datetime import date
from functools import wraps
from typing import Any
from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from webapp import forces
from webapp.store import audit
from webapp.store import staff as accounts
from webapp.store.cases import ForceCases
from webapp.store.db import unit_of_work
from webapp.store.models import Application
from webapp.templating import render_page

log = logging.getLogger("webapp.staff")

SESSION_TOKEN = "staff"
SESSION_PENDING = "staff_pending"
SESSION_FLASH = "staff_flash"
HOME = "/staff"
# Where sign-in may send you back to: a path inside the back office, nothing else.
_SAFE_NEXT = re.compile(r"^/staff(?:/[A-Za-z0-9_\-./]*)?(?:\?[A-Za-z0-9_\-.=&%+]*)?$")


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


def safe_next(value: object) -> str:
    """The `next` parameter if it is a back-office path; the dashboard otherwise."""
    if not isinstance(value, str) or len(value) > 500:
        return HOME
    if "//" in value or "\\" in value or ".." in value or not _SAFE_NEXT.match(value):
        return HOME
    return value


def redirect(url: str) -> Response:
    return RedirectResponse(url, status_code=303)


def reads_feedback(request: Request, staff: accounts.StaffMember | None) -> bool:
    """The lead force's staff read the public's feedback about the service."""
    lead = request.app.state.settings.lead_force
    return staff is not None and lead is not None and staff.force_id == lead


def render(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> Response:
    staff = getattr(request.state, "staff", None)
    force = forces.get_force(staff.force_id) if staff is not None else None
    context = {
        "staff": staff,
        "staff_force_name": force.name if force else None,
        "staff_reads_feedback": reads_feedback(request, staff),
        "staff_is_national": staff is not None
        and staff.is_national_admin(request.app.state.settings.lead_force),
        **context,
    }
    return render_page(request, template, context, status_code=status_code)


def flash(request: Request, message: str) -> None:
    request.session[SESSION_FLASH] = message


def take_flash(request: Request) -> str | None:
    value = request.session.pop(SESSION_FLASH, None)
    return value if isinstance(value, str) else None


async def write_audit(request: Request, action: str, **fields: Any) -> None:
    """Write one audit event in its own transaction."""
    async with unit_of_work(request.app.state.sessions) as session:
        await audit.record(session, action, ip=client_ip(request), **fields)


def _session_cookie_refused(request: Request) -> bool:
    """A session cookie was sent but did not verify (forged, tampered with or expired)."""
    return request.app.state.settings.session_cookie in request.cookies and not request.session


async def signed_in_member(request: Request) -> accounts.StaffMember | None:
    token = request.session.get(SESSION_TOKEN)
    if not isinstance(token, str):
        return None
    async with unit_of_work(request.app.state.sessions) as session:
        # Reading the token may change it: an expired session deleted, the last-seen time moved on.
        member = await accounts.member_for_token(session, token)
    if member is None:
        request.session.pop(SESSION_TOKEN, None)
        return None
    if member.demo and request.app.state.settings.production:
        log.warning("staff: demo account refused in production")
        return None
    return member


async def session_ended(request: Request) -> Response:
    """A clear page for a session that is not (or no longer) valid. Logged, never an error."""
    log.warning("staff: session cookie refused on %s", request.url.path)
    await write_audit(request, "session refused", detail=request.url.path[:200])
    return render(request, "staff/session_ended.html", {}, status_code=401)


Endpoint = Callable[..., Awaitable[Response]]


def staff_only(*, admin: bool = False) -> Callable[[Endpoint], Endpoint]:
    """Let the handler run for a signed-in member of staff (an administrator, if asked);
    send anyone else to sign in, with a `next` that brings them back."""

    def wrap(handler: Endpoint) -> Endpoint:
        @wraps(handler)
        async def endpoint(request: Request, *args: Any) -> Response:
            had_token = isinstance(request.session.get(SESSION_TOKEN), str)
            member = await signed_in_member(request)
            if member is None:
                if had_token or _session_cookie_refused(request):
                    return await session_ended(request)
                target = request.url.path if request.method == "GET" else HOME
                if request.method == "GET" and request.url.query:
                    target += "?" + request.url.query
                return redirect("/staff/sign-in?next=" + quote(safe_next(target), safe="/"))
            if admin and not member.is_admin:
                raise HTTPException(status_code=403)
            request.state.staff = member
            return await handler(request, *args)

        return endpoint

    return wrap


def member(request: Request) -> accounts.StaffMember:
    return request.state.staff  # type: ignore[no-any-return]


async def application_or_404(request: Request, cases: ForceCases) -> Application:
    """The application named in the URL, if it is one of this member's force's; else 404."""
    application = await cases.get(int(request.path_params["id"]))
    if application is None:
        raise HTTPException(status_code=404)
    return application


def parse_date(day: object, month: object, year: object) -> date | str | None:
    """A date from three GOV.UK date-input fields: None if all empty, an error message if wrong."""
    parts = [str(part or "").strip() for part in (day, month, year)]
    if not any(parts):
        return None
    if not all(part.isdigit() for part in parts) or len(parts[2]) != 4:
        return "must be a real date, like 27 3 1980"
    try:
        return date(int(parts[2]), int(parts[1]), int(parts[0]))
    except (ValueError, OverflowError):  # 2147483648 as a day overflows rather than misfits
        return "must be a real date, like 27 3 1980"
